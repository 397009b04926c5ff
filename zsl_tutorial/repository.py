"""Where the course is published: the one place that names its GitHub repository.

README's badges, every lesson's Colab install cell, the Binder link, the book's config and
``pyproject.toml`` repeat this name, because those files cannot import it;
``scripts/retarget.py OWNER/NAME`` rewrites all of them (and this file) at once, and a test checks
that they agree with :data:`REPOSITORY`.
"""
from __future__ import annotations

#: ``owner/name`` of the course's GitHub repository.
REPOSITORY = "zsl-tutorial/zsl-tutorial"
#: True while :data:`REPOSITORY` is a placeholder (the final address is not known yet): README says so,
#: and the Colab cell, whose install then fails, prints what to do instead.
PLACEHOLDER = True


def github_url(repository: str = REPOSITORY) -> str:
    """``https://github.com/owner/name``."""
    return f"https://github.com/{repository}"

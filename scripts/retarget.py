"""Point every badge, Colab install cell and Binder link at the repository where the course is published.

    python scripts/retarget.py OWNER/NAME        # e.g. python scripts/retarget.py my-org/zsl-tutorial
    python scripts/retarget.py --check           # list every link and say whether they all agree

The name lives in ``zsl_tutorial/repository.py`` (``REPOSITORY``); README, the lessons, the book's
config and ``pyproject.toml`` repeat it in links that cannot import it. This rewrites all of them,
and marks the name as final (``PLACEHOLDER = False``), which also drops README's placeholder note.
Re-run the notebooks' freshness stamps afterwards (``scripts/run_notebooks.py --inplace``): the
Colab cell is code.
"""
from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NAME = r"[A-Za-z0-9][A-Za-z0-9-]*/[A-Za-z0-9._-]+?"
#: Every kind of link that names the course's repository: (what, pattern with the name as group 1).
LINKS = (
    ("Colab badge", re.compile(rf"colab\.research\.google\.com/github/({NAME})/blob/")),
    ("Binder link", re.compile(rf"mybinder\.org/v2/gh/({NAME})/")),
    ("Colab install", re.compile(rf'REPO = \\?"({NAME})\\?"')),  # \" inside a notebook's JSON
    ("book repository", re.compile(rf"^  url: https://github\.com/({NAME})\s*$", re.M)),
    ("project URL", re.compile(rf'^Homepage = "https://github\.com/({NAME})"', re.M)),
    ("package", re.compile(rf'^REPOSITORY = "({NAME})"', re.M)),
)
PLACEHOLDER_NOTE = re.compile(r"^> \*\*Placeholder address\.\*\*.*?(?:\n(?!\n).*)*\n\n", re.M)


def files(root: Path = ROOT) -> list[Path]:
    """The files that may hold links to the repository."""
    found = [root / "README.md", root / "pyproject.toml", root / "book" / "_config.yml",
             root / "zsl_tutorial" / "repository.py"]
    found += sorted((root / "notebooks").glob("[0-9][0-9]_*.ipynb"))
    return [p for p in found if p.exists()]


def links(root: Path = ROOT) -> list[tuple[str, str, str]]:
    """Every (file, kind of link, repository named) in the course."""
    out = []
    for path in files(root):
        text = path.read_text(encoding="utf-8")
        for what, pattern in LINKS:
            out += [(str(path.relative_to(root)), what, m.group(1)) for m in pattern.finditer(text)]
    return out


def _renamed(match: re.Match, repository: str) -> str:
    """The matched link with its repository name (group 1) replaced."""
    start, end = match.start(1) - match.start(0), match.end(1) - match.start(0)
    return match.group(0)[:start] + repository + match.group(0)[end:]


def retarget(repository: str, root: Path = ROOT) -> int:
    """Rewrite every link to name ``repository``; return how many were changed."""
    if not re.fullmatch(NAME, repository):
        raise ValueError(f"repository must be OWNER/NAME as GitHub spells it (e.g. my-org/zsl-tutorial), "
                         f"got {repository!r}.")
    changed = 0
    for path in files(root):
        text = path.read_text(encoding="utf-8")
        new = text
        for _, pattern in LINKS:
            new, n = pattern.subn(lambda m: _renamed(m, repository), new)
            changed += n
        if path.name == "repository.py":
            new = re.sub(r"^PLACEHOLDER = True$", "PLACEHOLDER = False", new, flags=re.M)
        if path.name == "README.md":
            new = PLACEHOLDER_NOTE.sub("", new)
        if new != text:
            path.write_text(new, encoding="utf-8")
    return changed


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("repository", nargs="?", help="OWNER/NAME of the published repository")
    ap.add_argument("--check", action="store_true", help="list the links and check that they agree")
    args = ap.parse_args(argv)
    if args.check or not args.repository:
        found = links()
        names = sorted({name for _, _, name in found})
        for path, what, name in found:
            print(f"{path:45s} {what:16s} {name}")
        print(f"{len(found)} links, naming {names}" + ("" if len(names) == 1 else ": THEY DISAGREE"))
        return 0 if len(names) == 1 else 1
    try:
        n = retarget(args.repository)
    except ValueError as exc:
        print(exc, file=sys.stderr)
        return 2
    print(f"{n} links now name {args.repository}. Refresh the stamps: .venv/bin/python scripts/run_notebooks.py "
          "--mode full --inplace")
    return 0


if __name__ == "__main__":
    sys.exit(main())

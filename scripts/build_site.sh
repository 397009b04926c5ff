#!/usr/bin/env bash
# Build the course website (Jupyter Book 1.x, offline) into _build/html.
# The notebooks are not executed: the pages show the outputs stored in notebooks/.
# The table of contents (book/_toc.yml) is rewritten from notebooks/NN_*.ipynb, in lesson order,
# followed by the instructor guide (notebooks/INSTRUCTORS.md).
# Extra arguments go to `jupyter-book build` (e.g. --path-output DIR, --all for a clean rebuild).
# Preview: .venv/bin/python -m http.server -d _build/html 8000 --bind 127.0.0.1
set -euo pipefail
cd "$(dirname "$0")/.."
PY=.venv/bin/python
[ -x "$PY" ] || { echo "no .venv: run bash scripts/setup.sh first" >&2; exit 1; }
"$PY" -c "import jupyter_book" 2>/dev/null \
  || { echo "jupyter-book is not installed: run bash scripts/setup.sh (it installs the 'site' extra)" >&2; exit 1; }

"$PY" - <<'PYEOF'
import json
import re
from pathlib import Path

from zsl_tutorial.repository import REPOSITORY

lessons = sorted(Path("notebooks").glob("[0-9][0-9]_*.ipynb"))
rows, total = [], 0
for nb in lessons:
    front = "".join(json.loads(nb.read_text())["cells"][0]["source"])
    title = front.splitlines()[0].lstrip("# ").strip()
    minutes = int(re.search(r"\*\*Estimated time:\*\* (\d+) minutes", front).group(1))
    total += minutes
    colab = f"https://colab.research.google.com/github/{REPOSITORY}/blob/main/notebooks/{nb.name}"
    rows.append((nb, title, minutes, colab))

# The site's home page, for learners: what the course is, the lesson map with times, and launch buttons.
# (The developer README stays in the repository, and on the site under "For developers".)
binder = f"https://mybinder.org/v2/gh/{REPOSITORY}/main?urlpath=lab/tree/notebooks"
page = [
    "# Zero-shot learning, hands-on", "",
    "A course that takes you from the first idea of zero-shot learning (ZSL), recognising classes that have",
    "**no training images**, to the research frontier. Every lesson runs offline on a laptop CPU in minutes, on",
    "real images, and every number it prints is computed in front of you and checked by the code beside it.", "",
    f"[![Launch the course on Binder](https://mybinder.org/badge_logo.svg)]({binder}) "
    "or open any lesson in Colab (its badge below), or run it on your own machine: "
    "`bash scripts/course.sh` (see [For developers](../README.md)).", "",
    "## The lessons", "",
    "| lesson | time | open |", "|---|---:|---|",
]
for nb, title, minutes, colab in rows:
    page.append(f"| [{title}](../notebooks/{nb.name}) | {minutes} min | "
                f"[![Open In Colab](https://colab.research.google.com/assets/colab-badge.svg)]({colab}) |")
page += ["", f"About {total // 60} h {total % 60:02d} min in all, exercises included.", "",
         "**The sliders need a live kernel.** On these pages every interactive figure shows its starting state",
         f"as a static picture. To move it, launch the lesson on [Binder]({binder}) or Colab, or run it locally.", "",
         "A word you do not know? The [glossary](../notebooks/GLOSSARY.md) has every term the lessons use.", "",
         "Teaching it? The [instructor guide](../notebooks/INSTRUCTORS.md) has timing plans for a 3-hour and a",
         "full-day workshop, the goals of each lesson, and how to prepare a room without internet.", ""]
Path("book/landing.md").write_text("\n".join(page))

lines = ["# The course website's table of contents: the learners' home page, then the lessons in order.",
         "# Written by scripts/build_site.sh from notebooks/NN_*.ipynb; edits here are overwritten.",
         "format: jb-book", "root: book/landing", "parts:", "  - caption: Lessons", "    chapters:"]
for nb, title, _, _ in rows:
    lines.append(f"      - file: notebooks/{nb.stem}  # {title}")
lines += ["  - caption: Reference", "    chapters:", "      - file: notebooks/GLOSSARY  # every term the lessons use",
          "  - caption: For instructors", "    chapters:", "      - file: notebooks/INSTRUCTORS  # timing plans, goals, pitfalls",
          "  - caption: For developers", "    chapters:", "      - file: README  # set-up, tests, benchmarks, the package"]
Path("book/_toc.yml").write_text("\n".join(lines) + "\n")
print(f"==> book/landing.md and book/_toc.yml: {len(lessons)} lessons ({total} min), the instructor guide, README")
PYEOF

start=$(date +%s)
.venv/bin/jupyter-book build . --config book/_config.yml --toc book/_toc.yml "$@"
echo "==> site built in $(( $(date +%s) - start )) s"

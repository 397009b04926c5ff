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
from pathlib import Path

lessons = sorted(Path("notebooks").glob("[0-9][0-9]_*.ipynb"))
lines = ["# The course website's table of contents: README is the home page, then the lessons in order.",
         "# Written by scripts/build_site.sh from notebooks/NN_*.ipynb; edits here are overwritten.",
         "format: jb-book", "root: README", "parts:", "  - caption: Lessons", "    chapters:"]
for nb in lessons:
    title = "".join(json.loads(nb.read_text())["cells"][0]["source"]).splitlines()[0].lstrip("# ").strip()
    lines.append(f"      - file: notebooks/{nb.stem}  # {title}")
lines += ["  - caption: For instructors", "    chapters:", "      - file: notebooks/INSTRUCTORS  # timing plans, goals, pitfalls"]
Path("book/_toc.yml").write_text("\n".join(lines) + "\n")
print(f"==> book/_toc.yml: README + {len(lessons)} lessons + the instructor guide")
PYEOF

start=$(date +%s)
.venv/bin/jupyter-book build . --config book/_config.yml --toc book/_toc.yml "$@"
echo "==> site built in $(( $(date +%s) - start )) s"

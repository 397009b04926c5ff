#!/usr/bin/env bash
# Set up the course, then open JupyterLab on notebooks/.
#   bash scripts/course.sh            # interactive: JupyterLab in your browser
#   bash scripts/course.sh --execute  # headless: run every notebook top to bottom
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
if [ "${1:-}" = "--execute" ]; then
  shift
  exec .venv/bin/python scripts/run_notebooks.py "$@"
fi
exec .venv/bin/python -m jupyter lab notebooks/ "$@"

#!/usr/bin/env bash
# Set up the course, then open JupyterLab on notebooks/.
#   bash scripts/course.sh            # interactive: JupyterLab in your browser
#   bash scripts/course.sh --execute  # headless: run every notebook top to bottom (ZSL_FAST=1: fast mode)
#   bash scripts/course.sh --port 8890 --no-browser   # other arguments pass through to JupyterLab
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
if [ "${1:-}" = "--execute" ]; then
  shift
  exec .venv/bin/python scripts/run_notebooks.py "$@"
fi
# JupyterLab refuses to start as root (Docker, cloud VMs) unless told it is meant; say so for the learner.
# Any other argument passes through to JupyterLab (e.g. --port 8890, --no-browser).
extra=()
if [ "$(id -u)" = "0" ]; then
  echo "course.sh: running as root, so JupyterLab gets --allow-root" >&2
  extra+=(--allow-root)
fi
exec .venv/bin/python -m jupyter lab notebooks/ ${extra[@]+"${extra[@]}"} "$@"

#!/usr/bin/env bash
# Set up the course, then run the unit tests and every notebook (nbval) in fast mode, offline.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
export ZSL_FAST=1 HF_HUB_OFFLINE=1 TRANSFORMERS_OFFLINE=1 PYTHONHASHSEED=0
# Both versions of every lesson must run top to bottom: derive the student copies first.
.venv/bin/python scripts/make_student_version.py
exec .venv/bin/python -m pytest --nbval-lax --nbval-sanitize-with tests/nbval_sanitize.cfg tests notebooks student "$@"

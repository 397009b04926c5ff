#!/usr/bin/env bash
# Set up the course, then run the unit tests and every notebook (nbval) in fast mode, offline.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
export ZSL_FAST=1 HF_HUB_OFFLINE=1 TRANSFORMERS_OFFLINE=1 PYTHONHASHSEED=0 ZSL_CHECK_CLAIMS=1
# Both versions of every lesson must run top to bottom: derive the student copies first.
.venv/bin/python scripts/make_student_version.py
# Two workers (ZSL_TEST_WORKERS to change): a notebook's cells share one kernel, so --dist loadfile keeps
# every file on one worker; the models are single-threaded, so two cores run two files at once.
exec .venv/bin/python -m pytest -n "${ZSL_TEST_WORKERS:-2}" --dist loadfile \
  --nbval-lax --nbval-sanitize-with tests/nbval_sanitize.cfg tests notebooks student "$@"

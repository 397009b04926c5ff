#!/usr/bin/env bash
# Create .venv (once) and install the course with the versions tested in constraints.txt.
# Re-running is cheap: it reinstalls only when pyproject.toml or constraints.txt changed.
set -euo pipefail
cd "$(dirname "$0")/.."

PY="${PYTHON:-python3}"
if [ ! -x .venv/bin/python ]; then
  echo "==> creating .venv with $($PY --version)"
  "$PY" -m venv .venv
fi

stamp=.venv/.zsl-installed
want="$(cat pyproject.toml constraints.txt | sha256sum | cut -d' ' -f1)"
if [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
  echo "==> installing the course into .venv (the first time takes a few minutes: torch is large)"
  # pip's "location is ignored" chatter about local mirrors is noise; real errors still fail the script.
  status=0
  .venv/bin/python -m pip install -q --disable-pip-version-check -c constraints.txt -e ".[course,test]" 2>&1 \
    | { grep -v "is ignored: it is neither a file nor a directory" || true; } || status=$?
  [ "$status" -eq 0 ] || { echo "pip install failed (exit $status)" >&2; exit 1; }
  echo "$want" > "$stamp"
fi

# The one network step besides pip: the Animal-MNIST images (cached after the first time).
.venv/bin/python -m zsl_tutorial fetch animals

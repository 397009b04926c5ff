#!/usr/bin/env bash
# Create .venv (once) and install the course with the versions tested in constraints.txt.
# Re-running is cheap: it reinstalls only when pyproject.toml or constraints.txt changed.
# As root on Debian it also installs the system chromium that the browser tests drive
# (set ZSL_SKIP_CHROMIUM=1 to skip that).
set -euo pipefail
cd "$(dirname "$0")/.."

PY="${PYTHON:-python3}"
# The tested versions (constraints.txt) need Python 3.11 or newer: say so now, not as a resolver error later.
if ! "$PY" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
  echo "This course needs Python 3.11 or newer; $PY is $("$PY" --version 2>&1 || echo missing)." >&2
  echo "Fix: install Python 3.11+ (e.g. apt-get install python3.11 python3.11-venv), then run" >&2
  echo "  PYTHON=python3.11 bash $0" >&2
  exit 1
fi
if [ ! -x .venv/bin/python ]; then
  echo "==> creating .venv with $($PY --version)"
  "$PY" -m venv .venv
fi

stamp=.venv/.zsl-installed
# ZSL_TORCH_INDEX=https://download.pytorch.org/whl/cpu takes torch's CPU-only build from that index (the
# same versions as constraints.txt): a laptop needs no CUDA libraries, which are most of the default's size.
torch_index="${ZSL_TORCH_INDEX:-}"
want="$( { cat pyproject.toml constraints.txt; echo "$torch_index"; } | sha256sum | cut -d' ' -f1)"
if [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
  echo "==> installing the course into .venv (the first time takes a few minutes: torch is large)"
  if [ -n "$torch_index" ]; then
    echo "==> torch and torchvision from $torch_index (ZSL_TORCH_INDEX)"
    .venv/bin/python -m pip install -q --disable-pip-version-check -c constraints.txt \
      --index-url "$torch_index" --extra-index-url https://pypi.org/simple torch torchvision
  fi
  # pip's "location is ignored" chatter about local mirrors is noise; real errors still fail the script.
  status=0
  .venv/bin/python -m pip install -q --disable-pip-version-check -c constraints.txt -e ".[course,test,site]" 2>&1 \
    | { grep -v "is ignored: it is neither a file nor a directory" || true; } || status=$?
  [ "$status" -eq 0 ] || { echo "pip install failed (exit $status)" >&2; exit 1; }
  echo "$want" > "$stamp"
fi

# The real-browser tests (tests/test_browser.py, tests/test_site.py) drive Debian's Chromium through
# Playwright. Never `playwright install`: it downloads a browser build, which fails offline.
if [ ! -x /usr/bin/chromium ] && [ "${ZSL_SKIP_CHROMIUM:-0}" != 1 ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "==> installing Debian's chromium for the browser tests (about 20 s)"
    if ! { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; }; then
      echo "apt-get install chromium failed: the browser tests will skip (and fail under CI=true)" >&2
      [ "${CI:-}" != true ] || exit 1
    fi
  else
    echo "==> note: /usr/bin/chromium is missing and this is not a root Debian shell, so the browser"
    echo "    tests will skip. To run them: sudo apt-get install chromium"
  fi
fi

# The one network step besides pip and apt: the Animal-MNIST images (cached after the first time).
.venv/bin/python -m zsl_tutorial fetch animals

#!/usr/bin/env bash
# Create the virtualenv with a Python that is new enough (mkdocs-material 9.8 needs 3.11).
set -euo pipefail
python=$1 venv=$2
if ! "$python" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
  echo "error: $python is missing or older than 3.11; set PYTHON=python3.11 (or newer)" >&2
  exit 1
fi
if [ ! -x "$venv/bin/python" ]; then
  "$python" -m venv "$venv"
fi

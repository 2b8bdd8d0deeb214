#!/usr/bin/env bash
# Set up a virtual environment with sitegen, build the bundled example archive into build/.
set -euo pipefail
cd "$(dirname "$0")/.."
python3 -m venv .venv
.venv/bin/python -m pip install -q --upgrade pip
.venv/bin/python -m pip install -q -e .
.venv/bin/sitegen build "$@"

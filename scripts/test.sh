#!/usr/bin/env bash
# Set up everything the tests need on a fresh machine, then run them:
# a virtual environment with sitegen and its test tools, and Debian's Chromium for the
# browser tests (installed with apt-get when missing and we are root).
set -euo pipefail
cd "$(dirname "$0")/.."
if ! command -v chromium >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "Installing Debian's chromium and chromium-driver for the browser tests..."
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq chromium chromium-driver >/dev/null
  else
    echo "chromium is not installed and cannot be installed here: browser tests will skip."
  fi
fi
python3 -m venv .venv
.venv/bin/python -m pip install -q --upgrade pip
.venv/bin/python -m pip install -q -e ".[test,cluster]"
.venv/bin/ruff check sitegen tests benchmarks scripts
.venv/bin/python -m pytest -q "$@"

#!/usr/bin/env bash
# Runs every check: sets up what is missing, then ruff, the import contracts, the type checker
# (mypy over appliance/ and web_remote/, settings in pyproject.toml) and the test suite.
# Extra arguments go to pytest (for example: ./test.sh -k rotation).
set -euo pipefail
top="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cd "$top"
scripts/setup.sh test
.venv/bin/ruff check .
.venv/bin/ruff format --check . >/dev/null || { .venv/bin/ruff format --diff . | head -40; exit 1; }
.venv/bin/lint-imports
.venv/bin/mypy
exec .venv/bin/python -m pytest "$@"

#!/usr/bin/env bash
# Runs the karaoke box: sets up what is missing, builds the demo library on first run, starts.
# Extra arguments go to `karaoke demo` (for example: ./run.sh --port 8080 --windowed).
set -euo pipefail
top="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
"$top/scripts/setup.sh" run
exec "$top/.venv/bin/karaoke" demo "$@"

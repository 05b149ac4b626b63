#!/usr/bin/env bash
# One command for a fresh machine: installs everything, then runs the demo end to end:
# real retail data -> dbt audiences -> Dagster syncs into the local sandbox destinations.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/bootstrap.sh
exec .venv/bin/activation demo "$@"

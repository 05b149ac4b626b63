#!/usr/bin/env bash
# One command for a fresh machine: installs everything, checks style, runs every test.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/bootstrap.sh
bash scripts/install_browser.sh
export DAGSTER_HOME="${DAGSTER_HOME:-$PWD/dagster_home}"

echo "== ruff"
.venv/bin/ruff format --check .
.venv/bin/ruff check .
echo "== sqlfluff"
.venv/bin/sqlfluff lint dbt_project/models dbt_project/macros --disable-progress-bar
echo "== pytest"
.venv/bin/pytest "$@"

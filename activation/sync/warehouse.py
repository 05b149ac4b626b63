"""Where the warehouse is and how the engine opens it."""

from __future__ import annotations

import os
from pathlib import Path

import duckdb

REPOSITORY_ROOT = Path(__file__).resolve().parents[2]
PLAN_RELATION = "main.sync_plans"
LEDGER_TABLE = "activation.delivery_ledger"
DEFINITIONS_TABLE = "activation.sync_definitions"
RUNS_TABLE = "activation.sync_runs"
REJECTIONS_TABLE = "activation.sync_rejections"
APPROVALS_TABLE = "activation.removal_approvals"
BINDINGS_TABLE = "activation.sync_bindings"


class WarehouseNotReady(RuntimeError):
    """The warehouse lacks the tables the engine needs: dbt has not been built yet."""


def default_warehouse_path() -> Path:
    """`ACTIVATION_WAREHOUSE_PATH`, else `data/warehouse.duckdb` in the repository."""
    configured = os.environ.get("ACTIVATION_WAREHOUSE_PATH")
    return Path(configured) if configured else REPOSITORY_ROOT / "data" / "warehouse.duckdb"


def connect(path: Path | str, *, read_only: bool = False) -> duckdb.DuckDBPyConnection:
    """Open the warehouse, checking the engine's tables exist."""
    path = Path(path)
    if not path.exists():
        raise WarehouseNotReady(f"warehouse {path} does not exist: build the dbt project first")
    connection = duckdb.connect(str(path), read_only=read_only)
    # Instants are compared as instants, but pin the session zone so nothing printed drifts.
    connection.execute("set TimeZone = 'UTC'")
    found = {
        row[0]
        for row in connection.execute(
            "select table_schema || '.' || table_name from information_schema.tables"
        ).fetchall()
    }
    needed = {
        PLAN_RELATION,
        LEDGER_TABLE,
        DEFINITIONS_TABLE,
        RUNS_TABLE,
        REJECTIONS_TABLE,
        BINDINGS_TABLE,
    }
    missing = sorted(needed - found)
    if missing:
        connection.close()
        raise WarehouseNotReady(
            f"warehouse {path} lacks {', '.join(missing)}: run the dbt build (or the Dagster "
            "job `activation_job`) before syncing"
        )
    return connection

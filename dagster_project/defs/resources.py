"""Resources, named for their role: the warehouse and dbt."""

from __future__ import annotations

from pathlib import Path

import dagster as dg

from activation.sync.warehouse import default_warehouse_path
from dagster_project.project import dbt_cli

WAREHOUSE_POOL = "duckdb_warehouse"
WAREHOUSE_RUN_TAGS = {"activation/warehouse": "duckdb"}


class WarehouseResource(dg.ConfigurableResource):
    """The embedded DuckDB warehouse file.

    Left empty, the path comes from `ACTIVATION_WAREHOUSE_PATH` at run time (the same variable
    the dbt profile reads), else `data/warehouse.duckdb`.
    """

    path: str | None = None

    def resolved_path(self) -> Path:
        return Path(self.path) if self.path else default_warehouse_path()


def build_resources() -> dict[str, object]:
    return {
        "warehouse": WarehouseResource(),
        "dbt": dbt_cli(),
    }

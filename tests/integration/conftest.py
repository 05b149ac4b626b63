"""Integration set-up: a small synthetic landing set, built once by a real Dagster + dbt run.

Each test gets its own copy of the built warehouse and landing folder, so tests can sync,
land more data and rebuild without seeing each other.
"""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import dagster as dg
import pytest

PROFILES = 600
TODAY = date(2026, 6, 15)


def dbt_asset_keys(defs: dg.Definitions) -> list[dg.AssetKey]:
    from dagster_project.defs.dbt_assets import activation_dbt_models

    return sorted(activation_dbt_models.keys)


def run_assets(instance, keys, run_config=None):
    """Materialize the given assets through the project's main job, in this process."""
    from dagster_project.definitions import defs

    return defs.resolve_job_def("activation_job").execute_in_process(
        instance=instance,
        asset_selection=list(keys),
        run_config=run_config or {},
        raise_on_error=False,
    )


def sync_keys(*sync_names: str) -> list[dg.AssetKey]:
    from dagster_project.defs.dbt_assets import plan_asset_key, sync_asset_key

    return [key for name in sync_names for key in (plan_asset_key(name), sync_asset_key(name))]


def as_of_config(instant: str) -> dict:
    return {"ops": {"activation_dbt_models": {"config": {"as_of": instant}}}}


@pytest.fixture(scope="session")
def built_template(tmp_path_factory):
    """Landing files and a warehouse built from them by the dbt assets."""
    from activation.landing.synthetic import generate_synthetic
    from dagster_project.definitions import defs

    root = tmp_path_factory.mktemp("template")
    landing = root / "landing"
    warehouse = root / "warehouse.duckdb"
    generate_synthetic(landing, PROFILES, today=TODAY)
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("ACTIVATION_LANDING_DIR", str(landing))
        patch.setenv("ACTIVATION_WAREHOUSE_PATH", str(warehouse))
        with dg.instance_for_test() as instance:
            result = run_assets(instance, dbt_asset_keys(defs))
            assert result.success, "the template dbt build failed"
    return landing, warehouse


@pytest.fixture
def project(built_template, tmp_path, monkeypatch, sandbox):
    """A private copy of the built warehouse and landing folder, with a fresh Dagster instance."""
    landing_template, warehouse_template = built_template
    landing = tmp_path / "landing"
    warehouse = tmp_path / "warehouse.duckdb"
    shutil.copytree(landing_template, landing)
    shutil.copy(warehouse_template, warehouse)
    monkeypatch.setenv("ACTIVATION_LANDING_DIR", str(landing))
    monkeypatch.setenv("ACTIVATION_WAREHOUSE_PATH", str(warehouse))
    with dg.instance_for_test() as instance:
        yield Project(landing, warehouse, instance, sandbox)


class Project:
    """Handles a test needs: folders, the Dagster instance and the sandbox."""

    def __init__(self, landing: Path, warehouse: Path, instance, sandbox):
        self.landing = landing
        self.warehouse = warehouse
        self.instance = instance
        self.sandbox = sandbox

    def sync(self, *sync_names: str):
        return run_assets(self.instance, sync_keys(*sync_names))

    def rebuild(self, as_of: str | None = None, *, with_syncs: tuple[str, ...] = ()):
        from dagster_project.definitions import defs

        keys = dbt_asset_keys(defs) + sync_keys(*with_syncs)
        return run_assets(self.instance, keys, as_of_config(as_of) if as_of else None)

    def query(self, sql: str, parameters=None) -> list[tuple]:
        import duckdb

        with duckdb.connect(str(self.warehouse), read_only=True) as connection:
            return connection.execute(sql, parameters or []).fetchall()

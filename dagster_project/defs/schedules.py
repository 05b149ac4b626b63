"""Cron schedules for batch syncs."""

from __future__ import annotations

import dagster as dg

from activation.config import SyncConfig
from dagster_project.defs.dbt_assets import plan_asset_key, sync_asset_key
from dagster_project.defs.resources import WAREHOUSE_RUN_TAGS


def build_sync_schedules(syncs: tuple[SyncConfig, ...]) -> list[dg.ScheduleDefinition]:
    """One schedule per sync with a cron cadence, running its plan and its push."""
    schedules = []
    for sync in syncs:
        if not sync.cadence.schedule:
            continue
        job = dg.define_asset_job(
            f"{sync.name}_job",
            selection=dg.AssetSelection.assets(
                plan_asset_key(sync.name), sync_asset_key(sync.name)
            ),
            tags=WAREHOUSE_RUN_TAGS,
        )
        schedules.append(
            dg.ScheduleDefinition(
                name=f"{sync.name}_schedule",
                job=job,
                cron_schedule=sync.cadence.schedule,
                execution_timezone="UTC",
                default_status=dg.DefaultScheduleStatus.RUNNING,
                description=f"Batch sync of {sync.audience} to {sync.destination.name}.",
            )
        )
    return schedules

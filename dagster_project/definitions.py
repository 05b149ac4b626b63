"""The Dagster code location: loads every definition and applies the cross-cutting policy."""

import dagster as dg

from dagster_project.defs.dbt_assets import activation_dbt_models
from dagster_project.defs.jobs import activation_job, preview_job
from dagster_project.defs.landing import source_specs
from dagster_project.defs.resources import build_resources
from dagster_project.defs.schedules import build_sync_schedules
from dagster_project.defs.sensors import build_freshness_sensor, build_landing_sensor
from dagster_project.defs.sync_assets import build_plan_asset, build_sync_asset
from dagster_project.project import configured_syncs

syncs = configured_syncs()

defs = dg.Definitions(
    assets=[
        *source_specs(),
        activation_dbt_models,
        *(build_plan_asset(sync) for sync in syncs),
        *(build_sync_asset(sync) for sync in syncs),
    ],
    jobs=[activation_job, preview_job],
    schedules=build_sync_schedules(syncs),
    sensors=[build_landing_sensor(syncs), build_freshness_sensor(syncs)],
    resources=build_resources(),
    # Steps run one after another in the run's own process: the warehouse has one writer.
    executor=dg.in_process_executor,
)

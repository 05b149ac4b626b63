"""dbt models as assets: landing sources through staging, marts, segments and activation models."""

from collections.abc import Mapping
from typing import Any

import dagster as dg
from dagster_dbt import DagsterDbtTranslator, DbtCliResource, dbt_assets

from activation.landing.contract import check_landing, default_landing_dir
from activation.sync.definitions import register_sync_definitions
from activation.sync.plan import summarize_plan
from activation.sync.warehouse import connect
from dagster_project.defs.resources import WAREHOUSE_POOL, WarehouseResource
from dagster_project.project import configured_syncs, dbt_project, manifest


def plan_asset_key(sync_name: str) -> dg.AssetKey:
    return dg.AssetKey(["sync_plans", sync_name])


def sync_asset_key(sync_name: str) -> dg.AssetKey:
    return dg.AssetKey(["syncs", sync_name])


class ActivationTranslator(DagsterDbtTranslator):
    """Sources keep their source name as a prefix; models are grouped by their folder."""

    def get_asset_key(self, dbt_resource_props: Mapping[str, Any]) -> dg.AssetKey:
        if dbt_resource_props["resource_type"] == "source":
            return dg.AssetKey([dbt_resource_props["source_name"], dbt_resource_props["name"]])
        return super().get_asset_key(dbt_resource_props)

    def get_group_name(self, dbt_resource_props: Mapping[str, Any]) -> str | None:
        if dbt_resource_props["resource_type"] == "source":
            return dbt_resource_props["source_name"]
        fqn = dbt_resource_props.get("fqn") or []
        return fqn[1] if len(fqn) > 2 else "dbt"


class DbtBuildConfig(dg.Config):
    """Optional overrides for one dbt build."""

    as_of: str | None = None  # evaluate audiences as of this instant instead of the data watermark


@dbt_assets(
    manifest=manifest(),
    project=dbt_project,
    dagster_dbt_translator=ActivationTranslator(),
    pool=WAREHOUSE_POOL,
)
def activation_dbt_models(
    context: dg.AssetExecutionContext,
    dbt: DbtCliResource,
    warehouse: WarehouseResource,
    config: DbtBuildConfig,
):
    """Check the landing folder, build and test the dbt project, then record pending changes."""
    _check_landing_contract(context)
    arguments = ["build"]
    if config.as_of:
        arguments += ["--vars", f'{{"as_of": "{config.as_of}"}}']
    yield from dbt.cli(arguments, context=context).stream()
    _observe_pending_changes(context, warehouse)


def _check_landing_contract(context: dg.AssetExecutionContext) -> None:
    """Stop before dbt when a landed file breaks the contract.

    Staging unions batch files by column name, so a file that lacks a required column would
    otherwise read as NULLs in it (a profiles file without `email` empties everyone's email).
    """
    folder = default_landing_dir()
    check = check_landing(folder)
    for line in check.warnings:
        context.log.warning(line)
    problems = check.problems
    if problems:
        raise dg.Failure(
            description=f"the landing folder {folder} breaks the landing contract "
            "(docs/landing_contract.md):\n" + "\n".join(f"- {line}" for line in problems),
            metadata={"landing_dir": str(folder), "problems": len(problems)},
        )
    context.log.info(f"landing folder {folder} satisfies the contract")


def _observe_pending_changes(context: dg.AssetExecutionContext, warehouse: WarehouseResource):
    """Register the configured syncs and report each one's pending plan.

    Sensors read these observations instead of opening the warehouse themselves.
    """
    syncs = configured_syncs()
    connection = connect(warehouse.resolved_path())
    try:
        register_sync_definitions(connection, syncs, replace_all=True)
        for sync in syncs:
            summary = summarize_plan(connection, sync.name)
            context.log_event(
                dg.AssetObservation(
                    asset_key=plan_asset_key(sync.name),
                    metadata={
                        "pending": summary.planned,
                        "planned_adds": summary.count("add"),
                        "planned_updates": summary.count("update"),
                        "planned_removals": summary.count("remove"),
                        "suppressed": summary.count("suppress"),
                        "skipped": summary.count("skip"),
                        "held_by_destination": summary.held_by_destination,
                    },
                )
            )
    finally:
        connection.close()

"""One plan asset and one sync asset per configured sync, generated from configuration.

The plan asset previews what the sync would send and carries the blocking checks (removal guard,
audience tests); the sync asset downstream of it pushes the plan, so a failed check stops the
push before anything leaves.
"""

import dagster as dg
from dagster_dbt import get_asset_key_for_model

from activation.config import SyncConfig
from activation.sync import RemovalGuardHeld, run_sync, summarize_plan
from activation.sync.binding import SyncRetargeted
from activation.sync.definitions import register_sync_definitions
from activation.sync.guard import consume_approval, decide
from activation.sync.plan import sample_plan
from activation.sync.runlog import record_held_run
from activation.sync.warehouse import connect
from dagster_project.defs.audience_checks import failed_audience_tests
from dagster_project.defs.dbt_assets import activation_dbt_models, plan_asset_key, sync_asset_key
from dagster_project.defs.resources import WAREHOUSE_POOL, WarehouseResource

DESTINATION_KINDS = {"klaviyo": "email", "meta_custom_audience": "ads", "webhook": "webhook"}


def destination_kind(sync: SyncConfig) -> str:
    return DESTINATION_KINDS.get(sync.destination.type, sync.destination.type)


def _tags(sync: SyncConfig) -> dict[str, str]:
    return {
        "destination_kind": destination_kind(sync),
        "destination": sync.destination.name,
        "audience": sync.audience,
    }


def build_plan_asset(sync: SyncConfig) -> dg.AssetsDefinition:
    """The preview of one sync's plan, with its blocking checks."""
    audience_key = get_asset_key_for_model([activation_dbt_models], sync.audience)
    plans_key = get_asset_key_for_model([activation_dbt_models], "sync_plans")

    @dg.asset(
        key=plan_asset_key(sync.name),
        deps=[plans_key, audience_key],
        group_name=f"{destination_kind(sync)}_syncs",
        tags=_tags(sync),
        kinds={"duckdb"},
        pool=WAREHOUSE_POOL,
        description=f"What sync {sync.name} would send to {sync.destination.name} now.",
        check_specs=[
            dg.AssetCheckSpec(
                "removal_guard",
                asset=plan_asset_key(sync.name),
                blocking=True,
                description=f"Holds plans removing more than {sync.removal_threshold:.0%} "
                "of what the destination holds, until approved.",
            ),
            dg.AssetCheckSpec(
                "audience_tests_passed",
                asset=plan_asset_key(sync.name),
                blocking=True,
                description=f"Holds the sync while a dbt test on {sync.audience} fails.",
            ),
        ],
    )
    def plan_asset(context: dg.AssetExecutionContext, warehouse: WarehouseResource):
        failing = failed_audience_tests(context.instance, audience_key)
        connection = connect(warehouse.resolved_path())
        try:
            register_sync_definitions(connection, [sync], replace_all=False)
            summary = summarize_plan(connection, sync.name)
            decision = decide(connection, sync, summary)
            sample = sample_plan(connection, sync.name)
            if failing or not decision.passed:
                # A held sync sends nothing, but the run log still says it ran and why.
                reasons = [f"audience tests failing: {', '.join(failing)}"] if failing else []
                reasons += [] if decision.passed else [f"removal guard: {decision.describe()}"]
                record_held_run(connection, sync.name, context.run.run_id, summary, reasons)
                # An open approval was for some other plan than this held one: it is used up.
                consume_approval(connection, sync.name, context.run.run_id)
                # Dagster reports the skipped sync only as "blocked"; the log says by what.
                context.log.warning(f"{sync.name} is held and sends nothing: {'; '.join(reasons)}")
        finally:
            connection.close()
        yield dg.MaterializeResult(
            metadata={
                "pending": summary.planned,
                "planned_adds": summary.count("add"),
                "planned_updates": summary.count("update"),
                "planned_removals": summary.count("remove"),
                "removal_reasons": dict(summary.removal_reasons),
                "suppressed": summary.count("suppress"),
                "skipped": summary.count("skip"),
                "held_by_destination": summary.held_by_destination,
                "sample": dg.MetadataValue.json(sample),
            },
            check_results=[
                dg.AssetCheckResult(
                    check_name="removal_guard",
                    passed=decision.passed,
                    description=decision.describe()
                    + (
                        ""
                        if decision.passed
                        else f"; approve with `activation approve {sync.name}`"
                    ),
                    metadata={"removals": decision.removals, "share": round(decision.share, 4)},
                ),
                dg.AssetCheckResult(
                    check_name="audience_tests_passed",
                    passed=not failing,
                    description="failing: " + ", ".join(failing) if failing else "all passed",
                ),
            ],
        )

    return plan_asset


FAILED_ATTEMPT = "failed_attempt"  # observation metadata the freshness sensor backs off on


def _record_failed_attempt(context: dg.AssetExecutionContext, sync: SyncConfig, why: str) -> None:
    """Note a failed attempt on the sync asset, so the freshness sensor waits a full target
    before trying again instead of retrying a down destination every minute."""
    context.log_event(
        dg.AssetObservation(asset_key=sync_asset_key(sync.name), metadata={FAILED_ATTEMPT: why})
    )


def build_sync_asset(sync: SyncConfig) -> dg.AssetsDefinition:
    """Pushes one sync's plan through its connector."""

    @dg.asset(
        key=sync_asset_key(sync.name),
        deps=[plan_asset_key(sync.name)],
        group_name=f"{destination_kind(sync)}_syncs",
        tags=_tags(sync),
        kinds={sync.destination.type.split("_")[0]},
        pool=WAREHOUSE_POOL,
        description=f"{sync.audience} kept in step with {sync.destination.name} "
        f"({sync.target}, {sync.mode}).",
        check_specs=[
            dg.AssetCheckSpec(
                "every_row_delivered",
                asset=sync_asset_key(sync.name),
                description="Warns when rows were invalid, rejected or failed; they stay "
                "in the plan and are retried or reported.",
            )
        ],
    )
    def sync_asset(context: dg.AssetExecutionContext, warehouse: WarehouseResource):
        try:
            report = run_sync(
                sync,
                warehouse_path=warehouse.resolved_path(),
                run_id=context.run.run_id,
            )
        except (RemovalGuardHeld, SyncRetargeted) as held:
            raise dg.Failure(description=str(held)) from None
        except Exception as error:
            _record_failed_attempt(context, sync, f"{type(error).__name__}: {error}")
            raise
        context.log.info(report.summary_line())
        # What is still pending (rows that failed or were refused) tells the freshness sensor
        # whether this sync needs another run.
        context.log_event(
            dg.AssetObservation(
                asset_key=plan_asset_key(sync.name), metadata={"pending": report.remaining or 0}
            )
        )
        if report.status == "failed":
            _record_failed_attempt(context, sync, report.message or "failed")
            raise dg.Failure(
                description=f"{sync.name}: {report.message}", metadata=report.as_metadata()
            )
        undelivered = report.count("invalid") + report.count("rejected") + report.count("failed")
        yield dg.MaterializeResult(
            metadata=report.as_metadata(),
            check_results=[
                dg.AssetCheckResult(
                    check_name="every_row_delivered",
                    passed=undelivered == 0,
                    severity=dg.AssetCheckSeverity.WARN,
                    description=f"{undelivered} rows not delivered; see activation.sync_rejections"
                    if undelivered
                    else "all planned rows acknowledged",
                    metadata={
                        "invalid": report.count("invalid"),
                        "rejected": report.count("rejected"),
                        "failed": report.count("failed"),
                    },
                )
            ],
        )

    return sync_asset

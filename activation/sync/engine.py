"""Run one sync: freeze its plan, push it through the connector, record what was acknowledged."""

from __future__ import annotations

import logging
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from activation.config import SyncConfig
from activation.sync import runlog
from activation.sync.binding import check_binding
from activation.sync.definitions import (
    definition_row,
    register_sync_definitions,
    registered_definition,
)
from activation.sync.guard import (
    GuardDecision,
    RemovalGuardHeld,
    consume_approval,
    decide,
)
from activation.sync.ledger import Acknowledgement, Refusal, record_batch
from activation.sync.plan import (
    SENDING_ACTIONS,
    PlanRow,
    freeze_plan,
    iter_frozen_batches,
    summarize_plan,
)
from activation.sync.warehouse import connect

logger = logging.getLogger(__name__)

DEFAULT_PAGE_SIZE = 1000
COUNTED = ("added", "updated", "removed", "invalid", "rejected", "failed")
_PAST_TENSE = {"add": "added", "update": "updated", "remove": "removed"}


class Connector(Protocol):
    """What the engine needs of a destination client."""

    def deliver(self, action: str, records: list[Any]) -> list[Any]: ...

    def close(self) -> None: ...


ConnectorFactory = Callable[[SyncConfig], Connector]


class PlanOutOfDate(RuntimeError):
    """A preview was asked for a sync whose definition the warehouse does not hold yet."""


@dataclass
class SyncReport:
    """Honest counts for one run of one sync."""

    sync_id: str
    run_id: str
    status: str = "running"  # succeeded | partial | held | preview | failed
    is_dry_run: bool = False
    planned: int = 0
    suppressed: int = 0
    skipped: int = 0
    counts: Counter = field(default_factory=Counter)
    planned_by_action: dict[str, int] = field(default_factory=dict)
    guard: GuardDecision | None = None
    duration_seconds: float = 0.0
    message: str = ""
    remaining: int | None = None  # rows still pending after the run (failed, rejected, invalid)

    def count(self, name: str) -> int:
        return self.counts.get(name, 0)

    def as_metadata(self) -> dict[str, Any]:
        """Every count, named as the run log names them."""
        metadata: dict[str, Any] = {
            "status": self.status,
            "dry_run": self.is_dry_run,
            "planned": self.planned,
            "planned_adds": self.planned_by_action.get("add", 0),
            "planned_updates": self.planned_by_action.get("update", 0),
            "planned_removals": self.planned_by_action.get("remove", 0),
            **{name: self.count(name) for name in COUNTED},
            "suppressed": self.suppressed,
            "skipped": self.skipped,
            "duration_seconds": round(self.duration_seconds, 3),
        }
        if self.guard is not None:
            metadata["removal_guard"] = self.guard.describe()
        if self.message:
            metadata["message"] = self.message
        return metadata

    def summary_line(self) -> str:
        return (
            f"{self.sync_id}: {self.status}; planned {self.planned}, added {self.count('added')}, "
            f"updated {self.count('updated')}, removed {self.count('removed')}, "
            f"invalid {self.count('invalid')}, rejected {self.count('rejected')}, "
            f"failed {self.count('failed')}, suppressed {self.suppressed}, skipped {self.skipped}"
        )


def run_sync(
    sync: SyncConfig,
    *,
    warehouse_path: Path | str,
    run_id: str,
    connector_factory: ConnectorFactory | None = None,
    dry_run: bool = False,
    page_size: int | None = None,
    on_progress: Callable[[str], None] | None = None,
) -> SyncReport:
    """Deliver a sync's plan, or with `dry_run` only describe it, writing nothing.

    Raises:
        RemovalGuardHeld: the plan removes more than the sync's threshold and nobody approved it.
    """
    started = time.monotonic()
    report = SyncReport(sync.name, run_id, is_dry_run=dry_run)
    connection = connect(warehouse_path, read_only=dry_run)
    try:
        if dry_run:
            if registered_definition(connection, sync.name) != definition_row(sync):
                raise PlanOutOfDate(
                    f"sync {sync.name!r} is not registered as configured in the warehouse; "
                    "run the dbt build (activation_job) once before previewing it"
                )
        else:
            register_sync_definitions(connection, [sync], replace_all=False)
        check_binding(connection, sync, dry_run=dry_run)
        plan = freeze_plan(connection, sync.name)
        report.planned = plan.planned
        report.planned_by_action = dict(plan.counts)
        report.suppressed = plan.count("suppress")
        report.skipped = plan.count("skip")
        report.guard = decide(connection, sync, plan)
        if dry_run:
            report.status = "preview" if report.guard.passed else "held"
            return report
        if not report.guard.passed:
            report.status = "held"
            report.message = report.guard.describe()
            consume_approval(connection, sync.name, run_id)  # one given for another plan
            runlog.record_run(connection, report, started_at_monotonic=started)
            raise RemovalGuardHeld(f"{sync.name}: {report.guard.describe()}; approve to release")
        _deliver(connection, sync, report, connector_factory, page_size, on_progress)
        consume_approval(connection, sync.name, run_id)  # an approval releases one run at most
        report.remaining = summarize_plan(connection, sync.name).planned
        report.status = "partial" if report.remaining else "succeeded"
        delivered = sum(report.count(name) for name in ("added", "updated", "removed"))
        if report.count("failed") and not delivered:
            # Nothing got through: an outage, not a partial success. Say so loudly.
            report.status = "failed"
            report.message = (
                f"nothing was delivered: {report.count('failed')} rows failed and stay pending "
                "(reasons in activation.sync_rejections)"
            )
        report.duration_seconds = time.monotonic() - started
        runlog.record_run(connection, report, started_at_monotonic=started)
        return report
    except RemovalGuardHeld:
        raise
    except Exception as error:
        if not dry_run:
            report.status = "failed"
            report.message = f"{type(error).__name__}: {error}"
            report.duration_seconds = time.monotonic() - started
            runlog.record_run(connection, report, started_at_monotonic=started)
        raise
    finally:
        report.duration_seconds = time.monotonic() - started
        connection.close()


def _deliver(
    connection,
    sync: SyncConfig,
    report: SyncReport,
    connector_factory: ConnectorFactory | None,
    page_size: int | None,
    on_progress: Callable[[str], None] | None,
) -> None:
    if connector_factory is None:
        from activation.sync.connectors import connector_for

        connector_factory = connector_for
    if not any(report.planned_by_action.get(action) for action in SENDING_ACTIONS):
        return  # nothing to send: no connector, so no secrets are needed either
    page_size = page_size or int(sync.destination.options.get("batch_size", DEFAULT_PAGE_SIZE))
    connector = connector_factory(sync)
    try:
        for action in SENDING_ACTIONS:
            total = report.planned_by_action.get(action, 0)
            done = 0
            for rows in iter_frozen_batches(connection, action, page_size):
                _deliver_batch(connection, sync, report, connector, action, rows)
                done += len(rows)
                line = f"{sync.name}: {action} {done}/{total} " + ", ".join(
                    f"{name} {report.count(name)}" for name in COUNTED if report.count(name)
                )
                logger.info("%s", line)
                if on_progress is not None:
                    on_progress(line)
    finally:
        connector.close()


def _deliver_batch(connection, sync, report, connector, action, rows: list[PlanRow]) -> None:
    from connectors import DeliveryInterrupted, Record

    refused: list[Refusal] = []
    sendable: list[Record] = []
    by_key = {row.profile_id: row for row in rows}
    for row in rows:
        identifiers = _identifiers_for(sync, row)
        if not any(value not in (None, "") for value in identifiers.values()):
            refused.append(
                Refusal(
                    row.profile_id,
                    action,
                    "invalid",
                    _missing_reason(sync, action),
                    row.traits_hash,
                )
            )
            continue
        traits = (
            {}
            if action == "remove"
            else {field_name: row.traits.get(trait) for field_name, trait in sync.fields.items()}
        )
        sendable.append(Record(key=row.profile_id, identifiers=identifiers, traits=traits))
    interrupted: DeliveryInterrupted | None = None
    try:
        outcomes = connector.deliver(action, sendable) if sendable else []
    except DeliveryInterrupted as error:
        # Batches the destination answered before the interruption are still recorded.
        outcomes, interrupted = list(error.completed), error
    acknowledged: list[Acknowledgement] = []
    answered = set()
    for outcome in outcomes:
        row = by_key.get(outcome.key)
        if row is None or outcome.key in answered:
            continue  # an answer for a row we did not send cannot acknowledge anything
        answered.add(outcome.key)
        if outcome.status == "acknowledged":
            identifiers = dict(outcome.identifiers) if outcome.identifiers else None
            acknowledged.append(Acknowledgement(row.profile_id, identifiers, row.traits_hash))
        else:
            refused.append(
                Refusal(
                    row.profile_id, action, outcome.status, outcome.reason or "", row.traits_hash
                )
            )
    unanswered_reason = (
        f"not delivered: {interrupted}"
        if interrupted is not None
        else "the destination returned no result for it"
    )
    for record in sendable:
        if record.key not in answered:
            refused.append(
                Refusal(
                    record.key, action, "failed", unanswered_reason, by_key[record.key].traits_hash
                )
            )
    record_batch(
        connection,
        sync_id=sync.name,
        run_id=report.run_id,
        action=action,
        acknowledged=acknowledged,
        refused=refused,
    )
    report.counts[_PAST_TENSE[action]] += len(acknowledged)
    for refusal in refused:
        report.counts[refusal.status] += 1
    if interrupted is not None:
        raise interrupted


def _identifiers_for(sync: SyncConfig, row: PlanRow) -> dict[str, Any]:
    if row.action == "remove":
        # Removal sends back exactly what was recorded when the row was added.
        return dict(row.ledger_identifiers or {})
    columns = {"email": row.email, "phone": row.phone}
    return {name: columns.get(name, row.traits.get(name)) for name in sync.identifiers}


def _missing_reason(sync: SyncConfig, action: str) -> str:
    if action == "remove":
        return "the ledger holds no identifiers for this row, so it cannot be removed safely"
    return f"no value for any identifier ({', '.join(sync.identifiers)})"

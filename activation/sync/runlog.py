"""The run log: one row per sync run in `activation.sync_runs`."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING

import duckdb

from activation.sync.warehouse import RUNS_TABLE

if TYPE_CHECKING:
    from activation.sync.engine import SyncReport
    from activation.sync.plan import PlanSummary


def record_run(
    connection: duckdb.DuckDBPyConnection, report: SyncReport, *, started_at_monotonic: float
) -> None:
    """Append the report of one run."""
    finished = datetime.now(UTC)
    started = finished - timedelta(seconds=time.monotonic() - started_at_monotonic)
    connection.execute(
        f"insert into {RUNS_TABLE} (run_id, sync_id, started_at, finished_at, is_dry_run, status, "
        "planned, added, updated, removed, invalid, rejected, failed, suppressed, skipped, "
        "message) "
        "values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            report.run_id,
            report.sync_id,
            started,
            finished,
            report.is_dry_run,
            report.status,
            report.planned,
            report.count("added"),
            report.count("updated"),
            report.count("removed"),
            report.count("invalid"),
            report.count("rejected"),
            report.count("failed"),
            report.suppressed,
            report.skipped,
            report.message or None,
        ],
    )


def record_held_run(
    connection: duckdb.DuckDBPyConnection,
    sync_id: str,
    run_id: str,
    summary: PlanSummary,
    reasons: list[str],
) -> None:
    """Append the row of a run that a blocking check held before anything was sent."""
    from activation.sync.engine import SyncReport

    report = SyncReport(
        sync_id,
        run_id,
        status="held",
        planned=summary.planned,
        suppressed=summary.count("suppress"),
        skipped=summary.count("skip"),
        message="; ".join(reasons),
    )
    record_run(connection, report, started_at_monotonic=time.monotonic())

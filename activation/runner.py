"""Run the project's Dagster jobs from the command line, recording runs in DAGSTER_HOME."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import duckdb

REPOSITORY_ROOT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class SyncRunRow:
    """One line of the run log."""

    sync_id: str
    status: str
    planned: int
    added: int
    updated: int
    removed: int
    invalid: int
    rejected: int
    failed: int
    suppressed: int
    skipped: int
    message: str | None


def use_project_dagster_home() -> Path:
    """Point Dagster at the project's instance folder unless the user chose another."""
    home = Path(os.environ.setdefault("DAGSTER_HOME", str(REPOSITORY_ROOT / "dagster_home")))
    home.mkdir(parents=True, exist_ok=True)
    return home


def run_job(job_name: str = "activation_job", *, run_config: dict | None = None, quiet=True):
    """Execute a job in this process against the persistent Dagster instance.

    With `quiet`, Dagster's console log is silenced: every event still lands in the instance,
    where the UI shows it, and the caller prints its own summary.
    """
    import dagster as dg

    from dagster_project.definitions import defs

    use_project_dagster_home()
    config = dict(run_config or {})
    if quiet:
        config.setdefault("loggers", {"console": {"config": {"log_level": "CRITICAL"}}})
    job = defs.resolve_job_def(job_name)
    with dg.DagsterInstance.get() as instance:
        return job.execute_in_process(instance=instance, run_config=config, raise_on_error=False)


def sync_runs(warehouse: Path, run_id: str) -> list[SyncRunRow]:
    """The run-log rows one Dagster run wrote, in sync order."""
    with duckdb.connect(str(warehouse), read_only=True) as connection:
        rows = connection.execute(
            "select sync_id, status, planned, added, updated, removed, invalid, rejected, failed, "
            "suppressed, skipped, message from activation.sync_runs where run_id = ? "
            "order by sync_id",
            [run_id],
        ).fetchall()
    return [SyncRunRow(*row) for row in rows]


def format_sync_table(rows: list[SyncRunRow]) -> str:
    """A readable table of per-sync counts, with why a sync was held or failed."""
    header = (
        "sync",
        "status",
        "added",
        "updated",
        "removed",
        "rejected",
        "failed",
        "invalid",
        "suppressed",
    )
    lines = [
        (
            row.sync_id,
            row.status,
            row.added,
            row.updated,
            row.removed,
            row.rejected,
            row.failed,
            row.invalid,
            row.suppressed,
        )
        for row in rows
    ]
    widths = [
        max(len(str(value)) for value in column) for column in zip(header, *lines, strict=True)
    ]
    rendered = [
        "  ".join(
            str(value).ljust(width) if index < 2 else str(value).rjust(width)
            for index, (value, width) in enumerate(zip(line, widths, strict=True))
        )
        for line in [header, *lines]
    ]
    notes = [f"  {row.sync_id}: {row.message}" for row in rows if row.message]
    return "\n".join(rendered + notes)

"""The delivery ledger: what each destination holds because this product put it there.

A batch's acknowledgements and rejections are written in one transaction right after the
destination answers, so a run killed at any moment loses at most the batch in flight, which the
next run's plan still contains.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass

import duckdb
import pyarrow as pa

from activation.sync.warehouse import LEDGER_TABLE, REJECTIONS_TABLE


@dataclass(frozen=True)
class Acknowledgement:
    """A row the destination confirmed."""

    profile_id: str
    identifiers: dict | None
    traits_hash: str | None


@dataclass(frozen=True)
class Refusal:
    """A row that was not delivered, and why."""

    profile_id: str
    action: str
    status: str  # invalid | rejected | failed
    reason: str
    traits_hash: str | None


def record_batch(
    connection: duckdb.DuckDBPyConnection,
    *,
    sync_id: str,
    run_id: str,
    action: str,
    acknowledged: Sequence[Acknowledgement],
    refused: Sequence[Refusal],
) -> None:
    """Write one batch's outcome: ledger rows for acknowledgements, reasons for refusals."""
    statements = []
    if acknowledged and action == "remove":
        statements.append(_deletion(sync_id, acknowledged))
    elif acknowledged:
        statements.append(_upsert(sync_id, run_id, acknowledged))
    if refused:
        statements.append(_refusals(sync_id, run_id, refused))
    # Frames are registered outside the transaction, so an aborted transaction cannot fail the
    # clean-up and hide the error that aborted it.
    for name, frame, _, _ in statements:
        connection.register(name, frame)
    try:
        connection.execute("begin transaction")
        try:
            for _, _, sql, parameters in statements:
                connection.execute(sql, parameters)
            connection.execute("commit")
        except Exception:
            connection.execute("rollback")
            raise
    finally:
        for name, _, _, _ in statements:
            connection.unregister(name)


def _upsert(sync_id: str, run_id: str, rows: Sequence[Acknowledgement]) -> tuple:
    frame = pa.table(
        {
            "profile_id": [row.profile_id for row in rows],
            "identifiers": [
                json.dumps(row.identifiers, sort_keys=True) if row.identifiers else None
                for row in rows
            ],
            "traits_hash": [row.traits_hash for row in rows],
        }
    )
    sql = (
        f"insert into {LEDGER_TABLE} as ledger (sync_id, profile_id, identifiers, "
        "traits_hash, first_added_at, last_acknowledged_at, last_run_id) "
        "select ?, profile_id, identifiers::json, traits_hash, now(), now(), ? "
        "from acknowledged_batch "
        "on conflict (sync_id, profile_id) do update set "
        "identifiers = coalesce(excluded.identifiers, ledger.identifiers), "
        "traits_hash = excluded.traits_hash, "
        "last_acknowledged_at = excluded.last_acknowledged_at, "
        "last_run_id = excluded.last_run_id"
    )
    return "acknowledged_batch", frame, sql, [sync_id, run_id]


def _deletion(sync_id: str, rows: Sequence[Acknowledgement]) -> tuple:
    frame = pa.table({"profile_id": [row.profile_id for row in rows]})
    sql = (
        f"delete from {LEDGER_TABLE} where sync_id = ? "
        "and profile_id in (select profile_id from removed_batch)"
    )
    return "removed_batch", frame, sql, [sync_id]


def _refusals(sync_id: str, run_id: str, rows: Sequence[Refusal]) -> tuple:
    frame = pa.table(
        {
            "profile_id": [row.profile_id for row in rows],
            "action": [row.action for row in rows],
            "status": [row.status for row in rows],
            "reason": [row.reason for row in rows],
            "traits_hash": [row.traits_hash for row in rows],
        }
    )
    sql = (
        f"insert into {REJECTIONS_TABLE} (run_id, sync_id, profile_id, action, status, "
        "reason, traits_hash, recorded_at) "
        "select ?, ?, profile_id, action, status, reason, traits_hash, now() "
        "from refused_batch"
    )
    return "refused_batch", frame, sql, [run_id, sync_id]


def held_profiles(connection: duckdb.DuckDBPyConnection, sync_id: str) -> set[str]:
    """Every profile the ledger says a sync's destination holds (for tests and audits)."""
    rows = connection.execute(
        f"select profile_id from {LEDGER_TABLE} where sync_id = ?", [sync_id]
    ).fetchall()
    return {row[0] for row in rows}

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
    connection.execute("begin transaction")
    try:
        if acknowledged and action == "remove":
            _delete(connection, sync_id, [row.profile_id for row in acknowledged])
        elif acknowledged:
            _upsert(connection, sync_id, run_id, acknowledged)
        if refused:
            _record_refusals(connection, sync_id, run_id, refused)
        connection.execute("commit")
    except Exception:
        connection.execute("rollback")
        raise


def _upsert(
    connection: duckdb.DuckDBPyConnection,
    sync_id: str,
    run_id: str,
    rows: Sequence[Acknowledgement],
) -> None:
    batch = pa.table(
        {
            "profile_id": [row.profile_id for row in rows],
            "identifiers": [
                json.dumps(row.identifiers, sort_keys=True) if row.identifiers else None
                for row in rows
            ],
            "traits_hash": [row.traits_hash for row in rows],
        }
    )
    connection.register("acknowledged_batch", batch)
    try:
        connection.execute(
            f"insert into {LEDGER_TABLE} as ledger (sync_id, profile_id, identifiers, "
            "traits_hash, first_added_at, last_acknowledged_at, last_run_id) "
            "select ?, profile_id, identifiers::json, traits_hash, now(), now(), ? "
            "from acknowledged_batch "
            "on conflict (sync_id, profile_id) do update set "
            "identifiers = coalesce(excluded.identifiers, ledger.identifiers), "
            "traits_hash = excluded.traits_hash, "
            "last_acknowledged_at = excluded.last_acknowledged_at, "
            "last_run_id = excluded.last_run_id",
            [sync_id, run_id],
        )
    finally:
        connection.unregister("acknowledged_batch")


def _delete(connection: duckdb.DuckDBPyConnection, sync_id: str, profile_ids: list[str]) -> None:
    connection.register("removed_batch", pa.table({"profile_id": profile_ids}))
    try:
        connection.execute(
            f"delete from {LEDGER_TABLE} where sync_id = ? "
            "and profile_id in (select profile_id from removed_batch)",
            [sync_id],
        )
    finally:
        connection.unregister("removed_batch")


def _record_refusals(
    connection: duckdb.DuckDBPyConnection,
    sync_id: str,
    run_id: str,
    rows: Sequence[Refusal],
) -> None:
    batch = pa.table(
        {
            "profile_id": [row.profile_id for row in rows],
            "action": [row.action for row in rows],
            "status": [row.status for row in rows],
            "reason": [row.reason for row in rows],
            "traits_hash": [row.traits_hash for row in rows],
        }
    )
    connection.register("refused_batch", batch)
    try:
        connection.execute(
            f"insert into {REJECTIONS_TABLE} (run_id, sync_id, profile_id, action, status, "
            "reason, traits_hash, recorded_at) "
            "select ?, ?, profile_id, action, status, reason, traits_hash, now() "
            "from refused_batch",
            [run_id, sync_id],
        )
    finally:
        connection.unregister("refused_batch")


def held_profiles(connection: duckdb.DuckDBPyConnection, sync_id: str) -> set[str]:
    """Every profile the ledger says a sync's destination holds (for tests and audits)."""
    rows = connection.execute(
        f"select profile_id from {LEDGER_TABLE} where sync_id = ?", [sync_id]
    ).fetchall()
    return {row[0] for row in rows}

"""Keep `activation.sync_definitions` in step with the configured syncs.

The plan view joins memberships to this table, so it must say exactly which syncs exist, for
which audience, gated by which consent channel and in which mode.
"""

from __future__ import annotations

from collections.abc import Iterable

import duckdb

from activation.config import SyncConfig
from activation.sync.warehouse import DEFINITIONS_TABLE


def definition_row(sync: SyncConfig) -> tuple:
    """The row the plan view needs for one sync."""
    return (
        sync.name,
        sync.audience,
        sync.destination.name,
        sync.destination.type,
        sync.destination.consent_channel,
        sync.mode,
        list(sync.identifiers),
        sync.removal_threshold,
    )


def register_sync_definitions(
    connection: duckdb.DuckDBPyConnection, syncs: Iterable[SyncConfig], *, replace_all: bool
) -> None:
    """Upsert the given syncs; with `replace_all`, also drop syncs no longer configured.

    Dropping a definition only stops planning for it: its ledger rows stay, so re-adding the
    sync later does not resend what the destination already holds.
    """
    rows = [definition_row(sync) for sync in syncs]
    connection.execute("begin transaction")
    try:
        if replace_all:
            connection.execute(f"delete from {DEFINITIONS_TABLE}")
        else:
            connection.executemany(
                f"delete from {DEFINITIONS_TABLE} where sync_id = ?", [(row[0],) for row in rows]
            )
        if rows:
            connection.executemany(
                f"insert into {DEFINITIONS_TABLE} (sync_id, audience, destination, "
                "destination_type, consent_channel, mode, identifier_columns, removal_threshold) "
                "values (?, ?, ?, ?, ?, ?, ?, ?)",
                rows,
            )
        connection.execute("commit")
    except Exception:
        connection.execute("rollback")
        raise


def registered_definition(connection: duckdb.DuckDBPyConnection, sync_id: str) -> tuple | None:
    """The stored definition row for a sync, or None."""
    return connection.execute(
        f"select sync_id, audience, destination, destination_type, consent_channel, mode, "
        f"identifier_columns, removal_threshold from {DEFINITIONS_TABLE} where sync_id = ?",
        [sync_id],
    ).fetchone()

"""Read a sync's plan from the warehouse: its counts, and its rows in batches.

The plan is a view over the ledger, so the engine freezes it once per run into a temporary table
and pages through that: rows acknowledged mid-run must not shift the pages still to come.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import duckdb

from activation.sync.warehouse import LEDGER_TABLE, PLAN_RELATION

SENDING_ACTIONS = ("remove", "update", "add")  # removals first keeps list sizes within limits
SNAPSHOT_TABLE = "plan_snapshot"


@dataclass(frozen=True)
class PlanSummary:
    """How many rows a sync's plan holds per action, and what the destination holds now."""

    sync_id: str
    counts: dict[str, int] = field(default_factory=dict)
    removal_reasons: dict[str, int] = field(default_factory=dict)
    held_by_destination: int = 0

    def count(self, action: str) -> int:
        return self.counts.get(action, 0)

    @property
    def planned(self) -> int:
        return sum(self.count(action) for action in SENDING_ACTIONS)


@dataclass(frozen=True)
class PlanRow:
    """One row of a plan, as the engine hands it to a connector."""

    profile_id: str
    action: str
    reason: str | None
    email: str | None
    phone: str | None
    traits: dict[str, Any]
    traits_hash: str | None
    ledger_identifiers: dict[str, Any] | None


def summarize_plan(connection: duckdb.DuckDBPyConnection, sync_id: str) -> PlanSummary:
    """Count the live plan of one sync without keeping any rows."""
    return _summarize(connection, PLAN_RELATION, sync_id)


def freeze_plan(connection: duckdb.DuckDBPyConnection, sync_id: str) -> PlanSummary:
    """Copy the live plan of one sync into a temporary table, numbered per action.

    Returns the counts of the frozen copy, so a run reports what it actually worked from.
    """
    connection.execute(
        f"create or replace temporary table {SNAPSHOT_TABLE} as "
        "select *, row_number() over (partition by action order by profile_id) as position "
        f"from {PLAN_RELATION} where sync_id = ?",
        [sync_id],
    )
    return _summarize(connection, SNAPSHOT_TABLE, sync_id)


def _summarize(connection: duckdb.DuckDBPyConnection, relation: str, sync_id: str) -> PlanSummary:
    rows = connection.execute(
        f"select action, coalesce(reason, ''), count(*) from {relation} "
        "where sync_id = ? group by all",
        [sync_id],
    ).fetchall()
    counts: dict[str, int] = {}
    reasons: dict[str, int] = {}
    for action, reason, number in rows:
        counts[action] = counts.get(action, 0) + number
        if action == "remove":
            reasons[reason] = reasons.get(reason, 0) + number
    held = connection.execute(
        f"select count(*) from {LEDGER_TABLE} where sync_id = ?", [sync_id]
    ).fetchone()[0]
    return PlanSummary(sync_id, counts, reasons, held)


def iter_frozen_batches(
    connection: duckdb.DuckDBPyConnection, action: str, batch_size: int
) -> Iterator[list[PlanRow]]:
    """Yield the frozen plan's rows for one action, `batch_size` at a time, in key order."""
    position = 0
    while True:
        rows = connection.execute(
            "select profile_id, action, reason, email, phone, traits, traits_hash, "
            f"ledger_identifiers from {SNAPSHOT_TABLE} "
            "where action = ? and position > ? order by position limit ?",
            [action, position, batch_size],
        ).fetchall()
        if not rows:
            return
        position += len(rows)
        yield [_plan_row(row) for row in rows]


def sample_plan(
    connection: duckdb.DuckDBPyConnection, sync_id: str, per_action: int = 5
) -> list[dict[str, Any]]:
    """A few rows per action, for a preview; identifiers are left out of it."""
    rows = connection.execute(
        "select action, reason, profile_id, traits_hash from ("
        "select *, row_number() over (partition by action order by profile_id) as position "
        f"from {PLAN_RELATION} where sync_id = ?) where position <= ? order by action, position",
        [sync_id, per_action],
    ).fetchall()
    return [
        {"action": action, "reason": reason, "profile_id": profile_id, "traits_hash": digest}
        for action, reason, profile_id, digest in rows
    ]


def _plan_row(row: tuple) -> PlanRow:
    profile_id, action, reason, email, phone, traits, traits_hash, ledger_identifiers = row
    return PlanRow(
        profile_id=profile_id,
        action=action,
        reason=reason,
        email=email,
        phone=phone,
        traits=_as_mapping(traits),
        traits_hash=traits_hash,
        ledger_identifiers=_as_mapping(ledger_identifiers) if ledger_identifiers else None,
    )


def _as_mapping(value: Any) -> dict[str, Any]:
    if value is None:
        return {}
    if isinstance(value, dict):
        return value
    return json.loads(value)

"""The removal guard: hold a plan that would remove too large a share of a destination audience."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import duckdb

if TYPE_CHECKING:
    from activation.config import SyncConfig
    from activation.sync.plan import PlanSummary

from activation.sync.warehouse import APPROVALS_TABLE, PLAN_RELATION


class RemovalGuardHeld(RuntimeError):
    """A sync was asked to run while its removal guard holds the plan."""


@dataclass(frozen=True)
class GuardDecision:
    """Whether a plan may proceed, and why."""

    passed: bool
    removals: int
    audience_size: int
    threshold: float
    approved_removals: int | None
    floor: int = 0

    @property
    def share(self) -> float:
        return self.removals / self.audience_size if self.audience_size else 0.0

    def describe(self) -> str:
        text = (
            f"plan removes {self.removals} of {self.audience_size} held "
            f"({self.share:.1%}; threshold {self.threshold:.0%})"
        )
        if self.floor:
            text += f"; fewer than {self.floor} removals always pass"
        if self.approved_removals is not None:
            text += f"; approved up to {self.approved_removals}"
        return text


def open_approval(connection: duckdb.DuckDBPyConnection, sync_id: str) -> int | None:
    """The newest unconsumed approval of a sync whose people cover every removal planned now.

    Returns its approved count, or None when there is none or when the plan removes anyone the
    approval did not name (an approval is for the people a person saw, not for a number). A
    plan removing fewer of them, as after a run stopped midway, is still covered.
    """
    row = connection.execute(
        f"""
        with approval as (
            select approved_removals, approved_profiles from {APPROVALS_TABLE}
            where sync_id = $sync and consumed_run_id is null
            order by approved_at desc
            limit 1
        )
        select
            approved_removals,
            (
                select count(*) from {PLAN_RELATION} as plan
                where plan.sync_id = $sync and plan.action = 'remove'
                and plan.profile_id not in (select unnest(approved_profiles) from approval)
            ) as unnamed
        from approval
        """,
        {"sync": sync_id},
    ).fetchone()
    if row is None or row[1] > 0:
        return None
    return int(row[0])


def evaluate_removal_guard(
    removals: int,
    audience_size: int,
    threshold: float,
    approved_removals: int | None,
    floor: int = 0,
) -> GuardDecision:
    """Pass when removals stay within the threshold share or under the floor, or are approved.

    Every removal counts, consent removals included: an upstream fault that empties the consent
    table looks exactly like a mass opt-out, and a person must confirm either. The floor lets a
    small audience that turns over by design (a 24-hour cart window) churn without a person.
    """
    within = audience_size == 0 or removals <= threshold * audience_size or removals < floor
    approved = approved_removals is not None and removals <= approved_removals
    return GuardDecision(
        within or approved, removals, audience_size, threshold, approved_removals, floor
    )


def decide(connection: duckdb.DuckDBPyConnection, sync: SyncConfig, summary: PlanSummary):
    """The guard's decision for a sync's plan, counting an open approval given for this plan.

    An approval counts only when every removal planned now is of someone it named; one given
    for other removals is ignored (and used up by this run).
    """
    return evaluate_removal_guard(
        summary.count("remove"),
        summary.held_by_destination,
        sync.removal_threshold,
        open_approval(connection, sync.name),
        sync.removal_floor,
    )


class NothingToApprove(ValueError):
    """An approval was asked for a plan the guard does not hold, or for too few removals."""


def approve_held_plan(
    connection: duckdb.DuckDBPyConnection,
    sync: SyncConfig,
    approved_by: str,
    removals: int | None = None,
) -> int:
    """Approve the removals of a plan the guard holds now; returns the approved count.

    An approval is for the plan a person looked at: it is refused when nothing is held (so it
    cannot sit waiting to release some later, larger removal), it must cover the plan's
    removals, and the sync's next run uses it up whatever that run removes.
    """
    from activation.sync.plan import summarize_plan

    summary = summarize_plan(connection, sync.name)
    unapproved = evaluate_removal_guard(
        summary.count("remove"),
        summary.held_by_destination,
        sync.removal_threshold,
        None,
        sync.removal_floor,
    )
    if unapproved.passed:
        raise NothingToApprove(
            f"nothing to approve: the removal guard does not hold {sync.name} "
            f"({unapproved.describe()})"
        )
    removals = unapproved.removals if removals is None else removals
    if removals < unapproved.removals:
        raise NothingToApprove(
            f"approving {removals} removals would not release {sync.name}: "
            f"its plan removes {unapproved.removals}"
        )
    approve_removals(connection, sync.name, removals, approved_by)
    return removals


def approve_removals(
    connection: duckdb.DuckDBPyConnection, sync_id: str, removals: int, approved_by: str
) -> None:
    """Record that a person approved the removals the sync's live plan makes now (who they
    are, and at most `removals` of them) for its next run."""
    connection.execute(
        f"insert into {APPROVALS_TABLE} "
        "(sync_id, approved_removals, approved_by, approved_at, approved_profiles) "
        f"select $sync, $removals, $by, now(), coalesce(list(profile_id), []) from {PLAN_RELATION} "
        "where sync_id = $sync and action = 'remove'",
        {"sync": sync_id, "removals": removals, "by": approved_by},
    )


def consume_approval(connection: duckdb.DuckDBPyConnection, sync_id: str, run_id: str) -> None:
    """Mark open approvals used, so one approval releases one run."""
    connection.execute(
        f"update {APPROVALS_TABLE} set consumed_run_id = ? "
        "where sync_id = ? and consumed_run_id is null",
        [run_id, sync_id],
    )

"""The sync engine: push a sync's plan through its connector and record what was acknowledged."""

from activation.sync.engine import SyncReport, run_sync
from activation.sync.guard import GuardDecision, RemovalGuardHeld, evaluate_removal_guard
from activation.sync.plan import PlanSummary, summarize_plan

__all__ = [
    "GuardDecision",
    "PlanSummary",
    "RemovalGuardHeld",
    "SyncReport",
    "evaluate_removal_guard",
    "run_sync",
    "summarize_plan",
]

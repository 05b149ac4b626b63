"""The removal guard's arithmetic."""

from __future__ import annotations

import pytest

from activation.sync.guard import evaluate_removal_guard


@pytest.mark.parametrize(
    ("removals", "held", "threshold", "approved", "passes"),
    [
        (20, 100, 0.2, None, True),  # exactly at the threshold
        (21, 100, 0.2, None, False),
        (100, 100, 0.2, None, False),  # an audience that emptied
        (0, 0, 0.2, None, True),  # nothing held yet
        (100, 100, 0.2, 100, True),  # approved
        (101, 101, 0.2, 100, False),  # more than was approved
        (5, 10, 0.5, None, True),  # per-sync threshold
    ],
)
def test_the_guard_holds_only_removals_above_the_threshold_share_without_approval(
    removals, held, threshold, approved, passes
):
    decision = evaluate_removal_guard(removals, held, threshold, approved)

    assert decision.passed is passes
    assert f"{removals} of {held}" in decision.describe()

"""A sync killed at an arbitrary moment is followed by a run that converges exactly."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from collections import Counter

from tests.integration.helpers import consented_member_emails, klaviyo_emails, ledger_profiles

EMAIL_SYNC = "win_back_email"
LIST = "win-back"

_SYNC_IN_A_CHILD = textwrap.dedent(
    """
    import sys
    from activation.sync import run_sync
    from dagster_project.project import configured_syncs

    sync = next(sync for sync in configured_syncs() if sync.name == sys.argv[1])
    run_sync(sync, warehouse_path=sys.argv[2], run_id="doomed-run", page_size=3)
    """
)


def _kill_once_the_destination_holds(project, condition, timeout: float = 120.0) -> None:
    """Run the sync in a child process and SIGKILL it as soon as `condition` holds."""
    child = subprocess.Popen(
        [sys.executable, "-c", _SYNC_IN_A_CHILD, EMAIL_SYNC, str(project.warehouse)],
        env=dict(os.environ),
    )
    deadline = time.monotonic() + timeout
    try:
        while time.monotonic() < deadline:
            if condition():
                break
            assert child.poll() is None, "the sync finished before it could be killed"
            time.sleep(0.05)
        else:
            raise AssertionError("the condition to kill the sync never held")
    finally:
        child.send_signal(signal.SIGKILL)
        child.wait(timeout=30)


def _removals_per_member(project) -> Counter:
    return Counter(
        event["member_id"]
        for event in project.sandbox.events()
        if event["service"] == "klaviyo"
        and event["target"] == LIST
        and event["change"] == "removed"
    )


def test_a_sync_killed_mid_run_converges_on_the_next_run_with_nothing_removed_twice(project):
    from activation.sync.guard import approve_removals
    from activation.sync.warehouse import connect

    project.rebuild()  # register the syncs before the child reads the plan
    expected = consented_member_emails(project, "win_back", "email")
    assert len(expected) >= 10, "the fixture needs enough members to stop a sync midway"
    project.sandbox.delay(0.05, count=None, service="klaviyo")

    _kill_once_the_destination_holds(project, lambda: len(klaviyo_emails(project, LIST)) >= 4)
    partially = klaviyo_emails(project, LIST)
    assert 0 < len(partially) < len(expected)

    project.sandbox.clear_faults()
    project.sync(EMAIL_SYNC)
    assert klaviyo_emails(project, LIST) == expected
    assert len(ledger_profiles(project, EMAIL_SYNC)) == len(expected)

    # Now a later evaluation removes most members; kill the sync in the middle of removing.
    project.rebuild("2000-01-01T00:00:00Z")
    with connect(project.warehouse) as connection:
        approve_removals(connection, EMAIL_SYNC, len(expected), "test")
    project.sandbox.delay(0.05, count=None, service="klaviyo")
    _kill_once_the_destination_holds(
        project, lambda: 0 < len(klaviyo_emails(project, LIST)) <= len(expected) - 4
    )
    project.sandbox.clear_faults()
    project.sync(EMAIL_SYNC)

    assert klaviyo_emails(project, LIST) == set()
    assert ledger_profiles(project, EMAIL_SYNC) == set()
    removals = _removals_per_member(project)
    assert sum(removals.values()) == len(expected)
    assert max(removals.values()) == 1

"""The sandbox behaves like the vendors and can be run in-process or as its own process."""

from __future__ import annotations

import httpx
import pytest

from connectors import Record, build_connector
from connectors.sandbox import (
    DEFAULT_CREDENTIALS,
    SandboxClient,
    start_sandbox_process,
    stop_sandbox_process,
)

KLAVIYO_HEADERS = {
    "Authorization": f"Klaviyo-API-Key {DEFAULT_CREDENTIALS['klaviyo']}",
    "revision": "2026-07-15",
    "Content-Type": "application/vnd.api+json",
}


def test_the_klaviyo_sandbox_refuses_more_than_one_thousand_profiles_per_list_call(
    sandbox_url, sandbox
):
    data = [{"type": "profile", "id": str(i)} for i in range(1_001)]
    response = httpx.post(
        f"{sandbox_url}/klaviyo/api/lists/L1/relationships/profiles",
        headers=KLAVIYO_HEADERS,
        json={"data": data},
    )
    assert response.status_code == 400
    assert "1000" in response.json()["errors"][0]["detail"]


def test_the_klaviyo_sandbox_requires_the_revision_header(sandbox_url, sandbox):
    headers = {k: v for k, v in KLAVIYO_HEADERS.items() if k != "revision"}
    response = httpx.post(
        f"{sandbox_url}/klaviyo/api/profile-import",
        headers=headers,
        json={"data": {"type": "profile", "attributes": {"email": "a@example.com"}}},
    )
    assert response.status_code == 400
    assert "revision" in response.json()["errors"][0]["detail"]


def test_membership_events_are_recorded_only_when_membership_changes(settings_for, sandbox):
    connector = build_connector(
        settings_for("webhook"), "crm", {"signing_secret": DEFAULT_CREDENTIALS["webhook"]}
    )
    record = Record("p1", {"email": "a@example.com"}, {"tier": "gold"})
    connector.deliver("add", [record])
    connector.deliver("update", [Record("p1", {"email": "a@example.com"}, {"tier": "silver"})])
    connector.deliver("remove", [record])
    connector.deliver("remove", [Record("p1", {"email": "a@example.com"}, {"again": True})])
    assert [(e["member_id"], e["change"]) for e in sandbox.events()] == [
        ("p1", "added"),
        ("p1", "removed"),
    ]


def test_faults_can_be_listed_and_cleared(sandbox):
    sandbox.server_error(count=3)
    sandbox.reject_records(["a@example.com"])
    assert [fault["kind"] for fault in sandbox.faults()] == ["server_error", "reject_records"]
    sandbox.clear_faults()
    assert sandbox.faults() == []


def test_an_unknown_fault_kind_is_refused(sandbox):
    with pytest.raises(httpx.HTTPStatusError):
        sandbox.add_fault("explode")


def test_the_sandbox_runs_as_a_separate_process_and_stops_from_its_pid_file(tmp_path):
    pid_file = tmp_path / "sandbox.pid"
    process = start_sandbox_process(port=0, pid_file=pid_file)
    try:
        assert process.url.startswith("http://127.0.0.1:")
        with SandboxClient(process.url) as client:
            assert client.health()
        assert pid_file.read_text().split() == [str(process.pid), process.url]
        assert stop_sandbox_process(pid_file) is True
        assert process.process.wait(timeout=5) == 0
    finally:
        process.stop()
    assert not pid_file.exists()

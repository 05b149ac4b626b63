"""Klaviyo: list membership through the official API shapes, never consent."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest
from klaviyo_openapi import KlaviyoSpec, RecordingTransport

from connectors import AuthenticationError, Record, build_connector
from connectors.klaviyo import PROFILE_ID

LIST_ID = "Xy12Ab"
API_KEY = "sandbox-klaviyo-api-key"


@pytest.fixture(scope="module")
def klaviyo_spec() -> KlaviyoSpec:
    """The official spec; these tests cannot check requests without it, so they skip and say why."""
    try:
        return KlaviyoSpec()
    except FileNotFoundError as error:
        pytest.skip(str(error))


@pytest.fixture
def recorder(klaviyo_spec: KlaviyoSpec) -> Iterator[RecordingTransport]:
    """Records every request; after the test each one must satisfy the official spec."""
    transport = RecordingTransport()
    yield transport
    for request in transport.requests:
        klaviyo_spec.validate(request)


@pytest.fixture
def klaviyo(settings_for, recorder, sandbox):
    connector = build_connector(
        settings_for("klaviyo"), LIST_ID, {"api_key": API_KEY}, transport=recorder
    )
    yield connector
    connector.close()


def people(count: int, start: int = 0) -> list[Record]:
    return [
        Record(f"p{i}", {"email": f"  Person{i}@Example.COM "}, {"first_name": f"P{i}", "ltv": i})
        for i in range(start, start + count)
    ]


def bodies(recorder: RecordingTransport, path_end: str) -> list[dict]:
    return [json.loads(r.content) for r in recorder.requests if r.url.path.endswith(path_end)]


def test_every_request_sent_to_klaviyo_matches_the_official_spec(klaviyo, recorder, klaviyo_spec):
    added = klaviyo.deliver("add", people(3))
    klaviyo.deliver("update", people(3))
    klaviyo.deliver("remove", [Record(o.key, o.identifiers, {}) for o in added])
    operations = [klaviyo_spec.validate(request) for request in recorder.requests]
    assert set(operations) == {
        "create_or_update_profile",
        "add_profiles_to_list",
        "remove_profiles_from_list",
    }


def test_added_people_become_list_members_with_normalized_emails(klaviyo, sandbox):
    outcomes = klaviyo.deliver("add", people(3))
    assert [o.status for o in outcomes] == ["acknowledged"] * 3
    members = sandbox.members("klaviyo", LIST_ID)
    assert sorted(m["email"] for m in members) == [f"person{i}@example.com" for i in range(3)]
    assert outcomes[0].identifiers == {
        PROFILE_ID: members[0]["member_id"],
        "email": "person0@example.com",
    }


def test_list_calls_are_batched_to_one_thousand_profiles(klaviyo, recorder, sandbox):
    outcomes = klaviyo.deliver("add", people(2_100))
    assert all(o.status == "acknowledged" for o in outcomes)
    sizes = [len(body["data"]) for body in bodies(recorder, "/relationships/profiles")]
    assert sizes == [1000, 1000, 100]
    assert len(sandbox.members("klaviyo", LIST_ID)) == 2_100


def test_a_configured_batch_size_above_the_vendor_limit_is_clamped(settings_for, sandbox):
    connector = build_connector(
        settings_for("klaviyo", batch_size=5_000), LIST_ID, {"api_key": API_KEY}
    )
    assert connector.batch_size == 1_000


def test_a_record_without_a_usable_email_is_invalid_and_never_sent(klaviyo, recorder):
    outcomes = klaviyo.deliver(
        "add", [Record("blank", {"email": "   "}, {}), Record("none", {}, {}), *people(1)]
    )
    by_key = {o.key: o for o in outcomes}
    assert by_key["blank"].status == by_key["none"].status == "invalid"
    assert by_key["p0"].status == "acknowledged"
    sent = [
        json.loads(r.content)["data"]["attributes"]["email"]
        for r in recorder.requests
        if r.url.path.endswith("/profile-import")
    ]
    assert sent == ["person0@example.com"]


def test_no_payload_ever_sets_subscription_or_consent_fields(klaviyo, recorder, sandbox):
    traits = {
        "first_name": "A",
        "subscriptions": {"email": {"marketing": {"consent": "SUBSCRIBED"}}},
    }
    klaviyo.deliver("add", [Record("p1", {"email": "a@example.com"}, traits)])
    klaviyo.deliver("update", [Record("p1", {"email": "a@example.com"}, traits)])
    assert all(b"subscriptions" not in r.content for r in recorder.requests)
    assert all("subscribe" not in r.url.path for r in recorder.requests)
    assert [p["consent_writes"] for p in sandbox.klaviyo_profiles()] == [0]


def test_update_changes_profile_properties_without_touching_list_membership(klaviyo, sandbox):
    klaviyo.deliver("add", [Record("p1", {"email": "a@example.com"}, {"tier": "silver"})])
    events_before = sandbox.events()
    outcomes = klaviyo.deliver(
        "update", [Record("p1", {"email": "a@example.com"}, {"tier": "gold"})]
    )
    assert outcomes[0].status == "acknowledged"
    (profile,) = sandbox.klaviyo_profiles()
    assert profile["attributes"]["properties"]["tier"] == "gold"
    assert sandbox.events() == events_before


def test_removal_uses_the_profile_ids_recorded_at_add_time(klaviyo, recorder, sandbox):
    added = klaviyo.deliver("add", people(3))
    recorder.requests.clear()
    # The email changed since: only the recorded id may be used to find the member.
    gone = Record("p1", {**added[1].identifiers, "email": "changed@example.com"}, {})
    outcomes = klaviyo.deliver("remove", [gone])
    assert outcomes[0].status == "acknowledged"
    (request,) = recorder.requests
    assert json.loads(request.content)["data"] == [
        {"type": "profile", "id": added[1].identifiers[PROFILE_ID]}
    ]
    assert len(sandbox.members("klaviyo", LIST_ID)) == 2


def test_a_removal_without_a_recorded_profile_id_is_invalid(klaviyo, recorder):
    outcomes = klaviyo.deliver("remove", [Record("p1", {"email": "a@example.com"}, {})])
    assert outcomes[0].status == "invalid"
    assert recorder.requests == []


def test_a_profile_klaviyo_refuses_is_rejected_and_the_others_still_join(klaviyo, sandbox):
    sandbox.reject_records(["person1@example.com"], service="klaviyo", reason="Email is suppressed")
    outcomes = {o.key: o for o in klaviyo.deliver("add", people(3))}
    assert outcomes["p1"].status == "rejected"
    assert "Email is suppressed" in outcomes["p1"].reason
    assert outcomes["p0"].status == outcomes["p2"].status == "acknowledged"
    assert len(sandbox.members("klaviyo", LIST_ID)) == 2


def test_a_whole_list_call_refused_for_one_profile_is_bisected_to_that_profile(klaviyo, sandbox):
    sandbox.reject_batch_containing(["person5@example.com"], service="klaviyo", reason="bad")
    outcomes = {o.key: o for o in klaviyo.deliver("add", people(8))}
    assert outcomes["p5"].status == "rejected"
    assert [k for k, o in outcomes.items() if o.status == "acknowledged"] == [
        f"p{i}" for i in range(8) if i != 5
    ]
    assert len(sandbox.members("klaviyo", LIST_ID)) == 7


def test_a_profile_failing_retriably_is_failed_while_the_rest_are_delivered(klaviyo, sandbox):
    sandbox.fail_records(["person2@example.com"], service="klaviyo")
    outcomes = {o.key: o for o in klaviyo.deliver("add", people(4))}
    assert outcomes["p2"].status == "failed"
    assert sum(o.status == "acknowledged" for o in outcomes.values()) == 3


def test_wrong_api_key_raises_an_authentication_error_without_the_key(settings_for, sandbox):
    wrong = "pk_wrong_secret_value_123"
    connector = build_connector(settings_for("klaviyo"), LIST_ID, {"api_key": wrong})
    with pytest.raises(AuthenticationError) as raised:
        connector.deliver("add", people(1))
    assert "test_klaviyo" in str(raised.value)
    assert "401" in str(raised.value)
    assert wrong not in str(raised.value)
    assert wrong not in repr(raised.value)

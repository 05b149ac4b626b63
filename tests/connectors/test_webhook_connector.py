"""Webhooks: signed, idempotent batches with per-record results."""

from __future__ import annotations

import hashlib
import hmac
import json

import httpx
import pytest
from klaviyo_openapi import RecordingTransport

from connectors import AuthenticationError, Record, build_connector
from connectors.webhook import batch_body, canonical_json, idempotency_key

SECRET = "sandbox-webhook-signing-secret"
TARGET = "crm"


@pytest.fixture
def recorder() -> RecordingTransport:
    return RecordingTransport()


@pytest.fixture
def webhook(settings_for, recorder, sandbox):
    connector = build_connector(
        settings_for("webhook"), TARGET, {"signing_secret": SECRET}, transport=recorder
    )
    yield connector
    connector.close()


def people(count: int) -> list[Record]:
    return [
        Record(f"p{i}", {"email": f"person{i}@example.com"}, {"tier": "gold", "ltv": i})
        for i in range(count)
    ]


def test_batches_are_posted_with_a_correct_hmac_signature_of_the_raw_body(webhook, recorder):
    webhook.deliver("add", people(2))
    (request,) = recorder.requests
    expected = hmac.new(SECRET.encode(), request.content, hashlib.sha256).hexdigest()
    assert request.headers["x-activation-signature"] == f"sha256={expected}"
    assert request.headers["x-activation-timestamp"].isdigit()
    body = json.loads(request.content)
    assert body["action"] == "add"
    assert body["records"][0] == {
        "key": "p0",
        "identifiers": {"email": "person0@example.com"},
        "traits": {"ltv": 0, "tier": "gold"},
    }


def test_the_sandbox_verifies_the_signature_and_applies_the_batch(webhook, sandbox):
    outcomes = webhook.deliver("add", people(3))
    assert [o.status for o in outcomes] == ["acknowledged"] * 3
    assert sorted(m["member_id"] for m in sandbox.members("webhook", TARGET)) == ["p0", "p1", "p2"]


def test_a_wrong_signing_secret_is_refused_with_an_authentication_error(settings_for, sandbox):
    wrong = "not-the-real-signing-secret"
    connector = build_connector(settings_for("webhook"), TARGET, {"signing_secret": wrong})
    with pytest.raises(AuthenticationError) as raised:
        connector.deliver("add", people(1))
    assert wrong not in str(raised.value)
    assert sandbox.members("webhook", TARGET) == []


def test_the_idempotency_key_is_the_same_for_a_resent_batch(webhook, recorder):
    webhook.deliver("add", people(2))
    webhook.deliver("add", people(2))
    webhook.deliver("update", people(2))
    keys = [request.headers["idempotency-key"] for request in recorder.requests]
    assert keys[0] == keys[1]
    assert keys[2] != keys[0]
    records = [json.loads(r.content)["records"] for r in recorder.requests]
    assert keys[0] == idempotency_key("add", records[0])


def test_the_batch_body_is_the_canonical_json_of_the_whole_batch():
    records = [{"key": "p1", "identifiers": {"email": "é@x.com"}, "traits": {"b": 1, "a": None}}]
    key, body = batch_body("add", records)
    assert body == canonical_json({"batch_id": key[:32], "action": "add", "records": records})


def test_the_idempotency_key_changes_when_the_content_changes():
    base = [{"key": "p1", "identifiers": {"email": "a@x.com"}, "traits": {"tier": "gold"}}]
    changed = [{"key": "p1", "identifiers": {"email": "a@x.com"}, "traits": {"tier": "silver"}}]
    assert idempotency_key("add", base) != idempotency_key("add", changed)
    assert idempotency_key("add", base) != idempotency_key("remove", base)


def test_a_resent_batch_is_deduplicated_by_the_sandbox_and_not_applied_twice(webhook, sandbox):
    webhook.deliver("add", people(2))
    webhook.deliver("remove", people(2)[:1])
    # A crash before the ledger write means the same add batch is sent again.
    outcomes = webhook.deliver("add", people(2))
    assert [o.status for o in outcomes] == ["acknowledged", "acknowledged"]
    assert [m["member_id"] for m in sandbox.members("webhook", TARGET)] == ["p1"]
    assert [e["change"] for e in sandbox.events()] == ["added", "added", "removed"]


def test_per_record_errors_in_a_2xx_are_rejected_and_the_rest_acknowledged(webhook, sandbox):
    sandbox.reject_records(["person1@example.com"], service="webhook", reason="unknown account")
    outcomes = {o.key: o for o in webhook.deliver("add", people(3))}
    assert outcomes["p1"].status == "rejected"
    assert outcomes["p1"].reason == "unknown account"
    assert outcomes["p0"].status == outcomes["p2"].status == "acknowledged"


def test_per_record_retriable_errors_in_a_2xx_are_failed(webhook, sandbox):
    sandbox.retry_records(["p2"], service="webhook")
    outcomes = {o.key: o for o in webhook.deliver("add", people(3))}
    assert outcomes["p2"].status == "failed"
    assert outcomes["p0"].status == "acknowledged"


def test_a_2xx_without_results_acknowledges_every_record(settings_for):
    transport = httpx.MockTransport(lambda request: httpx.Response(204))
    connector = build_connector(
        settings_for("webhook", endpoint="http://127.0.0.1:9/webhook"),
        TARGET,
        {"signing_secret": SECRET},
        transport=transport,
    )
    assert [o.status for o in connector.deliver("add", people(2))] == ["acknowledged"] * 2


def test_batches_default_to_five_hundred_records_and_follow_the_configured_size(
    settings_for, sandbox
):
    default = build_connector(settings_for("webhook"), TARGET, {"signing_secret": SECRET})
    small = build_connector(
        settings_for("webhook", batch_size=2), TARGET, {"signing_secret": SECRET}
    )
    assert default.batch_size == 500
    small.deliver("add", people(5))
    sizes = [len(r["body"]["records"]) for r in sandbox.requests("webhook")]
    assert sizes == [2, 2, 1]


def test_an_authentication_error_carries_the_batches_acknowledged_before_it(settings_for):
    answers = iter([httpx.Response(200, json={}), httpx.Response(401, json={"error": "revoked"})])
    connector = build_connector(
        settings_for("webhook", endpoint="http://127.0.0.1:9/webhook", batch_size=2),
        TARGET,
        {"signing_secret": SECRET},
        transport=httpx.MockTransport(lambda request: next(answers)),
    )
    with pytest.raises(AuthenticationError, match="revoked") as raised:
        connector.deliver("add", people(4))
    assert [(o.key, o.status) for o in raised.value.completed] == [
        ("p0", "acknowledged"),
        ("p1", "acknowledged"),
    ]

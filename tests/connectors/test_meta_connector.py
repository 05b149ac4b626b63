"""Meta custom audiences: hashed rows, sessions, 10,000-row requests, honest per-row results."""

from __future__ import annotations

import json

import httpx
import pytest
from klaviyo_openapi import RecordingTransport

from connectors import AuthenticationError, Record, build_connector
from connectors.identifiers import sha256_hex

AUDIENCE_ID = "23851234567890"
TOKEN = "sandbox-meta-access-token"
TEST1_HASH = "9b431636bd164765d63c573c346708846af4f68fe3701a77a3bdd7e7e5166254"


@pytest.fixture
def recorder() -> RecordingTransport:
    return RecordingTransport()


@pytest.fixture
def meta(settings_for, recorder, sandbox):
    connector = build_connector(
        settings_for("meta_custom_audience"),
        AUDIENCE_ID,
        {"access_token": TOKEN},
        transport=recorder,
    )
    yield connector
    connector.close()


def people(count: int) -> list[Record]:
    return [Record(f"p{i}", {"email": f"person{i}@example.com"}, {}) for i in range(count)]


def sent_bodies(recorder: RecordingTransport) -> list[dict]:
    return [json.loads(request.content) for request in recorder.requests]


def test_added_rows_carry_the_sha256_of_normalized_email_and_phone(meta, recorder, sandbox):
    record = Record("p1", {"email": " Test1@Example.com", "phone": "+1 (650) 555-1212"}, {})
    (outcome,) = meta.deliver("add", [record])
    expected = {"email_sha256": TEST1_HASH, "phone_sha256": sha256_hex("16505551212")}
    assert outcome.status == "acknowledged"
    assert outcome.identifiers == expected
    (body,) = sent_bodies(recorder)
    assert body["payload"] == {
        "schema": ["EMAIL_SHA256", "PHONE_SHA256"],
        "data": [[expected["email_sha256"], expected["phone_sha256"]]],
    }
    (request,) = recorder.requests
    assert request.method == "POST"
    assert request.url.path == f"/meta/v21.0/{AUDIENCE_ID}/users"
    assert TOKEN not in str(request.url)
    assert request.headers["authorization"] == f"Bearer {TOKEN}"
    assert [m["EMAIL_SHA256"] for m in sandbox.members("meta", AUDIENCE_ID)] == [TEST1_HASH]


def test_a_missing_field_is_sent_as_an_empty_string_in_its_column(meta, recorder):
    meta.deliver("add", [Record("p1", {"email": "test1@example.com", "phone": " "}, {})])
    assert sent_bodies(recorder)[0]["payload"]["data"] == [[TEST1_HASH, ""]]


def test_rows_without_any_usable_identifier_are_invalid_and_never_hashed_or_sent(
    meta, recorder, monkeypatch
):
    hashed: list[str] = []
    import connectors.meta as meta_module

    original = meta_module.hash_or_empty
    monkeypatch.setattr(meta_module, "hash_or_empty", lambda v: hashed.append(v) or original(v))
    outcomes = meta.deliver(
        "add",
        [Record("empty", {"email": "  ", "phone": "()"}, {}), Record("none", {}, {}), *people(1)],
    )
    statuses = {o.key: o.status for o in outcomes}
    assert statuses == {"empty": "invalid", "none": "invalid", "p0": "acknowledged"}
    assert [value for value in hashed if value] == ["person0@example.com"]
    assert len(sent_bodies(recorder)[0]["payload"]["data"]) == 1


def test_requests_hold_at_most_ten_thousand_rows_in_one_session(meta, recorder, sandbox):
    outcomes = meta.deliver("add", people(25_000))
    assert all(o.status == "acknowledged" for o in outcomes)
    bodies = sent_bodies(recorder)
    assert [len(b["payload"]["data"]) for b in bodies] == [10_000, 10_000, 5_000]
    sessions = [b["session"] for b in bodies]
    assert len({s["session_id"] for s in sessions}) == 1
    assert [s["batch_seq"] for s in sessions] == [1, 2, 3]
    assert [s["last_batch_flag"] for s in sessions] == [False, False, True]
    assert all(s["estimated_num_total"] == 25_000 for s in sessions)
    assert len(sandbox.members("meta", AUDIENCE_ID)) == 25_000


def test_the_sandbox_refuses_more_than_ten_thousand_rows(sandbox_url, sandbox):
    rows = [[sha256_hex(str(i)), ""] for i in range(10_001)]
    response = httpx.post(
        f"{sandbox_url}/meta/v21.0/{AUDIENCE_ID}/users",
        headers={"Authorization": f"Bearer {TOKEN}"},
        json={"payload": {"schema": ["EMAIL_SHA256", "PHONE_SHA256"], "data": rows}},
    )
    assert response.status_code == 400
    assert "10000" in response.json()["error"]["message"]


def test_removal_sends_the_hashes_recorded_at_add_time(meta, recorder, sandbox):
    added = meta.deliver("add", people(3))
    recorder.requests.clear()
    # Raw identifiers are not used for a removal: only what the ledger recorded.
    outcomes = meta.deliver("remove", [Record("p1", added[1].identifiers, {})])
    assert outcomes[0].status == "acknowledged"
    (request,) = recorder.requests
    assert request.method == "DELETE"
    assert json.loads(request.content)["payload"]["data"] == [
        [added[1].identifiers["email_sha256"], ""]
    ]
    assert len(sandbox.members("meta", AUDIENCE_ID)) == 2


def test_invalid_entry_samples_become_rejected_rows_and_the_rest_are_acknowledged(meta, sandbox):
    sandbox.reject_records(["person1@example.com"], service="meta", reason="not a valid hash")
    outcomes = {o.key: o for o in meta.deliver("add", people(3))}
    assert outcomes["p1"].status == "rejected"
    assert outcomes["p1"].reason == "not a valid hash"
    assert outcomes["p0"].status == outcomes["p2"].status == "acknowledged"


def test_a_whole_request_refused_for_one_row_is_bisected_to_that_row(meta, sandbox, recorder):
    sandbox.reject_batch_containing(["person6@example.com"], service="meta")
    outcomes = {o.key: o for o in meta.deliver("add", people(10))}
    assert outcomes["p6"].status == "rejected"
    assert sum(o.status == "acknowledged" for o in outcomes.values()) == 9
    # Every piece of the session says whether it ends the upload.
    flags = [b["session"]["last_batch_flag"] for b in sent_bodies(recorder)]
    assert flags[-1] is True and flags.count(True) >= 1


def test_update_is_acknowledged_without_any_request(meta, recorder):
    outcomes = meta.deliver("update", people(2))
    assert [o.status for o in outcomes] == ["acknowledged", "acknowledged"]
    assert all(o.identifiers is None for o in outcomes)
    assert recorder.requests == []


def test_a_rejected_access_token_raises_an_authentication_error(settings_for, sandbox):
    token = "EAAB-wrong-token-value"
    connector = build_connector(
        settings_for("meta_custom_audience"), AUDIENCE_ID, {"access_token": token}
    )
    with pytest.raises(AuthenticationError) as raised:
        connector.deliver("add", people(1))
    assert "test_meta_custom_audience" in str(raised.value)
    assert token not in str(raised.value)


def test_graph_api_invalid_token_errors_sent_as_400_stop_the_run(settings_for):
    def graph(request: httpx.Request) -> httpx.Response:
        body = {"error": {"message": "Invalid OAuth access token.", "code": 190}}
        return httpx.Response(400, json=body)

    connector = build_connector(
        settings_for("meta_custom_audience", endpoint="http://127.0.0.1:9/meta"),
        AUDIENCE_ID,
        {"access_token": TOKEN},
        transport=httpx.MockTransport(graph),
    )
    with pytest.raises(AuthenticationError):
        connector.deliver("add", people(1))


def meta_answering(settings_for, answer, **overrides):
    """A connector whose every request gets `answer(request)` back."""
    return build_connector(
        settings_for("meta_custom_audience", endpoint="http://127.0.0.1:9/meta", **overrides),
        AUDIENCE_ID,
        {"access_token": TOKEN},
        transport=httpx.MockTransport(answer),
    )


def users_answer(received: int, invalid: int = 0, samples: dict | None = None) -> dict:
    return {
        "audience_id": AUDIENCE_ID,
        "session_id": 1,
        "num_received": received,
        "num_invalid_entries": invalid,
        "invalid_entry_samples": samples or {},
    }


@pytest.mark.parametrize(
    ("status", "body", "lacking"),
    [
        (202, b"", "a body that is not JSON"),
        (200, b"OK", "a body that is not JSON"),
        (200, b'["ok"]', "without a num_received count"),
        (200, b'{"audience_id": "1", "session_id": 1}', "without a num_received count"),
        (200, b'{"num_received": "364"}', "without a num_received count"),
        (200, json.dumps(users_answer(received=363)).encode(), "num_received 363 for 364 rows"),
    ],
    ids=["empty-202", "plain-text", "json-list", "no-count", "count-as-text", "short-count"],
)
def test_a_2xx_that_does_not_account_for_every_row_confirms_none_of_them(
    settings_for, status, body, lacking
):
    connector = meta_answering(settings_for, lambda request: httpx.Response(status, content=body))
    outcomes = connector.deliver("add", people(364))
    assert len(outcomes) == 364
    assert {o.status for o in outcomes} == {"failed"}
    assert all(o.identifiers is None for o in outcomes)
    assert lacking in outcomes[0].reason
    assert f"HTTP {status}" in outcomes[0].reason
    assert "no row of the request was confirmed" in outcomes[0].reason


def test_a_removal_answered_with_an_empty_202_stays_pending(settings_for):
    connector = meta_answering(settings_for, lambda request: httpx.Response(202))
    recorded = {"email_sha256": sha256_hex("person0@example.com"), "phone_sha256": ""}
    (outcome,) = connector.deliver("remove", [Record("p0", recorded, {})])
    assert outcome.status == "failed"
    assert "not JSON" in outcome.reason


def test_only_the_requests_that_are_not_accounted_for_fail(settings_for):
    def every_other(request: httpx.Request) -> httpx.Response:
        body = json.loads(request.content)
        if body["session"]["batch_seq"] % 2:
            return httpx.Response(200, json=users_answer(received=len(body["payload"]["data"])))
        return httpx.Response(202)

    connector = meta_answering(settings_for, every_other, batch_size=2)
    outcomes = {o.key: o.status for o in connector.deliver("add", people(6))}
    assert outcomes == {
        "p0": "acknowledged",
        "p1": "acknowledged",
        "p2": "failed",
        "p3": "failed",
        "p4": "acknowledged",
        "p5": "acknowledged",
    }


@pytest.mark.parametrize("received", [3, 7], ids=["this-request", "session-so-far"])
def test_a_count_covering_every_row_acknowledges_them_with_their_hashes(settings_for, received):
    def answer(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, json=users_answer(received=received))

    outcomes = meta_answering(settings_for, answer).deliver("add", people(3))
    assert [o.status for o in outcomes] == ["acknowledged"] * 3
    assert outcomes[0].identifiers == {
        "email_sha256": sha256_hex("person0@example.com"),
        "phone_sha256": "",
    }


def test_invalid_rows_the_samples_do_not_name_are_isolated_by_splitting(settings_for):
    named = sha256_hex("person1@example.com")
    unnamed = sha256_hex("person2@example.com")

    def answer(request: httpx.Request) -> httpx.Response:
        rows = [row[0] for row in json.loads(request.content)["payload"]["data"]]
        invalid = sum(value in (named, unnamed) for value in rows)
        samples = {named: "not a valid hash"} if named in rows else {}
        return httpx.Response(200, json=users_answer(len(rows), invalid, samples))

    outcomes = {o.key: o for o in meta_answering(settings_for, answer).deliver("add", people(4))}
    assert {key: o.status for key, o in outcomes.items()} == {
        "p0": "acknowledged",
        "p1": "rejected",
        "p2": "rejected",
        "p3": "acknowledged",
    }
    assert outcomes["p1"].reason == "not a valid hash"
    assert "counted 1 invalid rows" in outcomes["p2"].reason
    assert "named only 0" in outcomes["p2"].reason


def test_the_sandbox_counts_invalid_rows_among_the_rows_received(sandbox_url, sandbox):
    sandbox.reject_records(["person1@example.com"], service="meta", reason="not a valid hash")
    rows = [[sha256_hex(f"person{i}@example.com"), ""] for i in range(3)]
    response = httpx.post(
        f"{sandbox_url}/meta/v21.0/{AUDIENCE_ID}/users",
        headers={"Authorization": f"Bearer {TOKEN}"},
        json={"payload": {"schema": ["EMAIL_SHA256", "PHONE_SHA256"], "data": rows}},
    )
    answer = response.json()
    assert (answer["num_received"], answer["num_invalid_entries"]) == (3, 1)
    assert answer["invalid_entry_samples"] == {rows[1][0]: "not a valid hash"}

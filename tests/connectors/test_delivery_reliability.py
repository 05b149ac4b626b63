"""Shared machinery: retries, backoff, Retry-After, timeouts and bisection of refused batches."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime

import httpx
import pytest

from connectors import DestinationUnavailable, Record, build_connector
from connectors.errors import DestinationStillUnavailable
from connectors.http import forget_outages
from connectors.ratelimit import TokenBucket
from connectors.retry import backoff_seconds, parse_retry_after

SECRET = "sandbox-webhook-signing-secret"


def people(count: int) -> list[Record]:
    return [Record(f"p{i}", {"email": f"person{i}@example.com"}, {}) for i in range(count)]


@pytest.fixture
def webhook_for(settings_for, sandbox):
    def build(**overrides):
        return build_connector(
            settings_for("webhook", **overrides), "crm", {"signing_secret": SECRET}
        )

    return build


def test_a_429_with_retry_after_is_honoured(webhook_for, sandbox):
    sandbox.rate_limit(count=1, retry_after=1)
    connector = webhook_for(max_backoff_seconds=5)
    started = time.monotonic()
    outcomes = connector.deliver("add", people(2))
    waited = time.monotonic() - started
    assert [o.status for o in outcomes] == ["acknowledged"] * 2
    assert 0.95 <= waited < 3
    assert [r["status"] for r in sandbox.requests("webhook")] == [429, 200]


def test_retry_after_is_capped_by_the_maximum_backoff(webhook_for, sandbox):
    sandbox.rate_limit(count=1, retry_after=30)
    started = time.monotonic()
    outcomes = webhook_for(max_backoff_seconds=0.2).deliver("add", people(1))
    assert outcomes[0].status == "acknowledged"
    assert time.monotonic() - started < 2


def test_retry_after_as_an_http_date_is_understood():
    now = datetime(2026, 1, 1, 12, 0, 0, tzinfo=UTC)
    header = format_datetime(now + timedelta(seconds=7), usegmt=True)
    assert parse_retry_after(header, now=now) == pytest.approx(7)
    assert parse_retry_after("3") == 3
    assert parse_retry_after("soon") is None


def test_exponential_backoff_grows_with_jitter_and_stays_under_the_cap():
    waits = [backoff_seconds(n, initial=1, maximum=10) for n in (1, 2, 3, 4, 5, 6)]
    assert 0.5 <= waits[0] <= 1
    assert 4 <= waits[3] <= 8
    assert all(wait <= 10 for wait in waits)


def test_server_errors_are_retried_and_then_succeed(webhook_for, sandbox):
    sandbox.server_error(count=2, status=502)
    outcomes = webhook_for(max_retries=3).deliver("add", people(3))
    assert [o.status for o in outcomes] == ["acknowledged"] * 3
    assert [r["status"] for r in sandbox.requests("webhook")] == [502, 502, 200]
    assert len(sandbox.members("webhook", "crm")) == 3


def test_retries_exhausted_leave_the_records_failed_for_the_next_run(webhook_for, sandbox):
    sandbox.server_error(count=10)
    outcomes = webhook_for(max_retries=2).deliver("add", people(2))
    assert [o.status for o in outcomes] == ["failed", "failed"]
    assert "3 attempts" in outcomes[0].reason
    assert len(sandbox.requests("webhook")) == 3


def test_a_slow_destination_times_out_and_is_retried(webhook_for, sandbox):
    sandbox.delay(seconds=0.6, count=1)
    outcomes = webhook_for(timeout_seconds=0.2, max_retries=2).deliver("add", people(1))
    assert outcomes[0].status == "acknowledged"


def test_a_destination_that_stays_slow_leaves_records_failed(webhook_for, sandbox):
    sandbox.delay(seconds=0.5, count=None)
    outcomes = webhook_for(timeout_seconds=0.1, max_retries=1).deliver("add", people(1))
    assert outcomes[0].status == "failed"
    assert "timed out" in outcomes[0].reason


def test_a_destination_that_stops_answering_stops_the_delivery(webhook_for, sandbox):
    sandbox.server_error(count=1000, status=503)
    connector = webhook_for(batch_size=2, max_retries=2, max_failed_requests=3)

    with pytest.raises(DestinationUnavailable, match="3 requests in a row") as raised:
        connector.deliver("add", people(20))

    # The first batch spent its retries; the next two got one try each, and nothing more was
    # sent. The two answered batches are kept as failed, to be retried by the next run.
    assert len(sandbox.requests("webhook")) == 3 + 1 + 1
    assert [outcome.key for outcome in raised.value.completed] == [f"p{i}" for i in range(4)]
    assert {outcome.status for outcome in raised.value.completed} == {"failed"}


def test_an_unreachable_destination_is_given_up_on_quickly(settings_for):
    connector = build_connector(
        settings_for("webhook", endpoint="http://127.0.0.1:9/webhook", batch_size=1),
        "crm",
        {"signing_secret": SECRET},
    )
    started = time.monotonic()
    with pytest.raises(DestinationUnavailable, match="ConnectError"):
        connector.deliver("add", people(1000))
    assert time.monotonic() - started < 5


def test_other_deliveries_skip_a_destination_just_found_unavailable(webhook_for, sandbox):
    sandbox.server_error(count=1000, status=503)
    with pytest.raises(DestinationUnavailable):
        webhook_for(max_retries=0, max_failed_requests=1).deliver("add", people(1))
    sent = len(sandbox.requests("webhook"))

    with pytest.raises(DestinationStillUnavailable, match="found unavailable 0s ago"):
        webhook_for().deliver("add", people(5))
    assert len(sandbox.requests("webhook")) == sent  # not tried at all

    sandbox.clear_faults()
    forget_outages()  # what the cooldown's end does
    recovered = webhook_for()
    assert {o.status for o in recovered.deliver("add", people(2))} == {"acknowledged"}


def test_an_answer_resets_the_outage_count(webhook_for, sandbox):
    connector = webhook_for(batch_size=1, max_retries=0, max_failed_requests=2)
    sandbox.server_error(count=1, status=503)
    first = connector.deliver("add", people(2))  # p0 gets no answer, p1 gets through
    sandbox.server_error(count=1, status=503)
    second = connector.deliver("add", people(2))  # again one miss, not two in a row

    assert [o.status for o in first + second] == ["failed", "acknowledged"] * 2


def test_connection_errors_are_retried(settings_for):
    calls = []

    def flaky(request: httpx.Request) -> httpx.Response:
        calls.append(request)
        if len(calls) == 1:
            raise httpx.ConnectError("refused", request=request)
        return httpx.Response(200, json={})

    connector = build_connector(
        settings_for("webhook", endpoint="http://127.0.0.1:9/webhook"),
        "crm",
        {"signing_secret": SECRET},
        transport=httpx.MockTransport(flaky),
    )
    assert connector.deliver("add", people(1))[0].status == "acknowledged"
    assert len(calls) == 2


def test_a_whole_batch_400_is_isolated_to_the_bad_row_while_the_rest_are_delivered(
    webhook_for, sandbox
):
    sandbox.reject_batch_containing(["person13@example.com"], reason="malformed email")
    outcomes = {o.key: o for o in webhook_for().deliver("add", people(20))}
    assert outcomes["p13"].status == "rejected"
    assert "malformed email" in outcomes["p13"].reason
    assert sum(o.status == "acknowledged" for o in outcomes.values()) == 19
    assert len(sandbox.members("webhook", "crm")) == 19


def test_other_4xx_are_not_retried(settings_for):
    calls = []

    def refuse(request: httpx.Request) -> httpx.Response:
        calls.append(request)
        return httpx.Response(422, json={"error": "schema mismatch"})

    connector = build_connector(
        settings_for("webhook", endpoint="http://127.0.0.1:9/webhook"),
        "crm",
        {"signing_secret": SECRET},
        transport=httpx.MockTransport(refuse),
    )
    (outcome,) = connector.deliver("add", people(1))
    assert outcome.status == "rejected"
    assert "schema mismatch" in outcome.reason
    assert len(calls) == 1


def test_exactly_one_outcome_comes_back_per_record(webhook_for, sandbox):
    sandbox.reject_records(["p1"], service="webhook")
    records = people(7)
    outcomes = webhook_for(batch_size=3).deliver("add", records)
    assert sorted(o.key for o in outcomes) == sorted(r.key for r in records)


def test_the_token_bucket_spaces_requests_to_the_configured_rate():
    now = [0.0]
    slept: list[float] = []

    def sleep(seconds: float) -> None:
        slept.append(seconds)
        now[0] += seconds

    bucket = TokenBucket(2.0, capacity=2, clock=lambda: now[0], sleep=sleep)
    for _ in range(6):
        bucket.acquire()
    assert slept == pytest.approx([0.5, 0.5, 0.5, 0.5])


def test_the_rate_limit_applies_to_real_requests(webhook_for, sandbox):
    connector = webhook_for(requests_per_second=20, batch_size=1)
    started = time.monotonic()
    connector.deliver("add", people(25))
    # 20 tokens of burst are spent at once; the remaining 5 requests wait 1/20 s each.
    assert time.monotonic() - started >= 0.2

"""Secrets never reach logs, exception text, outcomes or reprs."""

from __future__ import annotations

import logging

import pytest

from connectors import AuthenticationError, ConfigurationError, Record, build_connector
from connectors.sandbox import DEFAULT_CREDENTIALS

SECRETS = {
    "klaviyo": ("api_key", DEFAULT_CREDENTIALS["klaviyo"], "L1"),
    "meta_custom_audience": ("access_token", DEFAULT_CREDENTIALS["meta"], "A1"),
    "webhook": ("signing_secret", DEFAULT_CREDENTIALS["webhook"], "crm"),
}


def people(count: int) -> list[Record]:
    return [Record(f"p{i}", {"email": f"person{i}@example.com"}, {}) for i in range(count)]


@pytest.mark.parametrize("destination_type", sorted(SECRETS))
def test_secrets_never_appear_in_logs_outcomes_or_reprs(
    destination_type, settings_for, sandbox, caplog
):
    name, secret, target = SECRETS[destination_type]
    caplog.set_level(logging.DEBUG)
    connector = build_connector(settings_for(destination_type), target, {name: secret})
    sandbox.server_error(count=1)
    sandbox.rate_limit(count=1, retry_after=0)
    sandbox.reject_batch_containing(["person2@example.com"])
    added = connector.deliver("add", people(4))
    connector.deliver("remove", [Record(o.key, o.identifiers or {}, {}) for o in added])
    sandbox.server_error(count=50)
    failed = connector.deliver("add", people(1))
    assert failed[0].status == "failed"
    assert any("retrying" in message for message in caplog.messages)
    assert any("batch of" in message for message in caplog.messages)
    assert secret not in caplog.text
    assert all(secret not in str(outcome) for outcome in added + failed)
    assert secret not in repr(connector)
    assert secret not in repr(connector.secrets)
    assert secret not in str(vars(connector))


@pytest.mark.parametrize("destination_type", sorted(SECRETS))
def test_an_authentication_error_names_the_destination_and_hides_the_secret(
    destination_type, settings_for, sandbox, caplog
):
    name, secret, target = SECRETS[destination_type]
    sandbox.unauthorized(count=5)
    connector = build_connector(settings_for(destination_type), target, {name: secret})
    with pytest.raises(AuthenticationError) as raised:
        connector.deliver("add", people(2))
    assert f"test_{destination_type}" in str(raised.value)
    assert secret not in str(raised.value)
    assert secret not in repr(raised.value)
    assert secret not in caplog.text


def test_the_sandbox_request_log_masks_credentials(settings_for, sandbox):
    name, secret, target = SECRETS["klaviyo"]
    build_connector(settings_for("klaviyo"), target, {name: secret}).deliver("add", people(1))
    logged = sandbox.requests("klaviyo")
    assert logged and all(entry["headers"]["authorization"] == "***" for entry in logged)
    assert secret not in str(logged)


def test_a_missing_secret_is_a_configuration_error_naming_it(settings_for):
    with pytest.raises(ConfigurationError, match="api_key"):
        build_connector(settings_for("klaviyo"), "L1", {})


def test_a_destination_echoing_the_secret_has_it_redacted_from_reasons(settings_for):
    import httpx

    secret = "super-secret-signing-value"

    def echo(request: httpx.Request) -> httpx.Response:
        return httpx.Response(400, json={"error": f"bad signature with key {secret}"})

    connector = build_connector(
        settings_for("webhook", endpoint="http://127.0.0.1:9/webhook"),
        "crm",
        {"signing_secret": secret},
        transport=httpx.MockTransport(echo),
    )
    (outcome,) = connector.deliver("add", people(1))
    assert outcome.status == "rejected"
    assert secret not in outcome.reason
    assert "***" in outcome.reason

"""Destination settings are built from configuration and checked."""

from __future__ import annotations

import pytest

from connectors import ConfigurationError, DestinationSettings, build_connector


def test_settings_are_built_from_a_flat_mapping_of_limits_and_options():
    settings = DestinationSettings.from_options(
        "meta_ads",
        "meta_custom_audience",
        "http://127.0.0.1:8765/meta/",
        {"batch_size": 20_000, "requests_per_second": 5, "api_version": "v22.0"},
    )
    assert settings.endpoint == "http://127.0.0.1:8765/meta"
    assert settings.requests_per_second == 5
    assert settings.max_retries == 5
    assert settings.timeout_seconds == 30
    assert settings.options == {"api_version": "v22.0"}


def test_a_batch_size_above_the_vendor_maximum_is_clamped():
    settings = DestinationSettings(
        "m", "meta_custom_audience", "http://127.0.0.1:1", batch_size=20_000
    )
    connector = build_connector(settings, "A1", {"access_token": "token"})
    assert connector.batch_size == 10_000


@pytest.mark.parametrize(
    ("overrides", "problem"),
    [
        ({"type": "sms"}, "unknown type"),
        ({"endpoint": "ftp://127.0.0.1"}, "http"),
        ({"batch_size": 0}, "batch_size"),
        ({"requests_per_second": 0}, "requests_per_second"),
    ],
)
def test_a_bad_setting_is_a_configuration_error_naming_the_destination(overrides, problem):
    values = {"name": "crm", "type": "webhook", "endpoint": "http://127.0.0.1:1", **overrides}
    with pytest.raises(ConfigurationError, match=problem) as raised:
        DestinationSettings(**values)
    assert "crm" in str(raised.value)


def test_an_unknown_action_is_refused(settings_for):
    connector = build_connector(settings_for("webhook"), "crm", {"signing_secret": "s"})
    with pytest.raises(ConfigurationError, match="action"):
        connector.deliver("upsert", [])  # type: ignore[arg-type]

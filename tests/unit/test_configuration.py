"""Bad configuration stops loading with the file, the field and the fix."""

from __future__ import annotations

import textwrap

import pytest

from activation.config import (
    ConfigError,
    check_audiences_registered,
    load_destinations,
    load_syncs,
)

GOOD_DESTINATIONS = """
destinations:
  klaviyo_email:
    type: klaviyo
    endpoint: ${TEST_SANDBOX:-http://127.0.0.1:1}/klaviyo
    credentials: {api_key: KLAVIYO_API_KEY}
  crm:
    type: webhook
    endpoint: http://127.0.0.1:1/webhook
    consent_channel: email
    credentials: {signing_secret: CRM_SECRET}
"""


def _write(tmp_path, text: str):
    path = tmp_path / "destinations.yaml"
    path.write_text(textwrap.dedent(text))
    return path


def _manifest(*syncs, name="cart_abandoners", registered=True, columns=()):
    node_id = f"model.activation.{name}"
    return {
        "nodes": {
            node_id: {
                "unique_id": node_id,
                "resource_type": "model",
                "name": name,
                "original_file_path": f"models/segments/{name}.sql",
                "patch_path": "activation://models/segments/_segments__models.yml",
                "columns": {column: {"name": column} for column in columns},
                "config": {"meta": {"audience": {"syncs": list(syncs)}}},
            },
            "model.activation.segment_memberships": {
                "unique_id": "model.activation.segment_memberships",
                "resource_type": "model",
                "name": "segment_memberships",
                "depends_on": {"nodes": [node_id] if registered else []},
                "config": {},
            },
        }
    }


def test_destinations_load_with_defaults_and_environment_references(tmp_path, monkeypatch):
    monkeypatch.setenv("TEST_SANDBOX", "http://127.0.0.1:4321")
    destinations = load_destinations(_write(tmp_path, GOOD_DESTINATIONS))

    assert destinations["klaviyo_email"].endpoint == "http://127.0.0.1:4321/klaviyo"
    assert destinations["klaviyo_email"].consent_channel == "email"
    assert destinations["crm"].credentials == {"signing_secret": "CRM_SECRET"}


@pytest.mark.parametrize(
    ("entry", "field"),
    [
        ("type: mailchimp\n    endpoint: http://x", "destinations.bad.type"),
        ("type: klaviyo", "destinations.bad.endpoint"),
        ("type: klaviyo\n    endpoint: ftp://x", "destinations.bad.endpoint"),
        ("type: webhook\n    endpoint: http://x", "destinations.bad.consent_channel"),
        (
            "type: klaviyo\n    endpoint: http://x\n    credentials: {api_key: pk_live_123}",
            "destinations.bad.credentials",
        ),
        ("type: klaviyo\n    endpoint: http://x\n    credentials: {}", "credentials.api_key"),
        ("type: klaviyo\n    endpoint: http://x\n    credentials: {key: K}", "credentials.key"),
        ("type: klaviyo\n    endpoint: http://x\n    limit: {}", "destinations.bad.limit"),
        ("type: klaviyo\n    endpoint: ${UNSET_SANDBOX_URL}/k", "UNSET_SANDBOX_URL"),
    ],
)
def test_a_bad_destination_names_the_file_the_field_and_the_fix(tmp_path, entry, field):
    path = _write(tmp_path, f"destinations:\n  bad:\n    {entry}\n")

    with pytest.raises(ConfigError) as raised:
        load_destinations(path)

    message = str(raised.value)
    assert str(path) in message
    assert field in message
    assert "Fix:" in message


@pytest.mark.parametrize(
    ("limits", "field", "problem"),
    [
        ("{batch_size: -5}", "destinations.bad.limits", "batch_size must be a whole number >= 1"),
        ("{batch_size: 2.5}", "destinations.bad.limits", "batch_size must be a whole number"),
        ("{requests_per_second: 0}", "destinations.bad.limits", "requests_per_second must be"),
        ("{timeout_seconds: fast}", "destinations.bad.limits", "timeout_seconds must be a number"),
        ("{max_retries: -1}", "destinations.bad.limits", "max_retries must be"),
        ("{requests_per_second: .inf}", "destinations.bad.limits", "requests_per_second must"),
        ("{batchsize: 10}", "destinations.bad.limits.batchsize", "unknown for a klaviyo"),
        ("{api_version: v1}", "destinations.bad.limits.api_version", "unknown for a klaviyo"),
    ],
)
def test_a_bad_limit_is_refused_when_the_file_loads(tmp_path, monkeypatch, limits, field, problem):
    monkeypatch.delenv("UNSET_SANDBOX_URL", raising=False)
    path = _write(
        tmp_path,
        "destinations:\n  bad:\n    type: klaviyo\n    endpoint: http://x\n"
        f"    credentials: {{api_key: KLAVIYO_API_KEY}}\n    limits: {limits}\n",
    )
    with pytest.raises(ConfigError) as raised:
        load_destinations(path)
    assert f"{field}:" in str(raised.value) and problem in str(raised.value)


def test_a_secret_pasted_into_credentials_is_not_echoed_back(tmp_path):
    path = _write(
        tmp_path,
        "destinations:\n  bad:\n    type: klaviyo\n    endpoint: http://x\n"
        "    credentials: {api_key: pk_live_do_not_print}\n",
    )
    with pytest.raises(ConfigError) as raised:
        load_destinations(path)
    assert "pk_live_do_not_print" not in str(raised.value)


def test_a_missing_secret_is_reported_by_variable_name_at_run_time(tmp_path, monkeypatch):
    monkeypatch.delenv("KLAVIYO_API_KEY", raising=False)
    destination = load_destinations(_write(tmp_path, GOOD_DESTINATIONS))["klaviyo_email"]

    with pytest.raises(ConfigError, match="KLAVIYO_API_KEY"):
        destination.read_secrets()


def test_syncs_are_read_from_audience_metadata(tmp_path):
    destinations = load_destinations(_write(tmp_path, GOOD_DESTINATIONS))
    sync = {
        "name": "cart_email",
        "destination": "klaviyo_email",
        "target": "cart-abandoners",
        "mode": "mirror",
        "identifiers": ["email"],
        "fields": {"first_name": "first_name"},
        "cadence": {"freshness_minutes": 30},
        "removal_guard": {"max_share": 0.1},
    }

    [loaded] = load_syncs(_manifest(sync), destinations)

    assert loaded.audience == "cart_abandoners"
    assert loaded.cadence.freshness_minutes == 30
    assert loaded.removal_threshold == 0.1
    assert loaded.destination.name == "klaviyo_email"


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"destination": "nowhere"}, "destination"),
        ({"mode": "sometimes"}, "mode"),
        ({"identifiers": []}, "identifiers"),
        ({"cadence": {"freshness_minutes": -5}}, "cadence.freshness_minutes"),
        ({"removal_guard": {"max_share": 3}}, "removal_guard.max_share"),
        ({"name": "Bad Name"}, "name"),
        ({"identifier": ["email"]}, "identifier"),
        ({"identifiers": ["emial"]}, "identifiers[0]"),
        ({"identifiers": ["phone"]}, "identifiers"),
        ({"fields": {"first_name": "firstname"}}, "fields.first_name"),
        ({"cadence": {"schedule": "every morning"}}, "cadence.schedule"),
    ],
)
def test_a_bad_sync_names_the_model_file_and_field(tmp_path, change, field):
    destinations = load_destinations(_write(tmp_path, GOOD_DESTINATIONS))
    sync = {
        "name": "cart_email",
        "destination": "klaviyo_email",
        "target": "t",
        "identifiers": ["email"],
        **change,
    }

    with pytest.raises(ConfigError) as raised:
        load_syncs(_manifest(sync, columns=("profile_id", "first_name")), destinations)

    assert "dbt_project/models/segments/_segments__models.yml" in str(raised.value)
    assert f"cart_abandoners.syncs[0].{field}" in str(raised.value)


def test_an_audience_missing_from_the_registry_macro_is_an_error():
    with pytest.raises(ConfigError, match=r"audiences\.sql"):
        check_audiences_registered(_manifest(registered=False))


def test_a_destination_named_twice_is_refused_not_silently_replaced(tmp_path):
    path = _write(
        tmp_path,
        GOOD_DESTINATIONS + "  klaviyo_email:\n    type: webhook\n    endpoint: http://x\n"
        "    consent_channel: sms\n    credentials: {signing_secret: S}\n",
    )
    with pytest.raises(ConfigError) as raised:
        load_destinations(path)
    assert "'klaviyo_email' appears twice" in str(raised.value)
    assert "line 12" in str(raised.value)

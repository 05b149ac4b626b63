"""Fixtures for connector tests: one loopback sandbox per session, reset before every test."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

# `connectors` must resolve to this repository's package even when pytest is started without
# the repository on sys.path: a stale editable install otherwise yields an empty namespace
# package. Harmless once the editable install is refreshed (`pip install -e '.[dev]'`).
sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from connectors import DestinationSettings
from connectors.sandbox import DEFAULT_CREDENTIALS, SandboxClient, run_sandbox

SECRETS = {
    "klaviyo": {"api_key": DEFAULT_CREDENTIALS["klaviyo"]},
    "meta_custom_audience": {"access_token": DEFAULT_CREDENTIALS["meta"]},
    "webhook": {"signing_secret": DEFAULT_CREDENTIALS["webhook"]},
}
PREFIXES = {"klaviyo": "klaviyo", "meta_custom_audience": "meta", "webhook": "webhook"}


@pytest.fixture(scope="session")
def sandbox_url() -> Iterator[str]:
    with run_sandbox() as url:
        yield url


@pytest.fixture
def sandbox(sandbox_url: str) -> Iterator[SandboxClient]:
    with SandboxClient(sandbox_url) as client:
        client.reset()
        yield client


@pytest.fixture
def settings_for(sandbox_url: str):
    """Settings pointing at the sandbox with short backoffs, so failure tests stay fast."""

    def build(destination_type: str, **overrides: Any) -> DestinationSettings:
        values: dict[str, Any] = {
            "name": f"test_{destination_type}",
            "type": destination_type,
            "endpoint": f"{sandbox_url}/{PREFIXES[destination_type]}",
            "requests_per_second": None,
            "max_retries": 3,
            "timeout_seconds": 5.0,
            "max_backoff_seconds": 0.05,
            "initial_backoff_seconds": 0.01,
            "options": {"profile_requests_per_second": 10_000},
        }
        values.update(overrides)
        return DestinationSettings(**values)

    return build

"""Fixtures for connector tests.

The sandbox itself (`sandbox_url`, and `sandbox`: a `SandboxClient` reset before every test)
comes from `tests/conftest.py`; here are settings that point at it with short backoffs.
"""

from __future__ import annotations

from typing import Any

import pytest

from connectors import DestinationSettings

PREFIXES = {"klaviyo": "klaviyo", "meta_custom_audience": "meta", "webhook": "webhook"}


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

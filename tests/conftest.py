"""Shared test set-up: the sandbox's address and secrets are fixed before anything loads config.

Destinations are read from `destinations.yaml`, which takes the sandbox URL from
`ACTIVATION_SANDBOX_URL`; the Dagster definitions read it once, so it is chosen here, at import.
"""

from __future__ import annotations

import os
import socket
from pathlib import Path

import pytest

REPOSITORY_ROOT = Path(__file__).resolve().parent.parent


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


SANDBOX_PORT = _free_port()
os.environ["ACTIVATION_SANDBOX_URL"] = f"http://127.0.0.1:{SANDBOX_PORT}"
os.environ["ACTIVATION_DESTINATIONS_FILE"] = str(
    REPOSITORY_ROOT / "tests" / "destinations.test.yaml"
)
os.environ.setdefault("ACTIVATION_DUCKDB_TIMEZONE", "UTC")


def _use_sandbox_credentials() -> None:
    from connectors.sandbox import DEFAULT_CREDENTIALS

    os.environ["KLAVIYO_API_KEY"] = DEFAULT_CREDENTIALS["klaviyo"]
    os.environ["META_ACCESS_TOKEN"] = DEFAULT_CREDENTIALS["meta"]
    os.environ["CRM_WEBHOOK_SECRET"] = DEFAULT_CREDENTIALS["webhook"]


_use_sandbox_credentials()


@pytest.fixture(scope="session")
def sandbox_url():
    """One sandbox for the whole session, on the port the configuration points at."""
    from connectors.sandbox import run_sandbox

    with run_sandbox(port=SANDBOX_PORT) as url:
        yield url


@pytest.fixture
def sandbox(sandbox_url):
    """The sandbox's control client, reset before each test."""
    from connectors.sandbox import SandboxClient

    client = SandboxClient(sandbox_url)
    client.reset()
    yield client
    client.clear_faults()
    client.close()


@pytest.fixture(autouse=True)
def no_remembered_outages():
    """Each test starts without destinations another test found unavailable."""
    from connectors.http import forget_outages

    forget_outages()
    yield
    forget_outages()

"""The configuration's shapes and the error every loader raises.

Destinations live in `destinations.yaml` (`activation.config.destinations`); syncs are declared
next to their audience in the dbt YAML (`config.meta.audience.syncs`) and read from the dbt
manifest (`activation.config.syncs`). Every problem is a `ConfigError` that names the file, the
field and the fix.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

DESTINATION_TYPES = {
    "klaviyo": "email",
    "meta_custom_audience": "ads",
    "webhook": None,  # a webhook can feed anything, so it must name its consent channel
}
CONSENT_CHANNELS = ("email", "sms", "push", "ads")
SYNC_MODES = ("mirror", "upsert", "update-only", "create-only", "add-only")
DEFAULT_REMOVAL_THRESHOLD = 0.2


class ConfigError(ValueError):
    """A configuration file has a wrong or missing entry."""

    def __init__(self, where: str, field_path: str, problem: str, fix: str):
        super().__init__(f"{where}: {field_path}: {problem}. Fix: {fix}")
        self.where = where
        self.field_path = field_path


@dataclass(frozen=True)
class DestinationConfig:
    """One destination account: where it is, which secrets it needs and its limits."""

    name: str
    type: str
    endpoint: str
    consent_channel: str
    credentials: Mapping[str, str]  # secret name -> environment variable holding it
    options: Mapping[str, Any] = field(default_factory=dict)

    def read_secrets(self) -> dict[str, str]:
        """Read this destination's secrets from the environment, at run time only."""
        missing = [env for env in self.credentials.values() if not os.environ.get(env)]
        if missing:
            raise ConfigError(
                f"destination '{self.name}'",
                "credentials",
                f"environment variable(s) {', '.join(sorted(missing))} not set",
                "export them before running the sync",
            )
        return {secret: os.environ[env] for secret, env in self.credentials.items()}


@dataclass(frozen=True)
class Cadence:
    """When a sync runs: on a cron schedule, within a freshness target, or on every change."""

    schedule: str | None = None
    freshness_minutes: int | None = None
    on_change: bool = False


@dataclass(frozen=True)
class SyncConfig:
    """One audience feeding one destination target."""

    name: str
    audience: str
    destination: DestinationConfig
    target: str
    mode: str
    identifiers: tuple[str, ...]
    fields: Mapping[str, str]
    cadence: Cadence
    removal_threshold: float = DEFAULT_REMOVAL_THRESHOLD
    removal_floor: int = 0  # plans removing fewer rows than this are never held


def reject_unknown_fields(where: str, prefix: str, entry: Mapping[str, Any], known) -> None:
    """A `ConfigError` for the first key of `entry` that is not in `known`."""
    for key in entry:
        if key not in known:
            raise ConfigError(
                where, f"{prefix}.{key}", "unknown field", f"use only {', '.join(known)}"
            )

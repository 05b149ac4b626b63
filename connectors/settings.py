"""Destination settings and the secrets a connector holds."""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from connectors.errors import ConfigurationError

DESTINATION_TYPES = ("webhook", "klaviyo", "meta_custom_audience")
LIMIT_FIELDS = (
    "batch_size",
    "requests_per_second",
    "max_retries",
    "timeout_seconds",
    "max_backoff_seconds",
    "initial_backoff_seconds",
    "max_failed_requests",
    "outage_cooldown_seconds",
)


@dataclass(frozen=True)
class DestinationSettings:
    """One destination account as a connector needs it.

    Attributes:
        name: The destination's name, used in logs and error messages.
        type: `webhook`, `klaviyo` or `meta_custom_audience`.
        endpoint: API base URL (the vendor's, or the sandbox's).
        batch_size: Records per request; clamped to the vendor's maximum.
        requests_per_second: Steady request rate; `None` takes the vendor's published limit.
        max_retries: Retries of one request after a retriable failure.
        timeout_seconds: Per-request timeout.
        max_backoff_seconds: Cap on any single wait, `Retry-After` included.
        initial_backoff_seconds: First backoff; doubles with each retry.
        max_failed_requests: Requests in a row without an answer, retries and all, that stop
            a delivery; after the first, each further request gets a single try.
        outage_cooldown_seconds: After that, how long other deliveries in the same process
            skip the destination instead of spending their own retries on it.
        options: Per-type options (e.g. Meta `api_version`).
    """

    name: str
    type: str
    endpoint: str
    batch_size: int | None = None
    requests_per_second: float | None = None
    max_retries: int = 5
    timeout_seconds: float = 30.0
    max_backoff_seconds: float = 60.0
    initial_backoff_seconds: float = 0.5
    max_failed_requests: int = 3
    outage_cooldown_seconds: float = 300.0
    options: Mapping[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if self.type not in DESTINATION_TYPES:
            raise ConfigurationError(
                f"destination '{self.name}': unknown type {self.type!r}; "
                f"use one of {list(DESTINATION_TYPES)}"
            )
        if not self.endpoint.startswith(("http://", "https://")):
            raise ConfigurationError(f"destination '{self.name}': endpoint must be an http(s) URL")
        self._check_number("batch_size", self.batch_size, whole=True, minimum=1, optional=True)
        self._check_number("requests_per_second", self.requests_per_second, optional=True)
        self._check_number("max_retries", self.max_retries, whole=True, minimum=0)
        self._check_number("timeout_seconds", self.timeout_seconds)
        self._check_number("max_backoff_seconds", self.max_backoff_seconds, minimum=0)
        self._check_number("initial_backoff_seconds", self.initial_backoff_seconds, minimum=0)
        self._check_number("max_failed_requests", self.max_failed_requests, whole=True, minimum=1)
        self._check_number("outage_cooldown_seconds", self.outage_cooldown_seconds, minimum=0)

    def _check_number(
        self,
        name: str,
        value: Any,
        *,
        whole: bool = False,
        minimum: float | None = None,
        optional: bool = False,
    ) -> None:
        """A limit must be a number (a whole one where `whole`), above 0 or at least `minimum`."""
        if value is None and optional:
            return
        kind = int if whole else (int, float)
        in_range = (
            isinstance(value, kind)
            and not isinstance(value, bool)
            and math.isfinite(value)
            and (value >= minimum if minimum is not None else value > 0)
        )
        if not in_range:
            bound = f">= {minimum}" if minimum is not None else "> 0"
            noun = "a whole number" if whole else "a number"
            raise ConfigurationError(
                f"destination '{self.name}': {name} must be {noun} {bound}, not {value!r}"
            )

    @classmethod
    def from_options(
        cls, name: str, type: str, endpoint: str, options: Mapping[str, Any]
    ) -> DestinationSettings:
        """Build settings from a flat mapping of limits and per-type options.

        Known limit names become fields; everything else lands in `options`.
        """
        limits = {key: options[key] for key in LIMIT_FIELDS if options.get(key) is not None}
        extra = {key: value for key, value in options.items() if key not in LIMIT_FIELDS}
        return cls(name=name, type=type, endpoint=endpoint.rstrip("/"), options=extra, **limits)

    def effective_batch_size(self, default: int, maximum: int) -> int:
        """The configured batch size, or `default`, never above the vendor's `maximum`."""
        return max(1, min(self.batch_size or default, maximum))


class Secrets:
    """Secret values a connector needs, hidden from every repr and str."""

    def __init__(self, destination: str, values: Mapping[str, str]):
        self._destination = destination
        self._values = {name: value for name, value in values.items() if value}

    def require(self, name: str) -> str:
        """The secret called `name`, or a `ConfigurationError` naming what is missing."""
        value = self._values.get(name)
        if not value:
            raise ConfigurationError(
                f"destination '{self._destination}' needs the secret '{name}', which is not set"
            )
        return value

    def redact(self, text: str) -> str:
        """`text` with every secret value replaced by `***`."""
        for value in self._values.values():
            text = text.replace(value, "***")
        return text

    def __repr__(self) -> str:
        return f"Secrets({sorted(self._values)!r}, values hidden)"

    __str__ = __repr__

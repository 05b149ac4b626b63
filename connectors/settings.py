"""Destination settings and the secrets a connector holds."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from connectors.errors import ConfigurationError

DESTINATION_TYPES = ("webhook", "klaviyo", "meta_custom_audience")
_LIMIT_FIELDS = (
    "batch_size",
    "requests_per_second",
    "max_retries",
    "timeout_seconds",
    "max_backoff_seconds",
    "initial_backoff_seconds",
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
    options: Mapping[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if self.type not in DESTINATION_TYPES:
            raise ConfigurationError(
                f"destination '{self.name}': unknown type {self.type!r}; "
                f"use one of {list(DESTINATION_TYPES)}"
            )
        if not self.endpoint.startswith(("http://", "https://")):
            raise ConfigurationError(f"destination '{self.name}': endpoint must be an http(s) URL")
        if self.batch_size is not None and self.batch_size < 1:
            raise ConfigurationError(f"destination '{self.name}': batch_size must be >= 1")
        if self.requests_per_second is not None and self.requests_per_second <= 0:
            raise ConfigurationError(f"destination '{self.name}': requests_per_second must be > 0")
        if self.max_retries < 0:
            raise ConfigurationError(f"destination '{self.name}': max_retries must be >= 0")

    @classmethod
    def from_options(
        cls, name: str, type: str, endpoint: str, options: Mapping[str, Any]
    ) -> DestinationSettings:
        """Build settings from a flat mapping of limits and per-type options.

        Known limit names become fields; everything else lands in `options`.
        """
        limits = {key: options[key] for key in _LIMIT_FIELDS if options.get(key) is not None}
        extra = {key: value for key, value in options.items() if key not in _LIMIT_FIELDS}
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

"""`SandboxClient`: the control API from Python, for tests and the demo."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import httpx


class SandboxClient:
    """Reads back what the sandbox holds and injects faults.

    Args:
        base_url: The sandbox's base URL, e.g. from `run_sandbox()`.
    """

    def __init__(self, base_url: str, *, timeout: float = 10.0):
        self.base_url = base_url.rstrip("/")
        self._http = httpx.Client(base_url=f"{self.base_url}/_sandbox", timeout=timeout)

    def health(self) -> bool:
        """True when the sandbox answers."""
        return self._call("GET", "/health").get("ok") is True

    def reset(self) -> None:
        """Forget members, profiles, logs and faults."""
        self._call("POST", "/reset")

    def members(self, service: str, target: str) -> list[dict[str, Any]]:
        """Current members of a Klaviyo list, Meta audience or webhook target."""
        return self._call("GET", f"/members/{service}/{target}")["members"]

    def klaviyo_profiles(self) -> list[dict[str, Any]]:
        """Every Klaviyo profile the sandbox holds."""
        return self._call("GET", "/klaviyo/profiles")["profiles"]

    def requests(self, service: str | None = None) -> list[dict[str, Any]]:
        """The request log (credentials masked), optionally for one service."""
        params = {"service": service} if service else None
        return self._call("GET", "/requests", params=params)["requests"]

    def events(self) -> list[dict[str, Any]]:
        """Membership changes, one per actual add or removal."""
        return self._call("GET", "/events")["events"]

    def faults(self) -> list[dict[str, Any]]:
        """The active faults."""
        return self._call("GET", "/faults")["faults"]

    def clear_faults(self) -> None:
        """Remove every fault."""
        self._call("DELETE", "/faults")

    def add_fault(self, kind: str, **options: Any) -> None:
        """Add any fault; see `connectors.sandbox.faults.Fault` for kinds and options."""
        self._call("POST", "/faults", json={"kind": kind, **options})

    def rate_limit(self, count: int = 1, retry_after: str | float | None = 1, service=None):
        """Answer the next `count` requests with 429 and this `Retry-After`."""
        self.add_fault("rate_limit", count=count, retry_after=retry_after, service=service)

    def server_error(self, count: int = 1, status: int = 503, service: str | None = None):
        """Answer the next `count` requests with a 5xx."""
        self.add_fault("server_error", count=count, status=status, service=service)

    def delay(self, seconds: float, count: int | None = 1, service: str | None = None):
        """Hold the next `count` requests for `seconds` before answering."""
        self.add_fault("delay", seconds=seconds, count=count, service=service)

    def unauthorized(self, count: int | None = 1, service: str | None = None):
        """Answer the next `count` requests with 401 whatever the credentials."""
        self.add_fault("unauthorized", count=count, service=service)

    def reject_batch_containing(self, identifiers: Iterable[str], service=None, reason=None):
        """Refuse with a whole-batch 400 any request holding one of `identifiers`."""
        self._matched("reject_batch", identifiers, service, reason)

    def reject_records(self, identifiers: Iterable[str], service=None, reason=None):
        """Refuse these records inside an otherwise successful response."""
        self._matched("reject_records", identifiers, service, reason)

    def fail_records(self, identifiers: Iterable[str], service=None, reason=None):
        """Answer 503 whenever a request holds one of `identifiers` (retriable, until cleared)."""
        self._matched("fail_records", identifiers, service, reason)

    def retry_records(self, identifiers: Iterable[str], service=None, reason=None):
        """Report these records as retriable failures inside a 2xx (webhook)."""
        self._matched("retry_records", identifiers, service, reason)

    def close(self) -> None:
        """Close the HTTP client."""
        self._http.close()

    def __enter__(self) -> SandboxClient:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def _matched(self, kind: str, identifiers: Iterable[str], service, reason) -> None:
        options: dict[str, Any] = {"identifiers": list(identifiers), "service": service}
        if reason:
            options["reason"] = reason
        self.add_fault(kind, **options)

    def _call(self, method: str, path: str, **kwargs: Any) -> dict[str, Any]:
        response = self._http.request(method, path, **kwargs)
        response.raise_for_status()
        return response.json()

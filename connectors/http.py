"""Sending one request with rate limiting, retries and error classification.

This is the one place that decides what is retriable (429, 5xx, timeouts, connection errors),
what stops a run (401/403) and what refuses a batch (other 4xx).
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Mapping
from typing import Any

import httpx

from connectors.errors import (
    AuthenticationError,
    DestinationStillUnavailable,
    DestinationUnavailable,
    RequestRejected,
    RetriesExhausted,
)
from connectors.ratelimit import TokenBucket
from connectors.retry import backoff_seconds, is_authentication_status, is_retriable_status
from connectors.settings import DestinationSettings, Secrets

logger = logging.getLogger(__name__)
_DETAIL_LIMIT = 500

# Destinations found unavailable in this process: (name, endpoint) -> (found at, until, reason).
# Every sync to a down destination would otherwise spend its own retries and timeouts on it
# while holding the warehouse; one finding is enough for `outage_cooldown_seconds`.
_outages: dict[tuple[str, str], tuple[float, float, str]] = {}
_outages_lock = threading.Lock()


def forget_outages() -> None:
    """Drop every remembered outage (for tests, and after fixing a destination by hand)."""
    with _outages_lock:
        _outages.clear()


class HttpSender:
    """Sends requests for one destination and returns only successful responses.

    Args:
        settings: The destination's limits and identity.
        secrets: Used only to redact error text.
        transport: Optional httpx transport (tests use `MockTransport` or a recording wrapper).
        sleep: Sleep function, replaceable in tests.
    """

    def __init__(
        self,
        settings: DestinationSettings,
        secrets: Secrets,
        *,
        transport: httpx.BaseTransport | None = None,
        sleep: Callable[[float], None] = time.sleep,
    ):
        self.settings = settings
        self._secrets = secrets
        self._sleep = sleep
        # Requests in a row that got no answer even after their retries. While it is above zero
        # the destination looks down, so each further request gets a single try.
        self.unanswered_streak = 0
        self._client = httpx.Client(
            transport=transport,
            timeout=settings.timeout_seconds,
            follow_redirects=False,
        )

    def send(
        self,
        method: str,
        url: str,
        *,
        headers: Mapping[str, str],
        content: bytes | None = None,
        limiter: TokenBucket | None = None,
        accept_status: Callable[[int], bool] | None = None,
        is_auth_failure: Callable[[httpx.Response], bool] | None = None,
    ) -> httpx.Response:
        """Send one request, retrying retriable failures, and return the 2xx response.

        Args:
            method: HTTP method.
            url: Full URL; never carries a secret.
            headers: Headers, secrets included; never logged.
            content: Raw body bytes.
            limiter: Token bucket to take a token from before every attempt.
            accept_status: Extra statuses the caller handles itself (returned, not raised).
            is_auth_failure: Recognises vendor-specific credential errors sent as other 4xx.

        Raises:
            AuthenticationError: On 401/403.
            RequestRejected: On any other non-retriable 4xx.
            RetriesExhausted: When retriable failures outlast `max_retries`.
            DestinationUnavailable: When `max_failed_requests` requests in a row did.
        """
        self._refuse_during_outage()
        attempts = 1 if self.unanswered_streak else self.settings.max_retries + 1
        last_problem = ""
        for attempt in range(1, attempts + 1):
            if limiter is not None:
                limiter.acquire()
            response: httpx.Response | None = None
            try:
                response = self._client.request(method, url, headers=headers, content=content)
            except httpx.TimeoutException:
                last_problem = f"timed out after {self.settings.timeout_seconds}s"
            except httpx.TransportError as error:
                last_problem = f"connection problem ({type(error).__name__})"
            else:
                status = response.status_code
                if 200 <= status < 300 or (accept_status is not None and accept_status(status)):
                    self.unanswered_streak = 0
                    self._outage_over()
                    return response
                if not is_retriable_status(status):
                    self.unanswered_streak = 0  # a refusal is an answer: the destination is up
                if is_authentication_status(status) or (
                    is_auth_failure is not None and is_auth_failure(response)
                ):
                    raise AuthenticationError(self.settings.name, status, self.detail(response))
                if not is_retriable_status(status):
                    raise RequestRejected(status, self.detail(response))
                last_problem = f"HTTP {status}: {self.detail(response)}"
            if attempt == attempts:
                break
            wait = backoff_seconds(
                attempt,
                initial=self.settings.initial_backoff_seconds,
                maximum=self.settings.max_backoff_seconds,
                response=response,
            )
            logger.info(
                "%s: %s %s attempt %s/%s failed (%s); retrying in %.2fs",
                self.settings.name,
                method,
                self._masked(url),
                attempt,
                attempts,
                last_problem,
                wait,
            )
            self._sleep(wait)
        self.unanswered_streak += 1
        if self.unanswered_streak >= self.settings.max_failed_requests:
            now = time.monotonic()
            with _outages_lock:
                _outages[self._outage_key] = (
                    now,
                    now + self.settings.outage_cooldown_seconds,
                    last_problem,
                )
            raise DestinationUnavailable(self.settings.name, self.unanswered_streak, last_problem)
        raise RetriesExhausted(f"gave up after {attempts} attempts: {last_problem}")

    @property
    def _outage_key(self) -> tuple[str, str]:
        return (self.settings.name, self.settings.endpoint)

    def _refuse_during_outage(self) -> None:
        with _outages_lock:
            outage = _outages.get(self._outage_key)
        if outage is None:
            return
        found_at, until, reason = outage
        now = time.monotonic()
        if now < until:
            raise DestinationStillUnavailable(
                self.settings.name, now - found_at, until - now, reason
            )

    def _outage_over(self) -> None:
        with _outages_lock:
            _outages.pop(self._outage_key, None)

    def detail(self, response: httpx.Response) -> str:
        """The destination's error text, shortened and with any secret removed."""
        text = _error_text(response)
        return self._secrets.redact(text)[:_DETAIL_LIMIT]

    def _masked(self, url: str) -> str:
        return self._secrets.redact(str(httpx.URL(url).copy_with(query=None)))

    def close(self) -> None:
        """Close the underlying connection pool."""
        self._client.close()

    def __repr__(self) -> str:
        return f"HttpSender(destination={self.settings.name!r})"


def _error_text(response: httpx.Response) -> str:
    try:
        body: Any = response.json()
    except ValueError:
        return response.text.strip() or response.reason_phrase
    if isinstance(body, dict):
        errors = body.get("errors")
        if isinstance(errors, list) and errors:
            return "; ".join(
                str(error.get("detail") or error.get("title") or error)
                if isinstance(error, dict)
                else str(error)
                for error in errors
            )
        error = body.get("error")
        if isinstance(error, dict):
            return str(error.get("message") or error)
        if error:
            return str(error)
    return response.text.strip()[:_DETAIL_LIMIT]

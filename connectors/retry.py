"""When to retry a request, and how long to wait before the next attempt."""

from __future__ import annotations

import random
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime

import httpx

RETRIABLE_STATUS = frozenset({408, 425, 429, 500, 502, 503, 504})


def is_retriable_status(status_code: int) -> bool:
    """True for rate limiting and server-side trouble, which a later attempt may get past."""
    return status_code in RETRIABLE_STATUS or status_code >= 500


def is_authentication_status(status_code: int) -> bool:
    """True when the destination refused the credentials themselves."""
    return status_code in (401, 403)


def parse_retry_after(value: str | None, *, now: datetime | None = None) -> float | None:
    """Seconds to wait from a `Retry-After` header (delta-seconds or HTTP date), or `None`."""
    if not value:
        return None
    value = value.strip()
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - (now or datetime.now(UTC))).total_seconds())


def backoff_seconds(
    attempt: int,
    *,
    initial: float,
    maximum: float,
    response: httpx.Response | None = None,
) -> float:
    """The wait before retry number `attempt` (1-based).

    A `Retry-After` from the destination wins over our own schedule, since it knows its limits;
    otherwise exponential backoff with full jitter spreads out clients that failed together.
    Either way no wait exceeds `maximum`.
    """
    if response is not None:
        asked = parse_retry_after(response.headers.get("retry-after"))
        if asked is not None:
            return min(asked, maximum)
    ceiling = min(maximum, initial * (2 ** (attempt - 1)))
    return random.uniform(ceiling / 2, ceiling)

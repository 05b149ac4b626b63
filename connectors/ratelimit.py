"""A token bucket that spaces requests to a destination's published rate."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable


class TokenBucket:
    """Allows `rate` requests per second on average, with bursts up to `capacity`.

    Args:
        rate: Tokens added per second; `None` disables limiting.
        capacity: Largest burst; defaults to one second's worth (at least one request).
        clock: Monotonic clock, replaceable in tests.
        sleep: Sleep function, replaceable in tests.
    """

    def __init__(
        self,
        rate: float | None,
        capacity: float | None = None,
        *,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ):
        self.rate = rate
        self.capacity = max(1.0, capacity if capacity is not None else (rate or 1.0))
        self._tokens = self.capacity
        self._clock = clock
        self._sleep = sleep
        self._updated = clock()
        self._lock = threading.Lock()

    def acquire(self) -> float:
        """Take one token, sleeping until one is available; returns the seconds waited."""
        if self.rate is None:
            return 0.0
        with self._lock:
            now = self._clock()
            self._tokens = min(self.capacity, self._tokens + (now - self._updated) * self.rate)
            self._updated = now
            wait = 0.0 if self._tokens >= 1 else (1 - self._tokens) / self.rate
            # The token is spent now even when we must wait for it, so concurrent callers queue.
            self._tokens -= 1
        if wait:
            self._sleep(wait)
        return wait

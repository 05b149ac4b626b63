"""Every exception a connector raises, in one tree.

```
ConnectorError                    anything a connector raises on purpose
├── ConfigurationError            a destination entry or secret is missing or wrong; fix config
├── DeliveryInterrupted           the delivery stops; outcomes so far ride on `completed`
│   ├── AuthenticationError       401/403: the credentials were refused
│   └── DestinationUnavailable    request after request got no answer, retries and all
└── DeliveryError                 a request could not be completed (internal to a batch)
    ├── RetriesExhausted          429/5xx/timeouts persisted past the retry budget -> `failed`
    └── RequestRejected           another 4xx: this batch is refused -> bisected, then `rejected`
```

`DeliveryError`s never escape `Connector.deliver`: they become per-record outcomes. Only
`ConfigurationError` and `DeliveryInterrupted` stop a run. No message ever holds a secret.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from connectors.records import RecordOutcome


class ConnectorError(Exception):
    """Base class for every error a connector raises on purpose."""


class ConfigurationError(ConnectorError):
    """A destination is configured wrongly or a secret it needs is missing."""


class DeliveryInterrupted(ConnectorError):
    """Sending more now would be pointless, so `deliver` stops and raises this.

    `completed` holds the outcomes of the batches finished before, so the caller can still
    record what the destination acknowledged; records not reached stay pending.
    """

    def __init__(self, message: str):
        super().__init__(message)
        self.completed: list[RecordOutcome] = []


class AuthenticationError(DeliveryInterrupted):
    """The destination refused the credentials (HTTP 401 or 403).

    No record can succeed until someone fixes the credentials.
    """

    def __init__(self, destination: str, status_code: int, detail: str = ""):
        message = (
            f"destination '{destination}' refused the credentials (HTTP {status_code}); "
            "check the secret configured for it"
        )
        if detail:
            message += f": {detail}"
        super().__init__(message)
        self.destination = destination
        self.status_code = status_code


class DestinationUnavailable(DeliveryInterrupted):
    """Several requests in a row got no answer even after their retries.

    The destination is down, unreachable or overloaded; grinding through every remaining
    request would only spend each one's retry budget. The rest waits for the next run.
    """

    def __init__(self, destination: str, requests: int, last_reason: str):
        super().__init__(
            f"destination '{destination}' looks unavailable: {requests} requests in a row got "
            f"no answer after retries (last: {last_reason}); the rest is left for the next run"
        )
        self.destination = destination
        self.last_reason = last_reason


class DeliveryError(ConnectorError):
    """A request for one batch did not succeed."""


class RetriesExhausted(DeliveryError):
    """A retriable problem (429, 5xx, timeout, connection error) outlasted the retry budget."""


class RequestRejected(DeliveryError):
    """The destination refused the request with a non-retriable 4xx."""

    def __init__(self, status_code: int, detail: str):
        super().__init__(f"HTTP {status_code}: {detail}")
        self.status_code = status_code
        self.detail = detail


class DestinationStillUnavailable(DestinationUnavailable):
    """Another delivery in this process found the destination unavailable moments ago."""

    def __init__(self, destination: str, seconds_ago: float, seconds_left: float, reason: str):
        DeliveryInterrupted.__init__(
            self,
            f"destination '{destination}' was found unavailable {seconds_ago:.0f}s ago by another "
            f"sync ({reason}); not tried again for {seconds_left:.0f}s, so the rest is left for "
            "the next run",
        )
        self.destination = destination
        self.last_reason = reason

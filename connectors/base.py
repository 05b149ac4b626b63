"""What every connector shares: input checks, batching, bisection and honest outcomes."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from functools import partial
from typing import Protocol

import httpx

from connectors.batching import chunked, deliver_batch, log_batch
from connectors.errors import ConfigurationError, DeliveryInterrupted
from connectors.http import HttpSender
from connectors.ratelimit import TokenBucket
from connectors.records import Action, Record, RecordOutcome, outcome_for
from connectors.settings import DestinationSettings, Secrets

ACTIONS = ("add", "update", "remove")


class Connector(Protocol):
    """A client for one destination target."""

    def deliver(self, action: Action, records: Sequence[Record]) -> list[RecordOutcome]:
        """Send `records` and return exactly one outcome per record."""
        ...

    def close(self) -> None:
        """Release connections."""
        ...


class BaseConnector:
    """Shared life of a delivery: check each record, send batches, account for every record.

    Subclasses set the batch limits and implement `invalid_reason` and `send_batch`; they may
    override `deliver_chunk` when a batch takes more than one request.
    """

    default_batch_size = 500
    max_batch_size = 500
    required_secret: str | None = None  # the secret a connector cannot work without
    extra_options: tuple[str, ...] = ()  # per-type settings accepted besides the shared limits
    accepted_identifiers: tuple[str, ...] | None = None  # identifiers it can match on; None: any

    def __init__(
        self,
        settings: DestinationSettings,
        target: str,
        secrets: Mapping[str, str],
        *,
        transport: httpx.BaseTransport | None = None,
    ):
        if not str(target):
            raise ConfigurationError(f"destination '{settings.name}': target is empty")
        self.settings = settings
        self.target = str(target)
        self.secrets = Secrets(settings.name, secrets)
        self.sender = HttpSender(settings, self.secrets, transport=transport)
        self.batch_size = settings.effective_batch_size(
            self.default_batch_size, self.max_batch_size
        )
        self.limiter = TokenBucket(settings.requests_per_second)
        if self.required_secret:
            self.secrets.require(self.required_secret)  # fail at build time, not mid-run
        self.prepare()

    def prepare(self) -> None:
        """Hook for a connector to derive its URLs and state from settings and target."""

    def deliver(self, action: Action, records: Sequence[Record]) -> list[RecordOutcome]:
        """Send `records` for `action` and return exactly one outcome per record.

        Raises:
            AuthenticationError: The destination refused the credentials; the run must stop.
            DestinationUnavailable: `max_failed_requests` requests in a row got no answer.
            ConfigurationError: The action or configuration is unusable.
        """
        if action not in ACTIONS:
            raise ConfigurationError(f"unknown action {action!r}; use one of {list(ACTIONS)}")
        outcomes: list[RecordOutcome] = []
        sendable: list[Record] = []
        for record in records:
            reason = self.invalid_reason(action, record)
            if reason is None:
                sendable.append(record)
            else:
                outcomes.append(outcome_for(record, "invalid", reason))
        if outcomes:
            log_batch(self.settings.name, f"{action} (refused before sending)", outcomes)
        self.start(action, sendable)
        for batch in chunked(sendable, self.batch_size):
            try:
                results = _one_per_record(batch, self.deliver_chunk(action, batch))
            except DeliveryInterrupted as error:
                error.completed = outcomes
                raise
            log_batch(self.settings.name, action, results)
            outcomes.extend(results)
        return outcomes

    def start(self, action: Action, records: Sequence[Record]) -> None:
        """Hook called once before the batches of one delivery (e.g. to open a session)."""

    def deliver_chunk(self, action: Action, batch: Sequence[Record]) -> list[RecordOutcome]:
        """Deliver one batch; the default sends it as one request, bisecting on a 4xx."""
        return deliver_batch(partial(self.send_batch, action), batch)

    def invalid_reason(self, action: Action, record: Record) -> str | None:
        """Why `record` cannot be sent at all, or `None` when it can."""
        return None

    def send_batch(self, action: Action, batch: Sequence[Record]) -> list[RecordOutcome]:
        """Send one request for `batch`; raise a `DeliveryError` when it fails as a whole."""
        raise NotImplementedError

    def close(self) -> None:
        """Release connections."""
        self.sender.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return (
            f"{type(self).__name__}(destination={self.settings.name!r}, "
            f"target={self.target!r}, secrets=hidden)"
        )


def _one_per_record(batch: Sequence[Record], results: list[RecordOutcome]) -> list[RecordOutcome]:
    """Guard the contract: a record the destination said nothing about has not been confirmed."""
    seen = {outcome.key for outcome in results}
    missing = [
        outcome_for(record, "failed", "the destination returned no result for this record")
        for record in batch
        if record.key not in seen
    ]
    return results + missing

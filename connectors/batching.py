"""Splitting records into batches, isolating bad rows by bisection, and logging each batch."""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from typing import TypeVar

from connectors.errors import RequestRejected, RetriesExhausted
from connectors.records import Record, RecordOutcome, outcome_for

logger = logging.getLogger(__name__)
T = TypeVar("T")

SendBatch = Callable[[Sequence[Record]], list[RecordOutcome]]


def chunked(items: Sequence[T], size: int) -> Iterator[Sequence[T]]:
    """Consecutive slices of `items` of at most `size` elements."""
    for start in range(0, len(items), size):
        yield items[start : start + size]


def deliver_batch(send: SendBatch, batch: Sequence[Record]) -> list[RecordOutcome]:
    """Send one batch and turn request failures into per-record outcomes.

    A 4xx refusing the whole batch is usually caused by one bad row, so the batch is split in
    halves and each half resent until the refusal is pinned to single records; good rows are
    still delivered. Retriable failures that outlast the budget mark the batch `failed`, to be
    retried by the next run. `AuthenticationError` propagates: nothing can succeed without
    valid credentials.
    """
    if not batch:
        return []
    try:
        return send(batch)
    except RetriesExhausted as error:
        return [outcome_for(record, "failed", str(error)) for record in batch]
    except RequestRejected as error:
        if len(batch) == 1:
            return [outcome_for(batch[0], "rejected", str(error))]
        middle = len(batch) // 2
        return deliver_batch(send, batch[:middle]) + deliver_batch(send, batch[middle:])


def log_batch(destination: str, action: str, outcomes: Sequence[RecordOutcome]) -> None:
    """One summary line for a batch, never one per record."""
    counts = Counter(outcome.status for outcome in outcomes)
    logger.info(
        "%s: %s batch of %s: %s acknowledged, %s invalid, %s rejected, %s failed",
        destination,
        action,
        len(outcomes),
        counts["acknowledged"],
        counts["invalid"],
        counts["rejected"],
        counts["failed"],
    )

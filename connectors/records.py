"""The values that cross the connector boundary: records in, outcomes out."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal

Action = Literal["add", "update", "remove"]
Status = Literal["acknowledged", "invalid", "rejected", "failed"]


@dataclass(frozen=True)
class Record:
    """One profile to send.

    Attributes:
        key: The profile id.
        identifiers: Raw identifiers for add/update (e.g. `{"email": ...}`); for remove, exactly
            the identifiers the connector returned when the add was acknowledged.
        traits: Fields to send, already named as the destination names them.
    """

    key: str
    identifiers: Mapping[str, Any]
    traits: Mapping[str, Any]


@dataclass(frozen=True)
class RecordOutcome:
    """What happened to one record.

    Attributes:
        key: The profile id of the record.
        status: `acknowledged`, `invalid` (refused before sending), `rejected` (refused by the
            destination, permanently) or `failed` (retriable, gave up for this run).
        reason: Human-readable explanation for anything but `acknowledged`; never a secret.
        identifiers: On an acknowledged add/update, what the ledger records so that a later
            removal can find the same person.
    """

    key: str
    status: Status
    reason: str | None = None
    identifiers: Mapping[str, Any] | None = None


def acknowledged(record: Record, identifiers: Mapping[str, Any] | None = None) -> RecordOutcome:
    """An acknowledged outcome for `record`."""
    return RecordOutcome(record.key, "acknowledged", None, identifiers)


def outcome_for(record: Record, status: Status, reason: str) -> RecordOutcome:
    """A non-acknowledged outcome for `record` with its reason."""
    return RecordOutcome(record.key, status, reason)

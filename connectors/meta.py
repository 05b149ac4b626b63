"""Meta custom audience destination: hashed identifiers added and removed in sessions.

Update is a no-op that is acknowledged without a request: the audience holds only hashed
identifiers, so there are no traits to change, and re-adding under a changed email would leave
the old hash behind with nothing recorded to remove it by. The ledger keeps the identifiers it
recorded on add (the outcome carries none).

A row is acknowledged only when Meta's answer accounts for it. `num_received` counts the rows
Meta read from the request, invalid ones included, and `invalid_entry_samples` names invalid
rows by hashed value. A 2xx whose body is not JSON, lacks `num_received`, or counts fewer rows
than were sent confirms nothing: Meta does not say which rows are missing, so every row of that
request is `failed` and sent again next run. When `num_invalid_entries` exceeds the rows the
samples name, the request is split and resent until each invalid row is rejected by itself.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from typing import Any
from urllib.parse import quote

import httpx

from connectors.base import BaseConnector
from connectors.errors import RequestRejected, RetriesExhausted
from connectors.identifiers import hash_or_empty, normalize_email, normalize_phone
from connectors.records import Action, Record, RecordOutcome, acknowledged, outcome_for
from connectors.webhook import canonical_json

DEFAULT_API_VERSION = "v21.0"
MAX_ROWS_PER_REQUEST = 10_000
SCHEMA = ("EMAIL_SHA256", "PHONE_SHA256")
RECORDED_FIELDS = ("email_sha256", "phone_sha256")  # the ledger's names for the columns above
_INVALID_TOKEN_CODE = 190  # Graph API "access token invalid", sent as HTTP 400


class MetaCustomAudienceConnector(BaseConnector):
    """Adds and removes people in one custom audience by SHA-256 of email and phone."""

    default_batch_size = MAX_ROWS_PER_REQUEST
    max_batch_size = MAX_ROWS_PER_REQUEST

    extra_options = ("api_version",)
    accepted_identifiers = ("email", "phone")
    required_secret = "access_token"  # noqa: S105 - the secret\'s name, not its value

    def prepare(self) -> None:
        settings = self.settings
        version = str(settings.options.get("api_version", DEFAULT_API_VERSION))
        self._url = f"{settings.endpoint.rstrip('/')}/{version}/{quote(self.target, safe='')}/users"
        self._session: dict[str, Any] = {}
        self._last_key: str | None = None

    def hashed_identifiers(self, action: Action, record: Record) -> dict[str, str]:
        """The row's hashes: computed from raw identifiers, or as recorded for a removal."""
        if action == "remove":
            return {name: str(record.identifiers.get(name) or "") for name in RECORDED_FIELDS}
        return {
            "email_sha256": hash_or_empty(normalize_email(record.identifiers.get("email"))),
            "phone_sha256": hash_or_empty(normalize_phone(record.identifiers.get("phone"))),
        }

    def invalid_reason(self, action: Action, record: Record) -> str | None:
        """A row is invalid when every identifier normalizes to nothing (so nothing is hashed)."""
        if action == "update":
            return None
        if action == "remove":
            if any(record.identifiers.get(name) for name in RECORDED_FIELDS):
                return None
            return "no recorded email_sha256 or phone_sha256 to remove by"
        has_email = normalize_email(record.identifiers.get("email"))
        if has_email or normalize_phone(record.identifiers.get("phone")):
            return None
        return "neither email nor phone normalizes to a usable value"

    def start(self, action: Action, records: Sequence[Record]) -> None:
        """Open one upload session spanning every request of this delivery."""
        self._session = {
            "session_id": random.getrandbits(62),
            "batch_seq": 0,
            "estimated_num_total": len(records),
        }
        self._last_key = records[-1].key if records else None

    def deliver_chunk(self, action: Action, batch: Sequence[Record]) -> list[RecordOutcome]:
        """Update is acknowledged without a request (see the module docstring)."""
        if action == "update":
            reason = "no-op: Meta audiences hold hashed identifiers only"
            return [RecordOutcome(record.key, "acknowledged", reason) for record in batch]
        return super().deliver_chunk(action, batch)

    def send_batch(self, action: Action, batch: Sequence[Record]) -> list[RecordOutcome]:
        """Send one request of the session; a row counts only when the answer accounts for it."""
        hashes = [self.hashed_identifiers(action, record) for record in batch]
        self._session["batch_seq"] += 1
        session = {
            **self._session,
            # A bisected resend ends with the same record, so the flag stays correct.
            "last_batch_flag": batch[-1].key == self._last_key,
        }
        body = canonical_json(
            {
                "payload": {
                    "schema": list(SCHEMA),
                    "data": [[row[name] for name in RECORDED_FIELDS] for row in hashes],
                },
                "session": session,
            }
        )
        response = self.sender.send(
            "POST" if action == "add" else "DELETE",
            self._url,
            headers={
                "Authorization": f"Bearer {self.secrets.require('access_token')}",
                "Content-Type": "application/json",
            },
            content=body,
            limiter=self.limiter,
            is_auth_failure=_is_invalid_token,
        )
        invalid_count, samples = _read_receipt(response, sent=len(batch))
        problems = [
            next((samples[value] for value in row.values() if value in samples), None)
            for row in hashes
        ]
        named = sum(problem is not None for problem in problems)
        if invalid_count > named:
            # Some invalid rows are not named. Refusing the request makes the shared machinery
            # split it and resend the halves (adding or removing twice changes nothing at Meta)
            # until every invalid row stands alone and is rejected by itself.
            raise RequestRejected(
                response.status_code,
                f"Meta counted {invalid_count} invalid rows (num_invalid_entries) but named only "
                f"{named} in invalid_entry_samples",
            )
        outcomes = []
        for record, row, problem in zip(batch, hashes, problems, strict=True):
            if problem is not None:
                outcomes.append(outcome_for(record, "rejected", self.secrets.redact(problem)))
            else:
                outcomes.append(acknowledged(record, row if action == "add" else None))
        return outcomes


def _read_receipt(response: httpx.Response, *, sent: int) -> tuple[int, dict[str, str]]:
    """`num_invalid_entries` and `invalid_entry_samples` ({hashed value: reason}) of a 2xx.

    Raises:
        RetriesExhausted: The answer does not account for all `sent` rows. Meta never says which
            rows are missing, so no row of the request counts as confirmed.
    """
    unconfirmed = "so no row of the request was confirmed"
    answered = f"Meta answered HTTP {response.status_code}"
    try:
        body = response.json()
    except ValueError:
        raise RetriesExhausted(f"{answered} with a body that is not JSON, {unconfirmed}") from None
    received = body.get("num_received") if isinstance(body, dict) else None
    if not _is_count(received):
        raise RetriesExhausted(f"{answered} without a num_received count, {unconfirmed}")
    if received < sent:
        raise RetriesExhausted(
            f"{answered} with num_received {received} for {sent} rows sent and did not say which "
            f"are missing, {unconfirmed}"
        )
    invalid = body.get("num_invalid_entries")
    samples = body.get("invalid_entry_samples")
    if not isinstance(samples, dict):
        samples = {}
    named = {str(value): str(reason) for value, reason in samples.items() if value}
    return (invalid if _is_count(invalid) else 0), named


def _is_count(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= 0


def _is_invalid_token(response: httpx.Response) -> bool:
    try:
        error = response.json().get("error") or {}
    except (ValueError, AttributeError):
        return False
    return isinstance(error, dict) and error.get("code") == _INVALID_TOKEN_CODE

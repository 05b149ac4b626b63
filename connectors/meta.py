"""Meta custom audience destination: hashed identifiers added and removed in sessions.

Update is a no-op that is acknowledged without a request: the audience holds only hashed
identifiers, so there are no traits to change, and re-adding under a changed email would leave
the old hash behind with nothing recorded to remove it by. The ledger keeps the identifiers it
recorded on add (the outcome carries none).
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from typing import Any
from urllib.parse import quote

import httpx

from connectors.base import BaseConnector
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
        """Send one request of the session and map invalid-entry samples back to records."""
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
        samples = _invalid_samples(response)
        outcomes = []
        for record, row in zip(batch, hashes, strict=True):
            problem = next((samples[value] for value in row.values() if value in samples), None)
            if problem is None:
                outcomes.append(acknowledged(record, row if action == "add" else None))
            else:
                outcomes.append(outcome_for(record, "rejected", self.secrets.redact(problem)))
        return outcomes


def _invalid_samples(response: httpx.Response) -> dict[str, str]:
    """`invalid_entry_samples` as {hashed value: reason}; the response may omit it."""
    try:
        body = response.json()
    except ValueError:
        return {}
    samples = body.get("invalid_entry_samples") if isinstance(body, dict) else None
    if not isinstance(samples, dict):
        return {}
    return {str(value): str(reason) for value, reason in samples.items()}


def _is_invalid_token(response: httpx.Response) -> bool:
    try:
        error = response.json().get("error") or {}
    except (ValueError, AttributeError):
        return False
    return isinstance(error, dict) and error.get("code") == _INVALID_TOKEN_CODE

"""Klaviyo destination: list membership only, never consent.

Add upserts each person with `create_or_update_profile` (one request per record, so each
outcome is exactly what Klaviyo said about that person, and the response carries the profile
id), then adds the acknowledged profiles with `add_profiles_to_list`, at most 1,000 per call.
Update upserts the profile's attributes and properties. Remove sends the recorded profile ids to
`remove_profiles_from_list`. No payload ever carries `subscriptions`: list membership does not
change consent.

Rates: `requests_per_second` paces the list calls (default: the published 150/min, burst 10);
the option `profile_requests_per_second` paces profile upserts (default 750/min, burst 75).
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from functools import partial
from typing import Any
from urllib.parse import quote

from connectors.base import BaseConnector
from connectors.batching import deliver_batch
from connectors.errors import RetriesExhausted
from connectors.identifiers import normalize_email
from connectors.ratelimit import TokenBucket
from connectors.records import Action, Record, RecordOutcome, acknowledged

REVISION = "2026-07-15"
JSON_API = "application/vnd.api+json"
MAX_PROFILES_PER_LIST_CALL = 1_000
# Published limits: list endpoints burst 10/s, steady 150/m; profile upsert burst 75/s, 750/m.
LIST_RATE = (150 / 60, 10)
PROFILE_RATE = (750 / 60, 75)
STANDARD_ATTRIBUTES = frozenset(
    {"first_name", "last_name", "organization", "locale", "title", "image", "location"}
)
# Identity comes from the identifiers; consent is decided upstream and never written here.
NEVER_SENT = frozenset({"email", "id", "subscriptions", "_kx", "phone_number", "external_id"})
PROFILE_ID = "klaviyo_profile_id"


class KlaviyoConnector(BaseConnector):
    """Keeps one Klaviyo list's membership in step with an audience."""

    default_batch_size = MAX_PROFILES_PER_LIST_CALL
    max_batch_size = MAX_PROFILES_PER_LIST_CALL

    extra_options = ("profile_requests_per_second",)
    accepted_identifiers = ("email",)
    required_secret = "api_key"  # noqa: S105 - the secret\'s name, not its value

    def prepare(self) -> None:
        settings = self.settings
        base = settings.endpoint.rstrip("/")
        self._profile_url = f"{base}/api/profile-import"
        self._list_url = f"{base}/api/lists/{quote(self.target, safe='')}/relationships/profiles"
        list_rate, list_burst = LIST_RATE
        self.limiter = TokenBucket(settings.requests_per_second or list_rate, list_burst)
        profile_rate, profile_burst = PROFILE_RATE
        self.profile_limiter = TokenBucket(
            float(settings.options.get("profile_requests_per_second", profile_rate)),
            profile_burst,
        )

    def invalid_reason(self, action: Action, record: Record) -> str | None:
        """Add/update need a usable email; remove needs the recorded profile id."""
        if action == "remove":
            return None if record.identifiers.get(PROFILE_ID) else "no recorded Klaviyo profile id"
        if normalize_email(record.identifiers.get("email")):
            return None
        return "no usable email"

    def deliver_chunk(self, action: Action, batch: Sequence[Record]) -> list[RecordOutcome]:
        """Upsert profiles (add/update), then change list membership (add/remove)."""
        if action == "remove":
            return deliver_batch(self._remove_from_list, batch)
        outcomes: list[RecordOutcome] = []
        upserted: list[Record] = []
        recorded: dict[str, Mapping[str, Any]] = {}
        for record in batch:
            outcome = deliver_batch(self._upsert_one, [record])[0]
            if action == "add" and outcome.status == "acknowledged" and outcome.identifiers:
                upserted.append(record)
                recorded[record.key] = outcome.identifiers
            else:
                outcomes.append(outcome)
        if upserted:
            outcomes.extend(deliver_batch(partial(self._add_to_list, recorded), upserted))
        return outcomes

    def _upsert_one(self, batch: Sequence[Record]) -> list[RecordOutcome]:
        (record,) = batch
        email = normalize_email(record.identifiers.get("email"))
        response = self.sender.send(
            "POST",
            self._profile_url,
            headers=self._headers(),
            content=_json({"data": {"type": "profile", "attributes": _attributes(email, record)}}),
            limiter=self.profile_limiter,
        )
        try:
            profile_id = response.json()["data"]["id"]
        except (ValueError, KeyError, TypeError):
            raise RetriesExhausted("profile upsert answered without a profile id") from None
        return [acknowledged(record, {PROFILE_ID: profile_id, "email": email})]

    def _add_to_list(
        self, recorded: Mapping[str, Mapping[str, Any]], batch: Sequence[Record]
    ) -> list[RecordOutcome]:
        self._send_membership("POST", [recorded[record.key][PROFILE_ID] for record in batch])
        return [acknowledged(record, recorded[record.key]) for record in batch]

    def _remove_from_list(self, batch: Sequence[Record]) -> list[RecordOutcome]:
        self._send_membership("DELETE", [record.identifiers[PROFILE_ID] for record in batch])
        return [acknowledged(record) for record in batch]

    def _send_membership(self, method: str, profile_ids: Sequence[Any]) -> None:
        data = [{"type": "profile", "id": str(profile_id)} for profile_id in profile_ids]
        self.sender.send(
            method,
            self._list_url,
            headers=self._headers(),
            content=_json({"data": data}),
            limiter=self.limiter,
        )

    def _headers(self) -> dict[str, str]:
        return {
            "Authorization": f"Klaviyo-API-Key {self.secrets.require('api_key')}",
            "revision": REVISION,
            "accept": JSON_API,
            "content-type": JSON_API,
        }


def _attributes(email: str, record: Record) -> dict[str, Any]:
    """Profile attributes: standard fields by name, every other trait as a custom property."""
    attributes: dict[str, Any] = {"email": email}
    properties: dict[str, Any] = {}
    for name, value in record.traits.items():
        if name in NEVER_SENT or name.startswith("subscriptions"):
            continue
        if name in STANDARD_ATTRIBUTES:
            attributes[name] = value
        else:
            properties[name] = value
    if properties:
        attributes["properties"] = properties
    return attributes


def _json(value: Any) -> bytes:
    return json.dumps(value, separators=(",", ":"), default=str).encode("utf-8")

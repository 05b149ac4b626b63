"""Webhook destination: signed, idempotent JSON batches POSTed to `{endpoint}/{target}`."""

from __future__ import annotations

import hashlib
import hmac
import json
import time
from collections.abc import Mapping, Sequence
from typing import Any
from urllib.parse import quote

import httpx

from connectors.base import BaseConnector
from connectors.errors import RetriesExhausted
from connectors.records import Action, Record, RecordOutcome, acknowledged, outcome_for

SIGNATURE_HEADER = "X-Activation-Signature"
TIMESTAMP_HEADER = "X-Activation-Timestamp"
IDEMPOTENCY_HEADER = "Idempotency-Key"


def canonical_json(value: Any) -> bytes:
    """Deterministic JSON bytes, so the same batch always has the same body and key."""
    return json.dumps(
        value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str
    ).encode("utf-8")


def idempotency_key(action: str, records: Sequence[Mapping[str, Any]]) -> str:
    """SHA-256 of the action and the records' keys and content.

    A resend of the same batch (after a crash or a retry) carries the same key, so the receiver
    can recognise it and not apply it twice.
    """
    return batch_body(action, records)[0]


def batch_body(action: str, records: Sequence[Mapping[str, Any]]) -> tuple[str, bytes]:
    """The idempotency key and the canonical body of one batch, serializing the records once.

    The body is `{"action", "batch_id", "records"}` with sorted keys, exactly what
    `canonical_json` would write for it; the key hashes the action and the records' JSON.
    """
    records_json = canonical_json(list(records))
    key = hashlib.sha256(canonical_json(action) + b"\n" + records_json).hexdigest()
    head = canonical_json({"action": action, "batch_id": key[:32]})
    return key, head[:-1] + b',"records":' + records_json + b"}"


def sign(secret: str, body: bytes) -> str:
    """The signature header value: `sha256=` + hex HMAC-SHA256 of the raw body."""
    digest = hmac.new(secret.encode("utf-8"), body, hashlib.sha256).hexdigest()
    return f"sha256={digest}"


class WebhookConnector(BaseConnector):
    """Posts batches of records to a receiver that verifies an HMAC signature.

    The receiver may answer with `{"results": [{"key", "status": "ok"|"error"|"retry",
    "error"}]}`; without `results` every record counts as accepted.
    """

    default_batch_size = 500
    max_batch_size = 10_000

    required_secret = "signing_secret"  # noqa: S105 - the secret\'s name, not its value

    def prepare(self) -> None:
        settings = self.settings
        self._url = f"{settings.endpoint.rstrip('/')}/{quote(self.target, safe='')}"

    def send_batch(self, action: Action, batch: Sequence[Record]) -> list[RecordOutcome]:
        """POST one signed batch and read the per-record results."""
        records = [
            {
                "key": record.key,
                "identifiers": dict(record.identifiers),
                "traits": dict(record.traits),
            }
            for record in batch
        ]
        key, body = batch_body(action, records)
        headers = {
            "Content-Type": "application/json",
            IDEMPOTENCY_HEADER: key,
            TIMESTAMP_HEADER: str(int(time.time())),
            SIGNATURE_HEADER: sign(self.secrets.require("signing_secret"), body),
        }
        response = self.sender.send(
            "POST",
            self._url,
            headers=headers,
            content=body,
            limiter=self.limiter,
        )
        return self._read_results(batch, response)

    def _read_results(
        self, batch: Sequence[Record], response: httpx.Response
    ) -> list[RecordOutcome]:
        results = _results_by_key(response)
        outcomes = []
        for record in batch:
            result = results.get(record.key)
            status = (result or {}).get("status", "ok")
            problem = self.secrets.redact(str((result or {}).get("error") or status))
            if status == "ok":
                outcomes.append(acknowledged(record, dict(record.identifiers)))
            elif status == "retry":
                outcomes.append(outcome_for(record, "failed", problem))
            else:
                outcomes.append(outcome_for(record, "rejected", problem))
        return outcomes


def _results_by_key(response: httpx.Response) -> dict[str, Mapping[str, Any]]:
    if not response.content:
        return {}
    try:
        body = response.json()
    except ValueError:
        # A 2xx we cannot read is not a confirmation we can trust; retry next run.
        raise RetriesExhausted("the receiver's 2xx response was not JSON") from None
    results = body.get("results") if isinstance(body, dict) else None
    if not isinstance(results, list):
        return {}
    return {str(item.get("key")): item for item in results if isinstance(item, dict)}

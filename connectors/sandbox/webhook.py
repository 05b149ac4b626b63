"""A fake webhook receiver: verifies signatures, dedupes by idempotency key, applies batches."""

from __future__ import annotations

import hashlib
import hmac
from typing import Any

from connectors.sandbox.exchange import SandboxRequest, SandboxResponse
from connectors.sandbox.state import SandboxState

SERVICE = "webhook"
ACTIONS = ("add", "update", "remove")


def handle(state: SandboxState, request: SandboxRequest) -> SandboxResponse:
    """Receive one batch at `/webhook/{target}`."""
    target = request.path.strip("/")
    if request.method != "POST" or not target or "/" in target:
        return SandboxResponse(404, {"error": "POST a batch to /webhook/{target}"})
    secret = state.credentials[SERVICE].encode("utf-8")
    expected = "sha256=" + hmac.new(secret, request.body, hashlib.sha256).hexdigest()
    if not hmac.compare_digest(request.headers.get("X-Activation-Signature", ""), expected):
        return SandboxResponse(401, {"error": "signature does not match the body"})
    key = request.headers.get("Idempotency-Key")
    with state.lock:
        if key and key in state.idempotent_responses:
            status, stored = state.idempotent_responses[key]
            return SandboxResponse(status, stored, headers={"Idempotent-Replayed": "true"})
        response = _apply(state, target, request)
        if key and response.status < 500:
            state.idempotent_responses[key] = (response.status, response.encoded())
    return response


def _apply(state: SandboxState, target: str, request: SandboxRequest) -> SandboxResponse:
    try:
        body = request.json()
    except ValueError:
        return SandboxResponse(400, {"error": "body is not JSON"})
    records = body.get("records") if isinstance(body, dict) else None
    if body.get("action") not in ACTIONS or not isinstance(records, list):
        return SandboxResponse(400, {"error": "need action add|update|remove and records"})
    if any(not isinstance(r, dict) or not r.get("key") for r in records):
        return SandboxResponse(400, {"error": "every record needs a key"})
    forms = [_forms(record) for record in records]
    rejected = state.faults.matching("reject_batch", SERVICE, forms)
    if rejected:
        return SandboxResponse(
            400, {"error": f"record {records[min(rejected)]['key']}: {rejected[min(rejected)]}"}
        )
    if state.faults.matching("fail_records", SERVICE, forms):
        return SandboxResponse(503, {"error": "temporarily unavailable"})
    refused = state.faults.matching("reject_records", SERVICE, forms)
    retry = state.faults.matching("retry_records", SERVICE, forms)
    results = []
    for index, record in enumerate(records):
        if index in refused:
            results.append({"key": record["key"], "status": "error", "error": refused[index]})
            continue
        if index in retry:
            results.append({"key": record["key"], "status": "retry", "error": retry[index]})
            continue
        member = {"identifiers": record.get("identifiers"), "traits": record.get("traits")}
        if body["action"] == "remove":
            state.remove_member(SERVICE, target, str(record["key"]))
        else:
            state.add_member(SERVICE, target, str(record["key"]), member)
        results.append({"key": record["key"], "status": "ok"})
    return SandboxResponse(200, {"batch_id": body.get("batch_id"), "results": results})


def _forms(record: dict[str, Any]) -> set[str]:
    values = {str(record["key"])}
    for value in (record.get("identifiers") or {}).values():
        if value is not None:
            values.update({str(value), str(value).strip().lower()})
    return values

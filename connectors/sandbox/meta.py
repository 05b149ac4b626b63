"""A fake Meta custom audience `/users` edge: hashed rows in, counts and samples out.

`num_received` counts every row read from the request, invalid ones included; the invalid ones
are counted again in `num_invalid_entries` and named in `invalid_entry_samples`.
"""

from __future__ import annotations

import re
from typing import Any

from connectors.sandbox.exchange import SandboxRequest, SandboxResponse
from connectors.sandbox.state import SandboxState

SERVICE = "meta"
MAX_ROWS = 10_000
KNOWN_SCHEMA = frozenset(
    {
        "EMAIL_SHA256",
        "PHONE_SHA256",
        "FN_SHA256",
        "LN_SHA256",
        "CT_SHA256",
        "COUNTRY_SHA256",
        "EXTERN_ID",
        "MADID",
    }
)
_PATH = re.compile(r"^/(?P<version>v\d+\.\d+)/(?P<audience_id>[^/]+)/users/?$")
_SHA256 = re.compile(r"^[0-9a-f]{64}$")


def handle(state: SandboxState, request: SandboxRequest) -> SandboxResponse:
    """Route one request under `/meta`."""
    token = request.headers.get("Authorization", "").removeprefix("Bearer ").strip()
    token = token or (request.query.get("access_token") or [""])[0]
    if token != state.credentials[SERVICE]:
        return _error(401, 190, "Invalid OAuth access token.", "OAuthException")
    match = _PATH.match(request.path)
    if match is None or request.method not in ("POST", "DELETE"):
        return _error(404, 803, f"Unknown path {request.method} {request.path}.")
    try:
        body = request.json()
    except ValueError:
        return _error(400, 100, "The request body is not valid JSON.")
    problem = _check_shape(body)
    if problem:
        return _error(400, 100, problem)
    schema, rows = body["payload"]["schema"], body["payload"]["data"]
    forms = [{value for value in row if value} for row in rows]
    rejected = state.faults.matching("reject_batch", SERVICE, forms)
    if rejected:
        return _error(400, 100, f"Row {min(rejected)}: {rejected[min(rejected)]}")
    if state.faults.matching("fail_records", SERVICE, forms):
        return _error(503, 2, "Service temporarily unavailable.")
    refused = state.faults.matching("reject_records", SERVICE, forms)
    samples: dict[str, str] = {}
    invalid = 0
    audience_id = match["audience_id"]
    for index, row in enumerate(rows):
        reason = refused.get(index) or _row_problem(row)
        if reason:
            samples[next((value for value in row if value), f"row {index}")] = reason
            invalid += 1
            continue
        member = dict(zip(schema, row, strict=True))  # keyed by Meta's column names
        member_id = "|".join(f"{name}={value}" for name, value in sorted(member.items()) if value)
        if request.method == "POST":
            state.add_member(SERVICE, audience_id, member_id, member)
        else:
            state.remove_member(SERVICE, audience_id, member_id)
    session = body.get("session") or {}
    return SandboxResponse(
        200,
        {
            "audience_id": audience_id,
            "session_id": session.get("session_id"),
            "num_received": len(rows),
            "num_invalid_entries": invalid,
            "invalid_entry_samples": samples,
        },
    )


def _check_shape(body: Any) -> str | None:
    payload = body.get("payload") if isinstance(body, dict) else None
    if not isinstance(payload, dict):
        return "payload is required"
    schema, data = payload.get("schema"), payload.get("data")
    if not isinstance(schema, list) or not schema or not set(schema) <= KNOWN_SCHEMA:
        return f"payload.schema must be a non-empty list of {sorted(KNOWN_SCHEMA)}"
    if not isinstance(data, list):
        return "payload.data must be a list of rows"
    if len(data) > MAX_ROWS:
        return f"payload.data holds {len(data)} rows; the maximum is {MAX_ROWS}"
    if any(not isinstance(row, list) or len(row) != len(schema) for row in data):
        return "every row of payload.data must have one value per schema column"
    session = body.get("session")
    if session is not None and (
        not isinstance(session, dict)
        or not isinstance(session.get("session_id"), int)
        or not isinstance(session.get("batch_seq"), int)
    ):
        return "session needs integer session_id and batch_seq"
    return None


def _row_problem(row: list[Any]) -> str | None:
    if not any(row):
        return "row has no identifiers"
    if any(value and not (isinstance(value, str) and _SHA256.match(value)) for value in row):
        return "value is not a lowercase SHA-256 hex digest"
    return None


def _error(status: int, code: int, message: str, kind: str = "GraphMethodException"):
    return SandboxResponse(status, {"error": {"message": message, "type": kind, "code": code}})

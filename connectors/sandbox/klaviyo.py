"""A fake Klaviyo: profile upsert and list membership, with the vendor's checks and limits."""

from __future__ import annotations

import re
import uuid
from typing import Any

from connectors.identifiers import normalize_email
from connectors.sandbox.exchange import SandboxRequest, SandboxResponse
from connectors.sandbox.state import SandboxState

JSON_API = "application/vnd.api+json"
MAX_PROFILES_PER_LIST_CALL = 1000
_LIST_PATH = re.compile(r"^/api/lists/(?P<list_id>[^/]+)/relationships/profiles/?$")
SERVICE = "klaviyo"


def handle(state: SandboxState, request: SandboxRequest) -> SandboxResponse:
    """Route one request under `/klaviyo`."""
    problem = _check_headers(state, request)
    if problem is not None:
        return problem
    try:
        body = request.json()
    except ValueError:
        return _error(400, "invalid", "The request body is not valid JSON.")
    if request.path.rstrip("/") == "/api/profile-import" and request.method == "POST":
        return _upsert_profile(state, body)
    match = _LIST_PATH.match(request.path)
    if match and request.method in ("POST", "DELETE"):
        return _change_list(state, request.method, match["list_id"], body)
    return _error(404, "not_found", f"No route for {request.method} {request.path}.")


def _check_headers(state: SandboxState, request: SandboxRequest) -> SandboxResponse | None:
    expected = f"Klaviyo-API-Key {state.credentials[SERVICE]}"
    if request.headers.get("Authorization") != expected:
        return _error(401, "not_authenticated", "Incorrect authentication credentials.")
    if not request.headers.get("revision"):
        return _error(400, "invalid", "The 'revision' header is required.")
    content_type = (request.headers.get("Content-Type") or "").split(";")[0].strip()
    if content_type != JSON_API:
        return _error(415, "unsupported_media_type", f"Content-Type must be {JSON_API}.")
    return None


def _upsert_profile(state: SandboxState, body: Any) -> SandboxResponse:
    data = body.get("data") if isinstance(body, dict) else None
    if not isinstance(data, dict) or data.get("type") != "profile":
        return _error(400, "invalid", "data.type must be 'profile'.", "/data/type")
    attributes = data.get("attributes")
    if not isinstance(attributes, dict):
        return _error(400, "invalid", "data.attributes is required.", "/data/attributes")
    raw_email = attributes.get("email")
    email = normalize_email(raw_email)
    if raw_email is not None and not email:
        return _error(400, "invalid", "Invalid email address.", "/data/attributes/email")
    if not email and not data.get("id"):
        return _error(400, "invalid", "An identifier (email or id) is required.", "/data")
    rejected = state.faults.matching("reject_records", SERVICE, [{email}])
    if rejected:
        return _error(400, "invalid", rejected[0], "/data/attributes/email")
    failing = state.faults.matching("fail_records", SERVICE, [{email}])
    if failing:
        return _error(503, "service_unavailable", failing[0])
    with state.lock:
        profile_id = data.get("id") or state.profile_ids_by_email.get(email)
        created = profile_id is None or profile_id not in state.profiles
        profile_id = profile_id or state.new_id("01KPROFILE")
        profile = state.profiles.setdefault(
            profile_id, {"id": profile_id, "attributes": {}, "consent_writes": 0}
        )
        if "subscriptions" in attributes or "subscriptions" in (data.get("meta") or {}):
            profile["consent_writes"] += 1  # recorded so tests can prove nobody touches consent
        properties = {
            **profile["attributes"].get("properties", {}),
            **(attributes.get("properties") or {}),
        }
        profile["attributes"].update({k: v for k, v in attributes.items() if k != "properties"})
        profile["attributes"]["email"] = email or profile["attributes"].get("email")
        profile["attributes"]["properties"] = properties
        if email:
            state.profile_ids_by_email[email] = profile_id
        response = {"type": "profile", "id": profile_id, "attributes": profile["attributes"]}
    return SandboxResponse(201 if created else 200, {"data": response}, content_type=JSON_API)


def _change_list(state: SandboxState, method: str, list_id: str, body: Any) -> SandboxResponse:
    data = body.get("data") if isinstance(body, dict) else None
    if not isinstance(data, list):
        return _error(400, "invalid", "data must be an array of profile identifiers.", "/data")
    if len(data) > MAX_PROFILES_PER_LIST_CALL:
        return _error(
            400,
            "invalid",
            f"This endpoint accepts a maximum of {MAX_PROFILES_PER_LIST_CALL} profiles per call.",
            "/data",
        )
    ids = []
    for index, item in enumerate(data):
        if not isinstance(item, dict) or item.get("type") != "profile" or not item.get("id"):
            return _error(
                400, "invalid", "Each item needs type 'profile' and an id.", f"/data/{index}"
            )
        ids.append(str(item["id"]))
    with state.lock:
        unknown = [pid for pid in ids if pid not in state.profiles]
        forms = [
            {pid, state.profiles.get(pid, {}).get("attributes", {}).get("email") or ""}
            for pid in ids
        ]
    if unknown:
        return _error(400, "invalid", f"Profile {unknown[0]} does not exist.", "/data")
    rejected = state.faults.matching("reject_batch", SERVICE, forms)
    if rejected:
        bad = ids[min(rejected)]
        return _error(400, "invalid", f"Profile {bad}: {rejected[min(rejected)]}", "/data")
    if state.faults.matching("fail_records", SERVICE, forms):
        return _error(503, "service_unavailable", "Temporarily unavailable.")
    for profile_id in ids:
        if method == "POST":
            email = state.profiles[profile_id]["attributes"].get("email")
            state.add_member(SERVICE, list_id, profile_id, {"email": email})
        else:
            state.remove_member(SERVICE, list_id, profile_id)
    return SandboxResponse(204)


def _error(status: int, code: str, detail: str, pointer: str | None = None) -> SandboxResponse:
    error: dict[str, Any] = {
        "id": str(uuid.uuid4()),
        "status": status,
        "code": code,
        "title": detail.split(".")[0],
        "detail": detail,
    }
    if pointer:
        error["source"] = {"pointer": pointer}
    return SandboxResponse(status, {"errors": [error]}, content_type=JSON_API)

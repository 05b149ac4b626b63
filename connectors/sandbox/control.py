"""The sandbox's control API under `/_sandbox`: reset, read back, inject faults.

GET    /_sandbox/health                     {"ok": true}
POST   /_sandbox/reset                      forget members, profiles, logs and faults
GET    /_sandbox/members/{service}/{target} {"members": [...]}  service: klaviyo|meta|webhook
GET    /_sandbox/klaviyo/profiles           {"profiles": [...]}
GET    /_sandbox/requests[?service=...]     {"requests": [...]}  (credentials masked)
GET    /_sandbox/events                     {"events": [...]}    membership changes only
GET    /_sandbox/faults                     {"faults": [...]}
POST   /_sandbox/faults                     add one fault (see `Fault`)
DELETE /_sandbox/faults                     clear every fault
"""

from __future__ import annotations

from connectors.sandbox.exchange import SandboxRequest, SandboxResponse
from connectors.sandbox.faults import Fault
from connectors.sandbox.state import SandboxState


def handle(state: SandboxState, request: SandboxRequest) -> SandboxResponse:
    """Route one control request (path without the `/_sandbox` prefix)."""
    parts = [part for part in request.path.split("/") if part]
    route = (request.method, parts[0] if parts else "")
    if route == ("GET", "health"):
        return SandboxResponse(200, {"ok": True})
    if route == ("POST", "reset"):
        state.reset()
        return SandboxResponse(200, {"ok": True})
    if route == ("GET", "members") and len(parts) == 3:
        return SandboxResponse(200, {"members": state.member_list(parts[1], parts[2])})
    if route == ("GET", "klaviyo") and parts[1:] == ["profiles"]:
        with state.lock:
            return SandboxResponse(200, {"profiles": list(state.profiles.values())})
    if route == ("GET", "requests"):
        service = (request.query.get("service") or [None])[0]
        with state.lock:
            found = [r for r in state.requests if service in (None, r["service"])]
        return SandboxResponse(200, {"requests": found})
    if route == ("GET", "events"):
        with state.lock:
            return SandboxResponse(200, {"events": list(state.events)})
    if parts == ["faults"]:
        return _faults(state, request)
    return SandboxResponse(404, {"error": f"no control route {request.method} {request.path}"})


def _faults(state: SandboxState, request: SandboxRequest) -> SandboxResponse:
    if request.method == "GET":
        return SandboxResponse(200, {"faults": state.faults.listing()})
    if request.method == "DELETE":
        state.faults.clear()
        return SandboxResponse(200, {"ok": True})
    if request.method == "POST":
        try:
            fault = Fault.from_json(request.json() or {})
        except (ValueError, TypeError) as error:
            return SandboxResponse(400, {"error": str(error)})
        state.faults.add(fault)
        return SandboxResponse(201, {"fault": fault.__dict__})
    return SandboxResponse(405, {"error": "use GET, POST or DELETE"})

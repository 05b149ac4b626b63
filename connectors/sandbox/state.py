"""What the sandbox remembers: profiles, memberships, the request log and membership events."""

from __future__ import annotations

import itertools
import secrets
import threading
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from connectors.sandbox.faults import FaultBook

DEFAULT_CREDENTIALS = {
    "klaviyo": "sandbox-klaviyo-api-key",
    "meta": "sandbox-meta-access-token",
    "webhook": "sandbox-webhook-signing-secret",
}
_MASKED_HEADERS = ("authorization",)


@dataclass
class SandboxState:
    """In-memory state shared by the sandbox's fake APIs and its control API.

    Members are kept per service and target (`list id`, `audience id`, `webhook path`) as
    member id -> member; events are appended only when membership actually changes.

    With `keep_history` off (for load tests), the request log and events stay empty and members
    keep only their ids, so memory grows by an id per member rather than by every body received.
    """

    credentials: dict[str, str] = field(default_factory=lambda: dict(DEFAULT_CREDENTIALS))
    faults: FaultBook = field(default_factory=FaultBook)
    profiles: dict[str, dict[str, Any]] = field(default_factory=dict)
    profile_ids_by_email: dict[str, str] = field(default_factory=dict)
    members: dict[tuple[str, str], dict[str, dict[str, Any]]] = field(default_factory=dict)
    requests: list[dict[str, Any]] = field(default_factory=list)
    events: list[dict[str, Any]] = field(default_factory=list)
    idempotent_responses: dict[str, tuple[int, bytes]] = field(default_factory=dict)
    lock: threading.RLock = field(default_factory=threading.RLock)
    _ids: itertools.count = field(default_factory=lambda: itertools.count(1))
    # Like a real account's, ids never repeat across sandboxes (or resets): an id recorded
    # against one sandbox must not name someone else in the next.
    _account: str = field(default_factory=lambda: secrets.token_hex(3).upper())
    keep_history: bool = True

    def reset(self) -> None:
        """Forget everything except the credentials."""
        with self.lock:
            self.faults.clear()
            self.profiles.clear()
            self.profile_ids_by_email.clear()
            self.members.clear()
            self.requests.clear()
            self.events.clear()
            self.idempotent_responses.clear()
            self._ids = itertools.count(1)
            self._account = secrets.token_hex(3).upper()

    def new_id(self, prefix: str) -> str:
        """A fresh identifier such as a Klaviyo profile id."""
        return f"{prefix}{self._account}{next(self._ids):08d}"

    def log_request(
        self, service: str, method: str, path: str, headers: Mapping[str, str], body: Any
    ) -> dict[str, Any]:
        """Append a request to the log (credentials masked) and return the entry."""
        entry = {
            "service": service,
            "method": method,
            "path": path,
            "headers": {
                name.lower(): ("***" if name.lower() in _MASKED_HEADERS else value)
                for name, value in headers.items()
            },
            "body": body,
            "status": None,
            "at": _now(),
        }
        if self.keep_history:
            with self.lock:
                self.requests.append(entry)
        return entry

    def add_member(self, service: str, target: str, member_id: str, member: dict[str, Any]) -> bool:
        """Add or refresh a member; record an event only when it was not a member before."""
        with self.lock:
            group = self.members.setdefault((service, target), {})
            is_new = member_id not in group
            group[member_id] = member if self.keep_history else {}
            if is_new:
                self._event(service, target, member_id, "added")
            return is_new

    def remove_member(self, service: str, target: str, member_id: str) -> bool:
        """Remove a member; record an event only when it was a member."""
        with self.lock:
            group = self.members.setdefault((service, target), {})
            if group.pop(member_id, None) is None:
                return False
            self._event(service, target, member_id, "removed")
            return True

    def member_list(self, service: str, target: str) -> list[dict[str, Any]]:
        """The current members of one target."""
        with self.lock:
            group = self.members.get((service, target), {})
            return [{"member_id": key, **value} for key, value in group.items()]

    def _event(self, service: str, target: str, member_id: str, change: str) -> None:
        if not self.keep_history:
            return
        self.events.append(
            {
                "service": service,
                "target": target,
                "member_id": member_id,
                "change": change,
                "at": _now(),
            }
        )


def _now() -> str:
    return datetime.now(UTC).isoformat()

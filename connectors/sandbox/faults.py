"""Faults the sandbox injects on demand, set through the control API."""

from __future__ import annotations

import threading
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from connectors.identifiers import hash_or_empty, normalize_email, normalize_phone

# Faults that apply to the next `count` requests, whatever they hold.
COUNTED_KINDS = ("delay", "unauthorized", "rate_limit", "server_error")
# Faults that apply to requests holding one of the given identifiers.
MATCHED_KINDS = ("reject_batch", "reject_records", "retry_records", "fail_records")
KINDS = COUNTED_KINDS + MATCHED_KINDS


@dataclass
class Fault:
    """One injected fault.

    Attributes:
        kind: `delay` (sleep `seconds`), `unauthorized` (401), `rate_limit` (429 with
            `retry_after`), `server_error` (`status`, default 503), `reject_batch` (400 for the
            whole request), `reject_records` (per-record error inside a 2xx), `retry_records`
            (per-record retriable error inside a 2xx, webhook only) or `fail_records` (503
            whenever a request holds one of `identifiers`).
        service: `klaviyo`, `meta`, `webhook`, or `None` for all.
        count: Requests left to affect; `None` means until the faults are cleared.
        identifiers: Raw values (emails, phones, keys, profile ids) that trigger matched kinds;
            emails and phones also match their SHA-256 as Meta receives them.
    """

    kind: str
    service: str | None = None
    count: int | None = None
    status: int = 503
    retry_after: str | None = "1"
    seconds: float = 0.0
    identifiers: list[str] = field(default_factory=list)
    reason: str = "refused by the sandbox"

    @classmethod
    def from_json(cls, body: Mapping[str, Any]) -> Fault:
        """Build a fault from its control-API JSON, checking the kind."""
        if body.get("kind") not in KINDS:
            raise ValueError(f"kind must be one of {list(KINDS)}")
        known = set(cls.__dataclass_fields__)
        values = {key: value for key, value in body.items() if key in known}
        if "identifiers" in values:
            values["identifiers"] = [str(value) for value in values["identifiers"]]
        if "retry_after" in values and values["retry_after"] is not None:
            values["retry_after"] = str(values["retry_after"])
        return cls(**values)

    def forms(self) -> set[str]:
        """Every form in which the fault's identifiers may appear in a request."""
        found: set[str] = set()
        for value in self.identifiers:
            found.update({value, value.strip().lower()})
            found.add(hash_or_empty(normalize_email(value)))
            found.add(hash_or_empty(normalize_phone(value)))
        found.discard("")
        return found


class FaultBook:
    """The active faults, consumed thread-safely."""

    def __init__(self) -> None:
        self._faults: list[Fault] = []
        self._lock = threading.Lock()

    def add(self, fault: Fault) -> None:
        """Activate a fault."""
        with self._lock:
            self._faults.append(fault)

    def clear(self) -> None:
        """Remove every fault."""
        with self._lock:
            self._faults.clear()

    def listing(self) -> list[dict[str, Any]]:
        """The active faults as JSON-ready dicts."""
        with self._lock:
            return [dict(fault.__dict__) for fault in self._faults]

    def take_counted(self, service: str) -> list[Fault]:
        """Consume one use of every counted fault that applies to the next `service` request."""
        with self._lock:
            taken = [
                fault
                for fault in self._faults
                if fault.kind in COUNTED_KINDS and fault.service in (None, service)
            ]
            self._consume(taken)
            return taken

    def matching(self, kind: str, service: str, rows: Iterable[set[str]]) -> dict[int, str]:
        """Indexes of `rows` (sets of identifier forms) hit by a `kind` fault, with reasons."""
        rows = list(rows)
        with self._lock:
            faults = [f for f in self._faults if f.kind == kind and f.service in (None, service)]
            hit: dict[int, str] = {}
            used: list[Fault] = []
            for fault in faults:
                forms = fault.forms()
                found = [index for index, row in enumerate(rows) if row & forms]
                for index in found:
                    hit.setdefault(index, fault.reason)
                if found:
                    used.append(fault)
            self._consume(used)
            return hit

    def _consume(self, faults: list[Fault]) -> None:
        for fault in faults:
            if fault.count is None:
                continue
            fault.count -= 1
            if fault.count <= 0 and fault in self._faults:
                self._faults.remove(fault)

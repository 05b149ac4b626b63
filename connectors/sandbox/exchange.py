"""The request and response shapes the sandbox's fake APIs work with."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any


@dataclass
class SandboxRequest:
    """One incoming request, with the service prefix already stripped from `path`."""

    method: str
    path: str
    query: Mapping[str, list[str]]
    headers: Any  # case-insensitive mapping from http.server
    body: bytes

    def json(self) -> Any:
        """The body parsed as JSON; raises `ValueError` when it is not."""
        return json.loads(self.body.decode("utf-8")) if self.body else None


@dataclass
class SandboxResponse:
    """What to send back: a JSON-ready body (or raw bytes) and headers."""

    status: int
    body: Any = None
    headers: dict[str, str] = field(default_factory=dict)
    content_type: str = "application/json"

    def encoded(self) -> bytes:
        """The body as bytes."""
        if self.body is None:
            return b""
        if isinstance(self.body, bytes):
            return self.body
        return json.dumps(self.body).encode("utf-8")

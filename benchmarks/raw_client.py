"""The ceiling: pre-built signed batches POSTed over one keep-alive socket, nothing else.

Bodies have the webhook connector's shape and signature and are built before the clock starts,
so what is timed is the network round trip plus the sandbox's own work per batch.
"""

from __future__ import annotations

import hashlib
import json
import socket
import time
from collections.abc import Sequence
from typing import Any

from connectors.webhook import canonical_json, sign

_ACKNOWLEDGED = b'"status": "ok"'


def build_requests(
    records: Sequence[dict[str, Any]], batch_size: int, *, host: str, path: str, secret: str
) -> list[tuple[bytes, int, int]]:
    """Whole HTTP requests of `batch_size` add records each, with row count and body size."""
    requests = []
    for start in range(0, len(records), batch_size):
        batch = list(records[start : start + batch_size])
        # Keyed by path too: the engine sends the same records elsewhere, and a key the receiver
        # has seen would be answered from its idempotency store instead of being applied.
        key = hashlib.sha256(
            canonical_json({"path": path, "action": "add", "records": batch})
        ).hexdigest()
        body = canonical_json({"batch_id": key[:32], "action": "add", "records": batch})
        head = (
            f"POST {path} HTTP/1.1\r\n"
            f"Host: {host}\r\n"
            "Content-Type: application/json\r\n"
            f"Content-Length: {len(body)}\r\n"
            f"Idempotency-Key: {key}\r\n"
            f"X-Activation-Timestamp: {int(time.time())}\r\n"
            f"X-Activation-Signature: {sign(secret, body)}\r\n"
            "\r\n"
        )
        requests.append((head.encode("ascii") + body, len(batch), len(body)))
    return requests


def post_all(host: str, port: int, requests: Sequence[tuple[bytes, int, int]]) -> dict[str, Any]:
    """Send every request in turn on one connection; count rows the receiver acknowledged.

    `request_bytes` counts bodies only, as the engine's figure does.
    """
    acknowledged = 0
    with socket.create_connection((host, port), timeout=120) as connection:
        connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        reader = connection.makefile("rb")
        started = time.perf_counter()
        for request, _, _ in requests:
            connection.sendall(request)
            status, body = _read_response(reader)
            if status != 200:
                raise RuntimeError(f"the sandbox answered {status}: {body[:200]!r}")
            acknowledged += body.count(_ACKNOWLEDGED)
        seconds = time.perf_counter() - started
    rows = sum(rows for _, rows, _ in requests)
    sent_bytes = sum(size for _, _, size in requests)
    return {
        "rows": rows,
        "requests": len(requests),
        "acknowledged": acknowledged,
        "seconds": round(seconds, 3),
        "rows_per_second": round(rows / seconds, 1) if seconds else None,
        "request_bytes": sent_bytes,
        "mb_per_second": round(sent_bytes / seconds / 1e6, 2) if seconds else None,
    }


def _read_response(reader) -> tuple[int, bytes]:
    status = int(reader.readline().split()[1])
    length = 0
    while True:
        line = reader.readline()
        if line in (b"\r\n", b"\n", b""):
            break
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            length = int(value.strip())
    return status, reader.read(length) if length else b""


def add_records(rows: Sequence[tuple[str, str, Any]], fields: dict[str, str]) -> list[dict]:
    """Records shaped as the webhook connector sends them, from (profile_id, email, traits)."""
    records = []
    for profile_id, email, traits in rows:
        values = json.loads(traits) if isinstance(traits, str) else dict(traits or {})
        records.append(
            {
                "key": profile_id,
                "identifiers": {"email": email},
                "traits": {name: values.get(trait) for name, trait in fields.items()},
            }
        )
    return records

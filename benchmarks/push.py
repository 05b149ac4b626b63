"""Step 4: the real engine pushing a plan of adds to a sandbox webhook, next to the raw ceiling."""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import duckdb
import httpx

from activation.config import SyncConfig
from activation.sync import run_sync
from activation.sync.connectors import destination_settings
from benchmarks import raw_client
from benchmarks.audience import FIELDS, PUSH_AUDIENCE, SECRET_VARIABLE, benchmark_sync
from benchmarks.measure import peak_rss_of
from connectors import build_connector
from connectors.sandbox import DEFAULT_CREDENTIALS, start_sandbox_process

PROGRESS_EVERY_SECONDS = 10.0


class CountingTransport(httpx.HTTPTransport):
    """httpx's own transport, counting the request bytes it carries (for MB/s)."""

    def __init__(self) -> None:
        super().__init__()
        self.request_bytes = 0
        self.requests = 0

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        self.request_bytes += len(request.content)
        self.requests += 1
        return super().handle_request(request)


def measure_push(
    warehouse: Path,
    *,
    batch_sizes: Sequence[int],
    raw_rows: int,
    progress: Callable[[str], None],
) -> dict[str, Any]:
    """Run the engine and the raw client at each batch size, each against a fresh sandbox.

    A fresh sandbox per measurement keeps the members one run leaves behind from weighing on
    the next.
    """
    # The config names the variable; the value is the sandbox's own, set here at run time.
    os.environ[SECRET_VARIABLE] = DEFAULT_CREDENTIALS["webhook"]
    records = _raw_records(warehouse, raw_rows)
    runs: dict[str, dict[str, Any]] = {}
    peaks: list[int] = []
    for batch_size in batch_sizes:
        with _sandbox(peaks, progress) as url:
            sync = benchmark_sync(
                f"benchmark_push_{batch_size}",
                PUSH_AUDIENCE,
                endpoint=f"{url}/webhook",
                batch_size=batch_size,
                target=f"engine-{batch_size}",
            )
            engine = _engine_push(warehouse, sync, batch_size, progress)
        with _sandbox(peaks, progress) as url:
            raw = _raw_push(url, records, batch_size, progress)
        runs[str(batch_size)] = {"engine": engine, "raw_socket": raw}
    return {"runs": runs, "sandbox_peak_rss_bytes": max(peaks)}


@contextmanager
def _sandbox(peaks: list[int], progress: Callable[[str], None]) -> Iterator[str]:
    """A sandbox process without history; its peak RSS is appended to `peaks` before it stops."""
    sandbox = start_sandbox_process(port=0, env={**os.environ, "SANDBOX_KEEP_HISTORY": "0"})
    try:
        progress(f"sandbox listening on {sandbox.url} (pid {sandbox.pid})")
        yield sandbox.url
        peaks.append(peak_rss_of(sandbox.pid))
    finally:
        sandbox.stop()


def _engine_push(
    warehouse: Path, sync: SyncConfig, batch_size: int, progress: Callable[[str], None]
) -> dict[str, Any]:
    transport = CountingTransport()

    def connector_factory(config: SyncConfig):
        secrets = config.destination.read_secrets()
        settings = destination_settings(config)
        return build_connector(settings, config.target, secrets, transport=transport)

    last_shown = time.monotonic()

    def show(line: str) -> None:
        nonlocal last_shown
        if time.monotonic() - last_shown >= PROGRESS_EVERY_SECONDS:
            last_shown = time.monotonic()
            progress(line)

    progress(f"engine push at batch size {batch_size:,}")
    report = run_sync(
        sync,
        warehouse_path=warehouse,
        run_id=f"benchmark-{sync.name}-{int(time.time())}",
        connector_factory=connector_factory,
        page_size=batch_size,
        on_progress=show,
    )
    seconds = report.duration_seconds
    added = report.count("added")
    progress(f"engine push at {batch_size:,}: {added:,} added in {seconds:.1f}s ({report.status})")
    return {
        "status": report.status,
        "planned_adds": report.planned_by_action.get("add", 0),
        "added": added,
        "not_added": sum(report.count(name) for name in ("invalid", "rejected", "failed")),
        "requests": transport.requests,
        "request_bytes": transport.request_bytes,
        "seconds": round(seconds, 3),
        "rows_per_second": round(added / seconds, 1) if seconds else None,
        "mb_per_second": round(transport.request_bytes / seconds / 1e6, 2) if seconds else None,
    }


def _raw_records(warehouse: Path, rows: int) -> list[dict[str, Any]]:
    with duckdb.connect(str(warehouse), read_only=True) as connection:
        found = connection.execute(
            "select profile_id, email, cast(traits as varchar) from main.segment_memberships "
            "where audience = ? order by profile_id limit ?",
            [PUSH_AUDIENCE, rows],
        ).fetchall()
    return raw_client.add_records(found, FIELDS)


def _raw_push(
    url: str, records: list[dict[str, Any]], batch_size: int, progress: Callable[[str], None]
) -> dict[str, Any]:
    address = urlsplit(url)
    host, port = address.hostname or "127.0.0.1", address.port or 80
    requests = raw_client.build_requests(
        records,
        batch_size,
        host=f"{host}:{port}",
        path=f"/webhook/raw-{batch_size}",
        secret=os.environ[SECRET_VARIABLE],
    )
    result = raw_client.post_all(host, port, requests)
    progress(
        f"raw socket at {batch_size:,}: {result['rows']:,} rows in {result['seconds']:.1f}s "
        f"({result['rows_per_second']:,.0f} rows/s)"
    )
    return result

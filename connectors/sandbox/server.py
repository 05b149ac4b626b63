"""The sandbox HTTP server: one loopback server for Klaviyo, Meta and webhooks.

Paths: `/klaviyo/api/...`, `/meta/{version}/{audience_id}/users`, `/webhook/{target}`, and the
control API under `/_sandbox/...`.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

from connectors.sandbox import control, klaviyo, meta, webhook
from connectors.sandbox.exchange import SandboxRequest, SandboxResponse
from connectors.sandbox.state import SandboxState

logger = logging.getLogger(__name__)
READY_PREFIX = "sandbox listening on "
HOST = "127.0.0.1"  # loopback only: the sandbox is never reachable from elsewhere
SERVICES: dict[str, Callable[[SandboxState, SandboxRequest], SandboxResponse]] = {
    "klaviyo": klaviyo.handle,
    "meta": meta.handle,
    "webhook": webhook.handle,
}


class SandboxServer(ThreadingHTTPServer):
    """A threading HTTP server carrying the sandbox state."""

    daemon_threads = True

    def __init__(self, port: int = 0, state: SandboxState | None = None):
        super().__init__((HOST, port), _Handler)
        self.state = state or SandboxState()

    @property
    def url(self) -> str:
        """Base URL, e.g. `http://127.0.0.1:8765`."""
        return f"http://{HOST}:{self.server_address[1]}"


class _Handler(BaseHTTPRequestHandler):
    server: SandboxServer
    protocol_version = "HTTP/1.1"
    # Headers and body leave in one write; split writes meet delayed ACKs and cost ~40 ms each.
    wbufsize = -1
    disable_nagle_algorithm = True

    def do_GET(self) -> None:
        self._dispatch()

    do_POST = do_DELETE = do_PUT = do_PATCH = do_GET

    def log_message(self, format: str, *args: object) -> None:
        logger.debug("sandbox: " + format, *args)

    def _dispatch(self) -> None:
        url = urlsplit(self.path)
        prefix, _, rest = url.path.lstrip("/").partition("/")
        length = int(self.headers.get("Content-Length") or 0)
        request = SandboxRequest(
            method=self.command,
            path="/" + rest,
            query=parse_qs(url.query),
            headers=self.headers,
            body=self.rfile.read(length) if length else b"",
        )
        state = self.server.state
        if prefix == "_sandbox":
            self._send(control.handle(state, request))
            return
        service = SERVICES.get(prefix)
        if service is None:
            self._send(SandboxResponse(404, {"error": f"unknown service {prefix!r}"}))
            return
        # Without history nothing reads the log, so the body is not parsed a second time for it.
        logged_body = _body(request) if state.keep_history else None
        entry = state.log_request(prefix, self.command, url.path, dict(self.headers), logged_body)
        response = _injected(state, prefix) or service(state, request)
        entry["status"] = response.status
        self._send(response)

    def _send(self, response: SandboxResponse) -> None:
        body = response.encoded()
        self.send_response(response.status)
        if body:
            self.send_header("Content-Type", response.content_type)
        self.send_header("Content-Length", str(len(body)))
        for name, value in response.headers.items():
            self.send_header(name, value)
        self.end_headers()
        if body:
            self.wfile.write(body)


def _injected(state: SandboxState, service: str) -> SandboxResponse | None:
    """Apply counted faults (delay, 401, 429, 5xx) due for the next request to `service`."""
    for fault in state.faults.take_counted(service):
        if fault.kind == "delay":
            time.sleep(fault.seconds)
        elif fault.kind == "unauthorized":
            return SandboxResponse(401, {"error": "invalid credentials"})
        elif fault.kind == "rate_limit":
            headers = {"Retry-After": fault.retry_after} if fault.retry_after else {}
            return SandboxResponse(429, {"error": "rate limited"}, headers=headers)
        elif fault.kind == "server_error":
            return SandboxResponse(fault.status, {"error": "injected server error"})
    return None


def _body(request: SandboxRequest) -> object:
    try:
        return request.json()
    except (ValueError, UnicodeDecodeError):
        return request.body.decode("utf-8", errors="replace")


@contextmanager
def run_sandbox(port: int = 0, state: SandboxState | None = None) -> Iterator[str]:
    """Serve the sandbox on a background thread and yield its base URL.

    Args:
        port: Port on 127.0.0.1; 0 picks a free one.
        state: Optional state, e.g. with non-default credentials.
    """
    server = SandboxServer(port, state)
    thread = threading.Thread(target=server.serve_forever, name="sandbox", daemon=True)
    thread.start()
    try:
        yield server.url
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)

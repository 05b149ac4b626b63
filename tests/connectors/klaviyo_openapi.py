"""Validates every request a connector sends to Klaviyo against the official OpenAPI slices.

A transport wrapper records each outgoing `httpx.Request`; `KlaviyoSpec.validate` checks it
with openapi-core against the spec file whose path and method match.
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import httpx
from openapi_core import OpenAPI
from openapi_core.datatypes import RequestParameters
from werkzeug.datastructures import Headers, ImmutableMultiDict

REPOSITORY = Path(__file__).resolve().parents[2]
SPEC_SERVER = "https://a.klaviyo.com"


def spec_directory() -> Path:
    """Where the official Klaviyo API slices live."""
    shared = os.environ.get("ACTIVATION_SHARED_DIR", str(REPOSITORY.parent / "shared"))
    return Path(shared) / "specs" / "klaviyo" / "apis"


class RecordingTransport(httpx.BaseTransport):
    """Passes requests to `inner` and keeps a copy of each one."""

    def __init__(self, inner: httpx.BaseTransport | None = None):
        self.inner = inner or httpx.HTTPTransport()
        self.requests: list[httpx.Request] = []

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        request.read()
        self.requests.append(request)
        return self.inner.handle_request(request)

    def close(self) -> None:
        self.inner.close()


class HttpxOpenAPIRequest:
    """An httpx request seen as openapi-core expects, re-based onto the spec's server.

    The sandbox serves Klaviyo under `/klaviyo`, so that prefix is dropped and the host replaced
    by the production server named in the spec; the rest of the request is untouched.
    """

    def __init__(self, request: httpx.Request, prefix: str):
        url = urlsplit(str(request.url))
        self._path = url.path.removeprefix(prefix)
        self._request = request
        self.parameters = RequestParameters(
            query=ImmutableMultiDict(parse_qs(url.query)),
            header=Headers(list(request.headers.items())),
            cookie=ImmutableMultiDict(),
        )

    @property
    def host_url(self) -> str:
        return SPEC_SERVER

    @property
    def path(self) -> str:
        return self._path

    @property
    def full_url_pattern(self) -> str:
        return SPEC_SERVER + self._path

    @property
    def method(self) -> str:
        return self._request.method.lower()

    @property
    def body(self) -> bytes | None:
        return self._request.content or None

    @property
    def content_type(self) -> str:
        return self._request.headers.get("content-type", "").lower()


class KlaviyoSpec:
    """The loaded spec slices, indexed by (method, path template)."""

    def __init__(self, directory: Path | None = None):
        directory = directory or spec_directory()
        paths = sorted(directory.glob("*.json"))
        if not paths:
            raise FileNotFoundError(
                f"no Klaviyo OpenAPI slices (*.json) in {directory}; set ACTIVATION_SHARED_DIR to "
                "the folder that holds specs/klaviyo/apis"
            )
        self._operations: list[tuple[str, re.Pattern[str], OpenAPI, dict]] = []
        for path in paths:
            # Parsed as JSON here: the YAML loader openapi-core uses for files rejects some of
            # the escapes in these slices.
            document = json.loads(path.read_text())
            spec = OpenAPI.from_dict(document, base_uri=path.as_uri())
            for template, operations in document["paths"].items():
                pattern = re.compile("^" + re.sub(r"\{[^}]+\}", "[^/]+", template) + "$")
                for method, operation in operations.items():
                    self._operations.append((method.lower(), pattern, spec, operation))

    def validate(self, request: httpx.Request, prefix: str = "/klaviyo") -> str:
        """Validate one request; returns the operation id, raises on any deviation."""
        adapted = HttpxOpenAPIRequest(request, prefix)
        for method, pattern, spec, operation in self._operations:
            if method == adapted.method and pattern.match(adapted.path):
                spec.validate_request(adapted)
                # openapi-core fills a missing required header from its schema default (the
                # spec gives `revision` one), so presence is checked here explicitly.
                for parameter in operation.get("parameters", []):
                    if parameter["in"] == "header" and parameter.get("required"):
                        assert parameter["name"] in request.headers, (
                            f"{operation['operationId']}: header {parameter['name']!r} missing"
                        )
                return operation["operationId"]
        raise AssertionError(f"no Klaviyo operation for {adapted.method} {adapted.path}")

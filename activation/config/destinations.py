"""The destinations file: one entry per account the product writes to, checked on load."""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any

import yaml

from activation.config.model import (
    CONSENT_CHANNELS,
    DESTINATION_TYPES,
    ConfigError,
    DestinationConfig,
    reject_unknown_fields,
)

_ENV_REFERENCE = re.compile(r"\$\{(?P<name>[A-Z_][A-Z0-9_]*)(?::-(?P<default>[^}]*))?\}")
_DESTINATION_FIELDS = ("type", "endpoint", "consent_channel", "credentials", "limits", "options")


def default_destinations_path() -> Path:
    """The destinations file: `ACTIVATION_DESTINATIONS_FILE`, else `destinations.yaml`."""
    configured = os.environ.get("ACTIVATION_DESTINATIONS_FILE")
    if configured:
        return Path(configured)
    return Path(__file__).resolve().parents[2] / "destinations.yaml"


def _expand_environment(where: str, field_path: str, value: str) -> str:
    """`value` with each `${NAME}` or `${NAME:-default}` replaced from the environment."""

    def replace(match: re.Match[str]) -> str:
        found = os.environ.get(match["name"])
        if found:
            return found
        if match["default"] is None:
            raise ConfigError(
                where,
                field_path,
                f"environment variable {match['name']} is not set",
                f"export {match['name']} or write ${{{match['name']}:-default}}",
            )
        return match["default"]

    return _ENV_REFERENCE.sub(replace, value)


class _UniqueKeyLoader(yaml.SafeLoader):
    """A safe YAML loader that refuses a key repeated in one mapping.

    Plain YAML keeps the last of two equal keys, so a pasted second `klaviyo_email:` would
    silently replace the first destination, and its syncs' removals would go elsewhere.
    """

    def construct_mapping(self, node, deep=False):
        seen = set()
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=deep)
            if key in seen:
                raise yaml.constructor.ConstructorError(
                    None,
                    None,
                    f"the key {key!r} appears twice in one mapping",
                    key_node.start_mark,
                )
            seen.add(key)
        return super().construct_mapping(node, deep=deep)


def load_destinations(path: Path | None = None) -> dict[str, DestinationConfig]:
    """Read and check the destinations file."""
    path = path or default_destinations_path()
    where = str(path)
    if not path.exists():
        raise ConfigError(
            where, "(file)", "not found", "create it or set ACTIVATION_DESTINATIONS_FILE"
        )
    try:
        # A SafeLoader subclass: it builds plain data only, like yaml.safe_load.
        document = yaml.load(path.read_text(), Loader=_UniqueKeyLoader) or {}  # noqa: S506
    except yaml.YAMLError as error:
        raise ConfigError(where, "(file)", f"not valid YAML ({error})", "fix the syntax") from None
    entries = document.get("destinations") if isinstance(document, dict) else None
    if not isinstance(entries, dict) or not entries:
        raise ConfigError(
            where, "destinations", "missing or empty", "add a mapping of destinations"
        )
    return {name: _parse_destination(where, name, entry) for name, entry in entries.items()}


def _parse_destination(where: str, name: str, entry: Any) -> DestinationConfig:
    prefix = f"destinations.{name}"
    if not isinstance(entry, dict):
        raise ConfigError(where, prefix, "must be a mapping", "give type, endpoint and credentials")
    reject_unknown_fields(where, prefix, entry, _DESTINATION_FIELDS)
    kind = entry.get("type")
    if kind not in DESTINATION_TYPES:
        raise ConfigError(
            where,
            f"{prefix}.type",
            f"unknown type {kind!r}",
            f"use one of {sorted(DESTINATION_TYPES)}",
        )
    endpoint = entry.get("endpoint")
    if not isinstance(endpoint, str) or not endpoint:
        raise ConfigError(where, f"{prefix}.endpoint", "missing", "give the API base URL")
    endpoint = _expand_environment(where, f"{prefix}.endpoint", endpoint).rstrip("/")
    if not endpoint.startswith(("http://", "https://")):
        raise ConfigError(
            where,
            f"{prefix}.endpoint",
            f"{endpoint!r} is not an http(s) URL",
            "start with https://",
        )
    channel = entry.get("consent_channel", DESTINATION_TYPES[kind])
    if channel not in CONSENT_CHANNELS:
        raise ConfigError(
            where,
            f"{prefix}.consent_channel",
            f"{channel!r} is not a consent channel",
            f"name the channel whose consent gates this destination: one of {CONSENT_CHANNELS}",
        )
    credentials = entry.get("credentials") or {}
    if not isinstance(credentials, dict) or not all(
        isinstance(env, str) and re.fullmatch(r"[A-Z_][A-Z0-9_]*", env)
        for env in credentials.values()
    ):
        raise ConfigError(
            where,
            f"{prefix}.credentials",
            "must map each secret to the NAME of an environment variable",
            "write e.g. `api_key: KLAVIYO_API_KEY`, never the secret itself",
        )
    connector = connector_class(kind)
    for secret in credentials:
        if secret != connector.required_secret:
            raise ConfigError(
                where,
                f"{prefix}.credentials.{secret}",
                f"a {kind} destination takes no secret called {secret!r}",
                f"name its secret `{connector.required_secret}`",
            )
    if connector.required_secret and connector.required_secret not in credentials:
        raise ConfigError(
            where,
            f"{prefix}.credentials.{connector.required_secret}",
            "missing",
            f"write `{connector.required_secret}: NAME_OF_THE_ENVIRONMENT_VARIABLE`",
        )
    options = _parse_limits(where, prefix, name, kind, endpoint, entry, connector)
    return DestinationConfig(name, kind, endpoint, channel, dict(credentials), options)


def connector_class(kind: str):
    """The connector class for a destination type: it says which secrets, options and
    identifiers that type takes."""
    from connectors.factory import CONNECTOR_TYPES

    return CONNECTOR_TYPES[kind]


def _parse_limits(where, prefix, name, kind, endpoint, entry, connector) -> dict[str, Any]:
    """`limits` and `options` merged, each name known to the connector and each value usable."""
    from connectors.errors import ConfigurationError
    from connectors.settings import LIMIT_FIELDS, DestinationSettings

    options: dict[str, Any] = {}
    allowed = (*LIMIT_FIELDS, *connector.extra_options)
    for section in ("limits", "options"):
        values = entry.get(section) or {}
        if not isinstance(values, dict):
            raise ConfigError(
                where, f"{prefix}.{section}", "must be a mapping", "write name: value"
            )
        for key, value in values.items():
            if key not in allowed:
                raise ConfigError(
                    where,
                    f"{prefix}.{section}.{key}",
                    f"unknown for a {kind} destination",
                    f"use one of {', '.join(allowed)}",
                )
            options[key] = value
    try:
        DestinationSettings.from_options(name, kind, endpoint, options)
    except ConfigurationError as error:
        raise ConfigError(where, f"{prefix}.limits", str(error), "correct the value") from None
    return options

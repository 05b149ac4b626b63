"""Destinations and syncs, loaded from the files a user writes and checked on load.

Destinations live in `destinations.yaml`; syncs are declared next to their audience in the dbt
YAML (`config.meta.audience.syncs`) and read from the dbt manifest. Every problem is a
`ConfigError` that names the file, the field and the fix.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

DESTINATION_TYPES = {
    "klaviyo": "email",
    "meta_custom_audience": "ads",
    "webhook": None,  # a webhook can feed anything, so it must name its consent channel
}
CONSENT_CHANNELS = ("email", "sms", "push", "ads")
SYNC_MODES = ("mirror", "upsert", "update-only", "create-only", "add-only")
DEFAULT_REMOVAL_THRESHOLD = 0.2
_ENV_REFERENCE = re.compile(r"\$\{(?P<name>[A-Z_][A-Z0-9_]*)(?::-(?P<default>[^}]*))?\}")
_SYNC_NAME = re.compile(r"^[a-z][a-z0-9_]*$")
_CRON_FIELD = re.compile(r"^[0-9A-Za-z*/,?#LW-]+$")
_DESTINATION_FIELDS = ("type", "endpoint", "consent_channel", "credentials", "limits", "options")
_SYNC_FIELDS = (
    "name",
    "destination",
    "target",
    "mode",
    "identifiers",
    "fields",
    "cadence",
    "removal_guard",
)
_PROFILE_IDENTIFIERS = ("email", "phone")  # columns of `profiles` every membership carries


class ConfigError(ValueError):
    """A configuration file has a wrong or missing entry."""

    def __init__(self, where: str, field_path: str, problem: str, fix: str):
        super().__init__(f"{where}: {field_path}: {problem}. Fix: {fix}")
        self.where = where
        self.field_path = field_path


@dataclass(frozen=True)
class DestinationConfig:
    """One destination account: where it is, which secrets it needs and its limits."""

    name: str
    type: str
    endpoint: str
    consent_channel: str
    credentials: Mapping[str, str]  # secret name -> environment variable holding it
    options: Mapping[str, Any] = field(default_factory=dict)

    def read_secrets(self) -> dict[str, str]:
        """Read this destination's secrets from the environment, at run time only."""
        missing = [env for env in self.credentials.values() if not os.environ.get(env)]
        if missing:
            raise ConfigError(
                f"destination '{self.name}'",
                "credentials",
                f"environment variable(s) {', '.join(sorted(missing))} not set",
                "export them before running the sync",
            )
        return {secret: os.environ[env] for secret, env in self.credentials.items()}


@dataclass(frozen=True)
class Cadence:
    """When a sync runs: on a cron schedule, within a freshness target, or on every change."""

    schedule: str | None = None
    freshness_minutes: int | None = None
    on_change: bool = False


@dataclass(frozen=True)
class SyncConfig:
    """One audience feeding one destination target."""

    name: str
    audience: str
    destination: DestinationConfig
    target: str
    mode: str
    identifiers: tuple[str, ...]
    fields: Mapping[str, str]
    cadence: Cadence
    removal_threshold: float = DEFAULT_REMOVAL_THRESHOLD
    removal_floor: int = 0  # plans removing fewer rows than this are never held


def default_destinations_path() -> Path:
    """The destinations file: `ACTIVATION_DESTINATIONS_FILE`, else `destinations.yaml`."""
    configured = os.environ.get("ACTIVATION_DESTINATIONS_FILE")
    if configured:
        return Path(configured)
    return Path(__file__).resolve().parent.parent / "destinations.yaml"


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


def _reject_unknown_fields(where: str, prefix: str, entry: Mapping[str, Any], known) -> None:
    for key in entry:
        if key not in known:
            raise ConfigError(
                where, f"{prefix}.{key}", "unknown field", f"use only {', '.join(known)}"
            )


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
    _reject_unknown_fields(where, prefix, entry, _DESTINATION_FIELDS)
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
    connector = _connector_class(kind)
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


def _connector_class(kind: str):
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


def audience_nodes(manifest: Mapping[str, Any]) -> dict[str, Mapping[str, Any]]:
    """The dbt models that declare themselves audiences, by model name."""
    found = {}
    for node in manifest.get("nodes", {}).values():
        if node.get("resource_type") != "model":
            continue
        meta = (node.get("config") or {}).get("meta") or node.get("meta") or {}
        if "audience" in meta:
            found[node["name"]] = node
    return found


def load_syncs(
    manifest: Mapping[str, Any], destinations: Mapping[str, DestinationConfig]
) -> list[SyncConfig]:
    """Read every sync declared on an audience model and check it against the destinations."""
    syncs: dict[str, SyncConfig] = {}
    for audience, node in sorted(audience_nodes(manifest).items()):
        meta = (node.get("config") or {}).get("meta") or node.get("meta") or {}
        where = _yaml_file(node) or node.get("original_file_path", audience)
        declared = (meta.get("audience") or {}).get("syncs") or []
        for index, entry in enumerate(declared):
            sync = _parse_sync(
                where,
                f"{audience}.syncs[{index}]",
                audience,
                entry,
                destinations,
                tuple(node.get("columns") or {}),
            )
            if sync.name in syncs:
                raise ConfigError(
                    where,
                    f"{audience}.syncs[{index}].name",
                    f"{sync.name!r} is used twice",
                    "give every sync a unique name",
                )
            syncs[sync.name] = sync
    return list(syncs.values())


def _yaml_file(node: Mapping[str, Any]) -> str | None:
    """The YAML file that declares a model's properties, as a path from the repository."""
    patch_path = node.get("patch_path")  # e.g. "activation://models/segments/_segments.yml"
    if not patch_path:
        return None
    return "dbt_project/" + patch_path.split("://", 1)[-1]


def _parse_sync(
    where: str,
    prefix: str,
    audience: str,
    entry: Any,
    destinations: Mapping[str, DestinationConfig],
    columns: tuple[str, ...] = (),
) -> SyncConfig:
    if not isinstance(entry, dict):
        raise ConfigError(where, prefix, "must be a mapping", "see the README for a sync entry")
    _reject_unknown_fields(where, prefix, entry, _SYNC_FIELDS)
    name = entry.get("name")
    if not isinstance(name, str) or not _SYNC_NAME.match(name):
        raise ConfigError(
            where, f"{prefix}.name", f"{name!r} is not a valid name", "use lowercase snake_case"
        )
    destination = destinations.get(entry.get("destination"))
    if destination is None:
        raise ConfigError(
            where,
            f"{prefix}.destination",
            f"unknown destination {entry.get('destination')!r}",
            f"use one defined in {default_destinations_path()}: {sorted(destinations)}",
        )
    target = entry.get("target")
    if not isinstance(target, str | int) or str(target) == "":
        raise ConfigError(where, f"{prefix}.target", "missing", "name the list or audience id")
    mode = entry.get("mode", "mirror")
    if mode not in SYNC_MODES:
        raise ConfigError(
            where, f"{prefix}.mode", f"unknown mode {mode!r}", f"use one of {SYNC_MODES}"
        )
    identifiers = entry.get("identifiers") or []
    if not isinstance(identifiers, list) or not identifiers:
        raise ConfigError(where, f"{prefix}.identifiers", "missing", "list e.g. [email]")
    # Documented columns of the audience are its traits; undocumented ones cannot be checked.
    known = (*_PROFILE_IDENTIFIERS, *columns)
    for index, identifier in enumerate(identifiers):
        if columns and identifier not in known:
            raise ConfigError(
                where,
                f"{prefix}.identifiers[{index}]",
                f"{identifier!r} is neither a profile identifier nor a column of {audience}",
                f"use one of {', '.join(known)} (or document the column in {where})",
            )
    accepted = _connector_class(destination.type).accepted_identifiers
    if accepted and not set(identifiers) & set(accepted):
        raise ConfigError(
            where,
            f"{prefix}.identifiers",
            f"a {destination.type} destination matches people only on {', '.join(accepted)}",
            f"include {' or '.join(accepted)}",
        )
    fields = entry.get("fields") or {}
    if not isinstance(fields, dict):
        raise ConfigError(where, f"{prefix}.fields", "must be a mapping", "write field: trait")
    traits = [column for column in columns if column != "profile_id"]
    for field_name, trait in fields.items():
        if columns and trait not in columns:
            documented = f"map to one of {', '.join(traits)}, or " if traits else ""
            raise ConfigError(
                where,
                f"{prefix}.fields.{field_name}",
                f"{trait!r} is not a documented column of {audience}",
                f"{documented}list {trait!r} under the model's `columns:` in {where}",
            )
    guard = entry.get("removal_guard") or {}
    threshold = guard.get("max_share", DEFAULT_REMOVAL_THRESHOLD)
    if not isinstance(threshold, int | float) or not 0 <= threshold <= 1:
        raise ConfigError(
            where,
            f"{prefix}.removal_guard.max_share",
            f"{threshold!r} is not a share",
            "give a number between 0 and 1, e.g. 0.2",
        )
    floor = guard.get("min_removals", 0)
    if not isinstance(floor, int) or floor < 0:
        raise ConfigError(
            where,
            f"{prefix}.removal_guard.min_removals",
            f"{floor!r} is not a count",
            "give a whole number of rows, e.g. 50",
        )
    return SyncConfig(
        name=name,
        audience=audience,
        destination=destination,
        target=str(target),
        mode=mode,
        identifiers=tuple(str(identifier) for identifier in identifiers),
        fields={str(key): str(value) for key, value in fields.items()},
        cadence=_parse_cadence(where, f"{prefix}.cadence", entry.get("cadence")),
        removal_threshold=float(threshold),
        removal_floor=floor,
    )


def _parse_cadence(where: str, prefix: str, entry: Any) -> Cadence:
    if entry is None:
        return Cadence(on_change=True)
    if not isinstance(entry, dict) or len(entry) != 1:
        raise ConfigError(
            where,
            prefix,
            "must have exactly one key",
            "write {schedule: '0 6 * * *'}, {freshness_minutes: 60} or {on_change: true}",
        )
    if "schedule" in entry:
        schedule = str(entry["schedule"])
        parts = schedule.split()
        if len(parts) != 5 or not all(_CRON_FIELD.match(part) for part in parts):
            raise ConfigError(
                where,
                f"{prefix}.schedule",
                f"{schedule!r} is not a cron expression",
                "give five fields: minute hour day-of-month month day-of-week, e.g. '0 6 * * *'",
            )
        return Cadence(schedule=schedule)
    if "freshness_minutes" in entry:
        minutes = entry["freshness_minutes"]
        if not isinstance(minutes, int) or minutes <= 0:
            raise ConfigError(
                where,
                f"{prefix}.freshness_minutes",
                f"{minutes!r}",
                "give a whole number of minutes",
            )
        return Cadence(freshness_minutes=minutes)
    if entry.get("on_change") is True:
        return Cadence(on_change=True)
    raise ConfigError(
        where, prefix, f"unknown cadence {entry!r}", "use schedule, freshness_minutes or on_change"
    )


def check_audiences_registered(manifest: Mapping[str, Any]) -> None:
    """Fail when an audience model is not fed into `segment_memberships`.

    dbt cannot discover refs from the graph at parse time, so audiences are listed once in the
    `audiences()` macro; forgetting that step would silently leave the audience unsynced.
    """
    memberships = next(
        (
            node
            for node in manifest.get("nodes", {}).values()
            if node.get("resource_type") == "model" and node.get("name") == "segment_memberships"
        ),
        None,
    )
    if memberships is None:
        raise ConfigError("dbt_project", "segment_memberships", "model not found", "restore it")
    upstream = set(memberships.get("depends_on", {}).get("nodes", []))
    for name, node in audience_nodes(manifest).items():
        if node["unique_id"] not in upstream:
            raise ConfigError(
                node.get("original_file_path", name),
                "config.meta.audience",
                f"audience {name!r} is declared but not listed in the audiences() macro",
                "add its model name to dbt_project/macros/audiences.sql",
            )

"""Syncs, declared next to their audience in the dbt YAML and read from the dbt manifest."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from activation.config.destinations import connector_class, default_destinations_path
from activation.config.model import (
    DEFAULT_REMOVAL_THRESHOLD,
    SYNC_MODES,
    Cadence,
    ConfigError,
    DestinationConfig,
    SyncConfig,
    reject_unknown_fields,
)

_SYNC_NAME = re.compile(r"^[a-z][a-z0-9_]*$")
_CRON_FIELD = re.compile(r"^[0-9A-Za-z*/,?#LW-]+$")
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
    reject_unknown_fields(where, prefix, entry, _SYNC_FIELDS)
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
    accepted = connector_class(destination.type).accepted_identifiers
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

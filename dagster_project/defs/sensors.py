"""Sensors: newly landed files, and syncs whose freshness target has lapsed.

Neither opens the warehouse: DuckDB allows one writer, so sensors look only at the landing
folder and at Dagster's own records.
"""

from __future__ import annotations

import hashlib
import json
import time

import dagster as dg

from activation.config import SyncConfig
from activation.landing.contract import default_landing_dir
from dagster_project.defs.dbt_assets import plan_asset_key, sync_asset_key
from dagster_project.defs.jobs import activation_job
from dagster_project.defs.landing import LANDING_SUFFIXES, landing_key


def scan_landing() -> dict[str, list[int]]:
    """Every landed file, relative to the landing folder, with its size and modification time."""
    root = default_landing_dir()
    if not root.exists():
        return {}
    return {
        str(path.relative_to(root)): [path.stat().st_size, path.stat().st_mtime_ns]
        for path in sorted(root.glob("*/*"))
        if path.suffix in LANDING_SUFFIXES and path.is_file()
    }


def build_landing_sensor(syncs: tuple[SyncConfig, ...]) -> dg.SensorDefinition:
    """Runs the models the new files feed, and the on-change syncs downstream of them."""
    scheduled = {
        key
        for sync in syncs
        if not sync.cadence.on_change
        for key in (plan_asset_key(sync.name), sync_asset_key(sync.name))
    }

    @dg.sensor(
        name="landing_files_sensor",
        job=activation_job,
        minimum_interval_seconds=30,
        default_status=dg.DefaultSensorStatus.RUNNING,
        description="Notices new or changed files in the landing folder.",
    )
    def landing_files_sensor(context: dg.SensorEvaluationContext):
        seen = json.loads(context.cursor) if context.cursor else {}
        current = scan_landing()
        changed = sorted(name for name, stamp in current.items() if seen.get(name) != stamp)
        if not changed:
            return dg.SkipReason(f"no new files in {default_landing_dir()}")
        tables = sorted({name.split("/", 1)[0] for name in changed})
        graph = context.repository_def.asset_graph
        known = [landing_key(table) for table in tables if graph.has(landing_key(table))]
        if not known:
            context.update_cursor(json.dumps(current))
            return dg.SkipReason(f"files landed only in unknown folders: {', '.join(tables)}")
        selection = dg.AssetSelection.assets(*known).downstream().resolve(graph)
        selection = sorted(key for key in selection - scheduled if graph.get(key).is_materializable)
        run_key = hashlib.sha256("\n".join(changed).encode() + json.dumps(current).encode())
        context.update_cursor(json.dumps(current))
        return dg.RunRequest(
            run_key=run_key.hexdigest()[:32],
            asset_selection=selection,
            tags={"activation/trigger": "landing", "activation/tables": ",".join(tables)},
        )

    return landing_files_sensor


def _latest_pending(instance: dg.DagsterInstance, sync: SyncConfig) -> tuple[int, int]:
    """The newest pending count for a sync's plan, and the storage id it came from."""
    key = plan_asset_key(sync.name)
    newest = None
    for fetch in (instance.fetch_observations, instance.fetch_materializations):
        records = fetch(key, limit=1).records
        if records and (newest is None or records[0].storage_id > newest.storage_id):
            newest = records[0]
    if newest is None:
        return 0, 0
    metadata = newest.asset_materialization or newest.asset_observation
    pending = metadata.metadata.get("pending") if metadata else None
    return (int(pending.value) if pending is not None else 0), newest.storage_id


def _last_attempt_timestamp(instance: dg.DagsterInstance, sync: SyncConfig) -> float | None:
    """When the sync last delivered, or last failed trying: a failing destination is retried
    once per freshness target, not on every tick."""
    key = sync_asset_key(sync.name)
    stamps = [
        records[0].timestamp
        for fetch in (instance.fetch_materializations, instance.fetch_observations)
        if (records := fetch(key, limit=1).records)
    ]
    return max(stamps, default=None)


def build_freshness_sensor(syncs: tuple[SyncConfig, ...]) -> dg.SensorDefinition:
    """Runs every sync whose freshness target has lapsed and that has pending changes."""
    watched = [sync for sync in syncs if sync.cadence.freshness_minutes]

    @dg.sensor(
        name="sync_freshness_sensor",
        job=activation_job,
        minimum_interval_seconds=60,
        default_status=dg.DefaultSensorStatus.RUNNING,
        description="Syncs whatever is older than its freshness target and has pending rows.",
    )
    def sync_freshness_sensor(context: dg.SensorEvaluationContext):
        due, waiting = [], []
        for sync in watched:
            pending, plan_event = _latest_pending(context.instance, sync)
            last_attempt = _last_attempt_timestamp(context.instance, sync)
            age_minutes = (
                (time.time() - last_attempt) / 60 if last_attempt is not None else float("inf")
            )
            if pending > 0 and age_minutes >= sync.cadence.freshness_minutes:
                due.append((sync, plan_event))
            elif pending > 0:
                waiting.append(sync.name)
        if not due:
            return dg.SkipReason(
                "nothing pending past its freshness target"
                + (f" ({', '.join(waiting)} pending within target)" if waiting else "")
            )
        keys = [
            key for sync, _ in due for key in (plan_asset_key(sync.name), sync_asset_key(sync.name))
        ]
        run_key = "-".join(f"{sync.name}:{event}" for sync, event in due)
        return dg.RunRequest(
            run_key=hashlib.sha256(run_key.encode()).hexdigest()[:32],
            asset_selection=keys,
            tags={"activation/trigger": "freshness"},
        )

    return sync_freshness_sensor

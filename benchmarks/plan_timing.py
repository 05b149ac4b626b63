"""Step 3: the engine's plan code next to a bare DuckDB full outer join of the same rows."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from activation.config import SyncConfig
from activation.sync.definitions import register_sync_definitions
from activation.sync.plan import freeze_plan, summarize_plan
from activation.sync.warehouse import connect

# Only the membership and ledger columns the plan compares; consent and mode are the engine's
# extra work, and that difference is what the comparison shows.
BARE_JOIN = """
select
    count(*) filter (where ledger.profile_id is null) as adds,
    count(*) filter (
        where members.profile_id is not null and ledger.profile_id is not null
        and members.traits_hash != ledger.traits_hash
    ) as updates,
    count(*) filter (where members.profile_id is null) as removes,
    count(*) filter (where members.traits_hash = ledger.traits_hash) as unchanged
from (
    select profile_id, traits_hash from main.segment_memberships where audience = ?
) as members
full outer join (
    select profile_id, traits_hash from activation.delivery_ledger where sync_id = ?
) as ledger
    on members.profile_id = ledger.profile_id
"""


def _timed(call: Callable[[], Any]) -> tuple[float, Any]:
    started = time.perf_counter()
    result = call()
    return time.perf_counter() - started, result


def time_plan(
    warehouse: Path, sync: SyncConfig, progress: Callable[[str], None], repeats: int = 3
) -> dict[str, Any]:
    """Median seconds of `summarize_plan`, `freeze_plan` and the bare join, with their counts."""
    connection = connect(warehouse)
    try:
        register_sync_definitions(connection, [sync], replace_all=False)
        # Read both tables once so no timed query pays for the first read from disk.
        connection.execute("select count(*), max(traits_hash) from main.segment_memberships")
        connection.execute("select count(*), max(traits_hash) from activation.delivery_ledger")
        timings: dict[str, list[float]] = {"summarize": [], "freeze": [], "bare_join": []}
        for attempt in range(1, repeats + 1):
            seconds, summary = _timed(lambda: summarize_plan(connection, sync.name))
            timings["summarize"].append(seconds)
            seconds, frozen = _timed(lambda: freeze_plan(connection, sync.name))
            timings["freeze"].append(seconds)
            seconds, bare = _timed(
                lambda: connection.execute(BARE_JOIN, [sync.audience, sync.name]).fetchone()
            )
            timings["bare_join"].append(seconds)
            progress(
                f"plan attempt {attempt}/{repeats}: summarize {timings['summarize'][-1]:.2f}s, "
                f"freeze {timings['freeze'][-1]:.2f}s, bare join {timings['bare_join'][-1]:.2f}s"
            )
    finally:
        connection.close()
    engine = {action: frozen.count(action) for action in ("add", "update", "remove")}
    bare_counts = dict(zip(("add", "update", "remove", "unchanged"), bare, strict=True))
    return {
        "repeats": repeats,
        "summarize_seconds": round(statistics.median(timings["summarize"]), 4),
        "freeze_seconds": round(statistics.median(timings["freeze"]), 4),
        "bare_join_seconds": round(statistics.median(timings["bare_join"]), 4),
        "engine_counts": engine,
        "engine_summary_counts": {a: summary.count(a) for a in ("add", "update", "remove")},
        "engine_suppressed": frozen.count("suppress"),
        "engine_skipped": frozen.count("skip"),
        "bare_join_counts": bare_counts,
        "counts_agree": engine == {key: bare_counts[key] for key in engine}
        and engine == {a: summary.count(a) for a in ("add", "update", "remove")},
    }

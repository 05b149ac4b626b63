"""Map OTTO shop sessions (real, anonymised clicks, carts and orders) to landing events.

The OTTO Recommender Systems Dataset has one JSON line per session with its events. Sessions
carry no person, so every event is anonymous (`otto-<session>`); the events are observed, not
made up. Written as JSON Lines to exercise that landing format.
"""

from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path

from activation.landing.files import batch_name, connect, start_of_day
from activation.landing.online_retail import default_source_dir

SOURCE_FILE = Path("otto_sessions_sample") / "train_sample.jsonl"

# Several "orders" events of one session at the same instant are one checkout, so they share an
# order id made of the session and the instant.
OTTO_EVENTS = """
create temp table otto_events as
with flattened as (
    select
        session,
        unnest(events) as event,
        unnest(range(1, len(events) + 1)) as position
    from read_json(?, format = 'newline_delimited',
        columns = {session: 'bigint', events: 'struct(aid bigint, ts bigint, type varchar)[]'})
)

select
    'otto_' || substr(sha256('otto:' || session || ':' || position), 1, 32) as event_id,
    null::varchar as profile_id,
    'otto-' || session as anonymous_id,
    case event.type
        when 'clicks' then 'product_viewed'
        when 'carts' then 'product_added'
        when 'orders' then 'order_completed'
        else event.type
    end as event_type,
    -- OTTO mixes its web shop and app without saying which.
    null::varchar as channel,
    make_timestamptz(event.ts * 1000) as occurred_at,
    cast(event.aid as varchar) as product_id,
    case when event.type = 'orders' then 'otto-' || session || '-' || event.ts end as order_id,
    false as is_synthetic
from flattened
"""


def land_otto_sessions(landing_dir: Path | str, source_dir: Path | str | None = None) -> dict:
    """Write the sessions' events as one JSON Lines batch; returns event counts by type.

    The batch is named by the start of the day after the last event, so re-landing rewrites it.
    """
    path = Path(source_dir or default_source_dir()) / SOURCE_FILE
    if not path.is_file():
        raise FileNotFoundError(
            f"OTTO sessions file not found: {path}. It is a sample of the public 'OTTO "
            "Recommender Systems Dataset' (otto-de/recsys-dataset) as JSON Lines."
        )
    with connect() as connection:
        connection.execute(OTTO_EVENTS, [str(path)])
        last = connection.execute("select max(occurred_at) from otto_events").fetchone()[0]
        batch = batch_name(start_of_day(last.date() + timedelta(days=1)))
        target = Path(landing_dir) / "events" / f"{batch}.jsonl"
        target.parent.mkdir(parents=True, exist_ok=True)
        partial = target.with_name(f".{target.name}.partial")
        quoted = str(partial).replace("'", "''")
        # ISO 8601 with an explicit offset, as the contract asks of JSON Lines timestamps.
        connection.execute(
            "copy (select * replace (strftime(occurred_at, '%Y-%m-%dT%H:%M:%S.%gZ') as occurred_at)"
            f" from otto_events order by anonymous_id, occurred_at, event_id) to '{quoted}'"
            " (format json)"
        )
        os.replace(partial, target)
        counts = connection.execute(
            "select event_type, count(*) from otto_events group by event_type order by event_type"
        ).fetchall()
    return dict(counts)

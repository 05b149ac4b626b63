"""Made-up landing data at any scale: profiles, consent, catalogue, orders and browsing.

Built in DuckDB from `range()` and stable hashes, in chunks of profiles, so a million profiles
take seconds and ten million fit in memory. `generate_synthetic` lands a history ending on
`today`; `generate_synthetic_day` lands one more day, so that a run can see people move.
"""

from __future__ import annotations

import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from activation.landing import synthetic_sql as sql
from activation.landing.files import batch_name, connect, start_of_day, write_parquet
from activation.landing.online_retail import CONSENT_THRESHOLDS, LandingReport
from activation.landing.vocabulary import CATEGORY_PATTERNS, FIRST_NAMES, LAST_NAMES

DEFAULT_PROFILES = 5_000
DEFAULT_SEED = "activation-demo"
PRODUCTS = 500
ACTIVE_DAYS = 30
CHUNK_PROFILES = 1_000_000

CONSENT = """
select people.profile_id, thresholds.channel,
    h(settings.seed || ':' || thresholds.channel || ':' || people.i) % 100 < thresholds.threshold
        as is_opted_in,
    profiles.created_at as recorded_at, 'signup' as source, true as is_synthetic
from people
inner join synthetic_profiles as profiles on people.profile_id = profiles.profile_id
cross join consent_thresholds as thresholds
cross join settings
where settings.with_history
union all
select outcomes.profile_id, 'email', false, outcomes.visited_at + interval 20 minute,
    'preference_centre', true
from visit_outcomes as outcomes, settings
where outcomes.day between settings.first_day and settings.last_day
    and (outcomes.detail >> 50) % 64 = 0
    and h(settings.seed || ':email:' || outcomes.i) % 100 < 70
"""


def generate_synthetic(
    landing_dir: Path | str,
    profiles: int = DEFAULT_PROFILES,
    *,
    today: date | None = None,
    seed: str = DEFAULT_SEED,
    churn_day: bool = False,
) -> LandingReport:
    """Land profiles, consent, catalogue, older orders and 30 days of activity up to `today`.

    With `churn_day`, the history ends the day before `today` and `today` lands as a second
    batch, as `generate_synthetic_day` would write it; the report counts both.
    """
    today = today or datetime.now(UTC).date()
    history_end = today - timedelta(days=1) if churn_day else today
    report = _generate(landing_dir, profiles, seed, history_end, ACTIVE_DAYS, with_history=True)
    if not churn_day:
        return report
    day = generate_synthetic_day(landing_dir, profiles, day=today, seed=seed)
    rows = {table: report.rows[table] + day.rows.get(table, 0) for table in report.rows}
    return LandingReport(
        f"{report.batch}+{day.batch}", None, day.until, rows, {}, report.seconds + day.seconds
    )


def generate_synthetic_day(
    landing_dir: Path | str,
    profiles: int = DEFAULT_PROFILES,
    *,
    day: date,
    seed: str = DEFAULT_SEED,
) -> LandingReport:
    """Land one day's activity (events, orders, consent changes, price changes) as a batch."""
    return _generate(landing_dir, profiles, seed, day, 1, with_history=False)


def _generate(
    landing_dir, profiles: int, seed: str, last_day: date, days: int, *, with_history: bool
) -> LandingReport:
    started = time.monotonic()
    first_day = last_day - timedelta(days=days - 1)
    since, until = start_of_day(first_day), start_of_day(last_day + timedelta(days=1))
    batch = batch_name(until)
    chunks = range(0, profiles, CHUNK_PROFILES)
    rows: dict[str, int] = {}
    with connect() as connection:
        for statement in sql.MACROS:
            connection.execute(statement)
        connection.execute("create temp table consent_thresholds (channel varchar, threshold int)")
        connection.executemany(
            "insert into consent_thresholds values (?, ?)", list(CONSENT_THRESHOLDS.items())
        )
        for number, start in enumerate(chunks):
            name = batch if len(chunks) == 1 else f"{batch}-part{number + 1:04d}"
            _settings(connection, seed, start, min(start + CHUNK_PROFILES, profiles), last_day)
            connection.execute(
                "update settings set first_day = ?, with_history = ?", [first_day, with_history]
            )
            for table, count in _write_chunk(
                connection, Path(landing_dir), name, with_history, first_chunk=number == 0
            ).items():
                rows[table] = rows.get(table, 0) + count
    return LandingReport(batch, since, until, rows, {}, time.monotonic() - started)


def _settings(connection, seed: str, profile_from: int, profile_to: int, today: date) -> None:
    connection.execute(
        "create or replace temp table settings as select ?::varchar as seed,"
        " ?::bigint as profile_from, ?::bigint as profile_to, ?::date as today,"
        " ?::date as first_day, ?::date as last_day, ?::integer as products,"
        " ?::varchar[] as first_names, ?::varchar[] as last_names, ?::varchar[] as categories,"
        " false as with_history",
        [
            seed,
            profile_from,
            profile_to,
            today,
            today,
            today,
            PRODUCTS,
            list(FIRST_NAMES),
            list(LAST_NAMES),
            [category for category, _ in CATEGORY_PATTERNS],
        ],
    )


def _write_chunk(connection, landing: Path, name: str, with_history: bool, *, first_chunk: bool):
    """Write every table of one chunk of profiles; the catalogue only with the first chunk."""
    for statement in (sql.PEOPLE, sql.VISITS, sql.VISIT_OUTCOMES, sql.ORDERS, sql.CATALOGUE):
        connection.execute(statement)
    connection.execute(f"create or replace temp table synthetic_profiles as {sql.PROFILES}")
    queries = {
        "events": sql.EVENTS
        + " union all select 'syn-' || order_id || '-done', profile_id, null, 'order_completed',"
        " 'web', ordered_at, null, order_id, true from synthetic_orders where order_id like '%-h%'",
        "orders": "select order_id, profile_id, null as anonymous_id, ordered_at,"
        " false as is_refund, 'GBP' as currency, 'GB' as country_code, true as is_synthetic"
        " from synthetic_orders",
        "order_lines": "select orders.order_id, 1 as line_number, orders.product_id,"
        " orders.quantity, catalogue.base_price as unit_price from synthetic_orders as orders"
        " inner join catalogue on orders.product_id = catalogue.product_id",
        "consent": CONSENT,
    }
    if with_history:
        queries["profiles"] = "select * from synthetic_profiles"
    if first_chunk:
        queries["product_prices"] = sql.PRICE_CHANGES
        if with_history:
            queries["products"] = (
                "select product_id, category || ' item ' || right(product_id, 5) as name,"
                " category, true as is_merchandise from catalogue"
            )
    return {
        table: write_parquet(connection, query, landing / table / f"{name}.parquet")
        for table, query in queries.items()
    }

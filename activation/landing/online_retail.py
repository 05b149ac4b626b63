"""Land the UCI Online Retail invoices, with derived profiles, consent and browsing events.

The source is real UK invoices from 2010-12-01 to 2011-12-09. Every instant is shifted by one
whole number of days so that the last source day becomes `today`; a window `[since, until)` on
the shifted instants lets a demo land "everything before today" and "today" as two batches.
"""

from __future__ import annotations

import os
import time
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from activation.landing import online_retail_sql as model
from activation.landing.files import as_utc, batch_name, connect, start_of_day, write_parquet
from activation.landing.online_retail_events import EVENTS
from activation.landing.vocabulary import (
    CATEGORY_PATTERNS,
    COUNTRIES,
    FIRST_NAMES,
    LAST_NAMES,
    NON_MERCHANDISE_CODES,
)

SOURCE_FILE = Path("online_retail_uci") / "online_retail.parquet"
LAST_SOURCE_DAY = date(2011, 12, 9)
CONSENT_THRESHOLDS = {"email": 70, "sms": 25, "push": 40, "ads": 60}
REPOSITORY_ROOT = Path(__file__).resolve().parents[2]

# Each landing table: the query that selects its rows for the window, in contract column order.
# `shifted()` and `in_window()` are macros over the window of the current load.
TABLE_QUERIES = {
    "profiles": """
        select profile_id, email, phone, first_name, last_name, country_code, time_zone,
            shifted(created_at) as created_at, true as is_synthetic
        from profiles where in_window(created_at) order by profile_id""",
    "consent": """
        select profile_id, channel, is_opted_in, shifted(recorded_at) as recorded_at, source,
            true as is_synthetic
        from consent where in_window(recorded_at) order by profile_id, channel, recorded_at""",
    "orders": """
        select order_id, profile_id, anonymous_id, shifted(source_at) as ordered_at, is_refund,
            'GBP' as currency, country_code, source_at as original_ordered_at,
            false as is_synthetic
        from orders where in_window(source_at) order by order_id""",
    "order_lines": """
        select lines.order_id, cast(lines.line_number as integer) as line_number,
            lines.product_id, lines.quantity,
            cast(lines.unit_price as decimal(18, 3)) as unit_price
        from source_lines as lines inner join orders on lines.order_id = orders.order_id
        where in_window(orders.source_at) order by lines.order_id, lines.line_number""",
    "products": """
        select product_id, name, category, is_merchandise from products
        where product_id in (select product_id from source_lines where in_window(source_at))
        order by product_id""",
    "product_prices": """
        select product_id, price, 'GBP' as currency, shifted(valid_from) as valid_from,
            false as is_synthetic
        from product_prices where in_window(valid_from) order by product_id, valid_from""",
    "events": """
        select event_id, profile_id, anonymous_id, event_type, channel,
            shifted(source_at) as occurred_at, product_id, order_id,
            source_at as original_occurred_at, is_synthetic
        from events where in_window(source_at) order by occurred_at, event_id""",
}

MESSY_ROWS = """
select
    count(*) filter (where lines.profile_id is null) as guest_lines,
    count(*) filter (where lines.is_refund) as refund_lines,
    count(*) filter (where lines.unit_price = 0) as zero_price_lines,
    count(*) filter (where lines.unit_price < 0) as negative_price_lines,
    count(*) filter (where lines.description is null) as missing_descriptions,
    (select count(*) from profiles where country_code is null and in_window(created_at))
        as unknown_country_profiles
from source_lines as lines inner join orders on lines.order_id = orders.order_id
where in_window(orders.source_at)
"""


class SourceDataMissingError(FileNotFoundError):
    """The public source file is not where the loader looks for it."""


@dataclass(frozen=True)
class LandingReport:
    """What one load wrote: rows per table, messy source rows seen, and where."""

    batch: str
    since: datetime | None
    until: datetime | None
    rows: dict[str, int] = field(default_factory=dict)
    messy_rows: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0

    def __str__(self) -> str:
        window = f"[{self.since or '…'}, {self.until or '…'})"
        tables = ", ".join(f"{table} {count:,}" for table, count in self.rows.items())
        messy = ", ".join(f"{name.replace('_', ' ')} {n:,}" for name, n in self.messy_rows.items())
        lines = [f"batch {self.batch} {window} in {self.seconds:.1f}s: {tables}"]
        if messy:
            lines.append(f"messy source rows kept for staging: {messy}")
        return "\n".join(lines)


def default_source_dir() -> Path:
    """`ACTIVATION_SOURCE_DATA_DIR`, else the shared data folder beside the repository."""
    configured = os.environ.get("ACTIVATION_SOURCE_DATA_DIR")
    return Path(configured) if configured else REPOSITORY_ROOT.parent / "shared" / "data"


def source_file(source_dir: Path | None = None) -> Path:
    """The source Parquet file, or a clear error naming where it was expected and its origin."""
    path = Path(source_dir or default_source_dir()) / SOURCE_FILE
    if not path.is_file():
        raise SourceDataMissingError(
            f"online retail source file not found: {path}. It is the public UCI Machine "
            "Learning Repository dataset 'Online Retail' (id 352) as Parquet; put it there or "
            "set ACTIVATION_SOURCE_DATA_DIR to the folder holding online_retail_uci/."
        )
    return path


def shift_days(today: date) -> int:
    """Whole days to add to a source instant so that the last source day lands on `today`."""
    return (today - LAST_SOURCE_DAY).days


def last_source_day_start(today: date | None = None) -> datetime:
    """Start (UTC) of the shifted last source day: `until` for day 1 and `since` for day 2."""
    return start_of_day(today or datetime.now(UTC).date())


def land_online_retail(
    landing_dir: Path | str,
    source_dir: Path | str | None = None,
    *,
    today: date | None = None,
    until: datetime | None = None,
    since: datetime | None = None,
) -> LandingReport:
    """Land every table for the shifted instants in `[since, until)` as one batch.

    Files are named by the window end (the start of the day after `today` when open), so
    landing the same window again rewrites the same files.
    """
    started = time.monotonic()
    today = today or datetime.now(UTC).date()
    since, until = as_utc(since), as_utc(until)
    path = source_file(Path(source_dir) if source_dir else None)
    batch = batch_name(until or start_of_day(today + timedelta(days=1)))
    with connect() as connection:
        build_model(connection, path)
        connection.execute(
            "create temp table load_window as "
            "select ?::integer as shift_days, ?::timestamptz as since, ?::timestamptz as until",
            [shift_days(today), since, until],
        )
        connection.execute(
            "create temp macro shifted(t) as t + to_days((select shift_days from load_window))"
        )
        connection.execute(
            "create temp macro in_window(t) as ("
            "select (since is null or shifted(t) >= since)"
            " and (until is null or shifted(t) < until) from load_window)"
        )
        rows = {
            table: write_parquet(connection, query, Path(landing_dir) / table / f"{batch}.parquet")
            for table, query in TABLE_QUERIES.items()
        }
        messy = connection.execute(MESSY_ROWS)
        names = [column[0] for column in messy.description]
        messy_rows = dict(zip(names, messy.fetchone(), strict=True))
    return LandingReport(batch, since, until, rows, messy_rows, time.monotonic() - started)


def build_model(connection, path: Path) -> None:
    """Build the lookup tables and every source-time model table in `connection`."""
    for statement in model.LOOKUP_TABLES:
        connection.execute(statement)
    connection.executemany(
        "insert into countries values (?, ?, ?)",
        [(name, code, zone) for name, (code, zone) in COUNTRIES.items()],
    )
    connection.executemany(
        "insert into non_merchandise_codes values (?)", [(code,) for code in NON_MERCHANDISE_CODES]
    )
    connection.executemany(
        "insert into category_patterns values (?, ?, ?)",
        [(position, *pair) for position, pair in enumerate(CATEGORY_PATTERNS)],
    )
    connection.executemany(
        "insert into consent_thresholds values (?, ?)", list(CONSENT_THRESHOLDS.items())
    )
    connection.execute("insert into name_lists values (?, ?)", [FIRST_NAMES, LAST_NAMES])
    connection.execute(model.SOURCE_LINES, [str(path)])
    for statement in (
        model.CUSTOMERS,
        model.PROFILES,
        model.CONSENT,
        model.ORDERS,
        model.PRODUCTS,
        model.PRODUCT_PRICES,
        EVENTS,
    ):
        connection.execute(statement)

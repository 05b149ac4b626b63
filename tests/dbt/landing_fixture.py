"""A small landing folder that exercises every audience and every messy case staging handles.

The newest event is at `WATERMARK`, so a build without `as_of` evaluates audiences then.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

WATERMARK = datetime(2026, 12, 4, 12, 0, tzinfo=UTC)
INSTANT = pa.timestamp("us", tz="UTC")

# Which fixture profiles each audience must hold when evaluated at WATERMARK.
EXPECTED_AUDIENCES = {
    "cart_abandoners": {"p01"},
    "win_back": {"p03", "p10"},
    "high_value_customers": {"p04"},
    "recent_category_browsers": {"p05"},
    "lapsed_app_users": {"p06"},
    "new_customers": {"p07"},
}


def ago(**delta: float) -> datetime:
    return WATERMARK - timedelta(**delta)


PROFILES = [
    # profile_id, email, phone, first_name, created days ago
    ("p01", "alice@example.com", "+447700900001", "Alice", 30),
    ("p02", "bob@example.com", "+447700900002", "Bob", 500),
    ("p03", "carol@example.com", None, "Carol", 400),
    ("p04", "dan@example.com", "+447700900004", "Dan", 600),
    ("p05", "eve@example.com", None, "Eve", 50),
    ("p06", "frank@example.com", None, "Frank", 90),
    ("p07", "grace@example.com", "+447700900007", None, 10),
    ("p08", "heidi@example.com", None, "Heidi", 20),
    ("p09", None, "+447700900009", "Ivan", 5),
    ("p10", "judy@example.com", None, "Judy", 300),
]

PRODUCTS = [
    # product_id, name, category, is_merchandise
    ("P-STAR", "Glass star ornament", "christmas", True),
    ("P-MUG", "Enamel mug", "kitchen", True),
    ("P-LAMP", "Table lamp", "home", True),
    ("P-VASE", "Crystal vase", "home", True),
    ("P-GIFT", "Gift wrap", "christmas", True),
    ("P-NONAME", None, "kitchen", True),
    ("POST", "Postage", None, False),
    ("P-ADJ", "Adjust bad debt", None, False),
]

ORDERS = [
    # order_id, profile_id, anonymous_id, ordered_at, is_refund
    ("o1", "p02", None, ago(days=400), False),
    ("o2", "p02", None, ago(hours=3), False),
    ("o3", "p03", None, ago(days=120), False),
    ("o4", "p04", None, ago(days=30), False),
    ("o5", "p04", None, ago(days=20), True),
    ("o6", "p07", None, ago(days=3), False),
    ("o7", None, "guest-1", ago(days=2), False),
    ("o8", "p10", None, ago(days=200), False),
]

ORDER_LINES = [
    # order_id, line_number, product_id, quantity, unit_price
    ("o1", 1, "P-MUG", 2, 5.00),
    ("o2", 1, "P-STAR", 1, 15.00),
    ("o3", 1, "P-MUG", 3, 5.00),
    ("o3", 2, "P-ADJ", 1, -50.00),
    ("o3", 3, "POST", 1, 3.00),
    ("o4", 1, "P-LAMP", 1, 1500.00),
    ("o5", 1, "P-LAMP", -1, 300.00),
    ("o6", 1, "P-STAR", 2, 12.50),
    ("o6", 2, "P-GIFT", 1, 0.00),
    ("o6", None, "P-MUG", 1, 5.00),
    ("o7", 1, "P-MUG", 1, 5.00),
    ("o8", 1, "P-VASE", 1, 999.00),
]

# event_id, profile_id, anonymous_id, event_type, channel, occurred_at, product_id, order_id
NEWER_EVENTS = [
    ("e01", "p01", None, "product_added", "web", ago(hours=2), "P-STAR", None),
    ("e02", "p02", None, "product_added", "web", ago(hours=5), "P-STAR", None),
    ("e03", "p02", None, "order_completed", "web", ago(hours=3), None, "o2"),
    ("e04", "p09", None, "product_added", "web", ago(hours=30), "P-MUG", None),
    ("e05", "p08", None, "app_opened", "app", ago(days=1), None, None),
    ("e06", "p08", None, "product_viewed", "web", ago(days=10), "P-STAR", None),
    ("e07", None, "anon-1", "product_viewed", "web", ago(hours=1), "P-STAR", None),
    ("e08", "p01", None, "wishlist_added", "web", ago(hours=4), "P-STAR", None),
    (None, "p01", None, "session_started", "web", ago(hours=6), None, None),
    ("e10", "p10", None, "session_started", "web", WATERMARK, None, None),
]
OLDER_EVENTS = [
    ("e04", "p09", None, "product_added", "web", ago(hours=100), "P-MUG", None),
    ("e11", "p05", None, "product_viewed", "web", ago(days=2), "P-STAR", None),
    ("e12", "p05", None, "product_viewed", "web", ago(days=1, hours=2), "P-LAMP", None),
    ("e13", "p06", None, "app_opened", "app", ago(days=45), None, None),
    ("e14", "p07", None, "email_clicked", "email", ago(days=2), None, None),
    ("e15", "p10", None, "session_started", None, ago(days=5), None, None),
]
# Events whose timestamp lands without an offset (to be read as UTC).
NAIVE_EVENT_IDS = {"e12"}

CONSENT = [
    # profile_id, channel, is_opted_in, recorded_at
    ("p01", "email", True, ago(days=30)),
    ("p01", "ads", True, ago(days=30)),
    ("p02", "email", True, ago(days=300)),
    ("p03", "email", True, ago(days=300)),
    ("p04", "email", True, ago(days=300)),
    ("p04", "email", False, ago(days=1)),
    ("p07", "email", True, ago(days=3)),
    ("p10", "fax", True, ago(days=3)),
]


def _write_parquet(folder: Path, batch: str, table: pa.Table) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    pq.write_table(table, folder / f"{batch}.parquet")


def _write_jsonl(folder: Path, batch: str, rows: list[dict]) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    with (folder / f"{batch}.jsonl").open("w") as handle:
        for row in rows:
            handle.write(json.dumps(row) + "\n")


def _event_table(events: list[tuple]) -> pa.Table:
    columns = list(zip(*events, strict=True))
    return pa.table(
        {
            "event_id": pa.array(columns[0], pa.string()),
            "profile_id": pa.array(columns[1], pa.string()),
            "anonymous_id": pa.array(columns[2], pa.string()),
            "event_type": pa.array(columns[3], pa.string()),
            "channel": pa.array(columns[4], pa.string()),
            "occurred_at": pa.array(columns[5], INSTANT),
            "product_id": pa.array(columns[6], pa.string()),
            "order_id": pa.array(columns[7], pa.string()),
        }
    )


def _event_rows(events: list[tuple]) -> list[dict]:
    rows = []
    for event_id, profile_id, anonymous_id, event_type, channel, at, product, order in events:
        if event_id in NAIVE_EVENT_IDS:
            occurred_at = at.replace(tzinfo=None).isoformat()
        else:
            # Written in another offset on purpose: the instant is what counts.
            occurred_at = at.astimezone(UTC).isoformat().replace("+00:00", "Z")
        rows.append(
            {
                "event_id": event_id,
                "profile_id": profile_id,
                "anonymous_id": anonymous_id,
                "event_type": event_type,
                "channel": channel,
                "occurred_at": occurred_at,
                "product_id": product,
                "order_id": order,
                "is_synthetic": False,
            }
        )
    return rows


def write_events(landing: Path, events_format: str) -> None:
    """Land the two event batches as Parquet, JSON Lines, or one of each ('mixed')."""
    folder = landing / "events"
    older, newer = "2026-12-03T000000Z", "2026-12-04T120000Z"
    if events_format in ("jsonl", "mixed"):
        _write_jsonl(folder, older, _event_rows(OLDER_EVENTS))
    else:
        _write_parquet(folder, older, _event_table(OLDER_EVENTS))
    if events_format == "jsonl":
        _write_jsonl(folder, newer, _event_rows(NEWER_EVENTS))
    else:
        _write_parquet(folder, newer, _event_table(NEWER_EVENTS))


def write_landing(landing: Path, events_format: str = "mixed") -> Path:
    """Write the whole fixture landing folder and return it."""
    first_batch, correction = "2026-12-01T000000Z", "2026-12-04T000000Z"
    profiles = list(zip(*PROFILES, strict=True))
    _write_parquet(
        landing / "profiles",
        first_batch,
        pa.table(
            {
                "profile_id": pa.array([*profiles[0], None], pa.string()),
                "email": pa.array([*profiles[1], "nobody@example.com"], pa.string()),
                "phone": pa.array([*profiles[2], None], pa.string()),
                "first_name": pa.array([*profiles[3], "Nobody"], pa.string()),
                "country_code": pa.array(["gb"] * (len(PROFILES) + 1), pa.string()),
                "time_zone": pa.array(["Europe/London"] * (len(PROFILES) + 1), pa.string()),
                "created_at": pa.array(
                    [ago(days=days) for days in profiles[4]] + [ago(days=1)], INSTANT
                ),
            }
        ),
    )
    # A later batch corrects Carol's name (and carries the optional last_name column).
    _write_jsonl(
        landing / "profiles",
        correction,
        [
            {
                "profile_id": "p03",
                "email": "carol@example.com",
                "phone": None,
                "first_name": "Caroline",
                "last_name": "Smith",
                "country_code": "GB",
                "time_zone": "Europe/London",
                "created_at": ago(days=400).isoformat(),
            }
        ],
    )
    write_events(landing, events_format)
    orders = list(zip(*ORDERS, strict=True))
    _write_parquet(
        landing / "orders",
        first_batch,
        pa.table(
            {
                "order_id": pa.array(orders[0], pa.string()),
                "profile_id": pa.array(orders[1], pa.string()),
                "anonymous_id": pa.array(orders[2], pa.string()),
                "ordered_at": pa.array(orders[3], INSTANT),
                "is_refund": pa.array(orders[4], pa.bool_()),
                "currency": pa.array(["GBP"] * len(ORDERS), pa.string()),
            }
        ),
    )
    # Order lines land as one batch split into two parts.
    for part, chunk in enumerate((ORDER_LINES[:6], ORDER_LINES[6:]), start=1):
        lines = list(zip(*chunk, strict=True))
        _write_parquet(
            landing / "order_lines",
            f"{first_batch}-part{part:04d}",
            pa.table(
                {
                    "order_id": pa.array(lines[0], pa.string()),
                    "line_number": pa.array(lines[1], pa.int32()),
                    "product_id": pa.array(lines[2], pa.string()),
                    "quantity": pa.array(lines[3], pa.int32()),
                    "unit_price": pa.array(lines[4], pa.float64()),
                }
            ),
        )
    products = list(zip(*PRODUCTS, strict=True))
    _write_parquet(
        landing / "products",
        first_batch,
        pa.table(
            {
                "product_id": pa.array(products[0], pa.string()),
                "name": pa.array(products[1], pa.string()),
                "category": pa.array(products[2], pa.string()),
                "is_merchandise": pa.array(products[3], pa.bool_()),
            }
        ),
    )
    # Prices land with naive timestamps (no offset): they must be read as UTC.
    _write_parquet(
        landing / "product_prices",
        first_batch,
        pa.table(
            {
                "product_id": pa.array(["P-STAR", "P-STAR", "P-MUG", "P-GIFT"], pa.string()),
                "price": pa.array([12.50, 15.00, 5.00, 0.00], pa.float64()),
                "currency": pa.array(["GBP"] * 4, pa.string()),
                "valid_from": pa.array(
                    [
                        datetime(2026, 1, 1),
                        ago(hours=1).replace(tzinfo=None),
                        datetime(2026, 1, 1),
                        datetime(2026, 1, 1),
                    ],
                    pa.timestamp("us"),
                ),
            }
        ),
    )
    consent = list(zip(*CONSENT, strict=True))
    _write_parquet(
        landing / "consent",
        first_batch,
        pa.table(
            {
                "profile_id": pa.array(consent[0], pa.string()),
                "channel": pa.array(consent[1], pa.string()),
                "is_opted_in": pa.array(consent[2], pa.bool_()),
                "recorded_at": pa.array(consent[3], INSTANT),
            }
        ),
    )
    return landing

"""The landing contract as data, and a check of a landing folder against it.

`docs/landing_contract.md` describes the same tables for people; loaders and tests use this.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import duckdb

LANDING_SUFFIXES = (".parquet", ".jsonl")


@dataclass(frozen=True)
class Column:
    """One contract column: its name, logical type, and whether a file may leave it out."""

    name: str
    type: str
    optional: bool = False


def _columns(spec: str) -> tuple[Column, ...]:
    # "name type" pairs, a trailing "?" marking an optional column.
    columns = []
    for item in spec.split(","):
        name, type_ = item.split()
        columns.append(Column(name.rstrip("?"), type_, optional=name.endswith("?")))
    return tuple(columns)


TABLES: dict[str, tuple[Column, ...]] = {
    "profiles": _columns(
        "profile_id string, email string, phone string, first_name? string, last_name? string,"
        " country_code string, time_zone string, created_at timestamp, is_synthetic? boolean"
    ),
    "events": _columns(
        "event_id string, profile_id string, anonymous_id string, event_type string,"
        " channel string, occurred_at timestamp, product_id string, order_id string,"
        " original_occurred_at? timestamp, is_synthetic? boolean"
    ),
    "orders": _columns(
        "order_id string, profile_id string, anonymous_id string, ordered_at timestamp,"
        " is_refund boolean, currency string, country_code? string,"
        " original_ordered_at? timestamp, is_synthetic? boolean"
    ),
    "order_lines": _columns(
        "order_id string, line_number integer, product_id string, quantity integer,"
        " unit_price decimal"
    ),
    "products": _columns("product_id string, name string, category string, is_merchandise boolean"),
    "product_prices": _columns(
        "product_id string, price decimal, currency string, valid_from timestamp,"
        " is_synthetic? boolean"
    ),
    "consent": _columns(
        "profile_id string, channel string, is_opted_in boolean, recorded_at timestamp,"
        " source? string, is_synthetic? boolean"
    ),
}

EVENT_TYPES = (
    "product_viewed",
    "product_added",
    "order_completed",
    "order_refunded",
    "session_started",
    "app_opened",
)
CONSENT_CHANNELS = ("email", "sms", "push", "ads")


def default_landing_dir() -> Path:
    """`ACTIVATION_LANDING_DIR`, else `data/landing` in the repository; read at call time."""
    configured = os.environ.get("ACTIVATION_LANDING_DIR")
    return (
        Path(configured) if configured else Path(__file__).resolve().parents[2] / "data" / "landing"
    )


def required_columns(table: str) -> tuple[str, ...]:
    """Names of the columns every file of `table` must carry."""
    return tuple(column.name for column in TABLES[table] if not column.optional)


def batch_files(landing_dir: Path | str, table: str) -> list[Path]:
    """The batch files of one table, in batch order (file names sort by batch time)."""
    folder = Path(landing_dir) / table
    if not folder.is_dir():
        return []
    return sorted(path for path in folder.iterdir() if path.suffix in LANDING_SUFFIXES)


def file_columns(path: Path) -> set[str]:
    """Column names found in one Parquet or JSON Lines batch file."""
    reader = "read_parquet" if path.suffix == ".parquet" else "read_json"
    with duckdb.connect() as connection:
        described = connection.execute(f"describe select * from {reader}(?)", [str(path)])
        return {row[0] for row in described.fetchall()}


def validate_landing(landing_dir: Path | str) -> list[str]:
    """Every way the landing folder breaks the contract, one readable line each; empty if none."""
    problems = []
    for table in TABLES:
        files = batch_files(landing_dir, table)
        if not files:
            problems.append(
                f"{table}: no *.parquet or *.jsonl files in {Path(landing_dir) / table}"
            )
        for path in files:
            try:
                found = file_columns(path)
            except duckdb.Error as error:
                problems.append(f"{table}: cannot read {path}: {error}")
                continue
            missing = [name for name in required_columns(table) if name not in found]
            if missing:
                problems.append(f"{table}: {path} lacks required columns {', '.join(missing)}")
    return problems

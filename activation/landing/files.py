"""Pieces every loader shares: a UTC DuckDB session with the stable hash, and batch files."""

from __future__ import annotations

import os
from datetime import UTC, date, datetime, time
from pathlib import Path

import duckdb

# The first 8 hex digits of sha256 as an integer: stable across processes, versions and
# machines, unlike Python's hash() or DuckDB's hash().
HASH_MACRO = "create or replace macro h(k) as ('0x' || substr(sha256(k), 1, 8))::ubigint"


def connect() -> duckdb.DuckDBPyConnection:
    """An in-memory DuckDB session whose clock reads UTC, with the `h()` macro defined."""
    connection = duckdb.connect()
    # Day arithmetic on timestamptz follows the session zone; UTC keeps it machine-independent.
    connection.execute("set TimeZone = 'UTC'")
    connection.execute(HASH_MACRO)
    return connection


def start_of_day(day: date) -> datetime:
    """Midnight UTC at the start of `day`."""
    return datetime.combine(day, time.min, tzinfo=UTC)


def as_utc(instant: datetime | None) -> datetime | None:
    """The same instant in UTC; a naive datetime is read as UTC."""
    if instant is None:
        return None
    if instant.tzinfo is None:
        return instant.replace(tzinfo=UTC)
    return instant.astimezone(UTC)


def batch_name(instant: datetime) -> str:
    """A batch file stem that sorts by batch time, e.g. `2026-12-04T000000Z`."""
    return as_utc(instant).strftime("%Y-%m-%dT%H%M%SZ")


def write_parquet(
    connection: duckdb.DuckDBPyConnection, query: str, path: Path, parameters=None
) -> int:
    """Write the rows of `query` to `path` as one Parquet file; returns the row count.

    The file appears whole or not at all: it is written beside its final name, then renamed, so
    a reader (or a sensor) never sees half a batch.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(f".{path.name}.partial")
    quoted = str(partial).replace("'", "''")
    written = connection.execute(
        f"copy ({query}) to '{quoted}' (format parquet, compression zstd)", parameters or []
    ).fetchone()[0]
    os.replace(partial, path)
    return int(written)

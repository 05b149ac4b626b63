"""Fixtures: the real online-retail data landed as two day batches, shared by the module."""

from __future__ import annotations

from datetime import date

import duckdb
import pytest

from activation.landing.online_retail import (
    default_source_dir,
    land_online_retail,
    last_source_day_start,
    source_file,
)

TODAY = date(2026, 12, 4)


@pytest.fixture(scope="session")
def retail_source():
    try:
        return source_file(default_source_dir())
    except FileNotFoundError as error:
        pytest.skip(str(error))


@pytest.fixture(scope="session")
def retail_days(retail_source, tmp_path_factory):
    """The landing folder after day 1 (before today) and day 2 (today), with both reports."""
    landing = tmp_path_factory.mktemp("retail") / "landing"
    start = last_source_day_start(TODAY)
    day_one = land_online_retail(landing, retail_source.parents[1], today=TODAY, until=start)
    day_two = land_online_retail(landing, retail_source.parents[1], today=TODAY, since=start)
    return landing, day_one, day_two


def query(sql: str, parameters=None) -> list[tuple]:
    """Rows of one query in a UTC session."""
    with duckdb.connect() as connection:
        connection.execute("set TimeZone = 'UTC'")
        return connection.execute(sql, parameters or []).fetchall()

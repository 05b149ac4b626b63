"""Membership depends on the data and the stated instant only: not the session time zone,
not the wall clock, and not the file format the events landed in."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from dbt_builds import Build, build_fixture, memberships

pytestmark = pytest.mark.slow


def test_memberships_are_identical_under_utc_and_new_york_session_time_zones(
    fixture_build: Build, tmp_path
):
    new_york = build_fixture(tmp_path, time_zone="America/New_York")
    assert memberships(new_york) == memberships(fixture_build)
    assert len(memberships(new_york)) == 7


def test_a_stated_as_of_evaluates_audiences_at_that_instant(tmp_path):
    stated = build_fixture(tmp_path, variables={"as_of": "2026-12-04T04:00:00Z"})
    assert stated.query("select evaluated_at, is_stated from main.audience_clock") == [
        (datetime(2026, 12, 4, 4, 0, tzinfo=UTC), True)
    ]
    # At 04:00 Alice's 10:00 cart add has not happened yet; Ivan's, 22 hours old, is in window.
    assert stated.members("cart_abandoners") == {"p09"}
    # Bob's 09:00 order has not happened either; his previous one is 400 days old.
    assert stated.members("win_back") == {"p02", "p03", "p10"}
    assert stated.query("select distinct evaluated_at from main.segment_memberships") == [
        (datetime(2026, 12, 4, 4, 0, tzinfo=UTC),)
    ]


def test_an_as_of_without_an_offset_is_read_as_utc_in_any_session_zone(tmp_path):
    stated = build_fixture(
        tmp_path, time_zone="America/New_York", variables={"as_of": "2026-12-04T04:00:00"}
    )
    assert stated.query("select evaluated_at from main.audience_clock") == [
        (datetime(2026, 12, 4, 4, 0, tzinfo=UTC),)
    ]
    assert stated.members("cart_abandoners") == {"p09"}


@pytest.mark.parametrize("events_format", ["jsonl", "parquet"])
def test_events_landed_as_json_lines_or_parquet_give_the_same_result(
    fixture_build: Build, tmp_path, events_format: str
):
    other = build_fixture(tmp_path, events_format=events_format)
    staged = (
        "select event_id, profile_id, event_type, channel, occurred_at, product_id "
        "from main.stg_landing__events order by event_id"
    )
    assert other.query(staged) == fixture_build.query(staged)
    assert memberships(other) == memberships(fixture_build)

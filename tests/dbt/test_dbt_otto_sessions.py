"""A real third-party event stream (20 OTTO shop sessions) ingests through the landing contract."""

from __future__ import annotations

import pytest
from dbt_builds import run_dbt
from landing_fixture import write_landing

from activation.landing.online_retail import default_source_dir
from activation.landing.otto import SOURCE_FILE, land_otto_sessions


@pytest.fixture(scope="module")
def otto_build(tmp_path_factory):
    if not (default_source_dir() / SOURCE_FILE).exists():
        pytest.skip(f"the OTTO sample is not at {default_source_dir() / SOURCE_FILE}")
    folder = tmp_path_factory.mktemp("otto")
    landing = write_landing(folder / "landing")
    land_otto_sessions(landing)
    build = run_dbt(["build"], landing=landing, warehouse=folder / "warehouse.duckdb")
    assert build.returncode == 0, build.output[-4000:]
    return build


def test_every_otto_event_is_staged_with_its_mapped_type(otto_build):
    rows = otto_build.query(
        "select event_type, count(*) from main.stg_landing__events "
        "where anonymous_id like 'otto-%' group by 1 order by 1"
    )

    assert dict(rows) == {"order_completed": 10, "product_added": 52, "product_viewed": 800}


def test_otto_sessions_stay_anonymous_and_keep_their_utc_instants(otto_build):
    [(sessions, profiles, first, last)] = otto_build.query(
        "select count(distinct anonymous_id), count(profile_id), "
        "strftime(min(occurred_at) at time zone 'UTC', '%Y-%m-%d %H:%M:%S'), "
        "strftime(max(occurred_at) at time zone 'UTC', '%Y-%m-%d %H:%M:%S') "
        "from main.stg_landing__events where anonymous_id like 'otto-%'"
    )

    assert (sessions, profiles) == (20, 0)
    assert (first, last) == ("2022-07-31 22:00:00", "2022-08-28 21:59:57")

"""The dbt project on the real UCI Online Retail data, landed by the project's loader in two days.

Skipped where the public source file is absent.
"""

from __future__ import annotations

from datetime import date

import pytest
from dbt_builds import Build, run_dbt

from activation.landing.online_retail import (
    land_online_retail,
    last_source_day_start,
    source_file,
)

pytestmark = pytest.mark.slow

TODAY = date(2026, 12, 4)


@pytest.fixture(scope="module")
def day_one(tmp_path_factory: pytest.TempPathFactory) -> Build:
    try:
        source_file()
    except FileNotFoundError as missing:
        pytest.skip(str(missing))
    folder = tmp_path_factory.mktemp("online-retail")
    land_online_retail(folder / "landing", today=TODAY, until=last_source_day_start(TODAY))
    build = run_dbt(["build"], landing=folder / "landing", warehouse=folder / "warehouse.duckdb")
    assert build.returncode == 0, build.output[-4000:]
    return build


def test_the_whole_build_passes_on_the_real_data(day_one: Build):
    assert set(day_one.statuses().values()) <= {"success", "pass"}
    sizes = dict(
        day_one.query("select audience, count(*) from main.segment_memberships group by all")
    )
    assert set(sizes) == {
        "cart_abandoners",
        "win_back",
        "high_value_customers",
        "recent_category_browsers",
        "lapsed_app_users",
        "new_customers",
    }


def test_cart_abandoners_who_buy_the_next_day_leave_the_audience(day_one: Build):
    abandoners = day_one.members("cart_abandoners")
    land_online_retail(day_one.landing, today=TODAY, since=last_source_day_start(TODAY))
    rebuilt = run_dbt(["build"], landing=day_one.landing, warehouse=day_one.warehouse)
    assert rebuilt.returncode == 0, rebuilt.output[-4000:]
    buyers = {
        row[0]
        for row in rebuilt.query(
            "select distinct profile_id from main.stg_landing__orders "
            "where ordered_at >= ? and not is_refund and profile_id is not null",
            [last_source_day_start(TODAY)],
        )
    }
    assert abandoners & buyers
    assert not rebuilt.members("cart_abandoners") & buyers
    left = {
        row[0]
        for row in rebuilt.query(
            "select profile_id from main.segment_membership_changes "
            "where audience = 'cart_abandoners' and change_type = 'left' and build_sequence = 2"
        )
    }
    assert abandoners & buyers <= left

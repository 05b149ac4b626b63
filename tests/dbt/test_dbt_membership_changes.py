"""`segment_membership_changes` across builds: entered, left, changed, re-entered, and nothing
appended when nothing changed."""

from __future__ import annotations

from datetime import timedelta

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from dbt_builds import Build, build_fixture, run_dbt
from landing_fixture import INSTANT, WATERMARK

pytestmark = pytest.mark.slow

CHANGES = (
    "select audience, profile_id, change_type, previous_traits_hash is null "
    "from main.segment_membership_changes where build_sequence = ? order by audience, profile_id"
)


def land_events(build: Build, batch: str, events: list[tuple]) -> None:
    """Add one event batch: (event_id, profile_id, event_type, occurred_at, product_id)."""
    event_ids, profile_ids, types, instants, products = zip(*events, strict=True)
    table = pa.table(
        {
            "event_id": pa.array(event_ids, pa.string()),
            "profile_id": pa.array(profile_ids, pa.string()),
            "anonymous_id": pa.array([None] * len(events), pa.string()),
            "event_type": pa.array(types, pa.string()),
            "channel": pa.array(["web"] * len(events), pa.string()),
            "occurred_at": pa.array(instants, INSTANT),
            "product_id": pa.array(products, pa.string()),
            "order_id": pa.array([None] * len(events), pa.string()),
        }
    )
    pq.write_table(table, build.landing / "events" / f"{batch}.parquet")


def land_profile_correction(build: Build, batch: str, first_name: str) -> None:
    table = pa.table(
        {
            "profile_id": ["p03"],
            "email": ["carol@example.com"],
            "phone": pa.array([None], pa.string()),
            "first_name": [first_name],
            "country_code": ["GB"],
            "time_zone": ["Europe/London"],
            "created_at": pa.array([WATERMARK - timedelta(days=400)], INSTANT),
        }
    )
    pq.write_table(table, build.landing / "profiles" / f"{batch}.parquet")


def rebuild(build: Build) -> Build:
    rebuilt = run_dbt(["build"], landing=build.landing, warehouse=build.warehouse)
    assert rebuilt.returncode == 0, rebuilt.output[-4000:]
    return rebuilt


@pytest.fixture(scope="module")
def first_build(tmp_path_factory: pytest.TempPathFactory) -> Build:
    return build_fixture(tmp_path_factory.mktemp("changes"))


def test_the_first_build_records_every_member_as_entered(first_build: Build):
    rows = first_build.query(CHANGES, [1])
    assert {row[2] for row in rows} == {"entered"}
    assert len(rows) == first_build.query("select count(*) from main.segment_memberships")[0][0]


def test_a_rebuild_with_unchanged_inputs_appends_nothing(first_build: Build):
    before = first_build.query("select count(*) from main.segment_membership_changes")
    rebuild(first_build)
    assert first_build.query("select count(*) from main.segment_membership_changes") == before
    assert first_build.query("select max(build_sequence) from main.segment_membership_changes") == [
        (1,)
    ]


def test_entering_leaving_and_changing_traits_are_recorded_with_the_build_that_saw_them(
    first_build: Build,
):
    # Alice buys (leaves the cart abandoners), Ivan adds to cart (enters), Carol is renamed
    # (her win-back traits change); the newest event stays at the watermark.
    land_events(
        first_build,
        "2026-12-05T000000Z",
        [
            ("e20", "p01", "order_completed", WATERMARK, None),
            ("e21", "p09", "product_added", WATERMARK, "P-MUG"),
        ],
    )
    land_profile_correction(first_build, "2026-12-05T000000Z", "Carrie")
    rebuild(first_build)
    assert first_build.query(CHANGES, [2]) == [
        ("cart_abandoners", "p01", "left", False),
        ("cart_abandoners", "p09", "entered", True),
        ("win_back", "p03", "changed", False),
    ]
    [(changed_at, invocations)] = first_build.query(
        "select max(changed_at), count(distinct dbt_invocation_id) "
        "from main.segment_membership_changes where build_sequence = 2"
    )
    assert changed_at == WATERMARK
    assert invocations == 1


def test_a_profile_that_comes_back_enters_again(first_build: Build):
    land_events(
        first_build,
        "2026-12-06T000000Z",
        [("e22", "p01", "product_added", WATERMARK + timedelta(minutes=1), "P-STAR")],
    )
    rebuild(first_build)
    assert first_build.query(CHANGES, [3]) == [("cart_abandoners", "p01", "entered", True)]
    history = first_build.query(
        "select change_type from main.segment_membership_changes "
        "where audience = 'cart_abandoners' and profile_id = 'p01' order by build_sequence"
    )
    assert [row[0] for row in history] == ["entered", "left", "entered"]

"""The whole dbt project on the fixture landing folder: tests, audiences and messy data."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest
from dbt_builds import Build, run_dbt
from landing_fixture import EXPECTED_AUDIENCES, WATERMARK, write_landing

from activation.config import check_audiences_registered, load_destinations, load_syncs

pytestmark = pytest.mark.slow


def test_the_whole_build_passes_models_data_tests_and_unit_tests(fixture_build: Build):
    statuses = fixture_build.statuses()
    passing = ("success", "pass")
    failing = {node: status for node, status in statuses.items() if status not in passing}
    assert failing == {}
    kinds = {node.split(".")[0] for node in statuses}
    assert {"model", "test", "unit_test"} <= kinds
    assert sum(node.startswith("unit_test.") for node in statuses) >= 8


@pytest.mark.parametrize("audience", sorted(EXPECTED_AUDIENCES))
def test_each_audience_holds_exactly_the_expected_fixture_profiles(
    fixture_build: Build, audience: str
):
    assert fixture_build.members(audience) == EXPECTED_AUDIENCES[audience]


def test_audiences_are_evaluated_at_the_newest_event_not_the_wall_clock(fixture_build: Build):
    [(evaluated_at, is_stated)] = fixture_build.query(
        "select evaluated_at, is_stated from main.audience_clock"
    )
    assert evaluated_at == WATERMARK
    assert is_stated is False


# (table, issue) -> rows, for every messy case the fixture lands.
EXPECTED_ISSUES = {
    ("profiles", "missing_profile_id"): 1,
    ("profiles", "superseded_by_newer_batch"): 1,
    ("profiles", "missing_email"): 1,
    ("events", "missing_event_id"): 1,
    ("events", "superseded_by_newer_batch"): 1,
    ("events", "unknown_event_type"): 2,
    ("events", "anonymous_event"): 1,
    ("events", "missing_channel"): 1,
    ("events", "naive_timestamp_read_as_utc"): 1,
    ("orders", "guest_order"): 1,
    ("orders", "refund_or_cancellation"): 1,
    ("order_lines", "missing_line_number"): 1,
    ("order_lines", "negative_quantity"): 1,
    ("order_lines", "zero_price"): 1,
    ("order_lines", "negative_price"): 1,
    ("products", "missing_product_name"): 1,
    ("products", "not_merchandise"): 2,
    ("product_prices", "naive_timestamp_read_as_utc"): 4,
    ("product_prices", "non_positive_price"): 1,
    ("consent", "unknown_channel"): 1,
}


def test_each_messy_case_is_counted_in_landing_data_issues(fixture_build: Build):
    counted = {
        (table, issue): rows
        for table, issue, rows in fixture_build.query(
            "select table_name, issue, row_count from main.landing_data_issues where row_count > 0"
        )
    }
    assert counted == EXPECTED_ISSUES


STAGING_MODELS = {
    "profiles": "stg_landing__profiles",
    "events": "stg_landing__events",
    "orders": "stg_landing__orders",
    "order_lines": "stg_landing__order_lines",
    "products": "stg_landing__products",
    "product_prices": "stg_landing__product_prices",
    "consent": "stg_landing__consents",
}


def test_every_landed_row_is_either_staged_or_counted_as_excluded(fixture_build: Build):
    rows = fixture_build.query(
        "select table_name, any_value(landed_row_count), "
        "sum(case when handling = 'excluded' then row_count else 0 end) "
        "from main.landing_data_issues group by table_name"
    )
    assert {row[0] for row in rows} == set(STAGING_MODELS)
    for table, landed, excluded in rows:
        [(staged,)] = fixture_build.query(f"select count(*) from main.{STAGING_MODELS[table]}")
        assert landed == staged + excluded, table


def test_parts_of_one_batch_are_read_as_that_batch(fixture_build: Build):
    assert fixture_build.query(
        "select distinct _batch_name from main.base_landing__order_lines"
    ) == [("2026-12-01T000000Z",)]
    assert fixture_build.query("select count(*) from main.stg_landing__order_lines") == [(11,)]


def test_guest_orders_are_kept_but_count_for_no_profile(fixture_build: Build):
    [(profile_id, anonymous_id, is_guest)] = fixture_build.query(
        "select profile_id, anonymous_id, is_guest_order from main.stg_landing__orders "
        "where order_id = 'o7'"
    )
    assert (profile_id, anonymous_id, is_guest) == (None, "guest-1", True)
    assert fixture_build.query("select count(*) from main.orders where order_id = 'o7'") == [(1,)]


def test_refunds_and_free_or_negative_price_lines_shape_revenue(fixture_build: Build):
    revenue = dict(
        fixture_build.query("select order_id, net_revenue from main.orders order by order_id")
    )
    assert revenue["o3"] == 15  # the negative-price adjustment and the postage are left out
    assert revenue["o5"] == -300  # a refund is negative revenue
    assert revenue["o6"] == 25  # the free gift wrap adds nothing
    [(lifetime,)] = fixture_build.query(
        "select lifetime_net_revenue from main.profiles where profile_id = 'p04'"
    )
    assert lifetime == 1200


def test_naive_timestamps_are_read_as_utc(fixture_build: Build):
    [(valid_from,)] = fixture_build.query(
        "select min(valid_from) from main.stg_landing__product_prices where product_id = 'P-MUG'"
    )
    assert valid_from == datetime(2026, 1, 1, tzinfo=UTC)
    [(occurred_at,)] = fixture_build.query(
        "select occurred_at from main.stg_landing__events where event_id = 'e12'"
    )
    assert occurred_at == datetime(2026, 12, 3, 10, 0, tzinfo=UTC)


def test_the_newest_batch_wins_and_optional_columns_may_be_absent(fixture_build: Build):
    rows = dict(
        fixture_build.query(
            "select profile_id, first_name || ' ' || coalesce(last_name, '-') "
            "from main.stg_landing__profiles where profile_id in ('p01', 'p03')"
        )
    )
    assert rows == {"p01": "Alice -", "p03": "Caroline Smith"}
    [(occurred_at,)] = fixture_build.query(
        "select occurred_at from main.stg_landing__events where event_id = 'e04'"
    )
    assert occurred_at == datetime(2026, 12, 3, 6, 0, tzinfo=UTC)


def test_products_without_a_name_are_kept_and_named_after_their_id(fixture_build: Build):
    assert fixture_build.query(
        "select product_name, is_name_missing from main.stg_landing__products "
        "where product_id = 'P-NONAME'"
    ) == [("Unknown product P-NONAME", True)]


def test_every_profile_has_one_consent_row_per_channel_defaulting_to_not_opted_in(
    fixture_build: Build,
):
    consents = {
        (profile, channel): opted_in
        for profile, channel, opted_in in fixture_build.query(
            "select profile_id, channel, is_opted_in from main.profile_consents"
        )
    }
    assert len(consents) == 10 * 4
    assert consents[("p04", "email")] is False  # the newest row (a revocation) is in force
    assert consents[("p01", "ads")] is True
    assert consents[("p05", "email")] is False  # no row: not consented
    assert fixture_build.query(
        "select is_email_opted_in, is_ads_opted_in, is_sms_opted_in from main.profiles "
        "where profile_id = 'p01'"
    ) == [(True, True, False)]


def test_traits_hashes_are_never_null_and_instants_in_traits_are_utc(fixture_build: Build):
    assert fixture_build.query(
        "select count(*) from main.segment_memberships where traits_hash is null"
    ) == [(0,)]
    [(traits,)] = fixture_build.query(
        "select cast(traits as varchar) from main.segment_memberships "
        "where audience = 'new_customers'"
    )
    assert traits == (
        '{"first_name":null,"first_order_at":"2026-12-01T12:00:00.000000Z",'
        '"lifetime_value":25.0000}'
    )


def test_audiences_declare_their_syncs_and_are_all_registered(fixture_build: Build):
    manifest = json.loads((fixture_build.target / "manifest.json").read_text())
    check_audiences_registered(manifest)
    syncs = {sync.name: sync for sync in load_syncs(manifest, load_destinations())}
    # Syncs are configuration; these are the ones the product ships with at least.
    assert set(syncs) >= {
        "cart_abandoners_email",
        "cart_abandoners_ads",
        "win_back_crm",
        "win_back_ads",
        "high_value_email",
        "new_customers_crm",
    }
    assert syncs["cart_abandoners_ads"].identifiers == ("email", "phone")
    assert syncs["win_back_crm"].mode == "upsert"
    assert syncs["win_back_crm"].cadence.schedule == "0 6 * * *"


def test_a_landing_table_without_files_fails_with_an_error_naming_its_folder(tmp_path):
    landing = write_landing(tmp_path / "landing")
    for batch in (landing / "consent").iterdir():
        batch.unlink()
    compiled = run_dbt(
        ["compile", "--select", "base_landing__consents"],
        landing=landing,
        warehouse=tmp_path / "warehouse.duckdb",
    )
    assert compiled.returncode != 0
    assert f"has no *.parquet or *.jsonl files in {landing / 'consent'}" in compiled.output

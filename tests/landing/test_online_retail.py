"""The online-retail loader against the real UCI file: counts, shift, windows, augmentation."""

from __future__ import annotations

import filecmp
from datetime import UTC, datetime

from activation.landing.contract import LandingCheck, check_landing
from activation.landing.online_retail import land_online_retail, last_source_day_start
from tests.landing.conftest import TODAY, query


def both(landing, table: str) -> str:
    return f"read_parquet('{landing}/{table}/*.parquet')"


def test_two_day_batches_keep_every_source_line_invoice_and_customer(retail_days):
    landing, day_one, day_two = retail_days
    assert day_one.rows["order_lines"] + day_two.rows["order_lines"] == 541_909
    assert day_one.rows["orders"] + day_two.rows["orders"] == 25_900
    assert day_one.rows["profiles"] + day_two.rows["profiles"] == 4_372
    ((lines, orders, guests, refunds),) = query(
        f"select count(*), count(distinct lines.order_id), count(*) filter (profile_id is null),"
        f" count(*) filter (is_refund) from {both(landing, 'order_lines')} as lines"
        f" join {both(landing, 'orders')} as orders using (order_id)"
    )
    assert (lines, orders, guests, refunds) == (541_909, 25_900, 135_080, 9_288)


def test_messy_rows_are_counted_not_dropped(retail_days):
    _, day_one, day_two = retail_days
    messy = {
        name: day_one.messy_rows[name] + day_two.messy_rows[name] for name in day_one.messy_rows
    }
    assert messy["guest_lines"] == 135_080
    assert messy["refund_lines"] == 9_288
    assert messy["zero_price_lines"] == 2_515
    assert messy["negative_price_lines"] == 2
    assert messy["missing_descriptions"] == 1_454
    assert messy["unknown_country_profiles"] > 0


def test_day_windows_partition_every_table_without_overlap(retail_days):
    landing, _, day_two = retail_days
    start = last_source_day_start(TODAY)
    for table, instant in [
        ("events", "occurred_at"),
        ("orders", "ordered_at"),
        ("profiles", "created_at"),
        ("consent", "recorded_at"),
    ]:
        wrong = query(
            f"select count(*) from {both(landing, table)} where"
            f" (filename like '%{day_two.batch}%') <> ({instant} >= ?)",
            [start],
        )
        assert wrong == [(0,)], table
    assert query(f"select count(*) - count(distinct event_id) from {both(landing, 'events')}") == [
        (0,)
    ]


def test_the_last_source_day_lands_on_today_and_originals_are_kept(retail_days):
    landing, _, _ = retail_days
    ((last_day, original, shifts),) = query(
        f"select max(ordered_at)::date, max(original_ordered_at)::date,"
        f" count(distinct ordered_at - original_ordered_at) from {both(landing, 'orders')}"
    )
    assert (last_day, original.isoformat(), shifts) == (TODAY, "2011-12-09", 1)


def test_consent_matches_the_documented_opt_in_counts_with_some_revocations(retail_days):
    landing, _, _ = retail_days
    counts = dict(
        query(
            f"select channel, count(*) filter (is_opted_in) from {both(landing, 'consent')}"
            " where source = 'checkout' group by channel"
        )
    )
    assert (counts["email"], counts["sms"]) == (3_073, 1_071)
    ((revoked, later),) = query(
        f"select count(*), count(*) filter (revoked.recorded_at > given.recorded_at)"
        f" from {both(landing, 'consent')} as revoked join {both(landing, 'consent')} as given"
        " using (profile_id, channel) where not revoked.is_opted_in and given.is_opted_in"
        " and revoked.source = 'preference_centre'"
    )
    assert revoked > 0 and later == revoked


def test_some_cart_abandoners_of_yesterday_buy_on_the_last_day(retail_days):
    landing, _, _ = retail_days
    start = last_source_day_start(TODAY)
    ((converted,),) = query(
        f"""
        with orders as (select * from {both(landing, "orders")} where not is_refund),
        open_adds as (
            select adds.profile_id from {both(landing, "events")} as adds
            where adds.event_type = 'product_added'
                and adds.occurred_at >= ?::timestamptz - interval 1 day and adds.occurred_at < ?
                and not exists (
                    select 1 from orders where orders.profile_id = adds.profile_id
                        and orders.ordered_at > adds.occurred_at and orders.ordered_at < ?
                )
        )
        select count(distinct profile_id) from open_adds
        where profile_id in (select profile_id from orders where ordered_at >= ?)
        """,
        [start, start, start, start],
    )
    assert converted > 0


def test_landing_the_same_window_twice_writes_identical_files(retail_source, retail_days, tmp_path):
    landing, _, day_two = retail_days
    again = land_online_retail(
        tmp_path, retail_source.parents[1], today=TODAY, since=last_source_day_start(TODAY)
    )
    assert again.rows == day_two.rows
    for table in again.rows:
        name = f"{table}/{again.batch}.parquet"
        assert filecmp.cmp(landing / name, tmp_path / name, shallow=False), name


def test_landed_retail_data_satisfies_the_contract_without_warnings(retail_days):
    landing, _, _ = retail_days
    assert check_landing(landing) == LandingCheck(problems=[], warnings=[])


def test_batches_are_named_by_the_window_end(retail_days):
    _, day_one, day_two = retail_days
    assert day_one.batch == "2026-12-04T000000Z"
    assert day_two.batch == "2026-12-05T000000Z"
    assert day_one.until == datetime(2026, 12, 4, tzinfo=UTC)

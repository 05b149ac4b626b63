"""The synthetic generator, the OTTO mapper and the contract check, on small inputs."""

from __future__ import annotations

from datetime import date

import duckdb
import pytest

from activation.landing.__main__ import main
from activation.landing.contract import TABLES, LandingCheck, check_landing, validate_landing
from activation.landing.online_retail import default_source_dir
from activation.landing.otto import SOURCE_FILE as OTTO_FILE
from activation.landing.otto import land_otto_sessions
from activation.landing.synthetic import generate_synthetic, generate_synthetic_day
from tests.landing.conftest import query

TODAY = date(2026, 6, 15)


@pytest.fixture
def otto_source():
    if not (default_source_dir() / OTTO_FILE).is_file():
        pytest.skip(f"the OTTO sample is not in {default_source_dir()}")


def test_synthetic_history_and_next_day_satisfy_the_contract(tmp_path):
    history = generate_synthetic(tmp_path, 300, today=TODAY)
    day = generate_synthetic_day(tmp_path, 300, day=date(2026, 6, 16))
    assert check_landing(tmp_path) == LandingCheck(problems=[], warnings=[])
    assert history.rows["profiles"] == 300
    assert set(history.rows) == set(TABLES)
    assert day.batch > history.batch
    assert query(f"select bool_and(is_synthetic) from '{tmp_path}/events/*.parquet'") == [(True,)]


def test_synthetic_data_is_the_same_for_the_same_seed(tmp_path):
    generate_synthetic(tmp_path / "a", 200, today=TODAY, seed="s")
    generate_synthetic(tmp_path / "b", 200, today=TODAY, seed="s")
    generate_synthetic(tmp_path / "c", 200, today=TODAY, seed="other")
    rows = {
        name: query(f"select * from '{tmp_path / name}/events/*.parquet' order by event_id")
        for name in "abc"
    }
    assert rows["a"] == rows["b"]
    assert rows["a"] != rows["c"]


def test_a_day_landed_alone_equals_the_same_day_within_a_history(tmp_path):
    generate_synthetic(tmp_path / "history", 300, today=TODAY)
    generate_synthetic_day(tmp_path / "day", 300, day=TODAY)
    sql = "select * from '{}/events/*.parquet' where occurred_at >= ? order by event_id"
    start = "2026-06-15T00:00:00Z"
    history = query(sql.format(tmp_path / "history"), [start])
    assert history and history == query(sql.format(tmp_path / "day"), [start])


def test_the_churn_day_has_abandoned_carts_and_buyers_of_yesterdays_carts(tmp_path):
    generate_synthetic(tmp_path, 2_000, today=TODAY, churn_day=True)
    ((returning,),) = query(
        f"select count(distinct profile_id) from '{tmp_path}/orders/*.parquet'"
        " where ordered_at >= '2026-06-15' and order_id like '%r'"
    )
    ((adds_today,),) = query(
        f"select count(*) from '{tmp_path}/events/*.parquet'"
        " where event_type = 'product_added' and occurred_at >= '2026-06-15'"
    )
    assert returning > 0 and adds_today > 0


def test_otto_sessions_map_to_862_events_of_three_types(tmp_path, otto_source):
    counts = land_otto_sessions(tmp_path)
    assert counts == {"product_viewed": 800, "product_added": 52, "order_completed": 10}
    files = list((tmp_path / "events").glob("*.jsonl"))
    assert len(files) == 1
    # The events file passes every check; only the tables OTTO does not have are missing.
    assert [line.split(":")[0] for line in validate_landing(tmp_path)] == [
        table for table in TABLES if table != "events"
    ]
    ((events, ids, anonymous, offsets),) = query(
        f"select count(*), count(distinct event_id), count(distinct anonymous_id),"
        f" count(*) filter (occurred_at::varchar like '%Z')"
        f" from read_json('{files[0]}', format = 'newline_delimited', columns = {{"
        " event_id: 'varchar', anonymous_id: 'varchar', occurred_at: 'varchar'})"
    )
    assert (events, ids, anonymous, offsets) == (862, 862, 20, 862)


def test_otto_event_ids_are_the_same_on_every_run(tmp_path, otto_source):
    land_otto_sessions(tmp_path / "a")
    land_otto_sessions(tmp_path / "b")
    [first] = (tmp_path / "a" / "events").glob("*.jsonl")
    assert first.read_bytes() == (tmp_path / "b" / "events" / first.name).read_bytes()


def test_validation_names_the_table_file_and_missing_columns(tmp_path):
    generate_synthetic(tmp_path, 50, today=TODAY)
    broken = tmp_path / "orders" / "2099-01-01T000000Z.parquet"
    with duckdb.connect() as connection:
        connection.execute(f"copy (select 'o1' as order_id) to '{broken}' (format parquet)")
    problems = validate_landing(tmp_path)
    assert len(problems) == 1
    assert str(broken) in problems[0] and "ordered_at" in problems[0]
    assert problems[0].startswith("orders:")


def test_missing_source_data_is_explained_on_the_command_line(tmp_path, capsys):
    code = main(["online-retail", "--landing-dir", str(tmp_path), "--source-dir", str(tmp_path)])
    error = capsys.readouterr().err
    assert code == 2
    assert str(tmp_path / "online_retail_uci" / "online_retail.parquet") in error
    assert "UCI Machine Learning Repository" in error and "352" in error


@pytest.mark.parametrize("command", [["synthetic", "--profiles", "20", "--today", "2026-06-15"]])
def test_the_command_line_lands_synthetic_data(tmp_path, command, capsys):
    assert main([*command, "--landing-dir", str(tmp_path)]) == 0
    assert "profiles 20" in capsys.readouterr().out

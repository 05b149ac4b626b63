"""The landing check: types found in Parquet and JSON Lines files, empty files, ignored files."""

from __future__ import annotations

import json
from datetime import date

import duckdb
import pytest

from activation.landing.contract import (
    ACCEPTED_TYPES,
    TABLES,
    LandingCheck,
    check_landing,
    validate_landing,
)
from activation.landing.synthetic import generate_synthetic

TODAY = date(2026, 6, 15)
CONSENT = {
    "profile_id": "syn-00000001",
    "channel": "email",
    "is_opted_in": True,
    "recorded_at": "2026-06-15T09:30:00Z",
}


@pytest.fixture(scope="module")
def synthetic_landing(tmp_path_factory):
    """A small synthetic landing folder that satisfies the contract; tests copy it."""
    landing = tmp_path_factory.mktemp("synthetic") / "landing"
    generate_synthetic(landing, 50, today=TODAY)
    return landing


@pytest.fixture
def landing(synthetic_landing, tmp_path):
    copy = tmp_path / "landing"
    for source in synthetic_landing.rglob("*.parquet"):
        target = copy / source.relative_to(synthetic_landing)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(source.read_bytes())
    return copy


def write_jsonl(path, rows) -> None:
    path.write_text("".join(json.dumps(row) + "\n" for row in rows))


def write_parquet(path, query: str) -> None:
    with duckdb.connect() as connection:
        connection.execute(f"copy ({query}) to '{path}' (format parquet)")


def test_every_contract_type_has_a_list_of_accepted_file_types():
    used = {column.type for columns in TABLES.values() for column in columns}
    assert used <= set(ACCEPTED_TYPES)


def test_a_correctly_typed_jsonl_batch_passes(landing):
    write_jsonl(
        landing / "consent" / "2026-06-20T000000Z.jsonl",
        [
            CONSENT,
            {**CONSENT, "channel": "sms", "is_opted_in": False, "source": None},
            {**CONSENT, "recorded_at": "2026-06-15 10:00:00", "is_synthetic": True},
        ],
    )
    assert check_landing(landing) == LandingCheck(problems=[], warnings=[])


def test_a_correctly_typed_parquet_batch_with_iso_text_instants_passes(landing):
    write_parquet(
        landing / "orders" / "2026-06-20T000000Z.parquet",
        "select 'o1' as order_id, 'p1' as profile_id, null as anonymous_id,"
        " '2026-06-15T09:30:00+01:00' as ordered_at, false as is_refund, 'GBP' as currency,"
        " '2011-12-09' as original_ordered_at",
    )
    write_parquet(
        landing / "order_lines" / "2026-06-20T000000Z.parquet",
        "select 'o1' as order_id, 1::bigint as line_number, 'a' as product_id,"
        " 2.0::double as quantity, 3 as unit_price",
    )
    assert validate_landing(landing) == []


def test_a_string_in_a_jsonl_boolean_names_the_file_column_and_both_types(landing):
    bad = landing / "consent" / "2026-06-20T000000Z.jsonl"
    write_jsonl(bad, [{**CONSENT, "is_opted_in": "maybe"}])
    assert validate_landing(landing) == [
        f"consent: {bad} column is_opted_in is VARCHAR; the contract says boolean (BOOLEAN)"
    ]


def test_a_bad_value_far_past_duckdbs_type_sample_is_still_found(landing):
    bad = landing / "consent" / "2026-06-20T000000Z.jsonl"
    write_jsonl(bad, [CONSENT] * 30_000 + [{**CONSENT, "is_opted_in": "maybe"}])
    [problem] = validate_landing(landing)
    assert problem.startswith(f"consent: {bad} column is_opted_in is JSON")
    assert "mix JSON types" in problem and "boolean (BOOLEAN)" in problem


def test_a_number_in_a_jsonl_string_column_names_the_file_and_column(landing):
    good = landing / "profiles" / "2026-06-20T000000Z.jsonl"
    bad = landing / "profiles" / "2026-06-21T000000Z.jsonl"
    profile = {
        "profile_id": "syn-00001999",
        "email": "a@example.com",
        "phone": None,
        "country_code": "GB",
        "time_zone": "Europe/London",
        "created_at": "2026-06-15T09:30:00Z",
    }
    write_jsonl(good, [profile])
    write_jsonl(bad, [{**profile, "profile_id": 12345}])
    assert validate_landing(landing) == [
        f"profiles: {bad} column profile_id is BIGINT; the contract says string (VARCHAR)"
    ]


def test_a_wrong_type_in_a_parquet_file_is_found_too(landing):
    bad = landing / "order_lines" / "2026-06-20T000000Z.parquet"
    write_parquet(
        bad,
        "select 'o1' as order_id, 'one' as line_number, 'a' as product_id, 1 as quantity,"
        " 2.5 as unit_price",
    )
    assert validate_landing(landing) == [
        f"order_lines: {bad} column line_number is VARCHAR;"
        " the contract says integer (a numeric type)"
    ]


def test_optional_columns_are_checked_when_present(landing):
    bad = landing / "consent" / "2026-06-20T000000Z.jsonl"
    write_jsonl(bad, [{**CONSENT, "source": 7, "is_synthetic": "yes"}])
    assert validate_landing(landing) == [
        f"consent: {bad} column source is BIGINT; the contract says string (VARCHAR)",
        f"consent: {bad} column is_synthetic is VARCHAR; the contract says boolean (BOOLEAN)",
    ]


def test_text_instants_in_parquet_are_checked_column_by_column(landing):
    bad = landing / "events" / "2026-06-20T000000Z.parquet"
    write_parquet(
        bad,
        "select 'last week' as original_occurred_at, 'e1' as event_id, 'p1' as profile_id,"
        " null as anonymous_id, 'product_viewed' as event_type, 'web' as channel,"
        " '2026-06-15T09:30:00Z' as occurred_at, 'a' as product_id, null as order_id",
    )
    assert validate_landing(landing) == [
        f"events: {bad} column original_occurred_at holds 'last week',"
        " which is not an ISO 8601 timestamp"
    ]


def test_text_that_is_not_an_instant_is_quoted_in_the_problem(landing):
    bad = landing / "consent" / "2026-06-20T000000Z.jsonl"
    write_jsonl(bad, [CONSENT, {**CONSENT, "recorded_at": "yesterday"}])
    assert validate_landing(landing) == [
        f"consent: {bad} column recorded_at holds 'yesterday', which is not an ISO 8601 timestamp"
    ]


@pytest.mark.parametrize("suffix", [".jsonl", ".parquet"])
def test_an_empty_file_is_reported_as_empty_not_as_lacking_columns(landing, suffix):
    empty = landing / "consent" / f"2026-06-20T000000Z{suffix}"
    empty.touch()
    [problem] = validate_landing(landing)
    assert problem.startswith(f"consent: {empty} is empty (0 bytes)")


def test_a_jsonl_file_without_objects_says_so(landing):
    blank = landing / "consent" / "2026-06-20T000000Z.jsonl"
    blank.write_text("\n\n")
    assert validate_landing(landing) == [
        f"consent: {blank} holds no JSON objects, one per line, to read columns from"
    ]


def test_a_file_with_another_suffix_is_a_warning_that_does_not_fail_the_check(landing):
    stray = landing / "consent" / "2026-06-20T000000Z.csv"
    stray.write_text("profile_id,channel\n")
    (landing / "consent" / ".2026-06-21T000000Z.parquet.partial").write_bytes(b"")
    check = check_landing(landing)
    assert check.problems == [] and validate_landing(landing) == []
    assert check.warnings == [
        f"consent: ignored {stray}: only *.parquet and *.jsonl files are read"
    ]


def test_a_folder_that_is_not_a_contract_table_is_a_warning(landing):
    misspelt = landing / "customers"
    misspelt.mkdir()
    (misspelt / "2026-06-20T000000Z.parquet").write_bytes(b"")
    check = check_landing(landing)
    assert check.problems == []
    assert len(check.warnings) == 1
    assert check.warnings[0].startswith(f"ignored {misspelt}: not a table of the landing contract")

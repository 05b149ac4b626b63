"""`sync_plans` against a ledger the test writes: add, update, remove, suppress and skip, and a
row leaving the plan as soon as the ledger acknowledges it (the plan is a view)."""

from __future__ import annotations

import duckdb
import pytest
from dbt_builds import Build, build_fixture

pytestmark = pytest.mark.slow

DEFINITIONS = [
    # sync_id, audience, destination, destination_type, consent_channel, mode
    ("cart_abandoners_email", "cart_abandoners", "klaviyo_email", "klaviyo", "email", "mirror"),
    ("win_back_crm", "win_back", "crm_webhook", "webhook", "email", "upsert"),
    ("high_value_email", "high_value_customers", "klaviyo_email", "klaviyo", "email", "mirror"),
]
LEDGER = [
    # sync_id, profile_id, identifiers, traits_hash
    ("cart_abandoners_email", "p01", '{"email": "alice@example.com"}', "stale-hash"),
    ("cart_abandoners_email", "p02", '{"email": "bob@example.com"}', "old-hash"),
    ("win_back_crm", "p02", '{"email": "bob@example.com"}', "old-hash"),
    ("high_value_email", "p04", '{"email": "dan@example.com"}', "dan-hash"),
    ("retired_sync", "p01", '{"email": "alice@example.com"}', "any-hash"),
]


@pytest.fixture(scope="module")
def planned(tmp_path_factory: pytest.TempPathFactory) -> Build:
    build = build_fixture(tmp_path_factory.mktemp("plans"))
    with duckdb.connect(str(build.warehouse)) as connection:
        connection.executemany(
            "insert into activation.sync_definitions (sync_id, audience, destination, "
            "destination_type, consent_channel, mode, identifier_columns, removal_threshold) "
            "values (?, ?, ?, ?, ?, ?, ['email'], 0.2)",
            DEFINITIONS,
        )
        connection.executemany(
            "insert into activation.delivery_ledger (sync_id, profile_id, identifiers, "
            "traits_hash, first_added_at, last_acknowledged_at, last_run_id) "
            "values (?, ?, ?::json, ?, now(), now(), 'run-0')",
            LEDGER,
        )
    return build


def plan(build: Build) -> set[tuple]:
    return set(build.query("select sync_id, profile_id, action, reason from main.sync_plans"))


def test_the_plan_adds_updates_removes_suppresses_and_skips_per_consent_and_mode(
    planned: Build,
):
    assert plan(planned) == {
        # Alice is held with stale traits; she is a member with email consent.
        ("cart_abandoners_email", "p01", "update", "traits_changed"),
        # Bob bought, so he left; a mirror sync removes him.
        ("cart_abandoners_email", "p02", "remove", "left_audience"),
        # Carol is a new member with consent; Judy has no email consent.
        ("win_back_crm", "p03", "add", "entered_audience"),
        ("win_back_crm", "p10", "suppress", "no_email_consent"),
        # Bob left win-back, but an upsert sync does not remove leavers.
        ("win_back_crm", "p02", "skip", "remove_not_allowed_in_upsert_mode"),
        # Dan is still a member, but revoked email consent: removed in every mode.
        ("high_value_email", "p04", "remove", "consent_revoked"),
    }


def test_removals_carry_the_identifiers_the_ledger_recorded(planned: Build):
    assert planned.query(
        "select ledger_identifiers::varchar, ledger_traits_hash, email from main.sync_plans "
        "where sync_id = 'cart_abandoners_email' and profile_id = 'p02'"
    ) == [('{"email": "bob@example.com"}', "old-hash", None)]


def test_adds_carry_identifiers_traits_and_their_hash(planned: Build):
    [(email, traits, traits_hash)] = planned.query(
        "select email, traits::varchar, traits_hash from main.sync_plans "
        "where sync_id = 'win_back_crm' and profile_id = 'p03'"
    )
    assert email == "carol@example.com"
    assert '"first_name":"Caroline"' in traits
    assert (
        traits_hash
        == planned.query(
            "select traits_hash from main.segment_memberships "
            "where audience = 'win_back' and profile_id = 'p03'"
        )[0][0]
    )


def test_a_row_leaves_the_plan_once_the_ledger_acknowledges_it(planned: Build):
    with duckdb.connect(str(planned.warehouse)) as connection:
        connection.execute(
            "insert into activation.delivery_ledger (sync_id, profile_id, identifiers, "
            "traits_hash, first_added_at, last_acknowledged_at, last_run_id) "
            "select 'win_back_crm', profile_id, '{\"email\": \"carol@example.com\"}'::json, "
            "traits_hash, now(), now(), 'run-1' from main.segment_memberships "
            "where audience = 'win_back' and profile_id = 'p03'"
        )
    assert ("win_back_crm", "p03", "add", "entered_audience") not in plan(planned)
    assert planned.query(
        "select count(*) from main.sync_plans where sync_id = 'win_back_crm' and profile_id = 'p03'"
    ) == [(0,)]


def test_ledger_rows_of_syncs_that_are_no_longer_defined_are_ignored(planned: Build):
    assert planned.query("select count(*) from main.sync_plans where sync_id = 'retired_sync'") == [
        (0,)
    ]

"""The product's promises, proved through real Dagster runs of real dbt models and connectors."""

from __future__ import annotations

from tests.integration.helpers import (
    check_passed,
    consented_member_emails,
    klaviyo_emails,
    last_run,
    ledger_profiles,
    materialized,
    meta_email_hashes,
    sha256,
)

EMAIL_SYNC = "win_back_email"
ADS_SYNC = "win_back_ads"
LIST = "win-back"


def test_a_full_run_leaves_each_destination_holding_exactly_its_consented_audience(project):
    result = project.sync(EMAIL_SYNC, ADS_SYNC)

    assert result.success
    expected = consented_member_emails(project, "win_back", "email")
    assert expected, "the fixture must produce win-back members"
    assert klaviyo_emails(project, LIST) == expected
    ads_expected = {sha256(email) for email in consented_member_emails(project, "win_back", "ads")}
    assert meta_email_hashes(project, LIST) == ads_expected
    run = last_run(project, EMAIL_SYNC)
    assert run["added"] == len(expected)
    assert run["status"] == "succeeded"


def test_rows_the_destination_fails_are_retried_exactly_on_the_next_run(project):
    expected = sorted(consented_member_emails(project, "win_back", "email"))
    failing = expected[:3]
    project.sandbox.fail_records(failing, service="klaviyo")

    first = project.sync(EMAIL_SYNC)

    assert materialized(first, ["syncs", EMAIL_SYNC])
    run = last_run(project, EMAIL_SYNC)
    assert run["failed"] == 3
    assert run["added"] == len(expected) - 3
    assert klaviyo_emails(project, LIST) == set(expected) - set(failing)

    project.sandbox.clear_faults()
    before = len(project.sandbox.requests("klaviyo"))
    project.sync(EMAIL_SYNC)

    run = last_run(project, EMAIL_SYNC)
    assert (run["planned"], run["added"], run["failed"]) == (3, 3, 0)
    assert klaviyo_emails(project, LIST) == set(expected)
    resent = {str(request["body"]) for request in project.sandbox.requests("klaviyo")[before:]}
    for email in set(expected) - set(failing):
        assert not any(email in body for body in resent), f"{email} was sent twice"


def test_per_row_errors_inside_a_2xx_are_counted_rejected_with_their_reasons(project):
    expected = sorted(consented_member_emails(project, "win_back", "email"))
    refused = expected[:2]
    project.sandbox.reject_records(refused, service="klaviyo", reason="mailbox does not exist")

    project.sync(EMAIL_SYNC)

    run = last_run(project, EMAIL_SYNC)
    assert run["rejected"] == 2
    assert run["added"] == len(expected) - 2
    reasons = project.query(
        "select status, reason from activation.sync_rejections where sync_id = ?", [EMAIL_SYNC]
    )
    assert len(reasons) == 2
    assert all(
        status == "rejected" and "mailbox does not exist" in reason for status, reason in reasons
    )


def test_an_audience_that_suddenly_empties_is_held_and_the_destinations_are_untouched(project):
    project.sync(EMAIL_SYNC, ADS_SYNC)
    before_email = klaviyo_emails(project, LIST)
    before_ads = meta_email_hashes(project, LIST)
    assert before_email and before_ads

    # Evaluated before anyone had ordered, nobody can be won back: the audience empties.
    result = project.rebuild("2000-01-01T00:00:00Z", with_syncs=(EMAIL_SYNC, ADS_SYNC))

    assert project.query("select count(*) from main.win_back")[0][0] == 0
    assert check_passed(result, ["sync_plans", EMAIL_SYNC], "removal_guard") is False
    assert check_passed(result, ["sync_plans", ADS_SYNC], "removal_guard") is False
    assert not materialized(result, ["syncs", EMAIL_SYNC])
    assert not materialized(result, ["syncs", ADS_SYNC])
    assert klaviyo_emails(project, LIST) == before_email
    assert meta_email_hashes(project, LIST) == before_ads


def test_an_approved_mass_removal_is_released_once(project):
    from activation.sync.guard import approve_removals
    from activation.sync.warehouse import connect

    project.sync(EMAIL_SYNC)
    project.rebuild("2000-01-01T00:00:00Z")
    held = project.sync(EMAIL_SYNC)
    assert not materialized(held, ["syncs", EMAIL_SYNC])

    with connect(project.warehouse) as connection:
        approve_removals(connection, EMAIL_SYNC, 10_000, "test")
    released = project.sync(EMAIL_SYNC)

    assert materialized(released, ["syncs", EMAIL_SYNC])
    assert klaviyo_emails(project, LIST) == set()
    assert ledger_profiles(project, EMAIL_SYNC) == set()


def test_an_approval_cannot_wait_for_a_later_mass_removal(project, capsys):
    from activation.cli import main

    project.sync(EMAIL_SYNC)
    held_before = len(ledger_profiles(project, EMAIL_SYNC))

    # Nothing is held, so there is nothing to approve.
    assert main(["approve", EMAIL_SYNC, "--removals", "100000"]) == 1
    assert "nothing to approve" in capsys.readouterr().err
    assert project.query("select count(*) from activation.removal_approvals") == [(0,)]

    # A held plan can be approved, but not for fewer removals than it makes.
    project.rebuild("2000-01-01T00:00:00Z")
    assert main(["approve", EMAIL_SYNC, "--removals", "1"]) == 1
    assert f"its plan removes {held_before}" in capsys.readouterr().err
    assert main(["approve", EMAIL_SYNC]) == 0

    # The approval is for that plan: the next run uses it up even when it removes nothing.
    project.rebuild()
    assert materialized(project.sync(EMAIL_SYNC), ["syncs", EMAIL_SYNC])
    assert project.query(
        "select count(*) from activation.removal_approvals where consumed_run_id is null"
    ) == [(0,)]
    project.rebuild("2000-01-01T00:00:00Z")
    assert not materialized(project.sync(EMAIL_SYNC), ["syncs", EMAIL_SYNC])
    assert len(ledger_profiles(project, EMAIL_SYNC)) == held_before


def test_an_approval_releases_only_the_removals_it_was_given_for(project, capsys):
    import duckdb

    from activation.cli import main

    project.sync(EMAIL_SYNC)
    project.rebuild("2000-01-01T00:00:00Z")
    assert main(["approve", EMAIL_SYNC]) == 0
    # After the approval the plan swaps one approved removal for someone else: same count.
    with duckdb.connect(str(project.warehouse)) as connection:
        connection.execute(
            "update activation.delivery_ledger set profile_id = 'someone-not-approved' "
            "where sync_id = ? and profile_id = "
            "(select min(profile_id) from activation.delivery_ledger where sync_id = ?)",
            [EMAIL_SYNC, EMAIL_SYNC],
        )
    held_before = ledger_profiles(project, EMAIL_SYNC)

    held = project.sync(EMAIL_SYNC)

    assert check_passed(held, ["sync_plans", EMAIL_SYNC], "removal_guard") is False
    assert not materialized(held, ["syncs", EMAIL_SYNC])
    assert ledger_profiles(project, EMAIL_SYNC) == held_before
    assert project.query(
        "select count(*) from activation.removal_approvals where consumed_run_id is null"
    ) == [(0,)]


def test_a_dry_run_writes_nothing_and_sends_nothing(project):
    import hashlib

    from activation.sync import run_sync
    from dagster_project.project import configured_syncs

    project.rebuild()  # registers the sync definitions the preview checks against
    sync = next(sync for sync in configured_syncs() if sync.name == EMAIL_SYNC)
    digest_before = hashlib.sha256(project.warehouse.read_bytes()).hexdigest()
    requests_before = len(project.sandbox.requests())

    report = run_sync(sync, warehouse_path=project.warehouse, run_id="preview", dry_run=True)

    assert report.status == "preview"
    assert report.planned_by_action.get("add", 0) > 0
    assert hashlib.sha256(project.warehouse.read_bytes()).hexdigest() == digest_before
    assert len(project.sandbox.requests()) == requests_before


def test_a_failing_dbt_test_on_an_audience_blocks_its_syncs(project):
    # Evaluated far in the future every buyer has lapsed, which the audience's sanity test
    # (at most 80% of all profiles) rejects.
    result = project.rebuild("2031-01-01T00:00:00Z", with_syncs=(EMAIL_SYNC, ADS_SYNC))

    share = project.query(
        "select (select count(*) from main.win_back) / (select count(*) from main.profiles)"
    )[0][0]
    assert share > 0.8
    assert check_passed(result, ["win_back"], "audience_share_at_most_win_back_0_8") is False
    assert not materialized(result, ["syncs", EMAIL_SYNC])
    assert not materialized(result, ["syncs", ADS_SYNC])
    assert project.sandbox.requests() == []

    # A later run that only pushes syncs, without rebuilding dbt, is held by the plan check.
    later = project.sync(EMAIL_SYNC)
    assert check_passed(later, ["sync_plans", EMAIL_SYNC], "audience_tests_passed") is False
    assert not materialized(later, ["syncs", EMAIL_SYNC])
    assert project.sandbox.requests() == []


def test_a_whole_batch_400_is_isolated_to_the_bad_row_and_the_rest_delivered(project):
    expected = sorted(consented_member_emails(project, "win_back", "email"))
    bad = expected[len(expected) // 2]
    project.sandbox.reject_batch_containing([bad], service="klaviyo", reason="invalid email")

    project.sync(EMAIL_SYNC)

    run = last_run(project, EMAIL_SYNC)
    assert (run["added"], run["rejected"]) == (len(expected) - 1, 1)
    assert klaviyo_emails(project, LIST) == set(expected) - {bad}
    [(status, reason)] = project.query(
        "select status, reason from activation.sync_rejections where sync_id = ?", [EMAIL_SYNC]
    )
    assert status == "rejected"
    assert "invalid email" in reason


def test_a_landed_file_missing_a_required_column_stops_the_build_and_says_where(project):
    import duckdb

    emails_before = project.query("select count(email) from main.profiles")[0][0]
    broken = project.landing / "profiles" / "zz_no_email.parquet"
    with duckdb.connect() as connection:
        connection.execute(
            "copy (select 'p-new' as profile_id, timestamp '2026-06-15 09:00:00' as updated_at) "
            f"to '{broken}' (format parquet)"
        )

    result = project.rebuild(with_syncs=(EMAIL_SYNC,))

    assert not result.success
    [failure] = result.get_step_failure_events()
    message = failure.step_failure_data.error.message + str(
        failure.step_failure_data.user_failure_data.description
    )
    assert str(broken) in message and "email" in message
    assert not materialized(result, ["syncs", EMAIL_SYNC])
    assert project.query("select count(email) from main.profiles")[0][0] == emails_before
    assert project.sandbox.requests() == []


def test_refused_credentials_fail_the_run_loudly_and_the_next_run_delivers_everyone(
    project, monkeypatch
):
    expected = consented_member_emails(project, "win_back", "email")
    monkeypatch.setenv("KLAVIYO_API_KEY", "a-key-the-destination-does-not-know")

    refused = project.sync(EMAIL_SYNC)

    assert not refused.success and not materialized(refused, ["syncs", EMAIL_SYNC])
    run = last_run(project, EMAIL_SYNC)
    assert run["status"] == "failed" and "refused the credentials" in run["message"]
    assert "a-key-the-destination-does-not-know" not in str(run)
    reasons = project.query(
        "select distinct reason from activation.sync_rejections where sync_id = ?", [EMAIL_SYNC]
    )
    assert reasons and all("refused the credentials (HTTP 401)" in r for (r,) in reasons)
    assert klaviyo_emails(project, LIST) == set()

    from connectors.sandbox import DEFAULT_CREDENTIALS

    monkeypatch.setenv("KLAVIYO_API_KEY", DEFAULT_CREDENTIALS["klaviyo"])
    project.sync(EMAIL_SYNC)

    assert klaviyo_emails(project, LIST) == expected
    assert last_run(project, EMAIL_SYNC)["added"] == len(expected)


def test_a_sync_with_nothing_to_send_needs_no_credentials(project, monkeypatch):
    project.sync(EMAIL_SYNC)
    requests_before = len(project.sandbox.requests())
    monkeypatch.delenv("KLAVIYO_API_KEY")

    again = project.sync(EMAIL_SYNC)

    assert again.success
    run = last_run(project, EMAIL_SYNC)
    assert (run["status"], run["planned"], run["added"]) == ("succeeded", 0, 0)
    assert len(project.sandbox.requests()) == requests_before


def test_a_run_that_delivers_nothing_fails_loudly_instead_of_reporting_partial(project):
    expected = consented_member_emails(project, "win_back", "email")
    project.sandbox.fail_records(sorted(expected), service="klaviyo")

    outage = project.sync(EMAIL_SYNC)

    assert not outage.success and not materialized(outage, ["syncs", EMAIL_SYNC])
    run = last_run(project, EMAIL_SYNC)
    assert (run["status"], run["added"], run["failed"]) == ("failed", 0, len(expected))
    # Klaviyo takes one profile request per person, so the outage also trips the breaker.
    assert "nothing was delivered" in run["message"] or "looks unavailable" in run["message"]

    project.sandbox.clear_faults()
    from connectors.http import forget_outages

    forget_outages()  # the next run comes after the outage cooldown
    assert project.sync(EMAIL_SYNC).success
    assert klaviyo_emails(project, LIST) == expected


def test_a_destination_answering_retry_for_every_row_fails_the_run(project):
    crm_sync = "win_back_crm"
    expected = consented_member_emails(project, "win_back", "email")
    project.sandbox.retry_records(sorted(expected), service="webhook")

    outage = project.sync(crm_sync)

    assert not outage.success
    run = last_run(project, crm_sync)
    assert (run["status"], run["added"], run["failed"]) == ("failed", 0, len(expected))
    assert run["message"].startswith("nothing was delivered: ")
    assert ledger_profiles(project, crm_sync) == set()
    # The failed attempt is on record, so the freshness sensor backs off instead of hammering.
    import dagster as dg

    [attempt] = project.instance.fetch_observations(dg.AssetKey(["syncs", crm_sync]), 1).records
    observed = attempt.asset_observation.metadata["failed_attempt"].value
    assert observed.startswith("nothing was delivered")


def test_a_sync_pointed_at_another_list_is_refused_while_its_ledger_holds_people(
    project, monkeypatch
):
    import dataclasses

    from activation.sync import run_sync
    from activation.sync.binding import SyncRetargeted
    from dagster_project.project import configured_syncs

    project.sync(EMAIL_SYNC)
    held = ledger_profiles(project, EMAIL_SYNC)
    [sync] = [sync for sync in configured_syncs() if sync.name == EMAIL_SYNC]
    other_account = dataclasses.replace(sync.destination, endpoint="http://127.0.0.1:9/klaviyo")
    requests_before = len(project.sandbox.requests())

    for moved, named in [
        (dataclasses.replace(sync, target="another-list"), "'another-list'"),
        (dataclasses.replace(sync, destination=other_account), "http://127.0.0.1:9/klaviyo"),
    ]:
        for dry_run in (True, False):
            try:
                run_sync(moved, warehouse_path=project.warehouse, run_id="moved", dry_run=dry_run)
            except SyncRetargeted as refusal:
                message = str(refusal)
            else:
                raise AssertionError("a retargeted sync was run")
            assert f"holds {len(held)} people" in message and "'win-back'" in message
            assert named in message

    assert len(project.sandbox.requests()) == requests_before
    assert ledger_profiles(project, EMAIL_SYNC) == held
    assert last_run(project, EMAIL_SYNC)["status"] == "failed"

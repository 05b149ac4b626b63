"""Consent gates every send, and secrets never reach logs, metadata or the run log."""

from __future__ import annotations

import json

import pyarrow as pa
import pyarrow.parquet as pq

from tests.integration.helpers import klaviyo_emails, last_run, ledger_profiles

EMAIL_SYNC = "win_back_email"
LIST = "win-back"


def test_a_member_without_email_consent_is_suppressed_and_never_sent(project):
    unconsented = project.query(
        "select m.profile_id, lower(trim(m.email)) from main.segment_memberships as m "
        "join main.profile_consents as c on c.profile_id = m.profile_id and c.channel = 'email' "
        "where m.audience = 'win_back' and not c.is_opted_in"
    )
    assert unconsented, "the fixture must hold win-back members without email consent"

    project.sync(EMAIL_SYNC)

    bodies = json.dumps([request["body"] for request in project.sandbox.requests("klaviyo")])
    for _profile_id, email in unconsented:
        assert email not in bodies
    assert last_run(project, EMAIL_SYNC)["suppressed"] == len(unconsented)


def test_a_revoked_consent_removes_the_person_and_nothing_is_sent_to_them_again(project):
    project.sync(EMAIL_SYNC)
    held = sorted(ledger_profiles(project, EMAIL_SYNC))
    revoked_profile = held[0]
    email = project.query(
        "select lower(trim(email)) from main.profiles where profile_id = ?", [revoked_profile]
    )[0][0]
    assert email in klaviyo_emails(project, LIST)

    # A new consent batch lands: the person opts out of email after the first sync.
    newest = project.query("select max(recorded_at) from main.profile_consents")[0][0]
    pq.write_table(
        pa.table(
            {
                "profile_id": [revoked_profile],
                "channel": ["email"],
                "is_opted_in": [False],
                "recorded_at": pa.array([newest], pa.timestamp("us", tz="UTC")),
                "source": ["preference_centre"],
                "is_synthetic": [True],
            }
        ),
        project.landing / "consent" / "9999-revocation.parquet",
    )
    project.rebuild(with_syncs=(EMAIL_SYNC,))

    assert email not in klaviyo_emails(project, LIST)
    assert revoked_profile not in ledger_profiles(project, EMAIL_SYNC)
    reasons = project.query(
        "select reason from main.sync_plans where sync_id = ? and profile_id = ?",
        [EMAIL_SYNC, revoked_profile],
    )
    assert reasons in ([], [("no_email_consent",)])  # suppressed from now on, never re-added


def test_secrets_never_appear_in_logs_metadata_or_the_run_log(project, capfd, caplog):
    import os

    secrets = [
        os.environ[name] for name in ("KLAVIYO_API_KEY", "META_ACCESS_TOKEN", "CRM_WEBHOOK_SECRET")
    ]
    project.sandbox.unauthorized(count=1, service="meta")  # an error path too

    result = project.sync(EMAIL_SYNC, "win_back_ads", "win_back_crm")

    records = project.instance.all_logs(result.run_id)
    text = "\n".join(
        [record.message or "" for record in records]
        + [str(record.dagster_event) for record in records if record.dagster_event]
    )
    captured = capfd.readouterr()
    text += captured.out + captured.err + caplog.text
    text += str(project.query("select * from activation.sync_runs"))
    text += str(project.query("select * from activation.sync_rejections"))
    assert EMAIL_SYNC in text  # the logs were really captured
    for secret in secrets:
        assert secret not in text

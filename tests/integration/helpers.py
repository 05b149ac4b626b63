"""Reading what the warehouse and the sandbox hold, for assertions."""

from __future__ import annotations

import hashlib


def consented_member_emails(project, audience: str, channel: str) -> set[str]:
    """Normalized emails of an audience's members who consent to a channel."""
    rows = project.query(
        "select lower(trim(m.email)) from main.segment_memberships as m "
        "join main.profile_consents as c on c.profile_id = m.profile_id and c.channel = ? "
        "where m.audience = ? and c.is_opted_in and m.email is not null",
        [channel, audience],
    )
    return {row[0] for row in rows}


def klaviyo_emails(project, list_id: str) -> set[str]:
    return {member["email"] for member in project.sandbox.members("klaviyo", list_id)}


def meta_email_hashes(project, audience_id: str) -> set[str]:
    return {
        member["EMAIL_SHA256"]
        for member in project.sandbox.members("meta", audience_id)
        if member.get("EMAIL_SHA256")
    }


def sha256(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def last_run(project, sync_id: str) -> dict:
    """The newest run-log row of a sync, as a dict."""
    rows = project.query(
        "select * from activation.sync_runs where sync_id = ? order by finished_at desc limit 1",
        [sync_id],
    )
    columns = [
        row[0]
        for row in project.query(
            "select column_name from information_schema.columns "
            "where table_schema = 'activation' and table_name = 'sync_runs' "
            "order by ordinal_position"
        )
    ]
    return dict(zip(columns, rows[0], strict=True)) if rows else {}


def ledger_profiles(project, sync_id: str) -> set[str]:
    rows = project.query(
        "select profile_id from activation.delivery_ledger where sync_id = ?", [sync_id]
    )
    return {row[0] for row in rows}


def check_passed(result, asset_path: list[str], check_name: str) -> bool | None:
    """Whether a check passed in a run (None when it did not run)."""
    for evaluation in result.get_asset_check_evaluations():
        key = evaluation.asset_check_key
        if key.asset_key.path == asset_path and key.name == check_name:
            return evaluation.passed
    return None


def materialized(result, asset_path: list[str]) -> bool:
    """Whether a run materialized the asset."""
    return any(
        event.asset_key.path == asset_path for event in result.get_asset_materialization_events()
    )

"""Step 3 set-up: an audience of every profile, consent for it, and a ledger with known churn.

Everything is written into the benchmark's own warehouse after the dbt build, never the
repository's. The ledger mix for the plan sync, by position in profile order:

- position % 100 == 0: in the audience, not in the ledger (entered, planned `add`);
- position % 100 == 1: in both, ledger hash stale (traits changed, planned `update`);
- every other member: in both with the same hash (unchanged);
- N // 100 extra ledger rows for ids that are not members (left, planned `remove`).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import duckdb

from activation.config import Cadence, DestinationConfig, SyncConfig

AUDIENCE = "benchmark_everyone"
PUSH_AUDIENCE = "benchmark_push"
PLAN_SYNC = "benchmark_plan"
CONSENT_CHANNEL = "push"
SECRET_VARIABLE = "BENCHMARK_WEBHOOK_SECRET"  # noqa: S105 - the name of a variable, not a secret
FIELDS = {"first_name": "first_name", "last_name": "last_name", "country": "country_code"}
_SETUP_RUN = "benchmark-setup"

_MEMBERS = """
insert into main.segment_memberships by name
select
    ? as audience,
    profiles.profile_id,
    profiles.email,
    profiles.phone,
    traits.traits,
    md5(cast(traits.traits as varchar)) as traits_hash,
    (select max(evaluated_at) from main.audience_clock) as evaluated_at
from main.profiles as profiles,
    lateral (
        select json_object(
            'country_code', profiles.country_code,
            'first_name', profiles.first_name,
            'last_name', profiles.last_name
        ) as traits
    ) as traits
"""

_LEDGER = """
insert into activation.delivery_ledger
with numbered as (
    select profile_id, email, traits_hash, row_number() over (order by profile_id) - 1 as position
    from main.segment_memberships
    where audience = $audience
)
select
    $sync_id, profile_id, json_object('email', email),
    case when position % 100 = 1 then 'stale-' || traits_hash else traits_hash end,
    now(), now(), $run_id
from numbered
where position % 100 != 0
union all
select
    $sync_id, 'left-' || lpad(cast(i as varchar), 9, '0'),
    json_object('email', 'left' || i || '@example.com'), md5(cast(i as varchar)),
    now(), now(), $run_id
from range($left) as numbers(i)
"""


def benchmark_sync(
    name: str, audience: str, *, endpoint: str, batch_size: int, target: str
) -> SyncConfig:
    """A mirror sync of `audience` to a webhook, its secret read from `SECRET_VARIABLE`."""
    destination = DestinationConfig(
        name="benchmark_webhook",
        type="webhook",
        endpoint=endpoint,
        consent_channel=CONSENT_CHANNEL,
        credentials={"signing_secret": SECRET_VARIABLE},
        options={"batch_size": batch_size, "timeout_seconds": 120},
    )
    return SyncConfig(
        name=name,
        audience=audience,
        destination=destination,
        target=target,
        mode="mirror",
        identifiers=("email",),
        fields=FIELDS,
        cadence=Cadence(on_change=True),
    )


def prepare_audiences(warehouse: Path, *, profiles: int, push_rows: int) -> dict[str, Any]:
    """Write the benchmark audiences, consent and the plan sync's ledger; return the mix."""
    left = profiles // 100
    with duckdb.connect(str(warehouse)) as connection:
        connection.execute("set TimeZone = 'UTC'")
        connection.execute(_MEMBERS, [AUDIENCE])
        members = connection.execute(
            "select count(*) from main.segment_memberships where audience = ?", [AUDIENCE]
        ).fetchone()[0]
        connection.execute(
            "insert into main.segment_memberships by name "
            "select * replace (? as audience) from main.segment_memberships "
            "where audience = ? order by profile_id limit ?",
            [PUSH_AUDIENCE, AUDIENCE, push_rows],
        )
        # The benchmark measures delivery, not consent: every member (and every leaver) has
        # opted in to the benchmark's channel, so nothing is suppressed.
        connection.execute(
            "update main.profile_consents set is_opted_in = true where channel = ?",
            [CONSENT_CHANNEL],
        )
        connection.execute(
            "insert into main.profile_consents (profile_id, channel, is_opted_in, recorded_at) "
            "select 'left-' || lpad(cast(i as varchar), 9, '0'), ?, true, now() from range(?) "
            "as numbers(i)",
            [CONSENT_CHANNEL, left],
        )
        connection.execute(
            _LEDGER,
            {"audience": AUDIENCE, "sync_id": PLAN_SYNC, "run_id": _SETUP_RUN, "left": left},
        )
    entered = len(range(0, members, 100))
    changed = len(range(1, members, 100))
    return {
        "audience_members": members,
        "entered": entered,
        "changed": changed,
        "left": left,
        "unchanged": members - entered - changed,
        "ledger_rows": members - entered + left,
        "push_audience_members": min(push_rows, members),
    }

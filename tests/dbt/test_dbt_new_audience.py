"""Adding an audience the documented way: a model, its YAML entry and its name in the macro."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from dbt_builds import DBT_PROJECT_DIR, Build, run_dbt
from landing_fixture import write_landing

from activation.config import check_audiences_registered, load_destinations, load_syncs

pytestmark = pytest.mark.slow

AUDIENCE_SQL = """\
-- Profiles with a phone number.
with profiles as (
    select * from {{ ref('profiles') }}
),

reachable_by_phone as (
    select
        profile_id,
        first_name
    from profiles
    where phone is not null
)

select * from reachable_by_phone
"""

AUDIENCE_YAML = """\
models:
  - name: phone_reachable_customers
    description: One row per profile with a phone number.
    config:
      meta:
        audience:
          owner: analytics
          syncs:
            - name: phone_reachable_customers_crm
              destination: crm_webhook
              target: phone-reachable
              mode: upsert
              identifiers: [email]
              fields: {first_name: first_name}
              cadence: {on_change: true}
    columns:
      - name: profile_id
        data_tests: [unique, not_null]
      - name: first_name
"""


def add_audience(project: Path) -> None:
    """The three steps the README lists, and nothing else: no unit test is touched."""
    segments = project / "models" / "segments"
    (segments / "phone_reachable_customers.sql").write_text(AUDIENCE_SQL)
    (segments / "_phone_reachable_customers.yml").write_text(AUDIENCE_YAML)
    macro = project / "macros" / "audiences.sql"
    listed = macro.read_text()
    assert "'new_customers',\n" in listed, "the audiences() list changed shape; update this test"
    macro.write_text(
        listed.replace(
            "'new_customers',\n", "'new_customers',\n        'phone_reachable_customers',\n"
        )
    )


@pytest.fixture(scope="module")
def build_with_new_audience(tmp_path_factory: pytest.TempPathFactory) -> Build:
    folder = tmp_path_factory.mktemp("new-audience")
    project = folder / "dbt_project"
    shutil.copytree(DBT_PROJECT_DIR, project, ignore=shutil.ignore_patterns("target", "logs"))
    add_audience(project)
    return run_dbt(
        ["build"],
        landing=write_landing(folder / "landing"),
        warehouse=folder / "warehouse.duckdb",
        project_dir=project,
    )


def test_a_new_audience_builds_with_every_unit_test_unchanged_and_passing(
    build_with_new_audience: Build,
):
    statuses = build_with_new_audience.statuses()
    failing = {
        node: status for node, status in statuses.items() if status not in ("success", "pass")
    }
    assert failing == {}, build_with_new_audience.output[-4000:]
    unit_tests = {node for node in statuses if node.startswith("unit_test.")}
    assert (
        "unit_test.activation.segment_memberships."
        "memberships_carry_traits_and_a_hash_for_every_audience_a_profile_is_in"
    ) in unit_tests


def test_the_new_audience_feeds_segment_memberships_and_its_sync_loads(
    build_with_new_audience: Build,
):
    with_phone = {
        profile_id
        for (profile_id,) in build_with_new_audience.query(
            "select profile_id from main.profiles where phone is not null"
        )
    }
    assert with_phone
    assert build_with_new_audience.members("phone_reachable_customers") == with_phone
    manifest = json.loads((build_with_new_audience.target / "manifest.json").read_text())
    check_audiences_registered(manifest)
    syncs = {sync.name for sync in load_syncs(manifest, load_destinations())}
    assert "phone_reachable_customers_crm" in syncs

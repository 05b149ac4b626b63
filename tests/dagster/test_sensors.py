"""Sensors decide from the landing folder and Dagster's records, never the warehouse."""

from __future__ import annotations

import dagster as dg
import pytest


@pytest.fixture
def definitions():
    from dagster_project.definitions import defs

    return defs


def _sensor(defs, name):
    return defs.resolve_sensor_def(name)


def test_new_landing_files_request_a_run_of_what_they_feed(definitions, tmp_path, monkeypatch):
    monkeypatch.setenv("ACTIVATION_LANDING_DIR", str(tmp_path))
    (tmp_path / "events").mkdir()
    (tmp_path / "events" / "2026-12-04T000000Z.parquet").write_bytes(b"not read by the sensor")
    sensor = _sensor(definitions, "landing_files_sensor")

    with dg.instance_for_test() as instance:
        context = dg.build_sensor_context(
            instance=instance, repository_def=definitions.get_repository_def()
        )
        [request] = sensor.evaluate_tick(context).run_requests
        selected = {key.to_user_string() for key in request.asset_selection}

        assert "stg_landing__events" in selected
        assert "cart_abandoners" in selected
        assert "stg_landing__profiles" not in selected  # not fed by events
        assert "syncs/cart_abandoners_email" not in selected  # on a freshness cadence
        assert request.tags["activation/tables"] == "events"

        again = dg.build_sensor_context(
            instance=instance,
            cursor=context.cursor,
            repository_def=definitions.get_repository_def(),
        )
        assert not sensor.evaluate_tick(again).run_requests


def _observe_pending(instance, sync_name: str, pending: int) -> None:
    instance.report_runless_asset_event(
        dg.AssetObservation(asset_key=["sync_plans", sync_name], metadata={"pending": pending})
    )


def test_a_sync_past_its_freshness_target_with_pending_changes_is_run(definitions):
    sensor = _sensor(definitions, "sync_freshness_sensor")
    with dg.instance_for_test() as instance:
        _observe_pending(instance, "cart_abandoners_email", 3)
        _observe_pending(instance, "cart_abandoners_ads", 0)
        context = dg.build_sensor_context(
            instance=instance, repository_def=definitions.get_repository_def()
        )

        [request] = sensor.evaluate_tick(context).run_requests

        assert {key.to_user_string() for key in request.asset_selection} == {
            "sync_plans/cart_abandoners_email",
            "syncs/cart_abandoners_email",
        }


@pytest.mark.parametrize(
    "last_attempt",
    [
        dg.AssetMaterialization(asset_key=["syncs", "cart_abandoners_email"]),
        # A failed attempt counts too: a down destination is not retried every minute.
        dg.AssetObservation(
            asset_key=["syncs", "cart_abandoners_email"],
            metadata={"failed_attempt": "destination looks unavailable"},
        ),
    ],
    ids=["synced", "failed"],
)
def test_a_sync_attempted_within_its_freshness_target_waits(definitions, last_attempt):
    sensor = _sensor(definitions, "sync_freshness_sensor")
    with dg.instance_for_test() as instance:
        instance.report_runless_asset_event(last_attempt)
        _observe_pending(instance, "cart_abandoners_email", 3)
        context = dg.build_sensor_context(
            instance=instance, repository_def=definitions.get_repository_def()
        )

        result = sensor.evaluate_tick(context)

        assert not result.run_requests
        assert "cart_abandoners_email" in (result.skip_message or "")

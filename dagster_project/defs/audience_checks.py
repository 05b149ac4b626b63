"""Whether the dbt tests on an audience currently pass, read from Dagster's own records."""

from __future__ import annotations

import dagster as dg
from dagster._core.storage.asset_check_execution_record import AssetCheckExecutionRecordStatus

from dagster_project.defs.dbt_assets import activation_dbt_models


def failed_audience_tests(instance: dg.DagsterInstance, audience_key: dg.AssetKey) -> list[str]:
    """Names of error-severity dbt tests on the audience whose latest evaluation failed.

    A run that only pushes syncs does not rebuild dbt, so the check cannot rely on the current
    run: it asks the instance for the newest result of each test.
    """
    check_keys = [key for key in activation_dbt_models.check_keys if key.asset_key == audience_key]
    if not check_keys:
        return []
    latest = instance.event_log_storage.get_latest_asset_check_execution_by_key(check_keys)
    failing = []
    for key, record in latest.items():
        if record.status != AssetCheckExecutionRecordStatus.FAILED:
            continue
        evaluation = record.evaluation
        if evaluation is None or evaluation.severity == dg.AssetCheckSeverity.ERROR:
            failing.append(key.name)
    return sorted(failing)

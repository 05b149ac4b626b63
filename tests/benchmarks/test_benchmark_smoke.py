"""The pipeline benchmark at a tiny size: every figure is reported and the plan counts agree.

Nothing here asserts on speed; the benchmark measures, it does not judge.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

REPOSITORY_ROOT = Path(__file__).resolve().parents[2]
PROFILES = 2_000


@pytest.fixture(scope="module")
def benchmark_run(tmp_path_factory) -> tuple[dict, str]:
    workdir = tmp_path_factory.mktemp("benchmark") / "run"
    command = [sys.executable, "-m", "benchmarks.pipeline", "--profiles", str(PROFILES)]
    completed = subprocess.run(
        [*command, "--workdir", str(workdir)],
        cwd=REPOSITORY_ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert completed.returncode == 0, completed.stdout + completed.stderr
    return json.loads((workdir / "benchmark.json").read_text()), completed.stdout


@pytest.mark.slow
@pytest.mark.timeout(300)
def test_benchmark_reports_every_figure(benchmark_run) -> None:
    results, table = benchmark_run
    assert results["profiles"] == PROFILES
    assert results["landing"]["generator_seconds"] > 0
    assert results["landing"]["landing_bytes"] > 0
    assert results["landing"]["rows"]["profiles"] == PROFILES
    assert results["dbt_build"]["seconds"] > 0
    assert results["dbt_build"]["nodes_errored"] == 0
    for name in ("summarize_seconds", "freeze_seconds", "bare_join_seconds"):
        assert results["plan"][name] > 0
    for batch_size in ("1000", "10000"):
        run = results["push"]["runs"][batch_size]
        assert run["engine"]["added"] == PROFILES
        assert run["engine"]["rows_per_second"] > 0
        assert run["engine"]["mb_per_second"] > 0
        assert run["raw_socket"]["acknowledged"] == run["raw_socket"]["rows"] == PROFILES
        assert run["raw_socket"]["rows_per_second"] > 0
    assert all(value > 0 for value in results["peak_rss"].values())
    assert "engine rows/s" in table and "bare full outer join" in table


@pytest.mark.slow
@pytest.mark.timeout(300)
def test_engine_plan_counts_agree_with_the_bare_join(benchmark_run) -> None:
    results, _ = benchmark_run
    plan, mix = results["plan"], results["audience"]
    expected = {"add": mix["entered"], "update": mix["changed"], "remove": mix["left"]}
    assert plan["counts_agree"] is True
    assert plan["engine_counts"] == expected
    assert {action: plan["bare_join_counts"][action] for action in expected} == expected
    assert plan["engine_suppressed"] == plan["engine_skipped"] == 0

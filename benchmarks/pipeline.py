"""The pipeline benchmark: landing → dbt build → plan → push, measured in one run.

    python -m benchmarks.pipeline [--profiles 1000000] [--workdir DIR] [--keep]

It measures and reports (a table on stdout, every figure as JSON in the workdir); it never
passes or fails on a time.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import signal
import sys
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from benchmarks.audience import AUDIENCE, PLAN_SYNC, benchmark_sync, prepare_audiences
from benchmarks.dbt_build import REPOSITORY_ROOT, build_warehouse
from benchmarks.landing import generate_landing
from benchmarks.measure import own_peak_rss_bytes
from benchmarks.plan_timing import time_plan
from benchmarks.push import measure_push
from benchmarks.report import render

DEFAULT_PROFILES = 1_000_000
DEFAULT_PUSH_CAP = 1_000_000  # rows the engine pushes per batch size, so 10M stays in hours
DEFAULT_RAW_CAP = 250_000  # rows the raw client sends: enough for a steady rate, bodies in RAM
BATCH_SIZES = (1_000, 10_000)
RESULT_FILE = "benchmark.json"


def parse_arguments(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.pipeline", description=__doc__)
    parser.add_argument("--profiles", type=int, default=DEFAULT_PROFILES)
    parser.add_argument(
        "--workdir", type=Path, help="default: data/benchmarks/<profiles>-<timestamp>"
    )
    parser.add_argument(
        "--keep", action="store_true", help="keep the landing folder and warehouse afterwards"
    )
    parser.add_argument("--push-cap", type=int, default=DEFAULT_PUSH_CAP)
    parser.add_argument("--raw-cap", type=int, default=DEFAULT_RAW_CAP)
    arguments = parser.parse_args(argv)
    if arguments.profiles < 100:
        parser.error("--profiles must be at least 100 (the churn mix is in hundredths)")
    return arguments


def progress(message: str) -> None:
    """One timestamped progress line on stderr, so stdout holds only the report."""
    print(f"[{datetime.now(UTC):%H:%M:%S}] {message}", file=sys.stderr, flush=True)


def run_benchmark(profiles: int, workdir: Path, *, push_cap: int, raw_cap: int) -> dict[str, Any]:
    """Every step in order; returns every figure."""
    workdir.mkdir(parents=True, exist_ok=True)
    landing_dir, warehouse = workdir / "landing", workdir / "warehouse.duckdb"
    started = time.monotonic()
    results: dict[str, Any] = {
        "profiles": profiles,
        "started_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": {"python": platform.python_version(), "cpus": os.cpu_count()},
        "workdir": str(workdir),
    }
    results["landing"] = generate_landing(landing_dir, profiles, progress)
    results["dbt_build"] = build_warehouse(landing_dir, warehouse, workdir / "dbt", progress)
    push_rows = min(profiles, push_cap)
    progress("setting up the benchmark audience, consent and ledger")
    results["audience"] = prepare_audiences(warehouse, profiles=profiles, push_rows=push_rows)
    plan_sync = benchmark_sync(
        PLAN_SYNC, AUDIENCE, endpoint="http://127.0.0.1:9/unused", batch_size=1000, target="plan"
    )
    results["plan"] = time_plan(warehouse, plan_sync, progress)
    results["rss_after_plan_bytes"] = own_peak_rss_bytes()
    push = measure_push(
        warehouse, batch_sizes=BATCH_SIZES, raw_rows=min(push_rows, raw_cap), progress=progress
    )
    results["push"] = {
        "rows": push_rows,
        "capped": push_rows < profiles,
        "raw_rows": min(push_rows, raw_cap),
        "sandbox_keeps_history": False,
        "runs": push["runs"],
    }
    results["peak_rss"] = {
        "benchmark_process": own_peak_rss_bytes(),
        "generator": results["landing"]["peak_rss_bytes"],
        "dbt": results["dbt_build"]["peak_rss_bytes"],
        "sandbox": push["sandbox_peak_rss_bytes"],
    }
    results["total_seconds"] = round(time.monotonic() - started, 1)
    return results


def _stop(signum: int, frame: object) -> None:
    # Leave through the finally blocks, which stop the sandbox and any dbt child.
    raise SystemExit(128 + signum)


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark, print the table, write the JSON; returns the exit code."""
    arguments = parse_arguments(argv)
    signal.signal(signal.SIGTERM, _stop)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    workdir = arguments.workdir or (
        REPOSITORY_ROOT / "data" / "benchmarks" / f"{arguments.profiles}-{stamp}"
    )
    workdir = workdir.resolve()
    if (workdir / "landing").exists() or (workdir / "warehouse.duckdb").exists():
        # Refuse before anything runs: the clean-up below must never delete an earlier run.
        raise SystemExit(f"{workdir} already holds a run; pick an empty --workdir")
    try:
        results = run_benchmark(
            arguments.profiles, workdir, push_cap=arguments.push_cap, raw_cap=arguments.raw_cap
        )
    finally:
        if not arguments.keep:
            # The bulky parts go; the JSON and dbt's logs stay for reading later.
            shutil.rmtree(workdir / "landing", ignore_errors=True)
            for name in ("warehouse.duckdb", "warehouse.duckdb.wal"):
                (workdir / name).unlink(missing_ok=True)
    result_path = workdir / RESULT_FILE
    result_path.write_text(json.dumps(results, indent=2) + "\n")
    print(render(results))
    print(f"\nevery figure: {result_path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Step 2: `dbt build` of the project on the landed data, in the benchmark's own folders."""

from __future__ import annotations

import os
import re
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from benchmarks.measure import run_child

REPOSITORY_ROOT = Path(__file__).resolve().parents[1]
DBT_PROJECT_DIR = REPOSITORY_ROOT / "dbt_project"
DBT_EXECUTABLE = Path(sys.executable).with_name("dbt")
# dbt's per-node result lines, e.g. "12 of 80 OK created sql table model main.profiles ...";
# passing tests are left out of the progress, as they take no time worth watching.
_NODE_DONE = re.compile(r"\d+ of \d+ (OK|WARN|ERROR|FAIL|SKIP)\b")
_SUMMARY = re.compile(r"Done\. PASS=(\d+) WARN=(\d+) ERROR=(\d+) SKIP=(\d+)")


def build_warehouse(
    landing_dir: Path, warehouse: Path, dbt_dir: Path, progress: Callable[[str], None]
) -> dict[str, Any]:
    """Run `dbt build` against `landing_dir` into `warehouse`; raise when it fails."""
    environment = {
        **os.environ,
        "ACTIVATION_LANDING_DIR": str(landing_dir),
        "ACTIVATION_WAREHOUSE_PATH": str(warehouse),
        "DBT_LOG_PATH": str(dbt_dir / "logs"),
        # Nothing leaves the machine: no usage statistics.
        "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
        "DBT_USE_COLORS": "false",
    }
    command = [
        str(DBT_EXECUTABLE),
        "build",
        "--project-dir",
        str(DBT_PROJECT_DIR),
        "--profiles-dir",
        str(DBT_PROJECT_DIR),
        "--target-path",
        str(dbt_dir / "target"),
    ]
    progress(f"dbt build into {warehouse}")

    def show(line: str) -> None:
        if _NODE_DONE.search(line):
            progress("dbt " + line.split(" ", 1)[-1].strip())

    run = run_child(command, env=environment, cwd=REPOSITORY_ROOT, on_line=show)
    summary = next(
        (_SUMMARY.search(line) for line in run.output_tail if _SUMMARY.search(line)), None
    )
    if run.returncode != 0 or summary is None:
        raise RuntimeError("dbt build failed:\n" + "\n".join(run.output_tail))
    passed, warned, errored, skipped = (int(value) for value in summary.groups())
    progress(f"dbt build done in {run.seconds:.1f}s (pass {passed}, warn {warned})")
    return {
        "seconds": round(run.seconds, 3),
        "nodes_passed": passed,
        "nodes_warned": warned,
        "nodes_errored": errored,
        "nodes_skipped": skipped,
        "peak_rss_bytes": run.peak_rss_bytes,
    }

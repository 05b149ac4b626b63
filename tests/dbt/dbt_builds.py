"""Run the real dbt project on DuckDB files in a temporary folder.

Every build runs the dbt CLI in a subprocess with its own environment, target and log folders,
so builds never share state with each other or with the repository's `dbt_project/target`.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import duckdb
from landing_fixture import write_landing

REPOSITORY_ROOT = Path(__file__).resolve().parents[2]
DBT_PROJECT_DIR = REPOSITORY_ROOT / "dbt_project"
DBT_EXECUTABLE = Path(sys.executable).with_name("dbt")


@dataclass
class Build:
    """One `dbt build` and where it wrote."""

    warehouse: Path
    landing: Path
    target: Path
    returncode: int
    output: str
    run_results: dict

    def query(self, sql: str, parameters: list | None = None) -> list[tuple]:
        with duckdb.connect(str(self.warehouse), read_only=True) as connection:
            connection.execute("set TimeZone = 'UTC'")
            return connection.execute(sql, parameters or []).fetchall()

    def members(self, audience: str) -> set[str]:
        rows = self.query(
            "select profile_id from main.segment_memberships where audience = ?", [audience]
        )
        return {row[0] for row in rows}

    def statuses(self) -> dict[str, str]:
        return {result["unique_id"]: result["status"] for result in self.run_results["results"]}


def run_dbt(
    arguments: list[str],
    *,
    landing: Path,
    warehouse: Path,
    time_zone: str = "UTC",
    variables: dict | None = None,
    project_dir: Path = DBT_PROJECT_DIR,
) -> Build:
    """Run one dbt command against `landing` and `warehouse` and return what it did.

    `project_dir` defaults to the repository's dbt project; a test may pass a changed copy.
    """
    work = warehouse.parent / f"dbt-{warehouse.stem}"
    environment = {
        **os.environ,
        "ACTIVATION_LANDING_DIR": str(landing),
        "ACTIVATION_WAREHOUSE_PATH": str(warehouse),
        "ACTIVATION_DUCKDB_TIMEZONE": time_zone,
        "DBT_TARGET_PATH": str(work / "target"),
        "DBT_LOG_PATH": str(work / "logs"),
        "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
        "DBT_PARTIAL_PARSE": "false",
    }
    command = [str(DBT_EXECUTABLE), *arguments, "--profiles-dir", str(project_dir)]
    if variables:
        command += ["--vars", json.dumps(variables)]
    completed = subprocess.run(
        command,
        cwd=project_dir,
        env=environment,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    results_file = work / "target" / "run_results.json"
    run_results = json.loads(results_file.read_text()) if results_file.exists() else {}
    return Build(
        warehouse=warehouse,
        landing=landing,
        target=work / "target",
        returncode=completed.returncode,
        output=completed.stdout + completed.stderr,
        run_results=run_results,
    )


def build_fixture(
    folder: Path,
    *,
    events_format: str = "mixed",
    time_zone: str = "UTC",
    variables: dict | None = None,
) -> Build:
    """Land the fixture in `folder` and run a full `dbt build` on it; fail loudly if it fails."""
    landing = write_landing(folder / "landing", events_format=events_format)
    build = run_dbt(
        ["build"],
        landing=landing,
        warehouse=folder / "warehouse.duckdb",
        time_zone=time_zone,
        variables=variables,
    )
    assert build.returncode == 0, build.output[-4000:]
    return build


def memberships(build: Build) -> list[tuple]:
    """Every membership with its hash and evaluation instant, in a stable order."""
    return build.query(
        "select audience, profile_id, email, phone, cast(traits as varchar), traits_hash, "
        "evaluated_at from main.segment_memberships order by audience, profile_id"
    )

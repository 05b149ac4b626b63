"""Where the dbt project is, and the configuration every definition is generated from."""

from __future__ import annotations

import json
import shutil
import sys
from functools import cache
from pathlib import Path
from typing import Any

from dagster_dbt import DbtCliResource, DbtProject

from activation.config import SyncConfig, check_audiences_registered, load_destinations, load_syncs

REPOSITORY_ROOT = Path(__file__).resolve().parent.parent
DBT_PROJECT_DIR = REPOSITORY_ROOT / "dbt_project"

# Its own target folder, so an analyst running dbt by hand never races the Dagster parse.
dbt_project = DbtProject(
    project_dir=DBT_PROJECT_DIR, profiles_dir=DBT_PROJECT_DIR, target_path=Path("target/dagster")
)


def dbt_executable() -> str:
    """dbt from this interpreter's environment, so nothing depends on an activated venv."""
    beside_python = Path(sys.executable).with_name("dbt")
    return str(beside_python) if beside_python.exists() else (shutil.which("dbt") or "dbt")


def dbt_cli() -> DbtCliResource:
    """The dbt resource, bound to the project and its executable."""
    return DbtCliResource(project_dir=dbt_project, dbt_executable=dbt_executable())


def ensure_manifest() -> Path:
    """Parse the dbt project when its manifest is missing or older than any project file."""
    manifest = dbt_project.manifest_path
    sources = [
        path
        for folder in ("models", "macros", "tests")
        for path in (DBT_PROJECT_DIR / folder).rglob("*")
        if path.is_file()
    ] + [DBT_PROJECT_DIR / "dbt_project.yml"]
    newest = max((path.stat().st_mtime for path in sources if path.exists()), default=0)
    if not manifest.exists() or manifest.stat().st_mtime < newest:
        dbt_cli().cli(["parse", "--quiet"], target_path=manifest.parent).wait()
    return manifest


@cache
def manifest() -> dict[str, Any]:
    """The parsed dbt manifest."""
    return json.loads(ensure_manifest().read_text())


@cache
def configured_syncs() -> tuple[SyncConfig, ...]:
    """Every sync declared on an audience, checked against `destinations.yaml`."""
    parsed = manifest()
    check_audiences_registered(parsed)
    return tuple(load_syncs(parsed, load_destinations()))

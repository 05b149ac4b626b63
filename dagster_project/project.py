"""Where the dbt project is, and the configuration every definition is generated from."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

from dagster_dbt import DbtProject

from activation.config import SyncConfig, check_audiences_registered, load_destinations, load_syncs

REPOSITORY_ROOT = Path(__file__).resolve().parent.parent
DBT_PROJECT_DIR = REPOSITORY_ROOT / "dbt_project"

dbt_project = DbtProject(project_dir=DBT_PROJECT_DIR, profiles_dir=DBT_PROJECT_DIR)


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
        dbt_project.preparer.prepare(dbt_project)
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

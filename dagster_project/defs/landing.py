"""The landing folder and the engine-owned tables, as the sources at the top of the lineage."""

from __future__ import annotations

import dagster as dg

from dagster_project.defs.dbt_assets import ActivationTranslator
from dagster_project.project import manifest

LANDING_SOURCE = "landing"
LANDING_SUFFIXES = (".parquet", ".jsonl")


def source_specs() -> list[dg.AssetSpec]:
    """One external asset per dbt source table: landing files and engine-owned tables."""
    translator = ActivationTranslator()
    specs = []
    for source in manifest().get("sources", {}).values():
        is_landing = source["source_name"] == LANDING_SOURCE
        specs.append(
            dg.AssetSpec(
                key=translator.get_asset_key(source),
                group_name=source["source_name"],
                description=source.get("description") or None,
                kinds={"parquet"} if is_landing else {"duckdb"},
                metadata={"folder": source["name"]} if is_landing else {},
            )
        )
    return specs


def landing_key(table: str) -> dg.AssetKey:
    return dg.AssetKey([LANDING_SOURCE, table])

"""Jobs. Every job that writes the warehouse carries the tag the run queue serialises on."""

from __future__ import annotations

import dagster as dg

from dagster_project.defs.resources import WAREHOUSE_RUN_TAGS

activation_job = dg.define_asset_job(
    "activation_job",
    selection=dg.AssetSelection.all(),
    tags=WAREHOUSE_RUN_TAGS,
    description="Build every model, preview every plan and push every sync.",
)

preview_job = dg.define_asset_job(
    "preview_job",
    selection=dg.AssetSelection.key_prefixes("sync_plans").upstream(),
    tags=WAREHOUSE_RUN_TAGS,
    description="Build the models and preview every sync's plan; sends nothing.",
)

"""Destinations and syncs, loaded from the files a user writes and checked on load.

`destinations.yaml` is read by `activation.config.destinations`; syncs declared on audience
models are read from the dbt manifest by `activation.config.syncs`. Both raise `ConfigError`,
which names the file, the field and the fix.
"""

from activation.config.destinations import default_destinations_path, load_destinations
from activation.config.model import (
    CONSENT_CHANNELS,
    DEFAULT_REMOVAL_THRESHOLD,
    DESTINATION_TYPES,
    SYNC_MODES,
    Cadence,
    ConfigError,
    DestinationConfig,
    SyncConfig,
)
from activation.config.syncs import audience_nodes, check_audiences_registered, load_syncs

__all__ = [
    "CONSENT_CHANNELS",
    "DEFAULT_REMOVAL_THRESHOLD",
    "DESTINATION_TYPES",
    "SYNC_MODES",
    "Cadence",
    "ConfigError",
    "DestinationConfig",
    "SyncConfig",
    "audience_nodes",
    "check_audiences_registered",
    "default_destinations_path",
    "load_destinations",
    "load_syncs",
]

"""Build the connector for a sync from its configuration, reading secrets at run time."""

from __future__ import annotations

from activation.config import SyncConfig
from connectors import DestinationSettings, build_connector


def destination_settings(sync: SyncConfig) -> DestinationSettings:
    """The connector's view of a configured destination."""
    destination = sync.destination
    return DestinationSettings.from_options(
        destination.name, destination.type, destination.endpoint, destination.options
    )


def connector_for(sync: SyncConfig):
    """A connector writing to the sync's target, with secrets read from the environment now."""
    return build_connector(destination_settings(sync), sync.target, sync.destination.read_secrets())

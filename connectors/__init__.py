"""Clients for the destinations the activation layer keeps in step with audiences.

Plain Python on httpx: nothing here knows about Dagster or the warehouse.

    connector = build_connector(settings, target, secrets)
    outcomes = connector.deliver("add", [Record(key, identifiers, traits), ...])
"""

from connectors.base import BaseConnector, Connector
from connectors.errors import (
    AuthenticationError,
    ConfigurationError,
    ConnectorError,
    DeliveryError,
    DeliveryInterrupted,
    DestinationUnavailable,
    RequestRejected,
    RetriesExhausted,
)
from connectors.factory import build_connector
from connectors.records import Action, Record, RecordOutcome, Status
from connectors.settings import DestinationSettings

__all__ = [
    "Action",
    "AuthenticationError",
    "BaseConnector",
    "ConfigurationError",
    "Connector",
    "ConnectorError",
    "DeliveryError",
    "DeliveryInterrupted",
    "DestinationSettings",
    "DestinationUnavailable",
    "Record",
    "RecordOutcome",
    "RequestRejected",
    "RetriesExhausted",
    "Status",
    "build_connector",
]

"""Choosing the connector for a destination type."""

from __future__ import annotations

from collections.abc import Mapping

import httpx

from connectors.base import BaseConnector, Connector
from connectors.errors import ConfigurationError
from connectors.klaviyo import KlaviyoConnector
from connectors.meta import MetaCustomAudienceConnector
from connectors.settings import DestinationSettings
from connectors.webhook import WebhookConnector

CONNECTOR_TYPES: dict[str, type[BaseConnector]] = {
    "webhook": WebhookConnector,
    "klaviyo": KlaviyoConnector,
    "meta_custom_audience": MetaCustomAudienceConnector,
}


def build_connector(
    destination: DestinationSettings,
    target: str,
    secrets: Mapping[str, str],
    *,
    transport: httpx.BaseTransport | None = None,
) -> Connector:
    """A connector writing to `target` (list id, audience id or webhook path) of `destination`.

    Args:
        destination: Where and how to send.
        target: The list id, custom audience id or webhook path segment.
        secrets: Secret name (`api_key`, `access_token`, `signing_secret`) -> value, read from
            the environment by the caller at run time.
        transport: Optional httpx transport, for tests.

    Raises:
        ConfigurationError: Unknown type, empty target or a missing secret.
    """
    connector_type = CONNECTOR_TYPES.get(destination.type)
    if connector_type is None:
        raise ConfigurationError(
            f"destination '{destination.name}': no connector for type {destination.type!r}"
        )
    return connector_type(destination, target, secrets, transport=transport)

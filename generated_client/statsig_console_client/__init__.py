"""A client library for accessing Statsig Console API - Assignment Sources"""

from .client import AuthenticatedClient, Client

__all__ = (
    "AuthenticatedClient",
    "Client",
)

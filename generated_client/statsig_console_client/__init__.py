"""A client library for accessing Statsig Console API - Create Assignment Source"""

from .client import AuthenticatedClient, Client

__all__ = (
    "AuthenticatedClient",
    "Client",
)

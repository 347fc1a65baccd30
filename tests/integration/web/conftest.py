"""The read-model fixtures of ``tests/integration/readmodels``: the web reads what they build."""

from __future__ import annotations

from tests.integration.readmodels.conftest import (
    chain,
    connect,
    database,
    projections,
    reader,
    records,
)

__all__ = ["chain", "connect", "database", "projections", "reader", "records"]

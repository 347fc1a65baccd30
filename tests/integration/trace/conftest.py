"""A fresh database per test, its records and projections (the read models' own fixtures)."""

from __future__ import annotations

from tests.integration.readmodels.conftest import (
    chain,
    connect,
    database,
    projections,
    records,
)

__all__ = ["chain", "connect", "database", "projections", "records"]

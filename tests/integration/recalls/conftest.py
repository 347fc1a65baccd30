"""The read-model fixtures (a fresh database, records, projections), shared with the recalls."""

from tests.integration.readmodels.conftest import (  # noqa: F401
    catalogue,
    chain,
    connect,
    database,
    projections,
    reader,
    records,
)

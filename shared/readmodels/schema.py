"""Tables of the read models (idempotent DDL, run by ``nguon db migrate`` through
``shared.database.prepare``).

Everything here is derived from the event store and disposable. Each projection names its
version (:mod:`shared.readmodels.units`); a migration drops the tables of a projection whose
stored version differs (their shape may differ) and leaves every other projection's tables,
tracking and quarantine as they were. The projection, seeing no stored version, is then rebuilt
from the first event, alone (``Projections.stale``).
"""

from __future__ import annotations

from shared.readmodels.engine import ENGINE_DDL, ddl_of
from shared.readmodels.units import all_projections

_PROJECTIONS = all_projections()

ENGINE_TABLES = ("rm_projections", "rm_tracking_position", "rm_tracking_offsets", "rm_quarantine")
MATERIALIZED_TABLES = ("rm_batches", "rm_provenance", "rm_document_refs")
FACT_TABLES = tuple(t for p in _PROJECTIONS for t in p.tables if t not in MATERIALIZED_TABLES)
READ_MODEL_TABLES = FACT_TABLES + MATERIALIZED_TABLES

DDL: list[str] = [*ENGINE_DDL, *(s for p in _PROJECTIONS for s in ddl_of(p))]

"""The platform's projections: provenance, lineage, directory and catalogue, each its own unit.

Who owns which table, and why. A projection reads only tables it applied itself: reading
another's would make its rows depend on that projection's progress and rebuilds (a document
composed while the directory lagged would miss an organisation, and nothing would recompose it
when the directory caught up). So where two projections need the same fact, each keeps its own
copy, in its own table, written by the same handler (:mod:`shared.readmodels.facts`):

* ``provenance`` (the public documents) owns ``rm_events`` (every event it applied, batch
  envelopes kept for timelines and fingerprints), ``rm_provenance_edges`` (the journey's lineage),
  the parties and places a page names (``rm_organisations``, ``rm_org_certifications``,
  ``rm_plots``, ``rm_plot_certifications``, ``rm_value_chains``, ``rm_chain_participants``),
  and what it composes: ``rm_provenance``, ``rm_document_refs``.
* ``lineage`` (staff traces and recalls) owns ``rm_lineage``: one edge per parent and child.
* ``directory`` (organisations for staff and the dashboard) owns ``rm_directory_events``,
  ``rm_directory_organisations``, ``rm_directory_chains``, ``rm_directory_participants``, and
  the facts only it serves: ``rm_cooperative_support``, ``rm_linkage_contracts``.
* ``catalogue`` (the batch list) owns ``rm_batches``, with its own ``rm_catalogue_events``
  (batch envelopes, for the fold) and ``rm_catalogue_edges`` (a recall reaches descendants).

The copies cost a little space and a little rebuild time; they buy independence: bumping one
projection's version empties and rebuilds its tables alone while the others keep serving.
* ``monitoring`` (the province's indicators) owns the ``mon_*`` tables: dated facts, each with
  when it was recorded, so indicators are asked "as of" and "known at" any date
  (:mod:`shared.readmodels.units.monitoring`).

* ``households`` (a cooperative's private registry of member households) owns
  ``rm_households`` (values kept sealed, opened only when shown) and ``rm_household_plots``.

* ``trace`` (the trace API and pictures) owns the ``rm_trace_*`` tables: dated steps, edges
  and states of batches, and the organisations and plots a trace names
  (:mod:`shared.readmodels.units.trace`).
* ``recalls`` (recalls and drills for staff: holders, notices, reports) owns the ``rm_recall*``
  tables (:mod:`shared.readmodels.units.recalls`).

* ``epcis`` (GS1 EPCIS 2.0 events for partners and the query interface) owns the ``rm_epcis_*``
  tables: the events as served, aliases of replaced ids, holders, edges, and the master data a
  mapping reads as of each event's position (:mod:`shared.readmodels.units.epcis`).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from shared.domain.clock import today_in_vietnam
from shared.readmodels.projection import Projection
from shared.readmodels.units.catalogue import CatalogueProjection
from shared.readmodels.units.directory import DirectoryProjection
from shared.readmodels.units.epcis import EpcisProjection
from shared.readmodels.units.households import HouseholdsProjection
from shared.readmodels.units.lineage import LineageProjection
from shared.readmodels.units.monitoring import MonitoringProjection
from shared.readmodels.units.provenance import ProvenanceProjection
from shared.readmodels.units.recalls import RecallsProjection
from shared.readmodels.units.trace import TraceProjection


def all_projections(today: Callable[[], date] = today_in_vietnam) -> list[Projection]:
    """Every projection of the platform, in the order a batch of events is applied to them."""
    return [
        ProvenanceProjection(today),
        LineageProjection(),
        DirectoryProjection(),
        CatalogueProjection(),
        MonitoringProjection(),
        HouseholdsProjection(),
        TraceProjection(),
        RecallsProjection(),
        EpcisProjection(),
    ]


__all__ = [
    "CatalogueProjection",
    "DirectoryProjection",
    "EpcisProjection",
    "HouseholdsProjection",
    "LineageProjection",
    "MonitoringProjection",
    "ProvenanceProjection",
    "RecallsProjection",
    "TraceProjection",
    "all_projections",
]

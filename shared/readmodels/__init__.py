"""The read side: projections of the event store, and the readers that serve them.

Which fact lands in which table, which projection owns it, and which reader serves it.
Projections are defined in :mod:`shared.readmodels.units` (each its own version, tracking and
lock); ``ProvenanceReader`` and ``BatchCatalogue`` stand for their PostgreSQL readers in
:mod:`.postgres_readers`, ``Directory`` is :mod:`.directory`, the traces :mod:`.lineage`::

    fact                            table                       projection  served by
    ----------------------------------------------------------------------------------------
    each event; batch envelopes     rm_events                   provenance  ProvenanceReader
    lineage (Produced parents)      rm_provenance_edges         provenance  documents, digests
    organisations, certificates     rm_organisations            provenance  documents
                                    rm_org_certifications
    plots, their certificates       rm_plots                    provenance  documents
                                    rm_plot_certifications
    value chains, participants      rm_value_chains             provenance  documents
                                    rm_chain_participants
    a batch's public page           rm_provenance               provenance  ProvenanceReader
    what a page was built from      rm_document_refs            provenance  (re-composition)
    lineage (Produced parents)      rm_lineage                  lineage     trace_back/forward
    organisations (own copy)        rm_directory_organisations  directory   Directory
    value chains (own copy)         rm_directory_chains         directory   Directory
                                    rm_directory_participants
    support received                rm_cooperative_support      directory   (the dashboard)
    linkage contracts               rm_linkage_contracts        directory   (the dashboard)
    events it applied               rm_directory_events         directory   (replays: no-ops)
    a batch's state, recalled       rm_batches                  catalogue   BatchCatalogue
    batch events, lineage (copies)  rm_catalogue_events         catalogue   (its fold)
                                    rm_catalogue_edges
    dated facts for the indicators  mon_* (organisations,       monitoring  PostgresIndicators
    (each with when recorded)        models, statuses, chains,               (monitoring.queries)
                                     participation, contracts,
                                     batches, shipments, plots,
                                     support, certifications,
                                     labels, incidents,
                                     timeliness, events)

The engine's own tables (:mod:`shared.readmodels.engine`): ``rm_projections`` (each projection's
version, and whether a rebuild finished), ``rm_tracking_position`` (its notification-log
position), ``rm_tracking_offsets`` (its next Kafka offset per partition), ``rm_quarantine``
(events it set aside; ``read_side_health`` and ``nguon projections status|retry`` report them).

How an event travels: the notification log (:mod:`.sources`, embedded) or Kafka
(``services.projector``) hands envelopes to :class:`.projections.Projections`, which applies them
to each projection in its own transaction with its tracking; :mod:`.rebuild` replays the log into
the projections that need it. Why a fact is kept more than once: see :mod:`.units`.
"""

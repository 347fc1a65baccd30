"""GS1 EPCIS 2.0 / CBV 2.0: the platform's events as EPCIS, and the exchange with partners.

One module per concern, dependencies pointing down the list:

* :mod:`shared.epcis.standard` — GS1's artefacts, vendored unmodified (schema, context), with
  their source and SHA-256;
* :mod:`shared.epcis.schema` — validation of a document against GS1's JSON schema;
* :mod:`shared.epcis.event_hash` — the CBV 2.0 canonical event hash, which is every event's
  ``eventID``;
* :mod:`shared.epcis.vocabulary` and :mod:`shared.epcis.identifiers` — CBV words, units, and the
  URIs that name batches, parties and locations;
* :mod:`shared.epcis.mapping` — one domain envelope to its EPCIS events (versioned);
* :mod:`shared.epcis.tables` — the read model the ``epcis`` projection keeps and the query
  interface reads.

The projection lives with the others (:mod:`shared.readmodels.units.epcis`); the HTTP interface
is its own service (``services/epcis``).
"""

"""GS1's EPCIS 2.0 artefacts, vendored unmodified (see SOURCES.md): loaded from here, never fetched."""

"""GS1's EPCIS 2.0 artefacts, vendored unmodified (SOURCES.md): loaded here, never fetched."""

"""The versions this interface speaks, sent on every answer as the binding's discovery headers."""

from __future__ import annotations

from shared.epcis.mapping import MAPPING_VERSION

EPCIS_VERSION = "2.0.0"
CBV_VERSION = "2.0.0"

DISCOVERY_HEADERS = {
    "GS1-EPCIS-Version": EPCIS_VERSION,
    "GS1-EPCIS-Min": EPCIS_VERSION,
    "GS1-EPCIS-Max": EPCIS_VERSION,
    "GS1-CBV-Version": CBV_VERSION,
    "GS1-CBV-Min": CBV_VERSION,
    "GS1-CBV-Max": CBV_VERSION,
    # The mapping's version: an event's form (and so its eventID) changes only with it.
    "GS1-Vendor-Version": f"nguon-mapping-{MAPPING_VERSION}",
}

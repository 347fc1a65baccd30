"""The versions this interface speaks, sent on every answer as the binding's discovery headers."""

from __future__ import annotations

from collections.abc import Mapping

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


def _parts(version: str) -> tuple[int, ...] | None:
    pieces = version.strip().split(".")
    return tuple(int(p) for p in pieces) if all(p.isdigit() for p in pieces) else None


def unacceptable(headers: Mapping[str, str]) -> str | None:
    """Why the versions a client accepts (``GS1-EPCIS-Min``/``-Max``, ``GS1-CBV-…``) exclude
    ours, or None: a client that names none accepts what the server speaks."""
    for standard, ours in (("EPCIS", EPCIS_VERSION), ("CBV", CBV_VERSION)):
        mine = _parts(ours) or ()
        for name in ("Min", "Max"):
            sent = headers.get(f"GS1-{standard}-{name}")
            if sent is None:
                continue
            parsed = _parts(sent)
            if parsed is None or (parsed > mine if name == "Min" else parsed < mine):
                return (
                    f"GS1-{standard}-{name}: {sent} excludes {standard} {ours}, the only version"
                    " this interface speaks"
                )
    return None

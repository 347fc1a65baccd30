"""The versions this interface speaks, sent on every answer as the binding's discovery headers,
and the capture limits and methods each path advertises."""

from __future__ import annotations

from collections.abc import Mapping

from shared.epcis.capture import CAPTURE_FILE_SIZE_LIMIT, CAPTURE_LIMIT
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


CAPTURE_LIMITS = {
    "GS1-EPCIS-Capture-Limit": str(CAPTURE_LIMIT),
    "GS1-EPCIS-Capture-File-Size-Limit": str(CAPTURE_FILE_SIZE_LIMIT),
}
_WRITABLE = frozenset({"/epcis/capture", "/epcis/events"})


def allowed_methods(path: str) -> str:
    """``Allow`` for ``OPTIONS``: capture's two collections also take ``POST``."""
    return "GET, POST, OPTIONS" if path.rstrip("/") in _WRITABLE else "GET, OPTIONS"


def capture_headers(method: str, path: str) -> dict[str, str]:
    """The capture limits, on every answer of the capture interface (its refusals too);
    ``OPTIONS /epcis/capture`` also says both error behaviours are supported (``all``)."""
    path = path.rstrip("/")
    if path == "/epcis/capture" and method == "OPTIONS":
        return {**CAPTURE_LIMITS, "GS1-Capture-Error-Behaviour": "all"}
    if path == "/epcis/capture" or path.startswith("/epcis/capture/"):
        return CAPTURE_LIMITS
    if path == "/epcis/events" and method in ("POST", "OPTIONS"):
        return CAPTURE_LIMITS
    return {}

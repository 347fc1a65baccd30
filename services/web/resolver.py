"""What makes the web service a GS1-Conformant resolver for the GTINs our batches carry.

It serves the page itself (one round trip on a phone) instead of redirecting, so its links
all point back at itself: the description at ``/.well-known/gs1resolver`` and, for
``?linkType=all``, a linkset (RFC 9264) naming the page as default link, product information
page and traceability information.
"""

from __future__ import annotations

from typing import Final

GS1_VOCABULARY: Final = "https://gs1.org/voc/"
LINKSET_CONTEXT: Final = "https://ref.gs1.org/standards/resolver/linkset-context"
LINKSET_MEDIA_TYPE: Final = "application/linkset+json"
LINKSET_REQUESTS: Final = frozenset({"all", "linkset"})


def description(public_base_url: str) -> dict[str, object]:
    """The resolver description file (GS1-Conformant resolver standard, section 3)."""
    return {
        "name": "Nguồn — Thanh Hóa provenance resolver",
        "resolverRoot": public_base_url.rstrip("/"),
        "supportedPrimaryKeys": ["01"],
        "supportedLinkType": [{"namespace": GS1_VOCABULARY, "prefix": "gs1:"}],
        "linkTypeDefaultCanBeLinkset": False,
        "jsonLdContextLocation": LINKSET_CONTEXT,
        "contact": {"fn": "Nguồn"},
    }


def linkset(anchor: str, product: str) -> dict[str, object]:
    """Every link we hold for one GTIN and lot: the page, as HTML or as JSON."""
    page = {"href": anchor, "title": product, "type": "text/html", "hreflang": ["vi", "en"]}
    data = {"href": anchor, "title": product, "type": "application/json"}
    return {
        "linkset": [
            {
                "anchor": anchor,
                "itemDescription": product,
                f"{GS1_VOCABULARY}defaultLink": [page],
                f"{GS1_VOCABULARY}pip": [page],
                f"{GS1_VOCABULARY}traceability": [data],
            }
        ]
    }

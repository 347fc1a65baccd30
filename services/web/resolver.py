"""What makes the web service a GS1-Conformant Resolver (standard 1.2.0) for our GTINs.

A Digital Link URI names a lot (or a GTIN alone); the resolver answers with one of the links it
holds for it, never with the page itself:

- no ``linkType``: a 307 redirect to the default link, the provenance page ``/b/<code>`` (or,
  for a GTIN alone, the product page ``/p/<gtin>``); ``Accept: application/linkset+json`` gets
  the linkset instead;
- ``linkType=all`` or ``linkset``: the linkset (RFC 9264, GS1's linkset schema);
- ``linkType=gs1:<type>`` (or the full vocabulary URI): a 307 redirect to that link, or 404
  when the item has none of that type.

Redirects keep the request's query string (``?lang=``, ``?position=`` …) less ``linkType``.
Every answer carries a ``Link`` header pointing at the linkset and at GS1's JSON-LD context.
The default link has only ``href`` and ``title``: language, media type and context belong to
the specific links, so a client asking for none of them always lands somewhere.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Final
from urllib.parse import urlencode

from shared.gs1 import digital_link
from shared.readmodels.documents import ProvenanceDocument
from shared.readmodels.reader import GtinProduct

GS1_VOCABULARY: Final = "https://gs1.org/voc/"
_VOCABULARY_ALIASES: Final = ("gs1:", GS1_VOCABULARY, "https://ref.gs1.org/voc/")
LINKSET_CONTEXT: Final = "https://ref.gs1.org/standards/resolver/linkset-context"
JSON_LD_CONTEXT_REL: Final = "http://www.w3.org/ns/json-ld#context"
LINKSET_MEDIA_TYPE: Final = "application/linkset+json"
LINKSET_REQUESTS: Final = frozenset({"all", "linkset"})
LINK_TYPE: Final = "linkType"
DEFAULT_LINK: Final = "defaultLink"
PAGE_LANGUAGES: Final = ("vi", "en")


@dataclass(frozen=True)
class Link:
    """One link of an item; ``link_type`` is the local name in GS1's vocabulary (``pip``)."""

    link_type: str
    href: str
    title: str
    media_type: str | None = None
    hreflang: tuple[str, ...] = ()

    def as_linkset_entry(self) -> dict[str, object]:
        entry: dict[str, object] = {"href": self.href, "title": self.title}
        if self.media_type:
            entry["type"] = self.media_type
        if self.hreflang:
            entry["hreflang"] = list(self.hreflang)
        return entry


@dataclass(frozen=True)
class Item:
    """What one Digital Link URI resolves to: its anchor, a description and its links."""

    anchor: str
    description: str
    default: Link
    links: tuple[Link, ...]

    def link(self, link_type: str) -> Link | None:
        if link_type == DEFAULT_LINK:
            return self.default
        return next((link for link in self.links if link.link_type == link_type), None)


def lot_item(public_base_url: str, document: ProvenanceDocument) -> Item:
    """A lot's links: its page (default and ``pip``), its JSON document, its recall status."""
    base = public_base_url.rstrip("/")
    gtin, lot = document["gtin"], document["lot"]
    anchor = base + digital_link.path(gtin, lot) if gtin and lot else base
    page = base + digital_link.short_link_path(document["code"])
    title = document["product"]
    return Item(
        anchor=anchor,
        description=title,
        default=Link(DEFAULT_LINK, page, title),
        links=(
            Link("pip", page, title, "text/html", PAGE_LANGUAGES),
            Link("traceability", f"{page}/traceability.json", title, "application/json"),
            Link("recallStatus", f"{page}/recall.json", title, "application/json"),
        ),
    )


def gtin_item(public_base_url: str, product: GtinProduct) -> Item:
    """A GTIN alone: the product page, which lists the product's public lots."""
    base = public_base_url.rstrip("/")
    page = f"{base}/p/{product['gtin']}"
    title = product["product"]
    return Item(
        anchor=base + digital_link.path(product["gtin"]),
        description=title,
        default=Link(DEFAULT_LINK, page, title),
        links=(Link("pip", page, title, "text/html", PAGE_LANGUAGES),),
    )


def requested_link_type(raw: str) -> str | None:
    """``gs1:pip`` or ``https://gs1.org/voc/pip`` as ``pip``; None for another vocabulary."""
    for prefix in _VOCABULARY_ALIASES:
        if raw.startswith(prefix) and len(raw) > len(prefix):
            return raw[len(prefix) :]
    return None


def linkset(item: Item) -> dict[str, object]:
    """The item's links as a GS1 linkset: one context object, link types as full URIs."""
    context: dict[str, object] = {"anchor": item.anchor, "itemDescription": item.description}
    context[GS1_VOCABULARY + DEFAULT_LINK] = [item.default.as_linkset_entry()]
    for link in item.links:
        entries = context.setdefault(GS1_VOCABULARY + link.link_type, [])
        assert isinstance(entries, list)
        entries.append(link.as_linkset_entry())
    return {"linkset": [context]}


def link_header(item: Item) -> str:
    """Where the linkset is, and how to read it as JSON-LD (RFC 8288 ``Link``)."""
    linkset_uri = f"{item.anchor}?{urlencode({LINK_TYPE: 'linkset'})}"
    return (
        f'<{linkset_uri}>; rel="linkset"; type="{LINKSET_MEDIA_TYPE}", '
        f'<{LINKSET_CONTEXT}>; rel="{JSON_LD_CONTEXT_REL}"; type="application/ld+json"'
    )


def forwarded(href: str, query: Iterable[tuple[str, str]]) -> str:
    """``href`` with the request's query string passed on, less the resolver's own ``linkType``."""
    kept = [(key, value) for key, value in query if key != LINK_TYPE]
    if not kept:
        return href
    return f"{href}{'&' if '?' in href else '?'}{urlencode(kept)}"


def description(public_base_url: str) -> dict[str, object]:
    """The resolver description file at ``/.well-known/gs1resolver`` (standard, section 3)."""
    return {
        "name": "Nguồn — Thanh Hóa provenance resolver",
        "resolverRoot": public_base_url.rstrip("/"),
        "supportedPrimaryKeys": [digital_link.GTIN_AI],
        "supportedLinkType": [{"namespace": GS1_VOCABULARY, "prefix": "gs1:"}],
        "linkTypeDefaultCanBeLinkset": False,
        "jsonLdContextLocation": LINKSET_CONTEXT,
        "contact": {"fn": "Nguồn"},
    }

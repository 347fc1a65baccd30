"""Which GTINs an organisation's product pages are about: those it described, those on its lots.

GTIN registrations have no read model of their own, so the list is what the read models know:
the products this organisation described (``rm_products``) and the GTINs of the labelled lots
it holds (``rm_provenance``). A GTIN registered but never used is opened by typing it.
"""

from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID

from shared.readmodels.tracking import Connect, session

SHOWN = 200  # a cooperative has a handful of GTINs; the cap keeps the page small


@dataclass(frozen=True)
class ProductRow:
    gtin: str
    name: str | None  # None: not described yet


def products_of(connect: Connect, organisation_id: UUID) -> list[ProductRow]:
    with session(connect) as conn:
        rows = conn.execute(
            "SELECT gtin, max(name) FROM ("
            " SELECT gtin, name_vi AS name FROM rm_products WHERE owner_id = %(org)s"
            " UNION ALL"
            " SELECT p.gtin, NULL FROM rm_provenance p"
            "  WHERE p.gtin IS NOT NULL AND p.document->'holder'->>'id' = %(org)s::text"
            ") found GROUP BY gtin ORDER BY gtin LIMIT %(shown)s",
            {"org": organisation_id, "shown": SHOWN},
        ).fetchall()
    return [ProductRow(str(r[0]), r[1]) for r in rows]

"""From a GTIN's summary to its page: the product, who labels it, its public lots.

Pure functions of (summary, translator), like ``present`` for a batch.
"""

from __future__ import annotations

from dataclasses import dataclass

from services.web.present import Party, party, status_shown
from shared.i18n import Translator
from shared.readmodels.reader import GtinProduct


@dataclass(frozen=True)
class LotView:
    code: str
    lot: str | None
    status: str
    badge: str  # "bad" recalled, "warn" record incomplete, "ok"
    harvest: str | None


@dataclass(frozen=True)
class ProductPage:
    gtin: str
    product: str
    owner: Party | None
    lots: list[LotView]


def product_page(product: GtinProduct, t: Translator) -> ProductPage:
    owner = product["owner"]
    return ProductPage(
        gtin=product["gtin"],
        product=product["product"],
        owner=party(owner, t) if owner else None,
        lots=[
            LotView(
                code=lot["code"],
                lot=lot["lot"],
                status=status_shown(
                    lot["status"],
                    recalled=lot["recalled"],
                    incomplete=lot["record_incomplete"],
                    t=t,
                ),
                badge="bad" if lot["recalled"] else "warn" if lot["record_incomplete"] else "ok",
                harvest=t.date_span(lot["harvest_dates"]),
            )
            for lot in product["lots"]
        ],
    )

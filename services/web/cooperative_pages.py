"""From the public directory to what the cooperatives' pages show, in the reader's language.

Pure functions of (read model, translator, today): the templates only lay the result out.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Final
from urllib.parse import urlencode

from services.web.present import Fact
from shared.i18n import Translator
from shared.readmodels.public_directory import (
    Certificate,
    Chain,
    Filters,
    Listed,
    Partner,
    Product,
    PublicCooperative,
    PublicList,
)

PAGE_SIZE: Final = 50
PATH: Final = "/htx"


@dataclass(frozen=True)
class ListItem:
    name: str
    url: str
    place: str
    commodities: str


@dataclass(frozen=True)
class ListPage:
    items: list[ListItem]
    total: int
    communes: list[str]
    commodities: list[str]
    commune: str | None
    commodity: str | None
    previous_url: str | None
    next_url: str | None


@dataclass(frozen=True)
class PartnerView:
    name: str
    kind: str
    role: str
    url: str | None  # its own public page, when it agreed to one


@dataclass(frozen=True)
class ChainView:
    name: str
    commodity: str
    roles: str
    partners: list[PartnerView]


@dataclass(frozen=True)
class CertificateView:
    scheme: str
    certificate: str
    stars: int | None
    valid_from: str
    valid_until: str | None
    valid: bool


@dataclass(frozen=True)
class LotView:
    code: str
    status: str
    recalled: bool


@dataclass(frozen=True)
class ProductView:
    product: str
    lots: list[LotView]


@dataclass(frozen=True)
class CooperativePage:
    name: str
    facts: list[Fact]
    chains: list[ChainView]
    certifications: list[CertificateView]
    products: list[ProductView]


def profile_url(base: str, cooperative_id: str, link_query: str = "") -> str:
    return f"{base}{PATH}/{cooperative_id}{link_query}"


def list_page(
    found: PublicList, filters: Filters, page: int, t: Translator, base: str, link_query: str
) -> ListPage:
    start = (page - 1) * PAGE_SIZE
    shown = found.cooperatives[start : start + PAGE_SIZE]
    more = start + PAGE_SIZE < len(found.cooperatives)
    return ListPage(
        items=[_item(c, t, base, link_query) for c in shown],
        total=len(found.cooperatives),
        communes=found.communes,
        commodities=found.commodities,
        commune=filters.commune,
        commodity=filters.commodity,
        previous_url=_list_url(base, filters, page - 1, t) if page > 1 else None,
        next_url=_list_url(base, filters, page + 1, t) if more else None,
    )


def _item(listed: Listed, t: Translator, base: str, link_query: str) -> ListItem:
    return ListItem(
        name=listed.name,
        url=profile_url(base, listed.id, link_query),
        place=_place(listed.commune, listed.former_district, t),
        commodities=", ".join(listed.commodities),
    )


def _list_url(base: str, filters: Filters, page: int, t: Translator) -> str:
    query = {"commune": filters.commune, "commodity": filters.commodity, "lang": t.lang}
    query["page"] = str(page) if page > 1 else None
    return f"{base}{PATH}?{urlencode({k: v for k, v in query.items() if v})}"


def cooperative_page(
    found: PublicCooperative, t: Translator, today: dt.date, base: str, link_query: str
) -> CooperativePage:
    facts = [
        Fact(t("pub_place"), _place(found.commune, found.former_district, t)),
        Fact(t("pub_province"), found.province),
        Fact(t("pub_model"), t.known("pub_model", found.model)),
    ]
    if found.sector:
        facts.append(Fact(t("pub_sector"), found.sector))
    if found.founded:
        facts.append(Fact(t("pub_founded"), t.date(found.founded.isoformat())))
    if found.status != "active":
        facts.append(Fact(t("pub_status"), t.known("pub_status", found.status)))
    return CooperativePage(
        name=found.name,
        facts=facts,
        chains=[_chain(c, t, base, link_query) for c in found.chains],
        certifications=[_certificate(c, t, today) for c in found.certifications],
        products=[_product(p, t) for p in found.products],
    )


def _place(commune: str, former_district: str | None, t: Translator) -> str:
    if not former_district:
        return commune
    return f"{commune} ({t('pub_former_district', district=former_district)})"


def _chain(chain: Chain, t: Translator, base: str, link_query: str) -> ChainView:
    return ChainView(
        name=chain.name,
        commodity=chain.commodity,
        roles=", ".join(t.known("role", r) for r in chain.roles),
        partners=[_partner(p, t, base, link_query) for p in chain.partners],
    )


def _partner(partner: Partner, t: Translator, base: str, link_query: str) -> PartnerView:
    url = profile_url(base, partner.profile_id, link_query) if partner.profile_id else None
    return PartnerView(
        name=partner.name,
        kind=t.known("kind", partner.kind),
        role=t.known("role", partner.role),
        url=url,
    )


def _certificate(found: Certificate, t: Translator, today: dt.date) -> CertificateView:
    until = found.valid_until
    valid = found.valid_from <= today and (until is None or today <= until)
    return CertificateView(
        scheme=found.scheme,
        certificate=found.certificate,
        stars=found.stars,
        valid_from=t.date(found.valid_from.isoformat()),
        valid_until=t.date(until.isoformat()) if until else None,
        valid=valid,
    )


def _product(product: Product, t: Translator) -> ProductView:
    return ProductView(
        product=product.product,
        lots=[
            LotView(
                code=lot.code,
                status=t("status_recalled") if lot.recalled else t.known("status", lot.status),
                recalled=lot.recalled,
            )
            for lot in product.lots
        ],
    )

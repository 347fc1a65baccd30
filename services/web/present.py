"""From a provenance document to what the page shows, in the reader's language.

Pure functions of (document, translator, today): the templates only lay the result out.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, replace

from services.web.sketch import Sketch, sketch
from shared.i18n import Translator
from shared.products import photos
from shared.readmodels.documents import (
    Certification,
    Inspection,
    OrganisationRef,
    OriginPlot,
    ProvenanceDocument,
    TimelineStep,
)
from shared.readmodels.reader import record_incomplete

_TRANSLATED_VALUES = frozenset({"step", "result", "by"})
_DATES = frozenset({"harvested_on", "valid_from", "valid_until"})


@dataclass(frozen=True)
class Fact:
    label: str
    value: str


@dataclass(frozen=True)
class Party:
    name: str
    kind: str
    address: str | None
    role: str | None = None
    page: str | None = None  # the cooperative's public page (/htx/…), when it agreed to one


@dataclass(frozen=True)
class Step:
    kind: str
    title: str
    when: str
    iso: str
    party: Party | None
    facts: list[Fact]
    other_batch: str | None


@dataclass(frozen=True)
class Plot:
    commune: str
    facts: list[Fact]
    sketch: Sketch | None
    coordinates: str | None


@dataclass(frozen=True)
class InspectionView:
    when: str
    iso: str
    lab: str
    passed: bool
    result: str
    parameters: list[Fact]
    document: str | None
    other_batch: str | None


@dataclass(frozen=True)
class CertificationView:
    scheme: str
    holder: str
    certificate: str | None
    valid_from: str | None
    valid_until: str | None
    expired: bool


@dataclass(frozen=True)
class Chain:
    name: str
    commodity: str
    partners: list[Party]


@dataclass(frozen=True)
class RecallView:
    when: str | None
    reason: str | None
    origin_batch: str | None
    by: str | None = None  # who recalled it (an organisation's name, or provincial staff)
    lifted: bool = False  # the recall was lifted: the page says when and why, not a warning
    lifted_when: str | None = None
    lift_reason: str | None = None


@dataclass(frozen=True)
class PlantProtectionView:
    """The farm diary as a buyer reads it: the last spraying before harvest, and whether every
    pre-harvest interval was respected or the cooperative's reason for harvesting earlier."""

    last_spraying: str | None  # "Anvil 5SC (hexaconazole), on 10/09/2026; 14 days"
    sprayed_on_iso: str | None
    plot: str | None
    intervals: str  # respected | overridden | not_respected
    override_reasons: list[str]


@dataclass(frozen=True)
class ProductPhoto:
    """The product's photo: the 800 px JPEG at most, the 200 px one for narrow screens."""

    src: str
    srcset: str
    alt: str


@dataclass(frozen=True)
class BatchPage:
    code: str
    product: str
    photo: ProductPhoto | None
    status: str
    identifiers: list[Fact]
    recall: RecallView | None
    incomplete: bool  # part of the record could not be applied: the state may be stale
    producers: list[Party]
    holder: Party | None
    plots: list[Plot]
    steps: list[Step]
    inspections: list[InspectionView]
    certifications: list[CertificationView]
    plant_protection: PlantProtectionView | None
    chains: list[Chain]
    fingerprint: str
    position: int


def batch_page(
    document: ProvenanceDocument,
    t: Translator,
    today: dt.date,
    profiles: Mapping[str, str] | None = None,
) -> BatchPage:
    """``profiles``: the public page of each producer that agreed to one, by its id."""
    code = document["code"]
    pages = profiles or {}
    return BatchPage(
        code=code,
        product=product_name(document, t.lang),
        photo=_photo(document, t.lang),
        status=_status(document, t),
        identifiers=_identifiers(document, t),
        recall=_recall(document, t),
        incomplete=record_incomplete(document),
        producers=[replace(party(o, t), page=pages.get(o["id"])) for o in document["cooperatives"]],
        holder=party(document["holder"], t) if document["holder"] else None,
        plots=[_plot(p, t) for p in document["origin_plots"]],
        steps=_steps(document["timeline"], code, t),
        inspections=[_inspection(i, code, t) for i in document["inspections"]],
        certifications=[_certification(c, t, today) for c in document["certifications"]],
        plant_protection=_plant_protection(document, t),
        chains=[_chain(c, t) for c in document["value_chains"]],
        fingerprint=document["fingerprint"],
        position=document["last_position"],
    )


def product_name(document: ProvenanceDocument, lang: str) -> str:
    """The owner's name for the product in the page's language, else in the other one, else
    the commodity and variety the batch was recorded with."""
    details = document.get("product_details")
    if not details:
        return document["product"]
    if lang == "en" and details["name_en"]:
        return details["name_en"]
    return details["name_vi"]


def _photo(document: ProvenanceDocument, lang: str) -> ProductPhoto | None:
    details = document.get("product_details")
    if not details or not details["photo"]:
        return None
    large, small = (photos.public_path(details["photo"], w) for w in photos.WIDTHS)
    srcset = f"{small} {photos.WIDTHS[1]}w, {large} {photos.WIDTHS[0]}w"
    return ProductPhoto(src=large, srcset=srcset, alt=product_name(document, lang))


def _product_facts(document: ProvenanceDocument, t: Translator) -> list[Fact]:
    """Brand and shelf life; a batch's own best-before date says more than a shelf life."""
    details = document.get("product_details")
    if not details:
        return []
    facts = []
    if details["brand"]:
        facts.append(Fact(t("products_brand"), details["brand"]))
    if details["shelf_life_days"] and not document.get("best_before"):
        days = t("products_shelf_life_days", days=details["shelf_life_days"])
        facts.append(Fact(t("products_shelf_life"), days))
    return facts


def _status(document: ProvenanceDocument, t: Translator) -> str:
    recalled, incomplete = document["recall"]["recalled"], record_incomplete(document)
    return status_shown(document["status"], recalled=recalled, incomplete=incomplete, t=t)


def status_shown(status: str, *, recalled: bool, incomplete: bool, t: Translator) -> str:
    """A recall overrides whatever the batch was doing: that is what the buyer must know.

    An incomplete record shows no status at all: a recall may be among what is missing, so
    "in circulation" could be false reassurance.
    """
    if recalled:
        return t.known("status", "recalled")
    if incomplete:
        return t("status_unknown")
    return t.known("status", status)


def _identifiers(document: ProvenanceDocument, t: Translator) -> list[Fact]:
    facts = [Fact(t("code"), document["code"])]
    if document["gtin"]:
        facts.append(Fact(t("gtin"), document["gtin"]))
    if document["lot"]:
        facts.append(Fact(t("lot"), document["lot"]))
    best_before = document.get("best_before")
    if best_before:
        facts.append(Fact(t("products_best_before"), t.date(best_before)))
    facts += _product_facts(document, t)
    facts.append(Fact(t("commodity"), document["commodity"]))
    if document["variety"]:
        facts.append(Fact(t("variety"), document["variety"]))
    if document["harvest_dates"]:
        dates = ", ".join(t.date(d) for d in document["harvest_dates"])
        facts.append(Fact(t("harvest_dates"), dates))
    if document["quantity"]:
        facts.append(Fact(t("quantity"), document["quantity"]))
    return facts


def _plant_protection(document: ProvenanceDocument, t: Translator) -> PlantProtectionView | None:
    # Documents composed before the farm diary have none (until their projection rebuilds).
    shown = document.get("plant_protection")
    if shown is None:
        return None
    last = shown["last_spraying"]
    worded = None
    if last is not None:
        worded = t(
            "diary_sprayed_with",
            product=last["product"],
            active_ingredient=last["active_ingredient"],
            on=t.date(last["sprayed_on"]),
            days=last["pre_harvest_days"],
        )
    return PlantProtectionView(
        last_spraying=worded,
        sprayed_on_iso=last["sprayed_on"] if last else None,
        plot=last["plot"] if last else None,
        intervals=shown["intervals"],
        override_reasons=list(shown["override_reasons"]),
    )


def _recall(document: ProvenanceDocument, t: Translator) -> RecallView | None:
    recall = document["recall"]
    lifted_at = recall.get("lifted_at")
    if not recall["recalled"] and not lifted_at:
        return None
    origin = recall["origin_batch_code"]
    by = recall.get("by")
    return RecallView(
        when=t.datetime(recall["at"]) if recall["at"] else None,
        reason=recall["reason"],
        origin_batch=origin if origin and origin != document["code"] else None,
        by=by["name"] if by else (t("recall_by_province") if "by" in recall else None),
        lifted=not recall["recalled"],
        lifted_when=t.datetime(lifted_at) if lifted_at else None,
        lift_reason=recall.get("lift_reason"),
    )


def party(organisation: OrganisationRef, t: Translator) -> Party:
    """An organisation as pages show it: name, kind in the reader's language, address."""
    return Party(
        name=organisation["name"],
        kind=t.known("kind", organisation["kind"]),
        address=organisation["address"],
    )


def _plot(plot: OriginPlot, t: Translator) -> Plot:
    facts = [Fact(t("crop"), plot["crop"]), Fact(t("area"), f"{plot['area_ha']} ha")]
    if plot["planting_area_code"]:
        facts.insert(0, Fact(t("planting_area_code"), plot["planting_area_code"]))
    facts.append(Fact(t("producer"), plot["cooperative"]["name"]))
    drawing = sketch(plot["location"], plot["area_ha"])
    where = f"{drawing.latitude:.6f}, {drawing.longitude:.6f}" if drawing else None
    return Plot(commune=plot["commune"], facts=facts, sketch=drawing, coordinates=where)


def _steps(timeline: list[TimelineStep], code: str, t: Translator) -> list[Step]:
    """Each step; an organisation's address only where it first appears, to keep it short."""
    seen: set[str] = set()
    steps = []
    for step in timeline:
        organisation = step["organisation"]
        who = party(organisation, t) if organisation else None
        if organisation and who:
            if organisation["id"] in seen:
                who = replace(who, address=None)
            seen.add(organisation["id"])
        steps.append(_step(step, who, code, t))
    return steps


def _step(step: TimelineStep, party: Party | None, code: str, t: Translator) -> Step:
    return Step(
        kind=step["kind"],
        title=t.known("step", step["kind"]),
        when=t.datetime(step["at"]),
        iso=step["at"],
        party=party,
        facts=[_fact(key, value, t) for key, value in step["summary"].items()],
        other_batch=step["batch_code"] if step["batch_code"] != code else None,
    )


def _fact(key: str, value: str, t: Translator) -> Fact:
    shown = value
    if key in _TRANSLATED_VALUES:
        shown = t.known("value", value)
    elif key in _DATES:
        shown = t.date(value)
    return Fact(t.known("fact", key), shown)


def _inspection(inspection: Inspection, code: str, t: Translator) -> InspectionView:
    passed = inspection["result"] == "pass"
    return InspectionView(
        when=t.datetime(inspection["at"]),
        iso=inspection["at"],
        lab=inspection["lab"],
        passed=passed,
        result=t.known("value", inspection["result"]),
        parameters=[Fact(k, v) for k, v in inspection["parameters"].items()],
        document=inspection["document"],
        other_batch=inspection["batch_code"] if inspection["batch_code"] != code else None,
    )


def _certification(
    certification: Certification, t: Translator, today: dt.date
) -> CertificationView:
    until = certification["valid_until"]
    lapsed = bool(until and until[:10] < today.isoformat())
    return CertificationView(
        scheme=certification["scheme"],
        holder=certification["holder"],
        certificate=certification["certificate"],
        valid_from=t.date(certification["valid_from"]) if certification["valid_from"] else None,
        valid_until=t.date(until) if until else None,
        expired=lapsed or not certification["valid_now"],
    )


def _chain(chain: Mapping[str, object], t: Translator) -> Chain:
    partners = chain.get("partners")
    return Chain(
        name=_text(chain, "name"),
        commodity=_text(chain, "commodity"),
        partners=[_partner(p, t) for p in partners if isinstance(p, Mapping)]
        if isinstance(partners, list)
        else [],
    )


def _partner(partner: Mapping[str, object], t: Translator) -> Party:
    address = partner.get("address")
    role = partner.get("role")
    return Party(
        name=_text(partner, "name"),
        kind=t.known("kind", _text(partner, "kind")),
        address=address if isinstance(address, str) else None,
        role=t.known("role", role) if isinstance(role, str) and role else None,
    )


def _text(mapping: Mapping[str, object], key: str) -> str:
    value = mapping.get(key)
    return value if isinstance(value, str) else ""

"""The shapes of the read models that pages and APIs serve.

These are plain JSON documents (stored as ``jsonb``), built by the projections and read by the
web service. They hold only what may be shown in public: no member names, no prices, no
volumes a partner has not agreed to publish.
"""

from __future__ import annotations

from typing import NotRequired, TypedDict


class Place(TypedDict):
    commune: str
    former_district: str | None
    province: str


class OrganisationRef(TypedDict):
    id: str
    kind: str  # "cooperative" | "enterprise"
    name: str
    address: str | None  # commune/ward, former district, province for cooperatives


class OriginPlot(TypedDict):
    id: str
    planting_area_code: str | None
    crop: str
    area_ha: str  # decimal as text
    commune: str
    cooperative: OrganisationRef
    location: dict[str, object]  # GeoJSON Point or Polygon, WGS84, 6 decimals


class TimelineStep(TypedDict):
    at: str  # ISO 8601 with offset
    kind: str  # harvested, processed, transformed, shipped, received, inspected, certified,
    #          labelled, recalled, sold, consumed, corrected
    batch_code: str  # the batch the step happened to (an ancestor or the batch itself)
    organisation: OrganisationRef | None
    summary: dict[str, str]  # step-specific public facts: step, facility, result, to, ...


class Certification(TypedDict):
    scheme: str  # VietGAP, GlobalGAP, organic, OCOP
    holder: str  # organisation name or batch code
    certificate: str | None
    valid_from: str | None
    valid_until: str | None
    valid_now: bool


class Inspection(TypedDict):
    at: str
    lab: str
    result: str  # "pass" | "fail"
    parameters: dict[str, str]
    document: str | None
    batch_code: str


class Recall(TypedDict):
    recalled: bool
    at: str | None
    reason: str | None
    origin_batch_code: str | None  # the batch the recall was issued on (self or an ancestor)
    # Added with the recall process; documents composed before lack them (read with .get):
    by: NotRequired[OrganisationRef | None]  # who recalled it; None: provincial staff
    lifted_at: NotRequired[str | None]  # a lifted recall: when, and why (recalled is False)
    lift_reason: NotRequired[str | None]


class SprayingShown(TypedDict):
    product: str
    active_ingredient: str
    sprayed_on: str  # ISO date
    pre_harvest_days: int
    plot: str  # the plot's planting-area code, or its commune when it has none


class PlantProtection(TypedDict):
    """What the farm diary tells a buyer (VietGAP): the last spraying before harvest and
    whether every pre-harvest interval had ended by the harvest, or why not. No household."""

    last_spraying: SprayingShown | None  # None: no spraying recorded before the harvests
    # respected: every harvest came on or after every interval's end; overridden: some came
    # earlier with the cooperative's reason; not_respected: a spraying recorded after the
    # harvest shows an interval that had not ended, and no reason was given then.
    intervals: str  # "respected" | "overridden" | "not_respected"
    override_reasons: list[str]


class ProductDetails(TypedDict):
    """What the GTIN's owner says of its product (shared.domain.gtins.GtinProduct)."""

    name_vi: str
    name_en: str | None
    brand: str | None
    shelf_life_days: int | None
    photo: str | None  # SHA-256 of a stored photo: /app/products/photos/{photo}-{800|200}.jpg


class ProvenanceDocument(TypedDict):
    """One per batch: everything its public page shows, ready to serve."""

    batch_id: str
    code: str  # TH-2026-000123
    gtin: str | None  # GTIN-14
    lot: str | None
    # GS1 AI 15, ISO date, once labelled with one; absent from documents built before it.
    best_before: NotRequired[str | None]
    # Labelled with a GTIN whose owner described its product (projection version 8).
    product_details: NotRequired[ProductDetails | None]
    product: str  # commodity and variety, e.g. "Gạo (rice) — Nếp cái hoa vàng"
    commodity: str
    variety: str | None
    quantity: str | None  # only when the holder publishes it, e.g. "25 kg"
    status: str  # active, in_transit, consumed, sold, recalled
    holder: OrganisationRef | None
    harvest_dates: list[str]  # ISO dates of every harvest that fed this batch
    origin_plots: list[OriginPlot]
    cooperatives: list[OrganisationRef]
    value_chains: list[
        dict[str, object]
    ]  # {"id","name","commodity","partners":[OrganisationRef+role]}
    timeline: list[TimelineStep]  # oldest first, the whole journey back to the harvests
    inspections: list[Inspection]
    certifications: list[Certification]
    plant_protection: PlantProtection
    recall: Recall
    fingerprint: str  # sha256 over the batch's and its ancestors' envelopes, anyone can recheck
    last_position: int  # the event-store position this document reflects
    # An event of this batch, an ancestor or a party it names could not be applied (it waits in
    # the projection's quarantine): what the page shows may be stale, a recall may be missing.
    record_incomplete: bool

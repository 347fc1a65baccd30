"""The words a demo is described in: organisations, plots, chains, and steps of batches' lives.

A description names things by keys of its own (``"thieu-trung"``, ``"paddy-tt"``); the
builders (:mod:`.builders`) turn each into the command a client would send, with the ids and
batch codes that earlier steps produced. Times of the shown journey are offsets from the
demo's first harvest morning (:class:`After`), so it seeds the same world whatever day it is
seeded on; the two-year history (:mod:`.two_years`) is dated by its business days (:class:`On`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from shared.domain.quantities import Quantity

Key = str
"""A description's own name for an organisation, plot, chain or batch."""


def kg(amount: str) -> Quantity:
    return Quantity.positive(amount, "kg")


# The registry: who takes part, and where they farm. ------------------------------------------


@dataclass(frozen=True, kw_only=True)
class Cooperative:
    key: Key
    name: str
    registration_number: str
    commune: str
    former_district: str
    sector: str
    founded: date
    members_count: int
    model: str


@dataclass(frozen=True, kw_only=True)
class Enterprise:
    key: Key
    name: str
    tax_code: str
    address: str
    commune: str
    former_district: str


@dataclass(frozen=True, kw_only=True)
class Support:
    cooperative: Key
    kind: str
    on: date
    programme: str
    amount_vnd: Decimal | None = None


@dataclass(frozen=True, kw_only=True)
class Certification:
    organisation: Key
    scheme: str
    certificate: str
    valid_from: date
    valid_until: date
    stars: int | None = None
    """OCOP only: 3, 4 or 5 stars."""


@dataclass(frozen=True, kw_only=True)
class ExpireCertificate:
    """Staff withdraw a certificate before its end (an inspection found it no longer holds)."""

    organisation: Key
    certificate: str
    on: date
    reason: str


@dataclass(frozen=True, kw_only=True)
class StatusChange:
    cooperative: Key
    status: str
    reason: str


@dataclass(frozen=True, kw_only=True)
class Reclassify:
    """An old-model cooperative reorganised as a new-model one."""

    cooperative: Key
    reason: str


@dataclass(frozen=True, kw_only=True)
class Chain:
    key: Key
    name: str
    commodity: str
    lead: Key


@dataclass(frozen=True, kw_only=True)
class Member:
    chain: Key
    organisation: Key
    role: str
    on: date | None = None
    """The day it joined; None: the day it was recorded (the shown demo's first members)."""


@dataclass(frozen=True, kw_only=True)
class Leave:
    chain: Key
    organisation: Key
    reason: str
    on: date


@dataclass(frozen=True, kw_only=True)
class Contract:
    chain: Key
    number: str
    parties: tuple[Key, ...]
    commodity: str
    volume: Quantity
    starts_on: date
    ends_on: date


@dataclass(frozen=True, kw_only=True)
class EndContract:
    """A contract ended before its period was over."""

    chain: Key
    number: str
    on: date
    reason: str


@dataclass(frozen=True, kw_only=True)
class Household:
    """A member household of a cooperative: registered (its reference sealed) before any plot
    names it, as a client must (a plot never carries a plain household reference)."""

    key: Key
    cooperative: Key
    reference: str  # personal: only ever stored sealed


@dataclass(frozen=True, kw_only=True)
class Plot:
    key: Key
    cooperative: Key
    crop: str
    area_ha: Decimal
    commune: str
    location: dict[str, Any]
    household: Key | None = None
    """The registered member household farming it (a :class:`Household` of an earlier step)."""
    planting_area_code: str | None = None


@dataclass(frozen=True, kw_only=True)
class PlotCertification:
    plot: Key
    scheme: str
    certificate: str
    valid_from: date
    valid_until: date


@dataclass(frozen=True, kw_only=True)
class DiaryEntry:
    """A farm diary entry on a plot (``shared.domain.diary``), dated like a batch's step."""

    plot: Key
    activity: str
    at: When
    variety: str | None = None
    seed_lot: str | None = None
    product: str | None = None
    amount: Quantity | None = None
    active_ingredient: str | None = None
    dose: str | None = None
    pre_harvest_days: int | None = None
    note: str | None = None


# What happens to batches. -----------------------------------------------------------------


@dataclass(frozen=True)
class After:
    """A moment, as days and hours after the demo's first harvest morning."""

    days: int = 0
    hours: int = 0


@dataclass(frozen=True)
class On:
    """A moment on a business day of its own: ``hours`` o'clock in Vietnam on ``day``."""

    day: date
    hours: int = 9


When = After | On


@dataclass(frozen=True, kw_only=True)
class Harvest:
    batch: Key
    plots: tuple[Key, ...]
    commodity: str
    quantity: Quantity
    variety: str
    chain: Key
    at: When
    ref: str | None = None
    """Lets later acts of the same step name the batch before it has a code (``$ref``)."""


@dataclass(frozen=True, kw_only=True)
class Process:
    batch: Key
    step: str
    facility: str
    quantity_after: Quantity
    at: When


@dataclass(frozen=True, kw_only=True)
class Ship:
    batch: Key
    to: Key
    transport_document: str
    at: When


@dataclass(frozen=True, kw_only=True)
class Receive:
    batch: Key
    quantity: Quantity
    at: When


@dataclass(frozen=True, kw_only=True)
class Output:
    batch: Key
    commodity: str
    quantity: Quantity
    variety: str
    ref: str | None = None


@dataclass(frozen=True, kw_only=True)
class Transform:
    step: str
    inputs: tuple[tuple[Key, Quantity], ...]
    outputs: tuple[Output, ...]
    at: When


@dataclass(frozen=True, kw_only=True)
class Inspect:
    batch: Key
    lab: str
    result: str
    parameters: dict[str, str]
    document: str
    at: When


@dataclass(frozen=True, kw_only=True)
class Recall:
    batch: Key
    reason: str
    at: When


@dataclass(frozen=True, kw_only=True)
class Gtin:
    """An organisation registers a GTIN it owns: only its owner (or a licensee) labels with it."""

    organisation: Key
    gtin: str


@dataclass(frozen=True, kw_only=True)
class Product:
    """The GTIN's owner describes its product; ``photo``: with the demo's drawn picture."""

    gtin: str
    name_vi: str
    name_en: str | None = None
    brand: str | None = None
    shelf_life_days: int | None = None
    photo: bool = False


@dataclass(frozen=True, kw_only=True)
class Label:
    batch: Key
    gtin: str
    lot: str
    """A pattern: ``{harvest:%y%m%d}`` is the demo's first harvest day (no braces: as it is)."""
    labels_issued: int
    at: When


Act = (
    Cooperative
    | Enterprise
    | Support
    | Certification
    | ExpireCertificate
    | StatusChange
    | Reclassify
    | Chain
    | Member
    | Leave
    | Contract
    | EndContract
    | Household
    | Plot
    | PlotCertification
    | DiaryEntry
    | Harvest
    | Process
    | Ship
    | Receive
    | Transform
    | Inspect
    | Gtin
    | Product
    | Label
    | Recall
)


@dataclass(frozen=True)
class Step:
    """One request, all or nothing, by one actor; its name is its Idempotency-Key."""

    name: str
    by: Key | None
    """The organisation acting (its token's role follows its kind); None: provincial staff."""
    acts: tuple[Act, ...]


@dataclass(frozen=True, kw_only=True)
class Demo:
    steps: tuple[Step, ...]
    first_harvest_days_ago: int
    """How long before the first seeding the first harvest was: its pages show a journey."""
    shown: Key
    """The batch whose page, label sheet and QR code the demo prints."""
    cooperative_shown: Key
    """The cooperative the demo prints an API token for."""
    province: str

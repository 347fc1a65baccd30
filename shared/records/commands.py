"""Commands: what a client asks the records to do, already parsed into domain values.

A batch is referred to by its code (``TH-2026-000123``), its id, or, inside one bulk request,
``$<ref>`` naming an earlier command's ``ref`` (an offline phone does not know codes yet).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any
from uuid import UUID

from shared.domain.quantities import Quantity
from shared.domain.transformation import Conversion


@dataclass(frozen=True, kw_only=True)
class RegisterCooperative:
    name: str
    registration_number: str
    commune: str
    former_district: str | None
    province: str
    sector: str
    founded: date
    members_count: int
    model: str


@dataclass(frozen=True, kw_only=True)
class RegisterEnterprise:
    name: str
    tax_code: str
    address: str
    commune: str
    former_district: str | None
    province: str


@dataclass(frozen=True, kw_only=True)
class ReclassifyCooperative:
    cooperative_id: UUID
    reason: str


@dataclass(frozen=True, kw_only=True)
class ChangeCooperativeStatus:
    cooperative_id: UUID
    status: str
    reason: str


@dataclass(frozen=True, kw_only=True)
class ChangeEnterpriseStatus:
    enterprise_id: UUID
    status: str
    reason: str


@dataclass(frozen=True, kw_only=True)
class ChangePublication:
    """Whether buyers may see the quantities of the organisation's bulk lots."""

    organisation_id: UUID
    publish_quantities: bool


@dataclass(frozen=True, kw_only=True)
class ChangeProfileVisibility:
    """Whether the public pages (``/htx``) show the cooperative: its consent to be shown."""

    cooperative_id: UUID
    show_profile: bool


@dataclass(frozen=True, kw_only=True)
class RecordSupport:
    cooperative_id: UUID
    kind: str
    on: date
    programme: str
    amount_vnd: Decimal | None = None


@dataclass(frozen=True, kw_only=True)
class GrantCertification:
    organisation_id: UUID
    scheme: str
    certificate: str
    valid_from: date
    valid_until: date | None
    stars: int | None = None


@dataclass(frozen=True, kw_only=True)
class ExpireCertification:
    organisation_id: UUID
    certificate: str
    on: date
    reason: str


@dataclass(frozen=True, kw_only=True)
class EstablishValueChain:
    name: str
    commodity: str
    lead_organisation_id: UUID


@dataclass(frozen=True, kw_only=True)
class JoinValueChain:
    value_chain_id: UUID
    organisation_id: UUID
    role: str
    joined_on: date | None = None  # None: today in Vietnam


@dataclass(frozen=True, kw_only=True)
class LeaveValueChain:
    value_chain_id: UUID
    organisation_id: UUID
    reason: str
    left_on: date | None = None  # None: today in Vietnam


@dataclass(frozen=True, kw_only=True)
class SignLinkageContract:
    value_chain_id: UUID
    contract_number: str
    parties: list[UUID]
    commodity: str
    committed_volume: Quantity
    starts_on: date
    ends_on: date


@dataclass(frozen=True, kw_only=True)
class EndLinkageContract:
    value_chain_id: UUID
    contract_number: str
    on: date
    reason: str


@dataclass(frozen=True, kw_only=True)
class RegisterPlot:
    cooperative_id: UUID
    crop: str
    area_ha: Decimal
    commune: str
    location: dict[str, Any]
    # Only a check beside household_id, never stored (shared.domain.plot.check_household_ref).
    household_ref: str | None = None
    planting_area_code: str | None = None
    household_id: UUID | None = None  # the member household farming it (its own cooperative's)


@dataclass(frozen=True, kw_only=True)
class RegisterHousehold:
    """A member household joins the cooperative's private registry. All three values are
    personal: the handler seals them with the household's own key before any event holds them."""

    cooperative_id: UUID
    reference: str  # the cooperative's own, e.g. "HO-12"
    head_name: str | None = None
    phone: str | None = None


@dataclass(frozen=True, kw_only=True)
class AssignHouseholdPlot:
    """The household farms this plot of its cooperative (it may then harvest from it)."""

    household_id: UUID
    plot_id: UUID


@dataclass(frozen=True, kw_only=True)
class ForgetHousehold:
    """Forgets the household at its request (Decree 13/2023/NĐ-CP): its key is deleted."""

    household_id: UUID
    cooperative_id: UUID | None = None  # when given (a page's or URL's), it must be its own


@dataclass(frozen=True, kw_only=True)
class CertifyPlot:
    plot_id: UUID
    scheme: str
    certificate: str
    valid_from: date
    valid_until: date | None


@dataclass(frozen=True, kw_only=True)
class HarvestBatch:
    plot_ids: list[UUID]
    commodity: str
    quantity: Quantity
    harvested_on: date
    variety: str | None = None
    value_chain_id: UUID | None = None
    at: datetime | None = None
    ref: str | None = None
    # Why the harvest comes before a spraying's pre-harvest interval has passed (VietGAP):
    # without a reason such a harvest is refused; with one, the buyer's page shows it.
    interval_override: str | None = None


@dataclass(frozen=True, kw_only=True)
class RecordDiaryEntry:
    """A farm diary entry on a plot (``shared.domain.diary``); which fields apply depends on
    the activity (variety and seed lot for sowing; product and amount for fertilising;
    product, active ingredient, dose and pre-harvest interval for spraying).

    Dated by ``on`` alone, the day it was done (checked: not in the future, at most five years
    ago). It has no ``at`` as the batch commands do: a diary keeps days, not moments, and an
    ``at`` beside ``on`` could only disagree with it (it was once accepted and ignored)."""

    plot_id: UUID
    activity: str  # shared.domain.diary.Activity
    on: date
    household_id: UUID | None = None  # which member household did it: private, never public
    variety: str | None = None
    seed_lot: str | None = None
    product: str | None = None
    amount: Quantity | None = None
    active_ingredient: str | None = None
    dose: str | None = None  # as the product's label gives it, e.g. "20 ml / bình 16 l"
    pre_harvest_days: int | None = None
    note: str | None = None


@dataclass(frozen=True, kw_only=True)
class ProcessBatch:
    batch: str
    step: str
    facility: str
    quantity_after: Quantity
    commodity_after: str | None = None
    at: datetime | None = None


@dataclass(frozen=True, kw_only=True)
class TransformInput:
    batch: str
    quantity: Quantity


@dataclass(frozen=True, kw_only=True)
class TransformOutput:
    commodity: str
    quantity: Quantity
    variety: str | None = None
    ref: str | None = None


@dataclass(frozen=True, kw_only=True)
class TransformBatches:
    step: str
    inputs: list[TransformInput]
    outputs: list[TransformOutput]
    conversion: Conversion | None = None
    at: datetime | None = None


@dataclass(frozen=True, kw_only=True)
class ShipBatch:
    batch: str
    to: UUID
    transport_document: str | None = None
    quantity: Quantity | None = None
    at: datetime | None = None


@dataclass(frozen=True, kw_only=True)
class ReceiveBatch:
    batch: str
    quantity: Quantity
    at: datetime | None = None


@dataclass(frozen=True, kw_only=True)
class InspectBatch:
    batch: str
    lab: str
    result: str
    parameters: dict[str, str] = field(default_factory=dict)
    document: str | None = None
    at: datetime | None = None


@dataclass(frozen=True, kw_only=True)
class CertifyBatch:
    batch: str
    scheme: str
    certificate: str
    valid_from: date
    valid_until: date | None = None
    at: datetime | None = None


@dataclass(frozen=True, kw_only=True)
class LabelBatch:
    batch: str
    gtin: str
    lot: str
    labels_issued: int
    at: datetime | None = None
    best_before: date | None = None  # GS1 AI 15, printed on the label and in its Digital Link


@dataclass(frozen=True, kw_only=True)
class RegisterGtin:
    """An organisation registers a GTIN it owns, or its GS1 company prefix (one of the two)."""

    organisation_id: UUID
    gtin: str | None = None
    company_prefix: str | None = None


@dataclass(frozen=True, kw_only=True)
class RegisterGln:
    """An organisation registers a GLN it was issued: for itself (no plot) or for one plot."""

    organisation_id: UUID
    gln: str
    plot_id: UUID | None = None


@dataclass(frozen=True, kw_only=True)
class LicenseGtin:
    """The GTIN's owner lets a partner in one of its chains label with it."""

    gtin: str
    licensee_id: UUID
    value_chain_id: UUID


@dataclass(frozen=True, kw_only=True)
class RevokeGtinLicence:
    gtin: str
    licensee_id: UUID
    reason: str


@dataclass(frozen=True, kw_only=True)
class DescribeProduct:
    """The GTIN's owner says what its product is, for the buyer's page and the labels."""

    gtin: str
    name_vi: str
    name_en: str | None = None
    brand: str | None = None
    shelf_life_days: int | None = None  # from packing; the batch's best-before date wins
    photo: str | None = None  # the SHA-256 of a photo stored by shared/products/photos


@dataclass(frozen=True, kw_only=True)
class RecallBatch:
    """Opens a recall of the batch and its descendants; ``drill``: a mock recall (no batch
    changes, never public), to time how fast the chain is traced."""

    batch: str
    reason: str
    drill: bool = False
    at: datetime | None = None


@dataclass(frozen=True, kw_only=True)
class OpenRecallNotice:
    """A holder's staff opened the recall's notice in their inbox (kept the first time)."""

    recall_id: UUID
    at: datetime | None = None


@dataclass(frozen=True, kw_only=True)
class AcknowledgeRecall:
    recall_id: UUID
    at: datetime | None = None


@dataclass(frozen=True, kw_only=True)
class ReportRecallReturns:
    """What a holder withdrew from the market and destroyed of one lot the recall reaches."""

    recall_id: UUID
    batch: str
    withdrawn: Quantity | None = None
    destroyed: Quantity | None = None
    at: datetime | None = None


@dataclass(frozen=True, kw_only=True)
class LiftRecall:
    recall_id: UUID
    reason: str
    at: datetime | None = None


@dataclass(frozen=True, kw_only=True)
class SellBatch:
    batch: str
    consumed: bool = False
    at: datetime | None = None


@dataclass(frozen=True, kw_only=True)
class CorrectBatch:
    batch: str
    amends_version: int
    reason: str
    changes: dict[str, str] = field(default_factory=dict)
    quantity: Quantity | None = None
    at: datetime | None = None


@dataclass(frozen=True, kw_only=True)
class RecordEpcisCapture:
    """Capture's own record of one partner EPCIS event (``shared.epcis.capture``): its hash,
    and the partner's lot classes it names, each bound to a batch reference (a code, an id or
    ``$ref``). Internal: it is not part of the public bulk API."""

    event_id: str
    lots: dict[str, str] = field(default_factory=dict)


# What clients may send (each is in the bulk API's schemas).
PublicCommand = (
    RegisterCooperative
    | RegisterEnterprise
    | ReclassifyCooperative
    | ChangeCooperativeStatus
    | ChangeEnterpriseStatus
    | ChangePublication
    | ChangeProfileVisibility
    | RecordSupport
    | GrantCertification
    | ExpireCertification
    | EstablishValueChain
    | JoinValueChain
    | LeaveValueChain
    | SignLinkageContract
    | EndLinkageContract
    | RegisterPlot
    | CertifyPlot
    | RegisterHousehold
    | AssignHouseholdPlot
    | ForgetHousehold
    | HarvestBatch
    | RecordDiaryEntry
    | ProcessBatch
    | TransformBatches
    | ShipBatch
    | ReceiveBatch
    | InspectBatch
    | CertifyBatch
    | LabelBatch
    | RegisterGtin
    | RegisterGln
    | LicenseGtin
    | RevokeGtinLicence
    | DescribeProduct
    | RecallBatch
    | OpenRecallNotice
    | AcknowledgeRecall
    | ReportRecallReturns
    | LiftRecall
    | SellBatch
    | CorrectBatch
)

# Everything the records execute: also what capture records of the partner events it executes.
Command = PublicCommand | RecordEpcisCapture

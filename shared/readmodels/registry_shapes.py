"""What the registry answers: lines of its lists, and the pages of one organisation, chain or
plot. Values are JSON-ready (ids, dates and decimals as text), so the API answers them as they
are and the pages format them in the reader's language.
"""

from __future__ import annotations

from typing import Any

# pydantic (the API's response models) needs typing_extensions' TypedDict before Python 3.12.
from typing_extensions import TypedDict

from shared.readmodels.catalogue import BatchSummary


class OrganisationLine(TypedDict):
    id: str
    kind: str  # cooperative | enterprise
    name: str
    registration_number: str | None  # cooperatives
    tax_code: str | None  # enterprises
    address: str | None  # enterprises
    commune: str
    former_district: str | None
    province: str
    sector: str | None
    founded: str | None
    members_count: int | None
    model: str | None  # new | old (cooperatives)
    status: str
    publish_quantities: bool  # buyers may see its lots' quantities
    show_profile: bool  # it agreed to be shown on the public pages (cooperatives)


class ChainLine(TypedDict):
    id: str
    name: str
    commodity: str
    lead_organisation_id: str
    lead_name: str | None
    participants: int


class PlotLine(TypedDict):
    id: str
    cooperative_id: str
    cooperative_name: str | None
    crop: str
    area_ha: str
    commune: str
    planting_area_code: str | None
    certified: bool  # holds a certificate valid today


class Membership(TypedDict):
    """An organisation's part in one chain."""

    value_chain_id: str
    name: str
    commodity: str
    roles: list[str]
    since: str  # the first day of its current part in the chain


class Participant(TypedDict):
    organisation_id: str
    name: str | None
    kind: str | None
    role: str
    joined_on: str
    left_on: str | None  # None while it takes part
    left_reason: str | None


class Contract(TypedDict):
    value_chain_id: str
    contract_number: str
    parties: list[str]
    commodity: str
    committed_amount: str
    committed_unit: str
    starts_on: str
    ends_on: str
    ended_on: str | None


class Support(TypedDict):
    position: int
    kind: str  # fund_loan | training | grant
    received_on: str
    programme: str
    amount_vnd: str | None


class Certification(TypedDict):
    certificate: str
    scheme: str
    valid_from: str
    valid_until: str | None
    stars: int | None
    expired_on: str | None


class HistoryLine(TypedDict):
    """One recorded event: what, when it was recorded, and by whom (an opaque actor id)."""

    position: int
    type: str  # e.g. Cooperative.StatusChanged
    aggregate_id: str
    occurred_at: str | None
    actor_id: str | None
    payload: dict[str, Any]


class GlnLine(TypedDict):
    gln: str
    owner_id: str
    plot_id: str | None  # None: the GLN names the organisation (its party GLN)


class GlnPage(TypedDict):
    items: list[GlnLine]
    total: int
    page: int
    limit: int


class OrganisationPage(TypedDict):
    items: list[OrganisationLine]
    total: int
    page: int
    limit: int


class ChainPage(TypedDict):
    items: list[ChainLine]
    total: int
    page: int
    limit: int


class PlotPage(TypedDict):
    items: list[PlotLine]
    total: int
    page: int
    limit: int


class OrganisationDetail(TypedDict):
    facts: OrganisationLine
    chains: list[Membership]
    contracts: list[Contract]
    support: list[Support]
    certifications: list[Certification]
    plots: list[PlotLine]
    batches: list[BatchSummary]
    history: list[HistoryLine]


class ChainDetail(TypedDict):
    facts: ChainLine
    participants: list[Participant]
    contracts: list[Contract]
    history: list[HistoryLine]


class PlotCertification(TypedDict):
    scheme: str
    certificate: str
    valid_from: str
    valid_until: str | None


class PlotDetail(TypedDict):
    facts: PlotLine
    certifications: list[PlotCertification]
    batches: list[BatchSummary]
    history: list[HistoryLine]  # without the member household's reference


class Choices(TypedDict):
    """What the lists' filters and the forms' pick lists offer: values seen in the registry."""

    communes: list[str]
    former_districts: list[str]
    sectors: list[str]
    commodities: list[str]
    crops: list[str]
    organisations: list[tuple[str, str, str]]  # (id, name, kind)
    chains: list[tuple[str, str]]  # (id, name)

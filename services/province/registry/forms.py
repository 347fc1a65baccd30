"""Every registry form: its address, its fields, the command it builds, where it goes after.

Each builds the SAME command the API builds (``shared.records.commands``), so a form stores
what the API would and is refused with the same codes. Field names are the command's own, so a
refusal naming a command field lands next to the form field of that name.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any
from uuid import UUID

from services.province.registry.fields import Field, Kind, Subject
from shared.domain.organisations import (
    CertificationScheme,
    CooperativeModel,
    CooperativeStatus,
    EnterpriseStatus,
    SupportKind,
)
from shared.domain.quantities import Quantity, Unit
from shared.domain.value_chain import Role
from shared.readmodels.registry_shapes import Choices
from shared.records import commands as c
from shared.records.application import Outcome
from shared.records.results import CooperativeResult, EnterpriseResult, ValueChainResult

DEFAULT_PROVINCE = "Thanh Hóa"  # the platform serves one province; the API defaults alike
Values = Mapping[str, Any]


@dataclass(frozen=True)
class Form:
    key: str  # reg_form_<key> is its title
    path: str  # under /province; ``{subject}`` is the record it is about
    subject: str | None  # cooperative | enterprise | organisation | chain: what it loads
    fields: tuple[Field, ...]
    build: Callable[[Values, str | None], c.Command]
    after: Callable[[Outcome, str | None], str]  # where to go once stored

    @property
    def title(self) -> str:
        return f"reg_form_{self.key}"


def _enum(kind: type[Any]) -> Callable[[Choices, Subject], Sequence[tuple[str, str]]]:
    return lambda _choices, _subject: [(m.value, m.value) for m in kind]


def _organisations(choices: Choices, _subject: Subject) -> Sequence[tuple[str, str]]:
    return [(i, name) for i, name, _kind in choices["organisations"]]


def _participants(choices: Choices, subject: Subject) -> Sequence[tuple[str, str]]:
    current = {
        p["organisation_id"]: p["name"] or p["organisation_id"]
        for p in subject.page.get("participants", [])
        if p["left_on"] is None and p["role"] != "lead"
    }
    return sorted(current.items(), key=lambda item: item[1])


def _parties(choices: Choices, subject: Subject) -> Sequence[tuple[str, str]]:
    current = {
        p["organisation_id"]: p["name"] or p["organisation_id"]
        for p in subject.page.get("participants", [])
        if p["left_on"] is None
    }
    return sorted(current.items(), key=lambda item: item[1])


def _certificates(_choices: Choices, subject: Subject) -> Sequence[tuple[str, str]]:
    return [
        (k["certificate"], f"{k['scheme']} · {k['certificate']}")
        for k in subject.page.get("certifications", [])
        if k["expired_on"] is None
    ]


def _contracts_in_force(_choices: Choices, subject: Subject) -> Sequence[tuple[str, str]]:
    return [
        (k["contract_number"], k["contract_number"])
        for k in subject.page.get("contracts", [])
        if k["ended_on"] is None
    ]


def _roles(_choices: Choices, _subject: Subject) -> Sequence[tuple[str, str]]:
    return [(r.value, r.value) for r in Role if r is not Role.LEAD]  # a chain has one lead


def _units(_choices: Choices, _subject: Subject) -> Sequence[tuple[str, str]]:
    return [(u.value, u.value) for u in Unit]


def _id(subject: str | None) -> UUID:
    assert subject is not None  # the route gives every form with a subject its id
    return UUID(subject)


def _to(path: str) -> Callable[[Outcome, str | None], str]:
    return lambda _outcome, subject: "/province" + path.format(subject=subject)


REASON = Field("reason", "reg_field_reason", Kind.LONG_TEXT)
COMMUNE = Field("commune", "reg_field_commune", suggest="communes")
DISTRICT = Field(
    "former_district", "reg_field_former_district", required=False, suggest="former_districts"
)

REGISTER_COOPERATIVE = Form(
    key="register_cooperative",
    path="/cooperatives/new",
    subject=None,
    fields=(
        Field("name", "reg_field_name"),
        Field("registration_number", "reg_field_registration_number"),
        COMMUNE,
        DISTRICT,
        Field("sector", "reg_field_sector", suggest="sectors"),
        Field("founded", "reg_field_founded", Kind.DAY),
        Field("members_count", "reg_field_members_count", Kind.WHOLE, hint="reg_hint_members"),
        Field(
            "model",
            "reg_field_model",
            Kind.CHOICE,
            options=_enum(CooperativeModel),
            translate="reg_model",
        ),
    ),
    build=lambda v, _s: c.RegisterCooperative(
        name=v["name"],
        registration_number=v["registration_number"],
        commune=v["commune"],
        former_district=v["former_district"],
        province=DEFAULT_PROVINCE,
        sector=v["sector"],
        founded=v["founded"],
        members_count=v["members_count"],
        model=v["model"],
    ),
    after=lambda o, _s: f"/province/cooperatives/{o.result(CooperativeResult).cooperative_id}",
)

REGISTER_ENTERPRISE = Form(
    key="register_enterprise",
    path="/enterprises/new",
    subject=None,
    fields=(
        Field("name", "reg_field_name"),
        Field("tax_code", "reg_field_tax_code", hint="reg_hint_tax_code"),
        Field("address", "reg_field_address"),
        COMMUNE,
        DISTRICT,
    ),
    build=lambda v, _s: c.RegisterEnterprise(
        name=v["name"],
        tax_code=v["tax_code"],
        address=v["address"],
        commune=v["commune"],
        former_district=v["former_district"],
        province=DEFAULT_PROVINCE,
    ),
    after=lambda o, _s: f"/province/enterprises/{o.result(EnterpriseResult).enterprise_id}",
)

COOPERATIVE_STATUS = Form(
    key="cooperative_status",
    path="/cooperatives/{subject}/status",
    subject="cooperative",
    fields=(
        Field(
            "status",
            "reg_field_status",
            Kind.CHOICE,
            options=_enum(CooperativeStatus),
            translate="reg_status",
        ),
        REASON,
    ),
    build=lambda v, s: c.ChangeCooperativeStatus(
        cooperative_id=_id(s), status=v["status"], reason=v["reason"]
    ),
    after=_to("/cooperatives/{subject}"),
)

ENTERPRISE_STATUS = Form(
    key="enterprise_status",
    path="/enterprises/{subject}/status",
    subject="enterprise",
    fields=(
        Field(
            "status",
            "reg_field_status",
            Kind.CHOICE,
            options=_enum(EnterpriseStatus),
            translate="reg_status",
        ),
        REASON,
    ),
    build=lambda v, s: c.ChangeEnterpriseStatus(
        enterprise_id=_id(s), status=v["status"], reason=v["reason"]
    ),
    after=_to("/enterprises/{subject}"),
)

RECLASSIFY = Form(
    key="reclassify",
    path="/cooperatives/{subject}/reclassify",
    subject="cooperative",
    fields=(REASON,),
    build=lambda v, s: c.ReclassifyCooperative(cooperative_id=_id(s), reason=v["reason"]),
    after=_to("/cooperatives/{subject}"),
)

SUPPORT = Form(
    key="support",
    path="/cooperatives/{subject}/support",
    subject="cooperative",
    fields=(
        Field(
            "kind",
            "reg_field_support_kind",
            Kind.CHOICE,
            options=_enum(SupportKind),
            translate="reg_support",
        ),
        Field("on", "reg_field_on", Kind.DAY),
        Field("programme", "reg_field_programme"),
        Field(
            "amount_vnd",
            "reg_field_amount_vnd",
            Kind.DECIMAL,
            required=False,
            hint="reg_hint_amount",
        ),
    ),
    build=lambda v, s: c.RecordSupport(
        cooperative_id=_id(s),
        kind=v["kind"],
        on=v["on"],
        programme=v["programme"],
        amount_vnd=v["amount_vnd"],
    ),
    after=_to("/cooperatives/{subject}"),
)


def _grant(section: str, subject: str) -> Form:
    return Form(
        key="grant_certification",
        path=f"/{section}/{{subject}}/certifications/new",
        subject=subject,
        fields=(
            Field("scheme", "reg_field_scheme", Kind.CHOICE, options=_enum(CertificationScheme)),
            Field("certificate", "reg_field_certificate"),
            Field("valid_from", "reg_field_valid_from", Kind.DAY),
            Field("valid_until", "reg_field_valid_until", Kind.DAY, required=False),
            Field("stars", "reg_field_stars", Kind.WHOLE, required=False, hint="reg_hint_stars"),
        ),
        build=lambda v, s: c.GrantCertification(
            organisation_id=_id(s),
            scheme=v["scheme"],
            certificate=v["certificate"],
            valid_from=v["valid_from"],
            valid_until=v["valid_until"],
            stars=v["stars"],
        ),
        after=_to(f"/{section}/{{subject}}"),
    )


def _expire(section: str, subject: str) -> Form:
    return Form(
        key="expire_certification",
        path=f"/{section}/{{subject}}/certifications/expire",
        subject=subject,
        fields=(
            Field("certificate", "reg_field_certificate", Kind.CHOICE, options=_certificates),
            Field("on", "reg_field_expired_on", Kind.DAY),
            REASON,
        ),
        build=lambda v, s: c.ExpireCertification(
            organisation_id=_id(s), certificate=v["certificate"], on=v["on"], reason=v["reason"]
        ),
        after=_to(f"/{section}/{{subject}}"),
    )


ESTABLISH_CHAIN = Form(
    key="establish_chain",
    path="/value-chains/new",
    subject=None,
    fields=(
        Field("name", "reg_field_chain_name"),
        Field("commodity", "reg_field_commodity", suggest="commodities"),
        Field("lead_organisation_id", "reg_field_lead", Kind.CHOICE, options=_organisations),
    ),
    build=lambda v, _s: c.EstablishValueChain(
        name=v["name"],
        commodity=v["commodity"],
        lead_organisation_id=UUID(v["lead_organisation_id"]),
    ),
    after=lambda o, _s: f"/province/value-chains/{o.result(ValueChainResult).value_chain_id}",
)

JOIN = Form(
    key="join_chain",
    path="/value-chains/{subject}/participants/new",
    subject="chain",
    fields=(
        Field("organisation_id", "reg_field_organisation", Kind.CHOICE, options=_organisations),
        Field("role", "reg_field_role", Kind.CHOICE, options=_roles, translate="role"),
        Field("joined_on", "reg_field_joined_on", Kind.DAY, required=False, hint="reg_hint_today"),
    ),
    build=lambda v, s: c.JoinValueChain(
        value_chain_id=_id(s),
        organisation_id=UUID(v["organisation_id"]),
        role=v["role"],
        joined_on=v["joined_on"],
    ),
    after=_to("/value-chains/{subject}"),
)

LEAVE = Form(
    key="leave_chain",
    path="/value-chains/{subject}/participants/leave",
    subject="chain",
    fields=(
        Field("organisation_id", "reg_field_organisation", Kind.CHOICE, options=_participants),
        Field("left_on", "reg_field_left_on", Kind.DAY, required=False, hint="reg_hint_today"),
        REASON,
    ),
    build=lambda v, s: c.LeaveValueChain(
        value_chain_id=_id(s),
        organisation_id=UUID(v["organisation_id"]),
        reason=v["reason"],
        left_on=v["left_on"],
    ),
    after=_to("/value-chains/{subject}"),
)

SIGN_CONTRACT = Form(
    key="sign_contract",
    path="/value-chains/{subject}/contracts/new",
    subject="chain",
    fields=(
        Field("contract_number", "reg_field_contract_number", hint="reg_hint_contract_number"),
        Field("parties", "reg_field_parties", Kind.MANY, options=_parties),
        Field("commodity", "reg_field_commodity", suggest="commodities"),
        Field("committed_amount", "reg_field_committed_amount", Kind.DECIMAL),
        Field("committed_unit", "reg_field_committed_unit", Kind.CHOICE, options=_units),
        Field("starts_on", "reg_field_starts_on", Kind.DAY),
        Field("ends_on", "reg_field_ends_on", Kind.DAY),
    ),
    build=lambda v, s: c.SignLinkageContract(
        value_chain_id=_id(s),
        contract_number=v["contract_number"],
        parties=[UUID(p) for p in v["parties"]],
        commodity=v["commodity"],
        committed_volume=Quantity.positive(
            str(v["committed_amount"]), v["committed_unit"], field="committed_amount"
        ),
        starts_on=v["starts_on"],
        ends_on=v["ends_on"],
    ),
    after=_to("/value-chains/{subject}"),
)

END_CONTRACT = Form(
    key="end_contract",
    path="/value-chains/{subject}/contracts/end",
    subject="chain",
    fields=(
        Field(
            "contract_number", "reg_field_contract_number", Kind.CHOICE, options=_contracts_in_force
        ),
        Field("on", "reg_field_ended_on", Kind.DAY),
        REASON,
    ),
    build=lambda v, s: c.EndLinkageContract(
        value_chain_id=_id(s), contract_number=v["contract_number"], on=v["on"], reason=v["reason"]
    ),
    after=_to("/value-chains/{subject}"),
)


def _yes_no(_choices: Choices, _subject: Subject) -> Sequence[tuple[str, str]]:
    return [("yes", "reg_yes"), ("no", "reg_no")]


def _publication(section: str, subject: str) -> Form:
    return Form(
        key="publication",
        path=f"/{section}/{{subject}}/publication",
        subject=subject,
        fields=(
            Field(
                "publish_quantities",
                "reg_field_publish_quantities",
                Kind.CHOICE,
                options=_yes_no,
                translate="reg",
                hint="reg_hint_publish_quantities",
            ),
        ),
        build=lambda v, s: c.ChangePublication(
            organisation_id=_id(s), publish_quantities=v["publish_quantities"] == "yes"
        ),
        after=_to(f"/{section}/{{subject}}"),
    )


PROFILE = Form(
    key="profile",
    path="/cooperatives/{subject}/profile",
    subject="cooperative",
    fields=(
        Field(
            "show_profile",
            "reg_field_show_profile",
            Kind.CHOICE,
            options=_yes_no,
            translate="",
            hint="reg_hint_show_profile",
        ),
    ),
    build=lambda v, s: c.ChangeProfileVisibility(
        cooperative_id=_id(s), show_profile=v["show_profile"] == "yes"
    ),
    after=_to("/cooperatives/{subject}"),
)

FORMS: tuple[Form, ...] = (
    REGISTER_COOPERATIVE,
    REGISTER_ENTERPRISE,
    COOPERATIVE_STATUS,
    ENTERPRISE_STATUS,
    RECLASSIFY,
    SUPPORT,
    _grant("cooperatives", "cooperative"),
    _expire("cooperatives", "cooperative"),
    _grant("enterprises", "enterprise"),
    _expire("enterprises", "enterprise"),
    ESTABLISH_CHAIN,
    JOIN,
    LEAVE,
    SIGN_CONTRACT,
    END_CONTRACT,
    _publication("cooperatives", "cooperative"),
    _publication("enterprises", "enterprise"),
    PROFILE,
)

# Where a refusal goes: the field it names (a command's field, or one of these aliases), or,
# for a refusal that names none, the first of these fields the form has.
FIELD_ALIASES: Mapping[str, str] = {"committed_volume": "committed_amount"}
FIELDS_OF_CODE: Mapping[str, tuple[str, ...]] = {
    "already_registered": ("registration_number", "tax_code", "name"),
    "already_new_model": ("reason",),
    "status_unchanged": ("status",),
    "certificate_not_held": ("certificate",),
    "already_participant": ("organisation_id",),
    "not_participant": ("organisation_id",),
    "lead_leaves": ("organisation_id",),
    "contract_exists": ("contract_number",),
    "party_not_participant": ("parties",),
    "contract_not_in_force": ("contract_number",),
    "organisation_closed": ("organisation_id", "lead_organisation_id", "status"),
    "organisation_suspended": ("organisation_id", "lead_organisation_id", "status"),
    "not_found": ("organisation_id", "lead_organisation_id", "parties"),
}

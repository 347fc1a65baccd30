"""Test builders shared by every test suite: valid commands and API bodies, unique each time.

Every builder returns something the records accept as is; a test overrides only the facts it
is about (``a_harvest(plot_ids, quantity=kg("5"))``). Natural keys (registration numbers, tax
codes) are fresh on every call, so builders never collide inside one database.

``*_command`` builders make ``shared.records.commands`` for ``Records.execute``; ``*_json``
builders make the capture API's request bodies for the same facts.
"""

from __future__ import annotations

import dataclasses
import itertools
import random
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any, TypeVar
from uuid import UUID

from shared.domain.quantities import Quantity
from shared.records import commands as c
from shared.records.actors import Actor, Role
from shared.records.application import Records
from shared.records.results import (
    BatchResult,
    CooperativeResult,
    EnterpriseResult,
    HouseholdResult,
    PlotResult,
)

T = TypeVar("T")

_serial = itertools.count(1)
HARVEST_DAY = date(2025, 10, 5)
POINT_IN_THIEU_HOA = {"type": "Point", "coordinates": [105.681234, 19.901234]}
STAFF = Actor(Role.PROVINCE)


def _unique_digits(count: int) -> str:
    return str(random.randrange(10 ** (count - 1), 10**count))


def _with(command: T, overrides: dict[str, Any]) -> T:
    return dataclasses.replace(command, **overrides)  # type: ignore[type-var]


def kg(amount: str | int) -> Quantity:
    return Quantity.positive(str(amount), "kg")


def kg_json(amount: str | int) -> dict[str, str]:
    """The capture API's body for ``kg(amount)``."""
    return {"amount": str(amount), "unit": "kg"}


def a_gtin() -> str:
    """A valid GTIN-13 under Vietnam's GS1 prefix 893, check digit included."""
    body = "893" + _unique_digits(9)
    weighted = sum(int(d) * (3 if i % 2 else 1) for i, d in enumerate(body))
    return body + str((10 - weighted % 10) % 10)


def after_harvest(hours: int = 1) -> datetime:
    """A business time on the builders' harvest day (Vietnam), ``hours`` after midnight."""
    return datetime(2025, 10, 4, 17, tzinfo=UTC) + timedelta(hours=hours)


# Commands -------------------------------------------------------------------------------------


def a_cooperative_command(**overrides: Any) -> c.RegisterCooperative:
    number = next(_serial)
    command = c.RegisterCooperative(
        name=f"HTX Nông nghiệp Thiệu Trung {number}",
        registration_number=f"2801-{_unique_digits(9)}",
        commune="Xã Thiệu Trung",
        former_district="Thiệu Hóa",
        province="Thanh Hóa",
        sector="rice",
        founded=date(2010, 3, 1),
        members_count=40,
        model="new",
    )
    return _with(command, overrides)


def an_enterprise_command(**overrides: Any) -> c.RegisterEnterprise:
    number = next(_serial)
    command = c.RegisterEnterprise(
        name=f"Công ty TNHH Gạo Xứ Thanh {number}",
        tax_code=_unique_digits(10),
        address="Số 1 Lê Lợi, Phường Hạc Thành",
        commune="Phường Hạc Thành",
        former_district=None,
        province="Thanh Hóa",
    )
    return _with(command, overrides)


def a_value_chain_command(lead_organisation_id: UUID, **overrides: Any) -> c.EstablishValueChain:
    command = c.EstablishValueChain(
        name=f"Chuỗi lúa gạo Thiệu Hóa {next(_serial)}",
        commodity="rice",
        lead_organisation_id=lead_organisation_id,
    )
    return _with(command, overrides)


def a_certification_command(organisation_id: UUID, **overrides: Any) -> c.GrantCertification:
    command = c.GrantCertification(
        organisation_id=organisation_id,
        scheme="VietGAP",
        certificate=f"VG-{next(_serial)}",
        valid_from=date(2025, 1, 1),
        valid_until=date(2028, 1, 1),
    )
    return _with(command, overrides)


def a_plot_command(cooperative_id: UUID, **overrides: Any) -> c.RegisterPlot:
    command = c.RegisterPlot(
        cooperative_id=cooperative_id,
        crop="lúa",
        area_ha=Decimal("2.5"),
        commune="Xã Thiệu Trung",
        location=dict(POINT_IN_THIEU_HOA),
    )
    return _with(command, overrides)


def a_harvest(plot_ids: list[UUID], **overrides: Any) -> c.HarvestBatch:
    command = c.HarvestBatch(
        plot_ids=list(plot_ids),
        commodity="rice",
        quantity=kg(1000),
        harvested_on=HARVEST_DAY,
        variety="Nếp cái hoa vàng",
        at=after_harvest(),
    )
    return _with(command, overrides)


# Scenarios on a Records application ----------------------------------------------------------


@dataclass(frozen=True)
class Grower:
    """A registered cooperative with one plot, and the actor that acts for it."""

    cooperative_id: UUID
    plot_id: UUID
    actor: Actor


def a_grower(records: Records) -> Grower:
    registered = records.execute(STAFF, [a_cooperative_command()])
    cooperative_id = registered.result(CooperativeResult).cooperative_id
    actor = Actor(Role.COOPERATIVE, cooperative_id)
    plotted = records.execute(actor, [a_plot_command(cooperative_id)])
    return Grower(cooperative_id, plotted.result(PlotResult).plot_id, actor)


def a_household(records: Records, grower: Grower, reference: str | None = None) -> UUID:
    """A member household registered in the grower's cooperative (its reference sealed), as a
    plot must name one: by this id (``a_plot_command(..., household_id=...)``)."""
    command = c.RegisterHousehold(
        cooperative_id=grower.cooperative_id, reference=reference or f"HH-{next(_serial)}"
    )
    return records.execute(grower.actor, [command]).result(HouseholdResult).household_id


def a_household_plot(records: Records, grower: Grower, household_id: UUID) -> UUID:
    """A new plot of the grower's cooperative, farmed by its registered household."""
    command = a_plot_command(grower.cooperative_id, household_id=household_id)
    return records.execute(grower.actor, [command]).result(PlotResult).plot_id


def an_enterprise(records: Records) -> Actor:
    registered = records.execute(STAFF, [an_enterprise_command()])
    return Actor(Role.ENTERPRISE, registered.result(EnterpriseResult).enterprise_id)


def a_harvested_batch(records: Records, grower: Grower | None = None, **overrides: Any) -> str:
    """The code of a new harvested batch (``TH-2026-000123``)."""
    grower = grower or a_grower(records)
    outcome = records.execute(grower.actor, [a_harvest([grower.plot_id], **overrides)])
    return str(outcome.result(BatchResult).code)


# API request bodies ---------------------------------------------------------------------------


def cooperative_json(**overrides: Any) -> dict[str, Any]:
    command = a_cooperative_command()
    body: dict[str, Any] = {
        "name": command.name,
        "registration_number": command.registration_number,
        "commune": command.commune,
        "former_district": command.former_district,
        "province": command.province,
        "sector": command.sector,
        "founded": command.founded.isoformat(),
        "members_count": command.members_count,
        "model": command.model,
    }
    return body | overrides


def enterprise_json(**overrides: Any) -> dict[str, Any]:
    command = an_enterprise_command()
    body: dict[str, Any] = {
        "name": command.name,
        "tax_code": command.tax_code,
        "address": command.address,
        "commune": command.commune,
        "province": command.province,
    }
    return body | overrides


def plot_json(cooperative_id: UUID | str, **overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "cooperative_id": str(cooperative_id),
        "crop": "lúa",
        "area_ha": "2.5",
        "commune": "Xã Thiệu Trung",
        "location": dict(POINT_IN_THIEU_HOA),
    }
    return body | overrides


def harvest_json(plot_id: UUID | str, **overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "plot_ids": [str(plot_id)],
        "commodity": "rice",
        "variety": "Nếp cái hoa vàng",
        "quantity": kg_json(1000),
        "harvested_on": HARVEST_DAY.isoformat(),
        "at": after_harvest().isoformat(),
    }
    return body | overrides


def processing_json(amount_after: str = "900", hours: int = 2, **overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "step": "drying",
        "facility": "Sân phơi HTX",
        "quantity_after": kg_json(amount_after),
        "at": after_harvest(hours).isoformat(),
    }
    return body | overrides

"""Plots (vùng trồng): where a harvest comes from, owned by a cooperative.

A plot farmed by a member household names it by ``household_id``: a household registered
first (``RegisterHousehold``), whose reference the plot's event carries only sealed. A plain
``household_ref`` is never stored on a new plot (:func:`check_household_ref` is the one rule);
plots registered before households were (``Plot.Registered`` v1, and v2 events without a
``household_id``) still carry theirs and stay readable.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from shared.domain import diary, geo
from shared.domain.errors import InvalidValue
from shared.domain.organisations import (
    certification_scheme,
    check_certificate_period,
    required_text,
)
from shared.domain.upcasting import mark_added


def check_household_ref(household_ref: str | None, registered_reference: str | None) -> None:
    """The one rule for a plain household reference given with a new plot.

    Refused without a registered household (``registered_reference`` None: no
    ``household_id`` named one): the caller registers the household, then names it by id.
    Beside a ``household_id`` it is accepted only as a check, and must be that household's
    registered reference (compared trimmed); either way it is never stored: the plot's event
    carries the household's own sealed reference."""
    if household_ref is None or not household_ref.strip():
        return
    if registered_reference is None:
        msg = (
            "a plot names its member household by household_id, never by a plain reference:"
            " register the household first (POST /api/v1/cooperatives/<id>/households),"
            " then pass its household_id"
        )
        raise InvalidValue("household_ref", msg, code="plot_household_not_registered")
    if household_ref.strip() != registered_reference.strip():
        msg = (
            "household_ref is not the registered reference of the household named by"
            " household_id: drop household_ref, or correct one of the two"
        )
        raise InvalidValue("household_ref", msg, code="plot_household_ref_mismatch")


class Plot(Aggregate):
    @classmethod
    def register(
        cls,
        *,
        cooperative_id: UUID,
        crop: str,
        area_ha: Decimal,
        commune: str,
        location: dict[str, Any],
        planting_area_code: str | None = None,
        province: str | None = None,
        household_id: UUID | None = None,
        household: dict[str, Any] | None = None,
    ) -> Plot:
        """``province`` (the cooperative's) bounds where the plot may lie; default Vietnam.

        ``household_id`` and ``household`` (its reference, sealed with the household's key:
        ``shared.privacy.Sealed.as_json()``) name the member household that farms it;
        a new plot never carries a plain reference (``household_ref`` is None in its event)."""
        if not area_ha.is_finite() or area_ha <= 0 or area_ha > 10_000:
            msg = "a plot's area is more than 0 and at most 10,000 ha"
            raise InvalidValue("area_ha", msg, code="plot_area_range")
        return cls(
            cooperative_id=cooperative_id,
            household_ref=None,  # old plots' plain reference only: see check_household_ref
            crop=required_text(crop, "crop", 100),
            area_ha=area_ha,
            commune=required_text(commune, "commune"),
            location=geo.location(location, area_ha, bounds=geo.bounds_of(province)),
            planting_area_code=planting_area_code.strip() if planting_area_code else None,
            household_id=household_id,
            household=household,
        )

    class Registered(Aggregate.Created):
        """v2 names the member household by id and sealed reference (Decree 13/2023/NĐ-CP):
        v1 carried only ``household_ref`` in plain text, which pages never show. New events
        keep the field, always None, so that old and new read with one shape."""

        cooperative_id: UUID
        household_ref: str | None
        crop: str
        area_ha: Decimal
        commune: str
        location: dict[str, Any]
        planting_area_code: str | None
        household_id: UUID | None
        household: dict[str, Any] | None
        class_version = 2

        @staticmethod
        def upcast_v1_v2(state: dict[str, Any]) -> None:
            state["household_id"] = None
            state["household"] = None
            mark_added(state, "household_id", "household")

    @event(Registered)
    def __init__(
        self,
        cooperative_id: UUID,
        household_ref: str | None,  # private, v1 only: new plots name a household by id
        crop: str,
        area_ha: Decimal,
        commune: str,
        location: dict[str, Any],
        planting_area_code: str | None,
        household_id: UUID | None,
        household: dict[str, Any] | None,
    ) -> None:
        self.cooperative_id = cooperative_id
        self.household_ref = household_ref  # v1's plain reference (old plots only)
        self.household_id = household_id  # whose harvests these are (a household's account)
        self.household = household  # its reference, sealed
        self.crop = crop
        self.area_ha = area_ha
        self.commune = commune
        self.location = location
        self.planting_area_code = planting_area_code
        self.certifications: list[dict[str, Any]] = []
        self.sprayings: list[diary.Spraying] = []  # for the pre-harvest-interval rule

    def certify(
        self, scheme: str, certificate: str, valid_from: date, valid_until: date | None
    ) -> None:
        check_certificate_period(valid_from, valid_until)
        self._certified(
            certification_scheme(scheme).value,
            required_text(certificate, "certificate"),
            valid_from,
            valid_until,
        )

    @event("Certified")
    def _certified(
        self, scheme: str, certificate: str, valid_from: date, valid_until: date | None
    ) -> None:
        self.certifications.append({"scheme": scheme, "certificate": certificate})

    # The farm diary (shared.domain.diary) ---------------------------------------------------

    def record_diary_entry(
        self, entry: diary.Entry, on: date, household_id: UUID | None = None
    ) -> None:
        """``household_id``: the member household that did it (private, never public)."""
        self._diary_entry_recorded(
            entry.activity.value, diary.entry_day(on), household_id, diary.details(entry)
        )

    @event("DiaryEntryRecorded")
    def _diary_entry_recorded(
        self,
        activity: str,
        on: date,
        household_id: UUID | None,  # private: a member household, never shown in public
        details: dict[str, str],
    ) -> None:
        if activity == diary.Activity.SPRAYING:
            self.sprayings.append(
                diary.Spraying(
                    on=on,
                    product=details["product"],
                    active_ingredient=details["active_ingredient"],
                    pre_harvest_days=int(details["pre_harvest_days"]),
                )
            )

    def needs_interval_override(self, harvested_on: date, override: str | None) -> bool:
        """Whether a harvest on ``harvested_on`` comes before a spraying's interval ended
        (then only with ``override``, checked already); refused without it."""
        name = self.planting_area_code or str(self.id)
        return diary.check_interval(name, self.sprayings, harvested_on, override)

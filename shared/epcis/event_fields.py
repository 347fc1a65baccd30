"""The fields of one EPCIS event read as domain values, and the names in it resolved.

Each reading refuses what it cannot read with the field's JSON path (``Refused``), so that the
translations (``shared.epcis.translation``) read as the commands they build.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, NoReturn

from shared import limits
from shared.domain.errors import DomainError
from shared.domain.quantities import Quantity
from shared.epcis import identifiers
from shared.epcis.capture_outcomes import EventRefusal
from shared.epcis.capture_terms import UNITS, Place, WriteSide, parse_uuid, path, platform_code
from shared.errors import NguonError
from shared.records import commands as c
from shared.records.actors import Actor

TranslationUnit = list[tuple[int, dict[str, Any], str]]  # (index, event, id) of its events


@dataclass(frozen=True)
class Lot:
    reference: str  # a batch code, or the ``$ref`` of a lot commissioned in the same request
    code: str | None


class Refused(NguonError):
    """Stops a translation unit's reading at the first field at fault (never leaves it)."""

    def __init__(self, refusal: EventRefusal) -> None:
        super().__init__(refusal.message)
        self.refusal = refusal


class EventFields:
    """Reads the fields of the events of one translation unit (the current one: ``_event``).

    ``commissioned`` are the classes of lots commissioned earlier in the same request (class
    → ``$ref``); the unit's own are kept apart until its translation succeeds."""

    def __init__(
        self,
        write_side: WriteSide,
        actor: Actor,
        now: Callable[[], datetime],
        commissioned: Mapping[str, str],
        unit: TranslationUnit,
    ) -> None:
        self._write = write_side
        self._actor = actor
        self._now = now
        self._earlier = commissioned
        self._unit = unit
        self._index, self._event, self._event_id = unit[0]
        self._batches: list[str] = []
        self._commissioned: dict[str, str] = {}

    # Names ---------------------------------------------------------------------------------

    def _find_lot(self, epc_class: str) -> Lot | None:
        """In order: commissioned earlier in the request, bound on capture, a Digital Link
        class through its GTIN + lot, this platform's own batch URI."""
        found = self._find_claimed_lot(epc_class)
        if found is None and (own := platform_code(epc_class)) is not None:
            found = Lot(own, own) if self._write.batch_exists(own) else None
        return found

    def _find_claimed_lot(self, epc_class: str) -> Lot | None:
        """A lot the class names for good: commissioned in this request, bound on capture, or
        a Digital Link class. A platform batch URI is left out: another deployment of the
        platform numbers its batches as this one does, so ``urn:nguon:batch:TH-2026-000001``
        sent by a partner may be another platform's lot that this platform's own batch of the
        same code has nothing to do with; once captured, its binding wins."""
        ref = self._commissioned.get(epc_class) or self._earlier.get(epc_class)
        if ref is not None:
            return Lot(ref, None)
        code = self._write.bound_lot(epc_class)
        if code is None and (labelled := identifiers.parse_lot_class(epc_class)) is not None:
            code = self._write.labelled_lot(*labelled)
        return None if code is None else Lot(code, code)

    def _lot(self, epc_class: str, field: str) -> Lot:
        found = self._find_lot(epc_class)
        if found is None:
            self._refuse(
                field,
                "unknown_lot",
                f"{epc_class} names no lot here: capture its commissioning (harvest or"
                " transformation) first, or name it as the platform does",
            )
        if found.code is not None:
            self._batches.append(found.code)
        return found

    def _new_class(self, epc_class: str, field: str) -> str:
        if self._find_claimed_lot(epc_class) is not None:
            self._refuse(
                field,
                "lot_known",
                f"{epc_class} already names a lot here: commission a new lot under a class"
                " of its own",
            )
        return epc_class

    def _place(self, uri: str, field: str, code: str) -> Place:
        found: Place | None = None
        if (gln := identifiers.parse_gln(uri)) is not None:
            found = self._write.gln(gln)
        elif uri.startswith(identifiers.ORGANISATION):
            organisation_id = parse_uuid(uri[len(identifiers.ORGANISATION) :])
            found = None if organisation_id is None else self._write.organisation(organisation_id)
        elif uri.startswith(identifiers.PLOT):
            plot_id = parse_uuid(uri[len(identifiers.PLOT) :])
            found = None if plot_id is None else self._write.plot(plot_id)
        if found is None:
            what = "party" if code == "unknown_party" else "location"
            self._refuse(
                field,
                code,
                f"{uri} names no {what} here: use a GLN registered on the platform"
                " (https://id.gs1.org/414/… or /417/…) or the platform's own URN",
            )
        return found

    def _where(self, field: str) -> Place | None:
        point = self._event.get(field)
        if not point:
            return None
        place = self._place(point["id"], f"{field}.id", "unknown_location")
        organisation_id = self._actor.organisation_id
        if organisation_id is not None and place.organisation_id != organisation_id:
            self._refuse(
                f"{field}.id",
                "not_your_location",
                f"{point['id']} is another organisation's: events are recorded as your"
                " organisation, at its own premises and plots",
            )
        return place

    def _check_where(self) -> None:
        self._where("readPoint")
        self._where("bizLocation")

    # Values --------------------------------------------------------------------------------

    def _at(self) -> datetime:
        given = self._event.get("eventTime")
        try:
            moment = datetime.fromisoformat(str(given))
        except ValueError:
            return self._not_mappable("eventTime", f"{given!r} is not a date and time")
        if moment.tzinfo is None:
            return self._not_mappable("eventTime", "eventTime needs its offset (+07:00 or Z)")
        return moment

    def _quantity(self, element: Mapping[str, Any], field: str) -> Quantity:
        if "quantity" not in element:
            self._not_mappable(f"{field}.quantity", "say how much: add quantity and uom")
        uom = element.get("uom")
        if uom is None:
            self._not_mappable(f"{field}.uom", "a quantity needs its uom (KGM, TNE, LTR, H87, XBE)")
        if uom not in UNITS:
            allowed = ", ".join(UNITS)
            self._not_mappable(f"{field}.uom", f"uom {uom} is not one of {allowed}")
        try:
            return Quantity.positive(element["quantity"], UNITS[uom].value)
        except DomainError as error:
            return self._refuse(f"{field}.quantity", error.code, error.message)

    def _text(
        self,
        where: Mapping[str, Any],
        key: str,
        field: str | None = None,
        longest: int = limits.TEXT,
    ) -> str | None:
        """A text field, trimmed (None: absent or blank), no longer than the capture API takes
        for the same fact (``field``: its path, when not ``key`` at the event's top)."""
        value = where.get(key)
        return None if value is None else self._bounded(str(value), field or key, longest)

    def _bounded(self, value: str, field: str, longest: int = limits.TEXT) -> str | None:
        text = value.strip()
        if len(text) > longest:
            self._refuse(
                field,
                "text_too_long",
                f"{len(text):,} characters: the platform keeps at most {longest:,} here, as"
                " its API does; shorten it",
            )
        return text or None

    def _required(
        self, where: Mapping[str, Any], key: str, field: str, longest: int = limits.TEXT
    ) -> str:
        value = self._text(where, key, field, longest)
        if value is None:
            self._refuse(field, "missing_field", f"{key} is required here: add it")
        return value

    def _date(self, key: str) -> date | None:
        value = self._event.get(key)
        if value is None:
            return None
        try:
            return date.fromisoformat(str(value)[:10])
        except ValueError:
            return self._not_mappable(key, f"{value!r} is not a date (YYYY-MM-DD)")

    def _record(self, lots: dict[str, str] | None = None) -> c.RecordEpcisCapture:
        return c.RecordEpcisCapture(event_id=self._event_id, lots=lots or {})

    def _refuse(self, field: str, code: str, message: str) -> NoReturn:
        raise Refused(EventRefusal(self._index, path(self._index, field), code, message))

    def _not_mappable(self, field: str, message: str) -> NoReturn:
        self._refuse(field, "not_mappable", message)

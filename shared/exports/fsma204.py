"""FSMA 204's electronic sortable spreadsheet: one row per critical tracking event (CTE).

When public health is threatened the FDA may ask, for a traceability lot code or a date range,
for the key data elements (KDEs) of every CTE in an electronic sortable spreadsheet within 24
hours (21 CFR 1.1455(c)(3)(ii)). A lot's story is the story of its lineage: where it came
from (harvesting, cooling, initial packing of its ancestors) and where it went (shipping,
receiving, transformations of it and its descendants), so a lot export covers the lot, its
ancestors and its descendants. The platform's events map to CTEs in one table, :data:`CTE_OF`
(and docs/exports.md); an event that is no CTE (an inspection, a certification) gives no row.

The traceability lot code is the platform's batch code: it is assigned once, where the batch
is made (the harvest, or the transformation that produced it), which is the TLC source. A
labelled batch's GTIN and GS1 lot are given beside it.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, fields
from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum
from typing import Any
from zoneinfo import ZoneInfo

import xlsxwriter

from shared.epcis import identifiers
from shared.readmodels.exports import BatchEvent, LotFacts, Organisation

VIETNAM = ZoneInfo("Asia/Ho_Chi_Minh")
# Post-harvest conditioning steps that FSMA's "cooling" stands for here: rice and cassava are
# dried, fruit and vegetables chilled (documented in docs/exports.md).
COOLING_STEPS = frozenset(
    {"cooling", "chilling", "pre-cooling", "drying", "làm mát", "sấy", "phơi"}
)
PACKING_STEPS = frozenset({"packing", "đóng gói"})


class Cte(StrEnum):
    """The CTEs the rule names (21 CFR 1.1325-1.1350), as the FDA's template spells them."""

    HARVESTING = "Harvesting"
    COOLING = "Cooling"
    INITIAL_PACKING = "Initial Packing"
    SHIPPING = "Shipping"
    RECEIVING = "Receiving"
    TRANSFORMATION = "Transformation"


CTE_OF: dict[str, str] = {
    "Harvested": "Harvesting",
    "Processed (drying, cooling, chilling)": "Cooling",
    "Produced by packing, or Labelled, first in the lot's lineage": "Initial Packing",
    "Shipped": "Shipping",
    "Received": "Receiving",
    "Produced (any other step; a later packing)": "Transformation",
}
"""The one mapping of platform events to CTEs, as docs/exports.md shows it."""


@dataclass(frozen=True)
class CteRow:
    """One CTE's key data elements; the field order is the spreadsheet's column order."""

    event_type: str
    event_date: date
    traceability_lot_code: str
    tlc_source_description: str
    tlc_source_identifier: str
    product_description: str
    gtin: str
    gs1_lot: str
    quantity: Decimal | None  # None: another organisation's, not published to the reader
    unit_of_measure: str
    location_description: str
    location_identifier: str
    harvest_location: str
    immediate_previous_source: str
    ship_to_location: str
    input_traceability_lot_codes: str
    reference_document_type: str
    reference_document_number: str
    recall_status: str
    event_id: str


COLUMNS: tuple[str, ...] = (
    "Critical Tracking Event",
    "Event Date",
    "Traceability Lot Code (TLC)",
    "Traceability Lot Code Source Description",
    "Traceability Lot Code Source Identifier",
    "Product Description",
    "GTIN",
    "Lot",
    "Quantity",
    "Unit of Measure",
    "Location Description",
    "Location Identifier",
    "Harvest Location Description",
    "Immediate Previous Source Location Description",
    "Ship-To Location Description",
    "Input Traceability Lot Codes",
    "Reference Document Type",
    "Reference Document Number",
    "Recall Status",
    "Event ID",
)
"""Column headings: the KDE names of 21 CFR 1.1325-1.1350 as FDA's sortable spreadsheet
template words them (see docs/exports.md for the source), plus the platform's own last two."""
assert len(COLUMNS) == len(fields(CteRow))  # one heading per field, in order


@dataclass(frozen=True)
class Request:
    """What an FDA request names: a lot (its batch id) and/or a date range, and for whom."""

    first: date | None = None
    last: date | None = None
    reader_id: str | None = None  # an organisation; None: provincial staff, who see all
    parties_only: bool = False  # a date range for an organisation: its own batches only


def rows(facts: LotFacts, request: Request) -> list[CteRow]:
    """The CTE rows of the facts, in business-time order, cut to the request's dates."""
    story = _Story(facts)
    found: list[tuple[datetime, int, CteRow]] = []
    for event in facts.events:
        if request.parties_only and request.reader_id not in story.parties(event.batch_id):
            continue
        made = story.row(event, request.reader_id)
        if made is None:
            continue
        moment, row = made
        if request.first is not None and row.event_date < request.first:
            continue
        if request.last is not None and row.event_date > request.last:
            continue
        found.append((moment, event.position, row))
    return [row for _, _, row in sorted(found, key=lambda item: (item[0], item[1]))]


def to_csv(table: Sequence[CteRow]) -> bytes:
    """UTF-8 with a byte-order mark (Excel opens Vietnamese names right), ISO dates."""
    text = io.StringIO()
    writer = csv.writer(text, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for row in table:
        writer.writerow([_plain(value) for value in _values(row)])
    return ("\ufeff" + text.getvalue()).encode("utf-8")


def to_xlsx(table: Sequence[CteRow], title: str) -> bytes:
    """One sheet: a title row, the headings (frozen, filterable), dates as dates."""
    output = io.BytesIO()
    book = xlsxwriter.Workbook(output, {"in_memory": True})
    sheet = book.add_worksheet("FSMA 204")
    bold = book.add_format({"bold": True, "font_size": 13})
    header = book.add_format({"bold": True, "bg_color": "#EEF4EA", "bottom": 1, "text_wrap": True})
    day = book.add_format({"num_format": "yyyy-mm-dd"})
    amount = book.add_format({"num_format": "#,##0.###"})
    sheet.write(0, 0, title, bold)
    sheet.write_row(2, 0, COLUMNS, header)
    for number, row in enumerate(table, start=3):
        for column, value in enumerate(_values(row)):
            if isinstance(value, date):
                sheet.write_datetime(number, column, value, day)
            elif isinstance(value, Decimal):
                sheet.write_number(number, column, float(value), amount)
            elif value is None:
                sheet.write_blank(number, column, None)
            else:
                sheet.write_string(number, column, value)
    sheet.freeze_panes(3, 0)
    sheet.autofilter(2, 0, max(2, 2 + len(table)), len(COLUMNS) - 1)
    for column, heading in enumerate(COLUMNS):
        sheet.set_column(column, column, min(max(len(heading), 12), 40))
    book.close()
    return output.getvalue()


def _values(row: CteRow) -> list[Any]:
    return [getattr(row, f.name) for f in fields(row)]


def _plain(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    return str(value)


class _Story:
    """What the rows need to know beyond one event: each batch's code, product, maker, who
    held it, whether it or an ancestor was packed, whether it is recalled."""

    def __init__(self, facts: LotFacts) -> None:
        self._facts = facts
        self.created: dict[str, BatchEvent] = {}
        self.labels: dict[str, tuple[str, str]] = {}
        self.packed: set[str] = set()
        self.recalled: set[str] = set()
        self.holders: dict[str, set[str]] = {}
        self.first_label: dict[str, int] = {}
        for event in facts.events:
            payload, batch = event.payload, event.batch_id
            parties = self.holders.setdefault(batch, set())
            if event.kind in ("Harvested", "Produced"):
                self.created[batch] = event
                parties.add(str(payload["holder_id"]))
                if (
                    event.kind == "Produced"
                    and str(payload.get("step", "")).casefold() in PACKING_STEPS
                ):
                    self.packed.add(batch)
            elif event.kind == "Labelled":
                self.labels[batch] = (str(payload["gtin"]), str(payload["lot"]))
                self.first_label.setdefault(batch, event.position)
                self.packed.add(batch)
            elif event.kind in ("Recalled", "RecallReached"):
                self.recalled.add(batch)
            elif "Lifted" in event.kind:
                self.recalled.discard(batch)
            for key in ("by", "to"):
                if payload.get(key):
                    parties.add(str(payload[key]))

    def parties(self, batch: str) -> set[str]:
        return self.holders.get(batch, set())

    def row(self, event: BatchEvent, reader: str | None) -> tuple[datetime, CteRow] | None:
        kind, payload = event.kind, event.payload
        batch = event.batch_id
        created = self.created.get(batch)
        if created is None:
            return None
        cte = self._cte(event)
        if cte is None:
            return None
        moment = _moment(payload["at"])
        day = moment.astimezone(VIETNAM).date()
        actor = str(payload.get("by") or payload.get("holder_id") or "")
        quantity = (
            payload.get("quantity") or payload.get("quantity_after") or created.payload["quantity"]
        )
        plots = ""
        if kind == "Harvested":
            day = date.fromisoformat(payload["harvested_on"])
            plots = "; ".join(self._plot(p) for p in payload["plot_ids"])
        previous = ship_to = inputs = doc_type = doc_number = ""
        if kind == "Shipped":
            ship_to = self._place(str(payload["to"]))
            if payload.get("transport_document"):
                doc_type, doc_number = "Transport document", str(payload["transport_document"])
        if kind == "Received":
            shipper = self._shipper(batch, event.position)
            previous = self._place(shipper) if shipper else ""
        if kind == "Produced":
            inputs = "; ".join(
                f"{p['code']} ({_plain(Decimal(p['amount']))} {p['unit']})"
                for p in payload["parents"]
            )
        maker = str(created.payload["holder_id"])
        gtin, lot = self.labels.get(batch, ("", ""))
        shown = reader is None or actor == reader or self._publishes(actor)
        row = CteRow(
            event_type=cte,
            event_date=day,
            traceability_lot_code=str(created.payload["code"]),
            tlc_source_description=self._place(maker),
            tlc_source_identifier=self._identifier(maker),
            product_description=_product(created.payload, payload),
            gtin=gtin,
            gs1_lot=lot,
            quantity=Decimal(quantity["amount"]) if shown else None,
            unit_of_measure=str(quantity["unit"]),
            location_description=self._place(actor),
            location_identifier=self._identifier(actor),
            harvest_location=plots,
            immediate_previous_source=previous,
            ship_to_location=ship_to,
            input_traceability_lot_codes=inputs,
            reference_document_type=doc_type,
            reference_document_number=doc_number,
            recall_status="recalled" if batch in self.recalled else "",
            event_id=f"{batch}:{event.version}",
        )
        return moment, row

    def _cte(self, event: BatchEvent) -> str | None:
        kind, payload = event.kind, event.payload
        if kind == "Harvested":
            return Cte.HARVESTING
        if kind == "Processed" and str(payload.get("step", "")).casefold() in COOLING_STEPS:
            return Cte.COOLING
        if kind == "Shipped":
            return Cte.SHIPPING
        if kind == "Received":
            return Cte.RECEIVING
        if kind == "Produced":
            if _is_packing(payload) and not self._ancestor_packed(event.batch_id):
                return Cte.INITIAL_PACKING
            return Cte.TRANSFORMATION
        if kind == "Labelled":
            # Labelling packs a lot first only if nothing before it was packed or labelled.
            first = self.first_label.get(event.batch_id) == event.position
            created = self.created.get(event.batch_id)
            made_by_packing = created is not None and _is_packing(created.payload)
            if first and not made_by_packing and not self._ancestor_packed(event.batch_id):
                return Cte.INITIAL_PACKING
        return None

    def _ancestor_packed(self, batch: str) -> bool:
        return any(a in self.packed for a in self._facts.ancestors.get(batch, frozenset()))

    def _shipper(self, batch: str, before: int) -> str | None:
        shipper = None
        for event in self._facts.events:
            if event.batch_id == batch and event.kind == "Shipped" and event.position < before:
                shipper = str(event.payload["by"])
        return shipper

    def _publishes(self, organisation_id: str) -> bool:
        organisation = self._facts.organisations.get(organisation_id)
        return organisation is not None and organisation.publish_quantities

    def _place(self, organisation_id: str) -> str:
        organisation = self._facts.organisations.get(organisation_id)
        return _address(organisation) if organisation else organisation_id

    def _identifier(self, organisation_id: str) -> str:
        """Its premises' GLN as a GS1 Digital Link (as in EPCIS), or the platform's own URI
        for an organisation that registered none."""
        if not organisation_id:
            return ""
        organisation = self._facts.organisations.get(organisation_id)
        if organisation is not None and organisation.gln:
            return identifiers.location(organisation.gln)
        return identifiers.organisation(organisation_id)

    def _plot(self, plot_id: str) -> str:
        plot = self._facts.plots.get(str(plot_id))
        if plot is None:
            return str(plot_id)
        code = f" {plot.planting_area_code}" if plot.planting_area_code else ""
        gln = f" ({identifiers.location(plot.gln)})" if plot.gln else ""
        return f"plot {plot.id}{code}{gln}, {plot.area_ha} ha, {plot.commune}"


def _is_packing(payload: dict[str, Any]) -> bool:
    return str(payload.get("step", "")).casefold() in PACKING_STEPS


def _address(organisation: Organisation) -> str:
    parts: Iterable[str | None] = (
        organisation.name,
        organisation.address,
        organisation.commune,
        organisation.province,
        "Việt Nam",
    )
    return ", ".join(p for p in parts if p)


def _product(created: dict[str, Any], payload: dict[str, Any]) -> str:
    commodity = payload.get("commodity_after") or created["commodity"]
    variety = created.get("variety")
    return f"{commodity} ({variety})" if variety else str(commodity)


def _moment(value: str) -> datetime:
    moment = datetime.fromisoformat(value)
    return moment if moment.tzinfo else moment.replace(tzinfo=VIETNAM)

"""The CSV files the app imports: harvests and diary entries, one per row, and their templates.

Headers are Vietnamese (as a cooperative office's sheet names them) or the API's English
names; either is accepted, in any order, with ``,`` ``;`` or a tab between cells. Plots are
named by their planting area code (mã vùng trồng) or their id; dates as ``dd/mm/yyyy`` or ISO;
numbers the Vietnamese way (``1.250,5``) or the English. Each row becomes the SAME command the
API builds (``HarvestBatch``, ``RecordDiaryEntry``), or a problem named by its column.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any
from uuid import UUID

from services.cooperative_app.lot_changes import fields as read
from services.cooperative_app.lot_changes.fields import Problem, Unreadable
from shared.domain.diary import Activity
from shared.domain.quantities import Quantity, Unit
from shared.records import commands as c


@dataclass(frozen=True)
class Column:
    name: str  # the API's name, and the command's field
    vi: str  # the Vietnamese header
    required: bool = False


@dataclass(frozen=True)
class Kind:
    key: str  # harvests | diary
    columns: tuple[Column, ...]
    example: tuple[str, ...]  # the template's example row, in the columns' order
    build: Callable[[Mapping[str, str], Callable[[str], list[UUID]]], c.Command]

    def header_names(self) -> dict[str, str]:
        """Every accepted header (lower-cased) → the column's API name."""
        names = {col.name.lower(): col.name for col in self.columns}
        names |= {col.vi.lower(): col.name for col in self.columns}
        return names


ACTIVITY_WORDS = {  # the Vietnamese a sheet says, besides the API's own words
    "gieo trồng": Activity.SOWING,
    "gieo": Activity.SOWING,
    "trồng": Activity.SOWING,
    "bón phân": Activity.FERTILISING,
    "phun thuốc": Activity.SPRAYING,
    "tưới nước": Activity.IRRIGATION,
    "tưới": Activity.IRRIGATION,
    "chăm sóc": Activity.CARE,
    "chăm sóc khác": Activity.CARE,
}


class CellProblem(Unreadable):
    """A cell that cannot be read: the column it is in and why."""

    def __init__(self, column: str, problem: Problem) -> None:
        super().__init__(problem)
        self.column = column


def cell(values: Mapping[str, str], column: str, reader: Callable[[str], Any]) -> Any:
    raw = values.get(column, "")
    try:
        return reader(raw)
    except Unreadable as unreadable:
        raise CellProblem(column, unreadable.problem) from None


def optional(values: Mapping[str, str], column: str, reader: Callable[[str], Any]) -> Any:
    return cell(values, column, reader) if values.get(column, "").strip() else None


def day(raw: str) -> date:
    text = read.needed(raw)
    try:
        return datetime.strptime(text, "%d/%m/%Y").date()  # noqa: DTZ007 (a day, no time)
    except ValueError:
        return read.day(text)


def quantity(values: Mapping[str, str], amount: str, unit: str) -> Quantity:
    number = cell(values, amount, read.decimal)
    return Quantity(number, cell(values, unit, lambda raw: read.unit(raw.strip() or "kg")))


def activity(raw: str) -> Activity:
    text = read.needed(raw).lower()
    found = ACTIVITY_WORDS.get(text) or next((a for a in Activity if a.value == text), None)
    if found is None:
        expected = ", ".join(["gieo trồng", "bón phân", "phun thuốc", "tưới nước", "chăm sóc"])
        raise Unreadable(Problem("choice_unknown", {"expected": expected}))
    return found


def _harvest(values: Mapping[str, str], plots: Callable[[str], list[UUID]]) -> c.Command:
    return c.HarvestBatch(
        plot_ids=cell(values, "plot_ids", plots),
        commodity=cell(values, "commodity", read.needed),
        variety=optional(values, "variety", read.needed),
        quantity=quantity(values, "quantity", "unit"),
        harvested_on=cell(values, "harvested_on", day),
        interval_override=optional(values, "interval_override", read.needed),
    )


def _diary(values: Mapping[str, str], plots: Callable[[str], list[UUID]]) -> c.Command:
    named = cell(values, "plot_id", plots)
    if len(named) != 1:
        raise CellProblem("plot_id", Problem("import_one_plot"))
    amount = quantity(values, "amount", "unit") if values.get("amount", "").strip() else None
    return c.RecordDiaryEntry(
        plot_id=named[0],
        activity=cell(values, "activity", activity).value,
        on=cell(values, "on", day),
        variety=optional(values, "variety", read.needed),
        seed_lot=optional(values, "seed_lot", read.needed),
        product=optional(values, "product", read.needed),
        amount=amount,
        active_ingredient=optional(values, "active_ingredient", read.needed),
        dose=optional(values, "dose", read.needed),
        pre_harvest_days=optional(values, "pre_harvest_days", read.whole),
        note=optional(values, "note", read.needed),
    )


HARVESTS = Kind(
    "harvests",
    (
        Column("plot_ids", "thửa đất", required=True),
        Column("commodity", "sản phẩm", required=True),
        Column("variety", "giống"),
        Column("quantity", "số lượng", required=True),
        Column("unit", "đơn vị"),
        Column("harvested_on", "ngày thu hoạch", required=True),
        Column("interval_override", "lý do thu hoạch trước thời gian cách ly"),
    ),
    ("VT-TH-0001", "lúa", "Nếp cái hoa vàng", "1.250,5", "kg", "05/10/2025", ""),
    _harvest,
)
DIARY = Kind(
    "diary",
    (
        Column("plot_id", "thửa đất", required=True),
        Column("activity", "công việc", required=True),
        Column("on", "ngày", required=True),
        Column("variety", "giống"),
        Column("seed_lot", "lô giống"),
        Column("product", "sản phẩm"),
        Column("amount", "lượng"),
        Column("unit", "đơn vị"),
        Column("active_ingredient", "hoạt chất"),
        Column("dose", "liều lượng"),
        Column("pre_harvest_days", "thời gian cách ly"),
        Column("note", "ghi chú"),
    ),
    (
        "VT-TH-0001",
        "phun thuốc",
        "20/09/2025",
        "",
        "",
        "Regent 800WG",
        "",
        "",
        "Fipronil",
        "1 gói / bình 16 l",
        "14",
        "",
    ),
    _diary,
)
KINDS = {kind.key: kind for kind in (HARVESTS, DIARY)}
__all__ = ["KINDS", "CellProblem", "Column", "Kind", "Unit"]

"""Print-ready PDF label sheets: A4 sheets in common die-cut layouts and thermal-roll labels.

Each label carries the product's name in Vietnamese, the batch's short code (and its lot once
labelled, and its best-before date when it has one) and the batch's QR code (``qr.matrix``:
error correction M, 4-module quiet zone). Text is set in Roboto (Apache 2.0, vendored in
``fonts/``), embedded as a subset, because the printer's own fonts rarely have ``ẫ ặ ệ ổ ợ ữ``.

QR size, and why: the module (the X-dimension) is a whole number of 0.125 mm steps — one dot
of a 203-dpi thermal head, so every module prints as the same number of dots and no column is
a dot thinner than its neighbours — and never under ``MIN_MODULE_MM`` (0.375 mm, 3 dots),
above the 0.33 mm below which phone cameras at arm's length start to miss; the symbol takes
the label's height less its padding, at most ``_QR_SHARE`` of its width, so the text keeps
room. A link too long to reach the minimum on a layout is refused (``LinkTooLongForLabel``),
never printed smaller. The quiet zone (4 modules, white) is inside the symbol's square and
the padding keeps it clear of the label's die-cut edge.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from fpdf import FPDF

from shared.gs1 import qr
from shared.gs1.errors import Gs1Error

MIN_MODULE_MM = 0.375
DOT_MM = 0.125  # one dot of a 203-dpi thermal print head
_QR_SHARE = 0.55
_FONTS = Path(__file__).parent / "fonts"
_FAMILY = "Roboto"
_PT_MM = 25.4 / 72
_SMALLEST_PT = 4.0


class UnknownLayout(Gs1Error):
    """A ``layout`` that is not one of ``LAYOUTS``."""


class LinkTooLongForLabel(Gs1Error):
    """The QR code for this link would need modules under ``MIN_MODULE_MM`` on the layout."""


@dataclass(frozen=True)
class Layout:
    """Where the labels sit on one page, in millimetres; a roll is a page of one label."""

    name: str
    page_mm: tuple[float, float]  # width, height
    label_mm: tuple[float, float]
    columns: int
    rows: int
    origin_mm: tuple[float, float] = (0.0, 0.0)  # the first label's top-left corner
    pitch_mm: tuple[float, float] | None = None  # from one label to the next; None: no gaps
    padding_mm: float = 2.0  # kept clear inside each label: die-cut tolerance and quiet zone

    @property
    def per_page(self) -> int:
        return self.columns * self.rows

    @property
    def is_roll(self) -> bool:
        return self.per_page == 1

    def position(self, index: int) -> tuple[float, float]:
        """The top-left corner of the page's ``index``-th label, row by row."""
        row, column = divmod(index, self.columns)
        pitch_x, pitch_y = self.pitch_mm or self.label_mm
        return self.origin_mm[0] + column * pitch_x, self.origin_mm[1] + row * pitch_y


_A4 = (210.0, 297.0)
LAYOUTS: dict[str, Layout] = {
    layout.name: layout
    for layout in (
        # 24 a sheet, edge to edge (Avery 3474, Tomy 24-up and their many copies).
        Layout("a4-70x37", _A4, (70.0, 37.0), 3, 8, origin_mm=(0.0, 0.5)),
        # 14 a sheet, 99.1 x 38.1 mm with rounded corners (Avery L7163 and compatibles).
        Layout(
            "a4-99x38", _A4, (99.1, 38.1), 2, 7, origin_mm=(4.65, 15.15), pitch_mm=(101.6, 38.1)
        ),
        # 40 a sheet, 45.7 x 25.4 mm (Avery L7654 and compatibles).
        Layout("a4-46x25", _A4, (45.7, 25.4), 4, 10, origin_mm=(9.7, 21.5), pitch_mm=(48.2, 25.4)),
        # Thermal rolls, one label a page: the printer driver feeds one label per page.
        Layout("roll-50x30", (50.0, 30.0), (50.0, 30.0), 1, 1, padding_mm=1.5),
        Layout("roll-40x30", (40.0, 30.0), (40.0, 30.0), 1, 1, padding_mm=1.5),
    )
}
DEFAULT_LAYOUT = "a4-70x37"


def layout_named(raw: str | None) -> Layout:
    """``?layout=``: one of ``LAYOUTS``; absent means the 24-a-sheet A4."""
    layout = LAYOUTS.get(raw or DEFAULT_LAYOUT)
    if layout is None:
        raise UnknownLayout(raw or "")
    return layout


@dataclass(frozen=True)
class LabelText:
    """What each label says besides its QR code, already in Vietnamese."""

    product: str
    code: str
    lot_line: str | None = None  # e.g. "Lô: L2026-07"
    date_line: str | None = None  # e.g. "HSD: 31/12/2026"


@dataclass(frozen=True)
class QrPlacement:
    module_mm: float
    side_mm: float  # the whole symbol, quiet zone included


def qr_placement(layout: Layout, link: str) -> QrPlacement:
    """The module size this layout gives the link's QR code (see the module docstring)."""
    modules = len(qr.matrix(link))
    width, height = layout.label_mm
    room = min(height - 2 * layout.padding_mm, width * _QR_SHARE)
    module = math.floor(room / modules / DOT_MM) * DOT_MM
    if module < MIN_MODULE_MM:
        raise LinkTooLongForLabel(link)
    return QrPlacement(module_mm=module, side_mm=module * modules)


def label_pdf(layout: Layout, link: str, text: LabelText, count: int) -> bytes:
    """``count`` identical labels, page after page of ``layout``."""
    placement = qr_placement(layout, link)
    runs = _dark_runs(link)
    pdf = FPDF(unit="mm", format=layout.page_mm)
    pdf.set_auto_page_break(auto=False)
    pdf.set_margins(0, 0, 0)
    pdf.set_creator("Nguồn")
    pdf.set_title(f"{text.code} — {text.product}")
    pdf.set_lang("vi")
    pdf.add_font(_FAMILY, "", str(_FONTS / "Roboto-Regular.ttf"))
    pdf.add_font(_FAMILY, "B", str(_FONTS / "Roboto-Bold.ttf"))
    pdf.set_fill_color(0, 0, 0)
    for index in range(count):
        on_page = index % layout.per_page
        if on_page == 0:
            pdf.add_page()
        x, y = layout.position(on_page)
        _draw_label(pdf, layout, placement, runs, text, x, y)
    return bytes(pdf.output())


@cache
def _runs_of(matrix: tuple[tuple[bool, ...], ...]) -> tuple[tuple[int, int, int], ...]:
    runs: list[tuple[int, int, int]] = []
    for row_index, row in enumerate(matrix):
        start: int | None = None
        for column, dark in enumerate((*row, False)):
            if dark and start is None:
                start = column
            elif not dark and start is not None:
                runs.append((row_index, start, column - start))
                start = None
    return tuple(runs)


def _dark_runs(link: str) -> tuple[tuple[int, int, int], ...]:
    """Each row's dark modules as (row, first column, length): a few hundred rectangles."""
    return _runs_of(qr.matrix(link))


def _draw_label(
    pdf: FPDF,
    layout: Layout,
    placement: QrPlacement,
    runs: tuple[tuple[int, int, int], ...],
    text: LabelText,
    x: float,
    y: float,
) -> None:
    width, height = layout.label_mm
    qr_x = x + layout.padding_mm
    qr_y = y + (height - placement.side_mm) / 2
    module = placement.module_mm
    for row, column, length in runs:
        pdf.rect(qr_x + column * module, qr_y + row * module, length * module, module, style="F")
    # The quiet zone is white already: text starts after the symbol's square.
    text_x = qr_x + placement.side_mm + layout.padding_mm / 2
    text_width = x + width - layout.padding_mm - text_x
    text_height = height - 2 * layout.padding_mm
    # Whatever does not fit is cut at the text's box, never drawn over a neighbour's QR code.
    with pdf.rect_clip(text_x, y + layout.padding_mm, text_width, text_height):
        _draw_text(pdf, text, text_x, y + layout.padding_mm, text_width, text_height)


def _draw_text(pdf: FPDF, text: LabelText, x: float, y: float, width: float, height: float) -> None:
    """The product's name, as large as fits (up to three lines), then the code and details."""
    details = [line for line in (text.lot_line, text.date_line) if line]
    code_size = 7.5 if width > 20 else 6.5
    detail_size = code_size - 1
    reserved = (code_size + detail_size * len(details)) * _PT_MM * 1.25
    for size in (10.0, 9.0, 8.0, 7.0, 6.0):
        pdf.set_font(_FAMILY, "B", size)
        line_height = size * _PT_MM * 1.2
        lines = _wrapped(pdf, text.product, width, line_height)
        if len(lines) <= 3 and len(lines) * line_height + reserved <= height:
            break
    lines = lines[:3]
    pdf.set_xy(x, y)
    for line in lines:
        pdf.set_x(x)
        pdf.cell(width, line_height, line, new_x="LMARGIN", new_y="NEXT")
    code_size = _fitting(pdf, text.code, width, code_size)  # the code is never cut
    _line(pdf, x, width, text.code, code_size)
    for line in details:
        _line(pdf, x, width, line, _fitting(pdf, line, width, detail_size, style=""))


def _wrapped(pdf: FPDF, value: str, width: float, line_height: float) -> list[str]:
    """``value`` broken into the lines fpdf2 would set in ``width`` with the current font."""
    lines = pdf.multi_cell(width, line_height, value, dry_run=True, output="LINES")
    assert isinstance(lines, list)  # output="LINES" answers the lines alone
    return [str(line) for line in lines]


def _fitting(pdf: FPDF, value: str, width: float, size: float, style: str = "B") -> float:
    """The largest size up to ``size`` at which ``value`` fits ``width`` on one line (set as
    the current font): a line never runs over into the next label's QR code."""
    pdf.set_font(_FAMILY, style, size)
    while pdf.get_string_width(value) > width and size > _SMALLEST_PT:
        size -= 0.25
        pdf.set_font(_FAMILY, style, size)
    return size


def _line(pdf: FPDF, x: float, width: float, value: str, size: float) -> None:
    pdf.set_x(x)
    pdf.cell(width, size * _PT_MM * 1.25, value, new_x="LMARGIN", new_y="NEXT")

"""A trace as a picture: a layered left-to-right drawing of a ``TraceGraph``, as SVG text.

Columns are depths: the plots a harvest came from at the far left, then each step back, the lot
asked about, and each step forward to the retail lots. A box is one batch (code, product, holder,
quantity where the viewer may see it, status, a red mark when a recall reached it); a line is a
transformation with the amount it carried. A shipment is a change of holder: every organisation
has a colour, the band on a box's left is where the batch started and the band on its right where
it went, and the legend names the colours.

Why grouping: a harvest lot may have ten thousand descendants, and a picture of ten thousand boxes
is neither readable nor small. Beyond ``limit`` boxes in a column, the rest of the column is drawn
as one box ("+ 240 lô, 12,3 t, 3 đơn vị giữ") whose link opens the same page with that column
expanded (``expand`` names the columns drawn in full). The picture is an image (``role="img"``,
named by its title): it holds no links, which a keyboard or a screen reader could not reach
inside an image; the page puts each group's link beside the picture and each batch's in the
table. Lines to grouped batches end at the group,
their amounts summed. The same boxes come back as ``rows``, the text table a page prints below the
picture for anyone who cannot see it.

An expanded column draws at most ``EXPANDED_LIMIT`` boxes, and groups the rest for good.

Pure: a graph and a translator in, text out; no database, no web framework. Longer than the
house's 300 lines because the layout (which box a batch is drawn in) and the painting (what a box
says) are one drawing: split apart, each would have to know the other's geometry.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal

from shared.charts import svg
from shared.i18n import Translator
from shared.trace.graph import Amount, TraceGraph, TraceNode, TraceShipment

LIMIT = 12  # boxes drawn one by one in a column before the rest is grouped
# An expanded column still stops somewhere: 200 boxes are about 0.2 MB of SVG, 10,000 would be
# 9 MB and seconds to draw. Past it, the text table and the batches' own pages go further.
EXPANDED_LIMIT = 200
PLOTS = "plots"  # the column key of the plots, left of every batch
BOX_W, BOX_H = 190, 72
COLUMN_W = BOX_W + 90  # the gap holds a line's amount
ROW_H = BOX_H + 14
TOP = 34  # the column headings sit above the boxes
BAND = 6
RECALLED = "#b00020"
START_EDGE = "#1c2a1e"
EDGE = "#8a968c"
LINK = "#6b7b6e"
GROUP_FILL = "#eef4ea"
PLOT_FILL = "#f6f1e3"
# Colours told apart by people with the common colour-vision deficiencies (Okabe and Ito), then
# darker tones of the same; beyond them colours repeat, and the legend's names still tell.
PALETTE = (
    "#0072b2",
    "#e69f00",
    "#009e73",
    "#cc79a7",
    "#56b4e9",
    "#d55e00",
    "#f0e442",
    "#000000",
    "#004c77",
    "#8a6a00",
)
_MASS = {"kg": Decimal(1), "t": Decimal(1000)}


@dataclass(frozen=True)
class PictureRow:
    """One box of the picture as a line of the text table beside it."""

    column: str  # the column's heading
    code: str  # a batch's code, a plot's name, or "+ 240" for a group
    product: str
    holder: str
    quantity: str
    status: str
    recalled: bool
    href: str | None  # the batch's page, or the expanded picture for a group
    group: bool = False


@dataclass(frozen=True)
class TracePicture:
    svg: str
    rows: tuple[PictureRow, ...]
    drawn: int  # batches drawn in their own box
    grouped: int  # batches drawn inside a group


@dataclass(frozen=True)
class _Box:
    key: str
    column: int
    row: int
    node: TraceNode | None = None
    members: tuple[TraceNode, ...] = ()  # a group's batches
    plot_label: tuple[str, str] | None = None  # a plot's name and commune
    expandable: bool = True  # a group of an expanded column is as far as the picture goes


def trace_picture(
    graph: TraceGraph,
    t: Translator,
    *,
    expand: Iterable[int] = (),
    limit: int = LIMIT,
    batch_href: Callable[[TraceNode], str] | None = None,
    expand_href: Callable[[int], str] | None = None,
) -> TracePicture:
    """The picture of ``graph`` in ``t``'s language; ``expand`` lists depths drawn in full."""
    names = {party.organisation_id: party.name for party in graph.parties}
    colours = {
        party.organisation_id: PALETTE[i % len(PALETTE)] for i, party in enumerate(graph.parties)
    }
    layout = _Layout(graph, frozenset(expand), max(limit, 2))
    width = max(1, len(layout.columns)) * COLUMN_W - (COLUMN_W - BOX_W) + 8
    legend_top = TOP + layout.tallest * ROW_H + 10
    height = legend_top + 22 * max(1, len(graph.parties)) + 8
    title = t("trace_picture_title", code=graph.node(graph.start_id).code)
    description = t(
        "trace_picture_desc", batches=t.number(len(graph.nodes)), parties=t.number(len(names))
    )
    root = svg.root("trace", width, height, title, description)
    root.set("width", str(width))  # drawn at its size; its box on the page scrolls, never the page
    root.set("class", "chart trace")
    painter = _Painter(root, t, graph, colours, (batch_href, expand_href))
    for index, key in enumerate(layout.columns):
        painter.heading(index, _heading(t, key))
    painter.links(layout)
    rows: list[PictureRow] = []
    for box in layout.boxes:
        rows.append(painter.box(box, layout, _heading(t, layout.columns[box.column])))
    painter.legend(legend_top, graph)
    grouped = sum(len(box.members) for box in layout.boxes)
    drawn = sum(1 for box in layout.boxes if box.node is not None)
    return TracePicture(svg.serialize(root), tuple(rows), drawn, grouped)


class _Layout:
    """Which box each batch is drawn in, and where: a column per depth, rows from the top."""

    def __init__(self, graph: TraceGraph, expand: frozenset[int], limit: int) -> None:
        depths = sorted({node.depth for node in graph.nodes})
        plot_ids = [pid for node in graph.nodes for pid in node.plot_ids]
        known_plots = {plot.plot_id: plot for plot in graph.plots}
        wanted_plots = [known_plots[pid] for pid in dict.fromkeys(plot_ids) if pid in known_plots]
        self.columns: list[str | int] = ([PLOTS] if wanted_plots else []) + list(depths)
        self.boxes: list[_Box] = []
        self.box_of: dict[str, str] = {}  # batch id (or plot id) → box key
        self.graph = graph
        for row, plot in enumerate(wanted_plots):
            key = f"p:{plot.plot_id}"
            self.boxes.append(_Box(key, 0, row, plot_label=(plot.name, plot.commune or "")))
            self.box_of[plot.plot_id] = key
        offset = 1 if wanted_plots else 0
        for index, depth in enumerate(depths, start=offset):
            self._column(index, depth, graph, depth in expand, limit)
        self._rows: dict[int, int] = defaultdict(int)
        for box in self.boxes:
            self._rows[box.column] = max(self._rows[box.column], box.row + 1)
        self.tallest = max(self._rows.values(), default=1)

    def rows_in(self, column: int) -> int:
        return self._rows[column]

    def y(self, box: _Box) -> float:
        """Every column starts at the top: a phone opens the picture at its top left corner, so
        the plots, the first steps and the lot asked about are what it shows first."""
        return TOP + box.row * ROW_H

    def _column(
        self, index: int, depth: int, graph: TraceGraph, expanded: bool, limit: int
    ) -> None:
        names = {party.organisation_id: party.name for party in graph.parties}
        members = sorted(
            (node for node in graph.nodes if node.depth == depth),
            key=lambda n: (
                n.batch_id != graph.start_id,
                not n.recalled,
                names.get(n.holder_id or "", ""),
                n.code,
            ),
        )
        most = EXPANDED_LIMIT if expanded else limit
        single = members if len(members) <= most else members[: most - 1]
        for row, node in enumerate(single):
            key = f"n:{node.batch_id}"
            self.boxes.append(_Box(key, index, row, node=node))
            self.box_of[node.batch_id] = key
        rest = tuple(members[len(single) :])
        if rest:
            key = f"g:{depth}"
            self.boxes.append(_Box(key, index, len(single), members=rest, expandable=not expanded))
            for node in rest:
                self.box_of[node.batch_id] = key


class _Painter:
    def __init__(
        self,
        root: ET.Element,
        t: Translator,
        graph: TraceGraph,
        colours: dict[str, str],
        hrefs: tuple[Callable[[TraceNode], str] | None, Callable[[int], str] | None],
    ) -> None:
        self.root, self.t, self.colours = root, t, colours
        self.names = {party.organisation_id: party.name for party in graph.parties}
        self.batch_href, self.expand_href = hrefs
        self.shipments: dict[str, list[TraceShipment]] = defaultdict(list)
        for shipment in sorted(graph.shipments, key=lambda s: s.shipped_at):
            self.shipments[shipment.batch_id].append(shipment)
        self.links_layer = ET.SubElement(root, "g", {"class": "links"})
        self.boxes_layer = ET.SubElement(root, "g", {"class": "boxes"})

    def heading(self, column: int, text: str) -> None:
        svg.label(self.root, column * COLUMN_W + 4, 16, text, room=BOX_W, weight="bold")

    def links(self, layout: _Layout) -> None:
        """One line per pair of boxes, carrying the sum of the amounts between them."""
        carried: dict[tuple[str, str], list[Amount | None]] = defaultdict(list)
        for link in layout.graph.links:
            ends = layout.box_of.get(link.parent_id), layout.box_of.get(link.child_id)
            if ends[0] and ends[1] and ends[0] != ends[1]:
                carried[(ends[0], ends[1])].append(link.amount)
        for node in layout.graph.nodes:  # a harvest came from its plots
            for plot_id in node.plot_ids:
                ends = layout.box_of.get(plot_id), layout.box_of.get(node.batch_id)
                if ends[0] and ends[1]:
                    carried.setdefault((ends[0], ends[1]), [])
        where = {box.key: box for box in layout.boxes}
        for (start, end), amounts in carried.items():
            self._link(layout, where[start], where[end], amounts)

    def _link(self, layout: _Layout, start: _Box, end: _Box, amounts: list[Amount | None]) -> None:
        x1, y1 = start.column * COLUMN_W + BOX_W, layout.y(start) + BOX_H / 2
        x2, y2 = end.column * COLUMN_W, layout.y(end) + BOX_H / 2
        middle = (x1 + x2) / 2
        path = f"M{x1:.0f} {y1:.0f}C{middle:.0f} {y1:.0f} {middle:.0f} {y2:.0f} {x2:.0f} {y2:.0f}"
        ET.SubElement(
            self.links_layer, "path", {"d": path, "fill": "none", "stroke": LINK, "class": "link"}
        )
        said = _total(self.t, amounts) if amounts else ""
        if said:
            # Beside the box it enters: a fan of lines from one parent keeps its labels apart.
            text = svg.label(
                self.links_layer, x2 - 4, y2 - 4, said, room=COLUMN_W - BOX_W - 12, anchor="end"
            )
            text.set("class", "amount")
            text.set("font-size", "11")

    def box(self, box: _Box, layout: _Layout, heading: str) -> PictureRow:
        x, y = box.column * COLUMN_W, layout.y(box)
        if box.plot_label is not None:
            return self._plot(box, x, y, heading)
        if box.node is not None:
            return self._batch(box.node, x, y, heading, layout.graph.start_id == box.node.batch_id)
        return self._group(box, x, y, heading, layout)

    def _plot(self, box: _Box, x: float, y: float, heading: str) -> PictureRow:
        name, commune = box.plot_label or ("", "")
        group = ET.SubElement(self.boxes_layer, "g", {"class": "plot"})
        svg.rect(group, x, y, BOX_W, BOX_H, fill=PLOT_FILL, stroke=EDGE, rx="4")
        svg.label(group, x + 10, y + 20, name, room=BOX_W - 16, weight="bold")
        svg.label(group, x + 10, y + 38, commune, room=BOX_W - 16)
        return PictureRow(heading, name, self.t("trace_plot"), commune, "", "", False, None)

    def _batch(self, node: TraceNode, x: float, y: float, heading: str, start: bool) -> PictureRow:
        t = self.t
        holder, holder_in_full = self._holder(node)
        quantity = _amount(t, node.quantity) if node.quantity else t("trace_quantity_hidden")
        status = t.known("status", node.status)
        href = self.batch_href(node) if self.batch_href else None
        group = ET.SubElement(self.boxes_layer, "g", {"class": "node", "data-batch": node.code})
        edge = RECALLED if node.recalled else (START_EDGE if start else EDGE)
        width = "3" if node.recalled or start else "1"
        svg.rect(group, x, y, BOX_W, BOX_H, fill="#ffffff", stroke=edge, stroke_width=width, rx="4")
        origin, now_with = self._bands(node)
        svg.rect(group, x, y, BAND, BOX_H, fill=origin)
        svg.rect(group, x + BOX_W - BAND, y, BAND, BOX_H, fill=now_with)
        room = BOX_W - 2 * BAND - 10
        svg.label(group, x + BAND + 5, y + 16, node.code, room=room, weight="bold")
        svg.label(group, x + BAND + 5, y + 32, node.product, room=room)
        svg.label(group, x + BAND + 5, y + 48, holder, room=room)
        svg.label(group, x + BAND + 5, y + 64, f"{quantity} · {status}", room=room)
        if node.recalled:
            mark = t("trace_recalled_mark")
            mark_w = len(mark) * svg.GLYPH_WIDTH + 8
            svg.rect(group, x + BOX_W - BAND - mark_w, y - 9, mark_w, 16, fill=RECALLED, rx="3")
            text = svg.label(
                group,
                x + BOX_W - BAND - mark_w / 2,
                y + 3,
                mark,
                room=mark_w,
                anchor="middle",
                weight="bold",
            )
            text.set("fill", "#ffffff")
            text.set("class", "recall-mark")
        return PictureRow(
            heading, node.code, node.product, holder_in_full, quantity, status, node.recalled, href
        )

    def _group(self, box: _Box, x: float, y: float, heading: str, layout: _Layout) -> PictureRow:
        t = self.t
        members = box.members
        depth = members[0].depth
        count = t.number(len(members))
        products = {node.product for node in members}
        product = (
            next(iter(products))
            if len(products) == 1
            else t("trace_group_products", count=t.number(len(products)))
        )
        holders = {node.holder_id for node in members if node.holder_id}
        holder = t("trace_group_holders", count=t.number(len(holders)))
        quantity = _total(t, [node.quantity for node in members])
        recalled = sum(1 for node in members if node.recalled)
        href = self.expand_href(depth) if self.expand_href and box.expandable else None
        group = ET.SubElement(
            self.boxes_layer, "g", {"class": "group", "data-count": str(len(members))}
        )
        edge = RECALLED if recalled else EDGE
        svg.rect(group, x + 6, y + 6, BOX_W, BOX_H, fill=GROUP_FILL, stroke=EDGE, rx="4")
        svg.rect(
            group, x, y, BOX_W, BOX_H, fill=GROUP_FILL, stroke=edge, stroke_dasharray="5 3", rx="4"
        )
        room = BOX_W - 14
        svg.label(
            group, x + 8, y + 16, t("trace_group_more", count=count), room=room, weight="bold"
        )
        svg.label(group, x + 8, y + 32, product, room=room)
        svg.label(group, x + 8, y + 48, f"{quantity} · {holder}" if quantity else holder, room=room)
        status = t("trace_group_recalled", count=t.number(recalled)) if recalled else ""
        if href:
            svg.label(group, x + 8, y + 64, t("trace_group_expand"), room=room).set(
                "text-decoration", "underline"
            )
        return PictureRow(
            heading, f"+ {count}", product, holder, quantity, status, recalled > 0, href, group=True
        )

    def legend(self, top: float, graph: TraceGraph) -> None:
        legend = ET.SubElement(self.root, "g", {"class": "legend"})
        for i, party in enumerate(graph.parties):
            y = top + i * 22
            svg.rect(legend, 4, y, 14, 14, fill=self.colours[party.organisation_id])
            svg.label(legend, 24, y + 12, party.name, room=COLUMN_W * 2)

    def _holder(self, node: TraceNode) -> tuple[str, str]:
        """The holder as a box has room for it ("→ holder" when a shipment changed hands, the
        band telling where from), and in full for the table ("from → holder")."""
        holder = self.names.get(node.holder_id or "", "—")
        shipped = self.shipments.get(node.batch_id)
        first = self.names.get(shipped[0].from_id, "?") if shipped else holder
        if first == holder:
            return holder, holder
        return f"→ {holder}", f"{first} → {holder}"

    def _bands(self, node: TraceNode) -> tuple[str, str]:
        now_with = self.colours.get(node.holder_id or "", EDGE)
        shipped = self.shipments.get(node.batch_id)
        origin = self.colours.get(shipped[0].from_id, now_with) if shipped else now_with
        return origin, now_with


def _heading(t: Translator, key: str | int) -> str:
    if key == PLOTS:
        return t("trace_column_plots")
    assert isinstance(key, int)  # every other column is a depth
    if key == 0:
        return t("trace_column_start")
    if key < 0:
        return t("trace_column_back", steps=t.number(-key))
    return t("trace_column_forward", steps=t.number(key))


def _amount(t: Translator, amount: Amount) -> str:
    return f"{svg.number(t, amount.amount)} {t.known('work_unit', amount.unit)}"


def _total(t: Translator, amounts: Iterable[Amount | None]) -> str:
    """Amounts summed per unit family (kg and t together, in t from a tonne up); a hidden one
    makes the sum a lower bound, written "≥"."""
    mass = Decimal(0)
    others: dict[str, Decimal] = defaultdict(Decimal)
    hidden = False
    seen = False
    for amount in amounts:
        if amount is None:
            hidden = True
            continue
        seen = True
        if amount.unit in _MASS:
            mass += amount.amount * _MASS[amount.unit]
        else:
            others[amount.unit] += amount.amount
    if not seen:
        return ""
    parts = []
    if mass or not others:
        parts.append(_amount(t, Amount(mass / 1000, "t") if mass >= 1000 else Amount(mass, "kg")))
    parts += [_amount(t, Amount(value, unit)) for unit, value in sorted(others.items())]
    said = " + ".join(parts)
    return f"≥ {said}" if hidden else said

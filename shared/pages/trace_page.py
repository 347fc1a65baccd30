"""The staff apps' trace page, shared by the province's (``/province/trace/…``) and the
cooperative app's (``/app/lots/{code}/trace``): its GET form, and what the page shows.

Both apps read the same form (direction, as-of date, a GTIN's lot, the groups drawn in full) and
draw the same picture, balance and lists from a :class:`shared.trace.source.TraceSource`; they
differ only in who the viewer is and where a batch links to, so those two are passed in. The
page's template is ``trace_view.html`` beside the staff layout.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from shared.charts.svg import number, percent
from shared.charts.trace_balance import balance_picture
from shared.charts.trace_graph import TracePicture, trace_picture
from shared.i18n import Translator, has_message
from shared.pages.rendering import Chrome
from shared.trace.balance import MassBalance
from shared.trace.graph import Direction, TraceNode, TraceParty, TracePlot
from shared.trace.source import TraceAnswer, TraceQuery, TraceRefusal, TraceSource

GTIN = re.compile(r"\d{14}")
DIRECTIONS = tuple(Direction)


@dataclass(frozen=True)
class TraceForm:
    """What was typed (kept as typed), the errors at their fields, and the query when valid."""

    ref: str
    lot: str
    direction: str
    as_of: str
    expand: tuple[int, ...]
    errors: dict[str, str] = field(default_factory=dict)

    def query(self) -> TraceQuery | None:
        if self.errors or not self.ref:
            return None
        return TraceQuery(
            ref=self.ref,
            direction=Direction(self.direction),
            as_of=date.fromisoformat(self.as_of) if self.as_of else None,
            lot=self.lot or None,
        )


def read_form(params: Mapping[str, str], ref: str, t: Translator, today: date) -> TraceForm:
    """The trace page's GET form; a bad field gets its message, and nothing is traced."""
    ref = ref.strip()
    lot = params.get("lot", "").strip()
    direction = params.get("direction", "").strip() or Direction.BOTH.value
    as_of = params.get("as_of", "").strip()
    errors: dict[str, str] = {}
    if direction not in {one.value for one in DIRECTIONS}:
        errors["direction"] = t("trace_error_direction")
    if as_of and not _a_past_day(as_of, today):
        errors["as_of"] = t("trace_error_as_of")
    if GTIN.fullmatch(ref) and not lot:
        errors["lot"] = t("trace_error_lot")
    expand = tuple(
        int(one) for one in params.get("expand", "").split(",") if re.fullmatch(r"-?\d{1,3}", one)
    )
    return TraceForm(ref, lot, direction, as_of, expand, errors)


@dataclass(frozen=True)
class Asked:
    """What the page shows for a form: the answer (or none), the errors, the status."""

    answer: TraceAnswer | None
    errors: dict[str, str]
    status: int


def ask(source: TraceSource | None, form: TraceForm, viewer: str | None, t: Translator) -> Asked:
    """The form's question put to ``source``: 400 with the errors at their fields, 404 for a
    batch unknown or not the viewer's to trace, else the answer. Nothing is asked of a bad form."""
    query = form.query()
    if query is None:
        return Asked(None, form.errors, 400 if form.errors else 200)
    found = source.answer(query, viewer) if source is not None else None
    if isinstance(found, TraceRefusal):
        key = found.message if has_message(found.message, t.lang) else "trace_error_ref"
        return Asked(None, {found.field: t(key)}, 400)
    return Asked(found, {}, 200 if found else 404)


def _a_past_day(text: str, today: date) -> bool:
    try:
        return date.fromisoformat(text) <= today
    except ValueError:
        return False


@dataclass(frozen=True)
class BalanceLine:
    label: str
    value: str


@dataclass(frozen=True)
class TraceView:
    """Everything the page shows of one answer, in the reader's language."""

    answer: TraceAnswer
    start: TraceNode
    picture: TracePicture
    balance_svg: str
    balance_lines: tuple[BalanceLine, ...]
    other_units: tuple[tuple[str, tuple[BalanceLine, ...]], ...]
    parties: tuple[TraceParty, ...]
    plots: tuple[TracePlot, ...]
    communes: tuple[str, ...]
    collapse_href: str | None  # back to the grouped picture, when a group is drawn in full


def trace_view(
    answer: TraceAnswer,
    form: TraceForm,
    chrome: Chrome,
    batch_href: Callable[[TraceNode], str],
) -> TraceView:
    t = chrome.t
    graph = answer.graph

    def expand_href(depth: int) -> str:
        wanted = sorted({*form.expand, depth})
        return chrome.url_with(expand=",".join(str(one) for one in wanted))

    picture = trace_picture(
        graph, t, expand=form.expand, batch_href=batch_href, expand_href=expand_href
    )
    return TraceView(
        answer=answer,
        start=graph.node(graph.start_id),
        picture=picture,
        balance_svg=balance_picture(answer.balance, t),
        balance_lines=balance_lines(answer.balance, t),
        other_units=tuple(
            (t.known("work_unit", other.unit), balance_lines(other, t))
            for other in answer.balance.other_units
        ),
        parties=graph.parties,
        plots=graph.plots,
        communes=graph.communes,
        collapse_href=chrome.url_with(expand=None) if form.expand else None,
    )


def balance_lines(balance: MassBalance, t: Translator) -> tuple[BalanceLine, ...]:
    """The mass balance as the table under its bar: every figure with its unit."""
    unit = t.known("work_unit", balance.unit)

    def said(value: Decimal) -> str:
        return f"{number(t, value)} {unit}"

    share = (
        percent(t, balance.recovered_share * 100)
        if balance.recovered_share is not None
        else t("trace_balance_no_recall")
    )
    # Flows in and out of the chain, and what is on the road, only when there are some.
    optional = (
        ("trace_balance_on_road", balance.on_road),
        ("trace_balance_entered", balance.entered),
        ("trace_balance_left", balance.left),
    )
    return (
        BalanceLine(t("trace_balance_produced"), said(balance.produced)),
        BalanceLine(t("trace_balance_shipped"), said(balance.shipped)),
        BalanceLine(t("trace_balance_received"), said(balance.received)),
        BalanceLine(t("trace_balance_on_hand"), said(balance.on_hand)),
        *(BalanceLine(t(key), said(value)) for key, value in optional if value),
        BalanceLine(t("trace_balance_sold"), said(balance.sold)),
        BalanceLine(t("trace_balance_lost"), said(balance.lost_in_processing)),
        BalanceLine(t("trace_balance_unaccounted"), said(balance.unaccounted)),
        BalanceLine(t("trace_balance_recovered"), said(balance.recovered)),
        BalanceLine(t("trace_balance_share"), share),
    )


def direction_options(t: Translator) -> list[tuple[str, str]]:
    return [(one.value, t(f"trace_direction_{one.value}")) for one in DIRECTIONS]

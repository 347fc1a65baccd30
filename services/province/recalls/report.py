"""The recall report: the scenario and its start, the trace back and forward with the mass
balance, the holds, the notifications, the elapsed time and the gaps found, as tables.

The page shows the same ``Standing`` and ``ReportTraces``; the workbook is these tables through
``shared.exports.workbooks``, one sheet each, so the page and the file say the same. A drill's
report says it is a drill and gives its time-to-trace.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Protocol

from services.province.recalls.progress import Standing
from shared.readmodels.monitoring.figures import Column, Kind, Row, Table
from shared.readmodels.recalls import RecallView
from shared.readmodels.trace import PostgresTraces
from shared.trace.balance import MassBalance, balance
from shared.trace.graph import Amount, Direction, TraceGraph


class Tracer(Protocol):
    """The trace work's two answers the report needs (``build_trace`` and ``balance``)."""

    def trace(self, batch_id: str, direction: Direction) -> TraceGraph | None: ...

    def balance(self, graph: TraceGraph) -> MassBalance: ...


class ProjectedTracer(Tracer):
    """The trace projection's answers, as provincial staff see them (everything)."""

    def __init__(self, traces: PostgresTraces) -> None:
        self._traces = traces

    def trace(self, batch_id: str, direction: Direction) -> TraceGraph | None:
        return self._traces.trace(batch_id, direction, viewer=None).graph

    def balance(self, graph: TraceGraph) -> MassBalance:
        return balance(graph)


@dataclass(frozen=True)
class ReportTraces:
    back: TraceGraph | None
    forward: TraceGraph | None
    balance: MassBalance | None

    @property
    def known(self) -> bool:
        return self.back is not None or self.forward is not None


def report_traces(tracer: Tracer | None, view: RecallView) -> ReportTraces:
    if tracer is None:
        return ReportTraces(None, None, None)
    back = tracer.trace(view.batch_id, Direction.BACK)
    forward = tracer.trace(view.batch_id, Direction.FORWARD)
    return ReportTraces(back, forward, tracer.balance(forward) if forward is not None else None)


def moment(at: datetime | None) -> str | None:
    """A time as the report's cells write it (UTC, to the minute): the sheet's cells keep dates
    only, and a recall is timed in minutes."""
    return at.strftime("%Y-%m-%d %H:%M UTC") if at is not None else None


def _amount(value: Amount | None) -> Decimal | None:
    return value.amount if value is not None else None


_T = Kind.TEXT
_A = Kind.AMOUNT


def _columns(*specs: tuple[str, Kind]) -> tuple[Column, ...]:
    return tuple(Column(key, f"recall_col_{key}", kind) for key, kind in specs)


def report_tables(where: Standing, traces: ReportTraces) -> tuple[Table, ...]:
    tables = [_scenario(where), _notifications(where), _holds(where)]
    if traces.balance is not None:
        tables.append(_balance(traces.balance))
    for key, graph in (("back", traces.back), ("forward", traces.forward)):
        if graph is not None:
            tables.append(_trace(key, graph))
    tables.append(_gaps(where))
    return tuple(tables)


def _scenario(where: Standing) -> Table:
    view = where.view
    facts: list[tuple[str, str | int | Decimal | None]] = [
        ("recall_fact_kind", "recall_kind_drill" if view.drill else "recall_kind_recall"),
        ("recall_fact_batch", view.batch_code),
        ("recall_fact_reason", view.reason),
        ("recall_fact_issued_by", _issuer(view.issued_by_name)),
        ("recall_fact_state", f"recall_state_{view.state}"),
        ("recall_fact_opened_at", moment(view.opened_at)),
        ("recall_fact_closed_at", moment(view.closed_at)),
        ("recall_fact_lifted_at", moment(view.lifted_at)),
        ("recall_fact_lift_reason", view.lift_reason),
        ("recall_fact_elapsed_minutes", int(where.elapsed.total_seconds() // 60)),
        ("recall_fact_time_to_trace_ms", view.time_to_trace_ms),
    ]
    main = where.main
    if main is not None:
        facts += [
            ("recall_fact_affected", f"{main.affected} {main.unit}"),
            ("recall_fact_accounted", f"{main.accounted} {main.unit}"),
            ("recall_fact_outstanding", f"{main.outstanding} {main.unit}"),
        ]
    rows = tuple(Row({"fact": fact, "value": value}) for fact, value in facts)
    return Table("scenario", "recall_sheet_scenario", _columns(("fact", _T), ("value", _T)), rows)


def _notifications(where: Standing) -> Table:
    columns = _columns(
        ("holder", _T), ("notified_at", _T), ("opened_at", _T), ("acknowledged_at", _T),
        ("accounted", _T),
    )  # fmt: skip
    rows = tuple(
        Row(
            {
                "holder": h.name,
                "notified_at": moment(h.notified_at),
                "opened_at": moment(h.opened_at),
                "acknowledged_at": moment(h.acknowledged_at),
                "accounted": "recall_yes" if h.accounted else "recall_no",
            }
        )
        for h in where.view.holders
    )
    return Table("notifications", "recall_sheet_notifications", columns, rows)


def _holds(where: Standing) -> Table:
    columns = _columns(
        ("holder", _T), ("lot", _T), ("product", _T), ("unit", _T), ("affected", _A),
        ("withdrawn", _A), ("destroyed", _A), ("sold_before", _A), ("outstanding", _A),
    )  # fmt: skip
    rows = tuple(
        Row(
            {
                "holder": s.holder.name,
                "lot": s.lot.code,
                "product": s.lot.product,
                "unit": s.unit,
                "affected": _amount(s.lot.affected),
                "withdrawn": _amount(s.lot.withdrawn),
                "destroyed": _amount(s.lot.destroyed),
                "sold_before": _amount(s.lot.sold_before),
                "outstanding": s.outstanding,
            }
        )
        for s in where.lots
    )
    return Table("holds", "recall_sheet_holds", columns, rows)


def _balance(balance: MassBalance) -> Table:
    columns = _columns(
        ("unit", _T), ("produced", _A), ("shipped", _A), ("received", _A), ("on_hand", _A),
        ("sold", _A), ("lost_in_processing", _A), ("unaccounted", _A), ("recovered", _A),
        ("recovered_share", Kind.PERCENT),
    )  # fmt: skip

    def row(b: MassBalance) -> Row:
        share = b.recovered_share * 100 if b.recovered_share is not None else None
        return Row(
            {
                "unit": b.unit, "produced": b.produced, "shipped": b.shipped,
                "received": b.received, "on_hand": b.on_hand, "sold": b.sold,
                "lost_in_processing": b.lost_in_processing, "unaccounted": b.unaccounted,
                "recovered": b.recovered, "recovered_share": share,
            }
        )  # fmt: skip

    rows = (row(balance), *(row(other) for other in balance.other_units))
    return Table("balance", "recall_sheet_balance", columns, rows)


def _trace(key: str, graph: TraceGraph) -> Table:
    names = {p.organisation_id: p.name for p in graph.parties}
    columns = _columns(
        ("depth", Kind.COUNT), ("lot", _T), ("product", _T), ("holder", _T), ("status", _T),
        ("quantity", _A), ("unit", _T), ("recalled", _T),
    )  # fmt: skip
    rows = tuple(
        Row(
            {
                "depth": n.depth,
                "lot": n.code,
                "product": n.product,
                "holder": names.get(n.holder_id or "", n.holder_id),
                "status": f"status_{n.status}",
                "quantity": _amount(n.quantity),
                "unit": n.quantity.unit if n.quantity else None,
                "recalled": "recall_yes" if n.recalled else "recall_no",
            }
        )
        for n in sorted(graph.nodes, key=lambda n: (abs(n.depth), n.code))
    )
    return Table(f"trace_{key}", f"recall_sheet_trace_{key}", columns, rows)


def _gaps(where: Standing) -> Table:
    gaps = where.gaps
    found: list[tuple[str, str]] = []
    found += [("recall_gap_not_acknowledged", h.name) for h in gaps.not_acknowledged]
    found += [
        ("recall_gap_unaccounted", f"{s.holder.name} · {s.lot.code}: {s.outstanding} {s.unit}")
        for s in gaps.unaccounted
    ]
    found += [
        ("recall_gap_unknown_quantity", f"{s.holder.name} · {s.lot.code}")
        for s in gaps.unknown_quantity
    ]
    found += [("recall_gap_without_holder", code) for code in gaps.without_holder]
    rows = tuple(Row({"gap": gap, "what": what}) for gap, what in found)
    return Table("gaps", "recall_sheet_gaps", _columns(("gap", _T), ("what", _T)), rows)


def _issuer(name: str) -> str:
    # The recall model names a recall the province issued "province": the sheet's word for it.
    return "recall_issuer_province" if name == "province" else name

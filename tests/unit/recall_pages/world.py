"""Recalls for page tests: hand-built ``RecallView``s in a fake ``RecallReader``, desks that
record what the pages asked of them, and the two apps' recall routers on their own.

The fakes subclass the real interfaces (``RecallReader``, ``RecallDesk``, ``NoticeDesk``) and
apply the same visibility rule the projection must: a holder sees its own part, the initiator
all. Tests that store real recalls live in ``tests/integration/recall_pages``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from uuid import UUID, uuid4

from fastapi import FastAPI

from services.cooperative_app import app as cooperative_app
from services.cooperative_app.recalls import router as notices_router
from services.cooperative_app.recalls.desk import LotReport, NoticeDesk
from services.province import app as province_app
from services.province.recalls import Picture
from services.province.recalls import router as recalls_router
from services.province.recalls.desk import RecallDesk, Started
from services.province.recalls.report import Tracer
from shared.accounts.access import NotAllowed, SignInNeeded
from shared.domain.errors import DomainError
from shared.pages import Pages
from shared.readmodels.recalls import AffectedLot, RecallHolder, RecallReader, RecallView
from shared.records.actors import Actor
from shared.trace.balance import MassBalance
from shared.trace.graph import Amount, Direction, TraceGraph, TraceNode
from tests.registry_world import HeaderGate

STARTED = datetime(2026, 11, 30, 8, 0, tzinfo=UTC)
COOPERATIVE = UUID("11111111-1111-4111-8111-111111111111")  # the initiator and a holder
MILL = UUID("22222222-2222-4222-8222-222222222222")
SHOP = UUID("33333333-3333-4333-8333-333333333333")
STRANGER = UUID("44444444-4444-4444-8444-444444444444")


def kg(amount: str) -> Amount:
    return Amount(Decimal(amount), "kg")


def a_recall(*, drill: bool = False, state: str = "open", **changes: object) -> RecallView:
    """A harvest recalled by its cooperative: 300 kg with the cooperative, a 500 kg milled lot
    at the mill (200 withdrawn, 300 destroyed, acknowledged), 120 kg at a shop (not opened)."""
    holders = (
        RecallHolder(
            str(COOPERATIVE), "HTX Xuân Lập",
            (AffectedLot("b-1", "TH-2026-000001", "Lúa ST25", kg("300"), None, None, None),),
            notified_at=STARTED, opened_at=STARTED + timedelta(minutes=5),
            acknowledged_at=None, accounted=False,
        ),
        RecallHolder(
            str(MILL), "Nhà máy xay Thọ Xuân",
            (AffectedLot("b-2", "TH-2026-000002", "Gạo ST25", kg("500"), kg("200"), kg("300"),
                         None),),
            notified_at=STARTED, opened_at=STARTED + timedelta(minutes=2),
            acknowledged_at=STARTED + timedelta(minutes=30), accounted=True,
        ),
        RecallHolder(
            str(SHOP), "Cửa hàng Sao Mai",
            (AffectedLot("b-3", "TH-2026-000003", "Gạo ST25 túi 5 kg", kg("120"), None, None,
                         kg("20")),),
            notified_at=STARTED, opened_at=None, acknowledged_at=None, accounted=False,
        ),
    )  # fmt: skip
    view = RecallView(
        recall_id=str(uuid4()),
        batch_id="b-1",
        batch_code="TH-2026-000001",
        drill=drill,
        state=state,
        reason="Dư lượng thuốc bảo vệ thực vật vượt ngưỡng",
        issued_by=str(COOPERATIVE),
        issued_by_name="HTX Xuân Lập",
        opened_at=STARTED,
        closed_at=None,
        lifted_at=None,
        lift_reason=None,
        holders=holders,
        time_to_trace_ms=840 if drill else None,
    )
    return replace(view, **changes)  # type: ignore[arg-type]


class FakeRecalls(RecallReader):
    """Hand-built recalls, shown to each viewer as the handbook's table says."""

    def __init__(self, *views: RecallView) -> None:
        self.views = list(views)

    def recalls(self, *, viewer: UUID | None, include_drills: bool = True) -> Sequence[RecallView]:
        shown = [self._as_seen(v, viewer) for v in self.views if include_drills or not v.drill]
        return [v for v in shown if v is not None]

    def recall(self, recall_id: UUID, *, viewer: UUID | None) -> RecallView | None:
        found = next((v for v in self.views if v.recall_id == str(recall_id)), None)
        return self._as_seen(found, viewer) if found is not None else None

    def inbox(self, organisation_id: UUID) -> Sequence[RecallView]:
        mine = [self._as_seen(v, organisation_id) for v in self.views]
        reached = [v for v in mine if v is not None and v.holders]
        return sorted(reached, key=lambda v: v.opened_at, reverse=True)

    def unanswered(self, organisation_id: UUID) -> int:
        mine = (v for v in self.inbox(organisation_id) if v.state == "open")
        return sum(1 for v in mine if any(h.acknowledged_at is None for h in v.holders))

    @staticmethod
    def _as_seen(view: RecallView, viewer: UUID | None) -> RecallView | None:
        if viewer is None or view.issued_by == str(viewer):
            return view
        own = tuple(h for h in view.holders if h.organisation_id == str(viewer))
        return replace(view, holders=own) if own else None


@dataclass
class FakeRecallDesk(RecallDesk):
    """Stores nothing; remembers what it was asked, and refuses what a test says it must."""

    started: list[tuple[str, str, bool]] = field(default_factory=list)
    lifted: list[tuple[UUID, str]] = field(default_factory=list)
    refusal: DomainError | None = None

    def batch_code(self, *, code: str, gtin: str, lot: str) -> str:
        if not code and not (gtin and lot):
            raise DomainError(
                "name the batch", code="recall_batch_missing", params={"field": "batch"}
            )
        return code or f"{gtin}/{lot}"

    def start(self, actor: Actor, *, batch_code: str, reason: str, drill: bool) -> Started:
        if self.refusal is not None:
            raise self.refusal
        self.started.append((batch_code, reason, drill))
        return Started(batch_code=batch_code, position=7)

    def lift(self, actor: Actor, *, recall_id: UUID, reason: str) -> int:
        if self.refusal is not None:
            raise self.refusal
        self.lifted.append((recall_id, reason))
        return 8


@dataclass
class FakeNoticeDesk(NoticeDesk):
    opened_by: list[tuple[UUID | None, UUID]] = field(default_factory=list)
    acknowledged_by: list[tuple[UUID | None, UUID]] = field(default_factory=list)
    reports: list[LotReport] = field(default_factory=list)
    refusal: DomainError | None = None

    def opened(self, actor: Actor, *, recall_id: UUID) -> int:
        if self.refusal is not None:
            raise self.refusal
        self.opened_by.append((actor.organisation_id, recall_id))
        return 1

    def acknowledge(self, actor: Actor, *, recall_id: UUID) -> int:
        if self.refusal is not None:
            raise self.refusal
        self.acknowledged_by.append((actor.organisation_id, recall_id))
        return 2

    def report(self, actor: Actor, *, recall_id: UUID, lot: LotReport) -> int:
        if self.refusal is not None:
            raise self.refusal
        self.reports.append(lot)
        return 3


def a_node(batch_id: str, code: str, depth: int, holder: str | None, status: str) -> TraceNode:
    return TraceNode(
        batch_id=batch_id, code=code, product="Gạo ST25", depth=depth, holder_id=holder,
        status=status, quantity=kg("100"), produced=kg("100"), produced_at=STARTED,
        recalled=True, recall_origin="TH-2026-000001",
    )  # fmt: skip


class FakeTracer(Tracer):
    """A forward trace with one lot no holder lists (b-4, with nobody), and its balance."""

    def trace(self, batch_id: str, direction: Direction) -> TraceGraph | None:
        nodes: tuple[TraceNode, ...] = (
            a_node("b-1", "TH-2026-000001", 0, str(COOPERATIVE), "active"),
            a_node("b-2", "TH-2026-000002", 1, str(MILL), "active"),
            a_node("b-3", "TH-2026-000003", 2, str(SHOP), "active"),
            a_node("b-4", "TH-2026-000004", 2, None, "in_transit"),
        )
        if direction is Direction.BACK:
            nodes = nodes[:1]
        return TraceGraph(batch_id, direction, None, None, nodes, (), (), (), ())

    def balance(self, graph: TraceGraph) -> MassBalance:
        return MassBalance(
            unit="kg", produced=Decimal(1000), shipped=Decimal(620), received=Decimal(620),
            on_hand=Decimal(920), sold=Decimal(20), lost_in_processing=Decimal(60),
            unaccounted=Decimal(0), recovered=Decimal(500), recovered_share=Decimal("0.545"),
        )  # fmt: skip


def _handlers(app: FastAPI, pages: Pages) -> None:
    app.state.gate = HeaderGate()
    app.state.pages = pages

    async def to_sign_in(_request: object, error: Exception) -> object:
        from starlette.responses import RedirectResponse

        assert isinstance(error, SignInNeeded)
        return RedirectResponse(error.location, status_code=303)

    async def forbidden(_request: object, error: Exception) -> object:
        from starlette.responses import PlainTextResponse

        return PlainTextResponse(str(error), status_code=403)

    app.add_exception_handler(SignInNeeded, to_sign_in)  # type: ignore[arg-type]
    app.add_exception_handler(NotAllowed, forbidden)  # type: ignore[arg-type]


def province_recalls(
    reader: RecallReader,
    desk: RecallDesk,
    tracer: Tracer | None = None,
    picture: Picture | None = None,
) -> FastAPI:
    """The province's recall pages alone, under the province's own templates and tabs."""
    app = FastAPI()
    pages = Pages(Path(province_app.TEMPLATES), nav=province_app.NAV)
    _handlers(app, pages)
    app.include_router(recalls_router(pages, reader, desk, tracer, picture))
    return app


def app_notices(reader: RecallReader, desk: NoticeDesk) -> FastAPI:
    """The cooperative app's recall inbox alone, under the app's own templates and tabs."""
    app = FastAPI()
    badge = cooperative_app.RecallBadge(HeaderGate(), reader)
    pages = Pages(Path(cooperative_app.TEMPLATES), nav=cooperative_app.NAV, badges=badge)
    _handlers(app, pages)
    app.include_router(notices_router(pages, reader, desk))
    return app

"""Where a recall stands, computed from its view alone: what is affected, what came back, the gaps.

One place for the rule "accounted = withdrawn + destroyed" (a lot already sold before the recall
is to be recovered from buyers, so it counts as outstanding until withdrawn), used by the recall's
page, its report and the report's workbook, so the three always agree.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal

from shared.readmodels.recalls import AffectedLot, RecallHolder, RecallView
from shared.trace.graph import Amount, TraceGraph

# Batches in these states are out of every holder's hands: a lot in them needs no holder.
_GONE = frozenset({"sold", "consumed", "destroyed"})


@dataclass(frozen=True)
class LotStanding:
    holder: RecallHolder
    lot: AffectedLot
    accounted: Decimal | None  # withdrawn + destroyed, in the affected quantity's unit
    outstanding: Decimal | None  # None: the holder has not published the quantity

    @property
    def unit(self) -> str | None:
        return self.lot.affected.unit if self.lot.affected else None


@dataclass(frozen=True)
class Totals:
    """One unit's sums over every affected lot whose quantity is known."""

    unit: str
    affected: Decimal
    accounted: Decimal

    @property
    def outstanding(self) -> Decimal:
        return max(self.affected - self.accounted, Decimal(0))

    @property
    def share(self) -> Decimal | None:
        """The accounted share, 0 to 1 (None when nothing known is affected)."""
        if not self.affected:
            return None
        return min(self.accounted / self.affected, Decimal(1))


@dataclass(frozen=True)
class Gaps:
    """What the report must point at: who has not answered, what is missing, what nobody holds."""

    not_acknowledged: tuple[RecallHolder, ...]
    unaccounted: tuple[LotStanding, ...]
    unknown_quantity: tuple[LotStanding, ...]
    without_holder: tuple[str, ...]  # codes of reached batches no holder lists

    @property
    def none(self) -> bool:
        return not (
            self.not_acknowledged
            or self.unaccounted
            or self.unknown_quantity
            or self.without_holder
        )


@dataclass(frozen=True)
class Standing:
    view: RecallView
    lots: tuple[LotStanding, ...]
    totals: tuple[Totals, ...]
    gaps: Gaps
    elapsed: timedelta

    @property
    def main(self) -> Totals | None:
        """The unit most of the affected quantity is counted in (kg for most chains)."""
        return max(self.totals, key=lambda t: t.affected) if self.totals else None


def standing(view: RecallView, *, now: datetime, forward: TraceGraph | None = None) -> Standing:
    lots = tuple(_lot(holder, lot) for holder in view.holders for lot in holder.lots)
    ended = view.closed_at or view.lifted_at or now
    return Standing(
        view=view,
        lots=lots,
        totals=_totals(lots),
        gaps=Gaps(
            not_acknowledged=tuple(h for h in view.holders if h.acknowledged_at is None),
            unaccounted=tuple(s for s in lots if s.outstanding),
            unknown_quantity=tuple(s for s in lots if s.outstanding is None),
            without_holder=_without_holder(view, forward),
        ),
        elapsed=max(ended - view.opened_at, timedelta(0)),
    )


def _lot(holder: RecallHolder, lot: AffectedLot) -> LotStanding:
    if lot.affected is None:
        return LotStanding(holder, lot, None, None)
    unit = lot.affected.unit
    accounted = _in(lot.withdrawn, unit) + _in(lot.destroyed, unit)
    return LotStanding(holder, lot, accounted, max(lot.affected.amount - accounted, Decimal(0)))


def _in(amount: Amount | None, unit: str) -> Decimal:
    # A report in another unit than the affected quantity cannot be added to it: the lot stays
    # outstanding, which the gaps then show, rather than a sum of kilograms and pieces.
    return amount.amount if amount is not None and amount.unit == unit else Decimal(0)


def _totals(lots: Iterable[LotStanding]) -> tuple[Totals, ...]:
    sums: dict[str, tuple[Decimal, Decimal]] = {}
    for s in lots:
        if s.lot.affected is None or s.accounted is None:
            continue
        affected, accounted = sums.get(s.lot.affected.unit, (Decimal(0), Decimal(0)))
        sums[s.lot.affected.unit] = (affected + s.lot.affected.amount, accounted + s.accounted)
    return tuple(Totals(unit, a, b) for unit, (a, b) in sorted(sums.items()))


def _without_holder(view: RecallView, forward: TraceGraph | None) -> tuple[str, ...]:
    if forward is None:
        return ()
    listed = {lot.batch_id for holder in view.holders for lot in holder.lots}
    return tuple(
        sorted(
            n.code
            for n in forward.nodes
            if n.depth >= 0 and n.batch_id not in listed and n.status not in _GONE
        )
    )

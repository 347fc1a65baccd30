"""The mass balance of a trace: where every kilogram went, computed from the graph alone.

Filled in by the trace work (issue 10): ``balance(graph) -> MassBalance``.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal


@dataclass(frozen=True)
class MassBalance:
    """Kilograms (pieces, litres... counted apart in ``other_units``) through the traced chain.

    ``produced`` harvested or made at the chain's roots; ``shipped`` and ``received`` on the road
    and off it; ``on_hand`` held now; ``sold`` sold or consumed; ``lost_in_processing`` what
    transformations took in minus what they gave out; ``unaccounted`` what none of these
    explains; ``recovered`` withdrawn or destroyed under a recall, ``recovered_share`` of the
    affected quantity (None with no recall).
    """

    unit: str
    produced: Decimal
    shipped: Decimal
    received: Decimal
    on_hand: Decimal
    sold: Decimal
    lost_in_processing: Decimal
    unaccounted: Decimal
    recovered: Decimal
    recovered_share: Decimal | None
    other_units: tuple[MassBalance, ...] = ()

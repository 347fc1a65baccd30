"""Where the staff apps' trace pages get a trace from: one question in, a graph and its balance out.

The pages know neither SQL nor how a reference is resolved: they ask a ``TraceSource``. The
platform gives them the read models' (``build_trace`` and ``balance`` over PostgreSQL); page tests
give them a fake that subclasses this one. Rights are the source's to apply (``viewer`` None is
the province, which sees everything; otherwise an organisation id): a batch the viewer may not
trace is answered ``None``, exactly like a batch that does not exist.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass
from datetime import date

from shared.trace.balance import MassBalance
from shared.trace.graph import Direction, TraceGraph


@dataclass(frozen=True)
class TraceQuery:
    """A batch code or id in ``ref``, or a GTIN in ``ref`` with its ``lot``."""

    ref: str
    direction: Direction = Direction.BOTH
    as_of: date | None = None
    lot: str | None = None


@dataclass(frozen=True)
class TraceAnswer:
    graph: TraceGraph
    balance: MassBalance


@dataclass(frozen=True)
class TraceRefusal:
    """The question cannot be answered as asked: the form's ``field`` and a message id for it
    (a code that names no batch, a GTIN and lot that label several, a day before the batch)."""

    field: str
    message: str


class TraceSource(ABC):
    @abstractmethod
    def answer(self, query: TraceQuery, viewer: str | None) -> TraceAnswer | TraceRefusal | None:
        """The trace ``query`` asks for as ``viewer`` may see it; None if unknown or not theirs."""

"""What an indicator answers: figures with their denominators, series, tables, drill-downs.

Pure data, no database: the monitoring queries build these, and every surface (the dashboard's
pages and SVG charts, XLSX and CSV exports, the monitoring JSON API) renders them generically.
Every label is a message id of the catalogues (``shared/i18n``), so each surface words it in
its reader's language; values are numbers, dates or plain text as recorded.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum
from typing import Protocol
from uuid import UUID

Value = int | Decimal | str | date | None


class Kind(StrEnum):
    """How a column's values are written (and summed, and drawn)."""

    COUNT = "count"  # an int
    AMOUNT = "amount"  # a Decimal, e.g. tonnes, hectares, VND
    PERCENT = "percent"  # a Decimal between 0 and 100
    TEXT = "text"
    DATE = "date"
    MONTH = "month"  # a date, the first of its month


@dataclass(frozen=True)
class Filters:
    """Which facts a figure counts.

    ``as_of``: facts whose business date is on or before it, as known now (a late entry counts
    on the day it describes). ``known_at``: only what had been recorded by then, to reproduce a
    report already sent. ``organisation_id``: an organisation reading its own figures only.
    """

    as_of: date
    known_at: datetime | None = None
    commune: str | None = None
    former_district: str | None = None
    sector: str | None = None
    commodity: str | None = None
    value_chain_id: UUID | None = None
    organisation_id: UUID | None = None


@dataclass(frozen=True)
class Share:
    """A part of a whole: the numerator and the denominator are always stated with it."""

    numerator: int | Decimal
    denominator: int | Decimal
    numerator_label: str  # message id, e.g. "mon_active_in_chain"
    denominator_label: str  # message id, e.g. "mon_active_cooperatives"

    @property
    def percent(self) -> Decimal | None:
        if not self.denominator:
            return None
        return (Decimal(self.numerator) * 100 / Decimal(self.denominator)).quantize(Decimal("0.1"))


@dataclass(frozen=True)
class Figure:
    """One headline number of an indicator: a plain value, or a share of a stated whole."""

    label: str  # message id
    value: Value | Share
    kind: Kind = Kind.COUNT
    drill: str | None = None  # the drill-down key (see Indicators.drill) listing what it counts


@dataclass(frozen=True)
class Column:
    key: str
    label: str  # message id
    kind: Kind = Kind.COUNT


@dataclass(frozen=True)
class Row:
    values: dict[str, Value]  # by column key
    drill: str | None = None  # the drill-down key of the cooperatives behind this row
    link: str | None = None  # a page of the registry this row is about, if any


@dataclass(frozen=True)
class Table:
    key: str
    title: str  # message id
    columns: tuple[Column, ...]
    rows: tuple[Row, ...]
    note: str | None = None  # message id: what is counted, where a title cannot say it all


@dataclass(frozen=True)
class Series:
    """Values over months (or years): a line or bar chart, and a table of the same numbers."""

    key: str
    title: str  # message id
    unit: Kind
    points: tuple[tuple[date, int | Decimal], ...]
    label: str | None = None  # message id of this line when several share a chart


@dataclass(frozen=True)
class Indicator:
    key: str  # "cooperatives", "in_value_chain", "contracts", "chains", "households",
    # "support", "certified", "traceability", "timeliness"
    title: str  # message id
    description: str  # message id: what it counts, numerator and denominator in words
    figures: tuple[Figure, ...]
    tables: tuple[Table, ...] = ()
    series: tuple[Series, ...] = ()
    as_of: date | None = None
    known_at: datetime | None = None


@dataclass(frozen=True)
class CooperativeLine:
    """A cooperative behind a figure, in a drill-down list."""

    id: UUID
    name: str
    commune: str
    former_district: str | None
    sector: str | None
    model: str | None
    status: str


@dataclass(frozen=True)
class Choices:
    """What the filters offer, from the recorded facts."""

    communes: tuple[str, ...]
    former_districts: tuple[str, ...]
    sectors: tuple[str, ...]
    commodities: tuple[str, ...]
    value_chains: tuple[tuple[UUID, str], ...]
    programmes: tuple[str, ...] = field(default=())


INDICATOR_KEYS = (
    "cooperatives",
    "in_value_chain",
    "contracts",
    "chains",
    "households",
    "support",
    "certified",
    "traceability",
    "timeliness",
)


class Indicators(Protocol):
    """The monitoring figures, as of a date, filtered. Implemented over the monitoring
    projection's tables (``shared.readmodels.monitoring.queries``)."""

    def indicator(self, key: str, filters: Filters) -> Indicator:
        """One of ``INDICATOR_KEYS``; a ``KeyError`` for any other key."""

    def drill(self, key: str, filters: Filters) -> list[CooperativeLine]:
        """The cooperatives behind a figure's or a row's ``drill`` key, under the same filters."""

    def choices(self) -> Choices:
        """The filter options (communes, former districts, sectors, commodities, chains)."""

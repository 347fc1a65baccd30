"""The monitoring API's query and answers: an indicator as JSON for the province's own systems.

The answers mirror :mod:`shared.readmodels.monitoring.figures` one to one. Numbers that may be
fractional (kilograms, hectares, VND, percentages) travel as decimal strings, as every amount of
this API does; counts as integers; dates as ISO text. Labels are message ids of the catalogues
(``mon_…``): a client words them itself, in its own language.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Literal
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field

from services.capture.schemas.common import NO_NUL, Day, Moment
from shared.domain.clock import today_in_vietnam
from shared.readmodels.monitoring import figures as f

ValueOut = int | str | None


class MonitoringQuery(BaseModel):
    """``as_of`` (default today in Vietnam), ``known_at`` and the filters, as query parameters."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    as_of: Day | None = Field(default=None, description="facts dated on or before this day")
    known_at: Moment | None = Field(
        default=None, description="only what had been recorded by then (reproduce a report)"
    )
    commune: str | None = Field(default=None, min_length=1, max_length=200, pattern=NO_NUL)
    former_district: str | None = Field(default=None, min_length=1, max_length=200, pattern=NO_NUL)
    sector: str | None = Field(default=None, min_length=1, max_length=200, pattern=NO_NUL)
    commodity: str | None = Field(default=None, min_length=1, max_length=200, pattern=NO_NUL)
    value_chain_id: UUID | None = None
    organisation_id: UUID | None = Field(
        default=None, description="staff: one organisation's figures; organisations: their own"
    )
    drill: str | None = Field(
        default=None,
        min_length=1,
        max_length=500,
        pattern=NO_NUL,
        description="for /cooperatives: the drill key of a figure or row",
    )

    def filters(self, organisation_id: UUID | None) -> f.Filters:
        return f.Filters(
            as_of=self.as_of or today_in_vietnam(),
            known_at=self.known_at,
            commune=self.commune,
            former_district=self.former_district,
            sector=self.sector,
            commodity=self.commodity,
            value_chain_id=self.value_chain_id,
            organisation_id=organisation_id,
        )


class ShareOut(BaseModel):
    numerator: str
    denominator: str
    numerator_label: str
    denominator_label: str
    percent: str | None


class FigureOut(BaseModel):
    label: str
    kind: str
    value: ValueOut = None
    share: ShareOut | None = None
    drill: str | None = None


class ColumnOut(BaseModel):
    key: str
    label: str
    kind: str


class RowOut(BaseModel):
    values: dict[str, ValueOut]
    drill: str | None = None
    link: str | None = None


class TableOut(BaseModel):
    key: str
    title: str
    columns: list[ColumnOut]
    rows: list[RowOut]
    note: str | None = None


class PointOut(BaseModel):
    on: str
    value: str


class SeriesOut(BaseModel):
    key: str
    title: str
    unit: str
    label: str | None
    points: list[PointOut]


class IndicatorOut(BaseModel):
    key: str
    title: str
    description: str
    as_of: str | None
    known_at: str | None
    figures: list[FigureOut]
    tables: list[TableOut]
    series: list[SeriesOut]


class IndicatorKeys(BaseModel):
    keys: list[str]
    links: dict[str, str]


class CooperativeLineOut(BaseModel):
    id: UUID
    name: str
    commune: str
    former_district: str | None
    sector: str | None
    model: str | None
    status: str


class DrillAnswer(BaseModel):
    key: str
    drill: str
    as_of: str
    known_at: str | None
    kind: Literal["cooperatives"] = "cooperatives"
    cooperatives: list[CooperativeLineOut]


def value_out(value: f.Value) -> ValueOut:
    if value is None or isinstance(value, int):
        return value
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def indicator_out(indicator: f.Indicator) -> IndicatorOut:
    return IndicatorOut(
        key=indicator.key,
        title=indicator.title,
        description=indicator.description,
        as_of=indicator.as_of.isoformat() if indicator.as_of else None,
        known_at=indicator.known_at.isoformat() if indicator.known_at else None,
        figures=[_figure_out(figure) for figure in indicator.figures],
        tables=[
            TableOut(
                key=t.key,
                title=t.title,
                columns=[ColumnOut(key=c.key, label=c.label, kind=c.kind.value) for c in t.columns],
                rows=[
                    RowOut(
                        values={k: value_out(v) for k, v in r.values.items()},
                        drill=r.drill,
                        link=r.link,
                    )
                    for r in t.rows
                ],
                note=t.note,
            )
            for t in indicator.tables
        ],
        series=[
            SeriesOut(
                key=s.key,
                title=s.title,
                unit=s.unit.value,
                label=s.label,
                points=[PointOut(on=d.isoformat(), value=str(v)) for d, v in s.points],
            )
            for s in indicator.series
        ],
    )


def _figure_out(figure: f.Figure) -> FigureOut:
    if isinstance(figure.value, f.Share):
        share = figure.value
        percent = share.percent
        return FigureOut(
            label=figure.label,
            kind="share",
            share=ShareOut(
                numerator=str(share.numerator),
                denominator=str(share.denominator),
                numerator_label=share.numerator_label,
                denominator_label=share.denominator_label,
                percent=str(percent) if percent is not None else None,
            ),
            drill=figure.drill,
        )
    return FigureOut(
        label=figure.label,
        kind=figure.kind.value,
        value=value_out(figure.value),
        drill=figure.drill,
    )


def line_out(line: f.CooperativeLine) -> CooperativeLineOut:
    return CooperativeLineOut(
        id=line.id,
        name=line.name,
        commune=line.commune,
        former_district=line.former_district,
        sector=line.sector,
        model=line.model,
        status=line.status,
    )

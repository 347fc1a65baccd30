"""The province's indicators, computed at request time from the monitoring projection's tables.

:class:`PostgresIndicators` implements :class:`~shared.readmodels.monitoring.figures.Indicators`
for every key of ``INDICATOR_KEYS``. Each indicator is a few SQL statements over dated facts
(:mod:`shared.readmodels.monitoring.rules` holds every rule once); whatever counts cooperatives
carries a ``drill`` key that :meth:`PostgresIndicators.drill` turns into the list behind it.

Filters come in two kinds. The population (commune, former district, sector, organisation)
says which cooperatives are counted; the chain filters (commodity, value chain) say which
chains, contracts and lots count. "In a value chain" keeps all active cooperatives of the
population as its denominator and counts in its numerator those in a chain of the commodity or
chain asked for. Windows of "the 12 months to D" run from the day after D a year earlier to D.

Asked without "known at" (as known now), the busiest facts are read from their summaries
(:mod:`shared.readmodels.monitoring.summaries`), in the same shape and under the same rules; with
"known at", from the dated rows themselves. Both give the same figures.

Drill keys read ``set`` or ``set|name=value|...``: the set names the rule (``active``,
``in_chain``, ``linked_strict``, ``certified``...), the qualifiers narrow it (``commune=…``,
``sector=…``, ``model=…``, ``status=…``, ``scheme=…``, ``programme=…``, ``year=…``,
``contract=<chain id>/<number>``, ``cooperative=<id>``).
"""

from __future__ import annotations

from bisect import bisect_right
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from datetime import date
from decimal import Decimal
from functools import cache
from typing import Any, Final
from uuid import UUID

import psycopg

from shared.domain import clock
from shared.errors import NguonError
from shared.readmodels.monitoring import rules, summaries
from shared.readmodels.monitoring.figures import (
    INDICATOR_KEYS,
    Choices,
    Column,
    CooperativeLine,
    Figure,
    Filters,
    Indicator,
    Kind,
    Row,
    Series,
    Share,
    Table,
)
from shared.readmodels.monitoring.rules import DAY, KNOWN, YEAR_BEFORE
from shared.readmodels.monitoring.summaries import EXACT, Source, sources
from shared.readmodels.tracking import Connect, session, stored_position

SCHEMES: Final = ("VietGAP", "GlobalGAP", "organic", "OCOP")
MONTHS: Final = 24  # how far back the monthly series of cooperatives go
_COOPS = rules.cooperatives_on()
_ZERO = Decimal(0)

Params = dict[str, Any]
_PROJECTION = "monitoring"  # the projection whose tables these read (its position keys a cache)


class UnknownDrill(NguonError, KeyError):
    """A drill-down key no figure gives (a ``KeyError``, as an unknown indicator key is)."""


def params_of(filters: Filters, **extra: Any) -> Params:
    population = (filters.commune, filters.former_district, filters.sector)
    # A "known at" without its offset would be read in the database session's zone: refused.
    known_at = clock.aware(filters.known_at, "known_at") if filters.known_at else None
    return {
        "d": filters.as_of,
        "k": known_at or "infinity",
        "commune": filters.commune,
        "former_district": filters.former_district,
        "sector": filters.sector,
        "organisation": filters.organisation_id,
        "commodity": filters.commodity,
        "chain": filters.value_chain_id,
        "populated": any(v is not None for v in population),
        # As known now, every row counts whenever recorded: the summaries answer alike.
        "now": known_at is None,
        **extra,
    }


class PostgresIndicators:
    """The indicators over the monitoring projection, as of a date and known at an instant."""

    def __init__(self, connect: Connect) -> None:
        self._connect = connect
        self._builders: dict[str, Callable[[psycopg.Connection[Any], Params], Indicator]] = {
            "cooperatives": _cooperatives,
            "in_value_chain": _in_value_chain,
            "contracts": _contracts,
            "chains": _chains,
            "households": _households,
            "support": _support,
            "certified": _certified,
            "traceability": _traceability,
            "timeliness": _timeliness,
        }
        assert tuple(self._builders) == INDICATOR_KEYS
        self._choices: tuple[int, Choices] | None = None  # at the projection's position

    def indicator(self, key: str, filters: Filters) -> Indicator:
        build = self._builders[key]  # KeyError for an unknown key, as the protocol says
        with session(self._connect) as conn, _planned_each_time(conn):
            found = build(conn, params_of(filters))
        return Indicator(
            key=found.key,
            title=found.title,
            description=found.description,
            figures=found.figures,
            tables=found.tables,
            series=found.series,
            as_of=filters.as_of,
            known_at=filters.known_at,
        )

    def drill(self, key: str, filters: Filters) -> list[CooperativeLine]:
        condition, extra = drill_condition(key)
        with session(self._connect) as conn, _planned_each_time(conn):
            rows = conn.execute(
                "SELECT c.id, c.name, c.commune, c.former_district, c.sector, c.model, c.status"
                f" FROM {_COOPS} c WHERE {condition} ORDER BY c.name, c.id",
                params_of(filters, **extra),
            ).fetchall()
        return [CooperativeLine(*row) for row in rows]

    def choices(self) -> Choices:
        """What the filters offer: every page asks, so kept until the projection moves on (one
        small read instead of six scans a page)."""
        with session(self._connect) as conn:
            position = stored_position(conn, _PROJECTION)
            kept = self._choices
            if kept is not None and kept[0] == position:
                return kept[1]
            found = self._read_choices(conn)
            self._choices = (position, found)
            return found

    def _read_choices(self, conn: psycopg.Connection[Any]) -> Choices:
        def texts(query: str) -> tuple[str, ...]:
            return tuple(str(r[0]) for r in conn.execute(query).fetchall() if r[0])

        cooperatives = "FROM mon_organisations WHERE kind = 'cooperative'"
        chains = conn.execute("SELECT id, name FROM mon_chains ORDER BY name, id").fetchall()
        return Choices(
            communes=texts(f"SELECT DISTINCT commune {cooperatives} ORDER BY 1"),
            former_districts=texts(f"SELECT DISTINCT former_district {cooperatives} ORDER BY 1"),
            sectors=texts(f"SELECT DISTINCT sector {cooperatives} ORDER BY 1"),
            commodities=texts(
                "SELECT commodity FROM mon_chains UNION SELECT commodity FROM mon_contracts"
                " ORDER BY 1"
            ),
            value_chains=tuple((UUID(str(i)), str(n)) for i, n in chains),
            programmes=texts("SELECT DISTINCT programme FROM mon_support ORDER BY 1"),
        )


@contextmanager
def _planned_each_time(conn: psycopg.Connection[Any]) -> Iterator[None]:
    """No prepared statements for the indicators: each is planned for its own parameters.

    Their filters read ``(%(x)s IS NULL OR ...)``, and a statement prepared on a pooled
    connection soon runs PostgreSQL's generic plan, made for no parameter in particular: the
    households' took 270 ms where its plan for the filters given takes 12 (200 cooperatives),
    and was most of the pages' slowest twentieth. Planning each costs a millisecond or two.
    """
    kept = conn.prepare_threshold
    conn.prepare_threshold = None
    try:
        yield
    finally:
        conn.prepare_threshold = kept


# Drill-downs --------------------------------------------------------------------------------


# Plots whose harvests left under a linkage contract in the 12 months to D: the harvested lot
# itself shipped between two parties of a (filtered) contract within its period.
def _linked_plots(plot_shipments: Source) -> str:
    return f"""SELECT DISTINCT pl.id, pl.cooperative_id, pl.household_key, pl.area_ha
  FROM {plot_shipments.rows} s
  JOIN mon_plots pl ON pl.id = s.plot_id AND pl.recorded_at <= {KNOWN}
  WHERE s.recorded_at <= {KNOWN} AND s.harvest_recorded_at <= {KNOWN}
    AND s.shipped_on > {YEAR_BEFORE} AND s.shipped_on <= {DAY}
    AND pl.cooperative_id IN (SELECT c.id FROM {_COOPS} c)
    AND {rules.shipped_under_a_contract("s")}"""


_ACTIVE = "c.status = 'active'"
_REGISTERED_OLD = (
    "(SELECT m.model FROM mon_models m WHERE m.organisation_id = c.id"
    " ORDER BY m.position LIMIT 1) = 'old'"
)
_SUPPORTED = (
    "EXISTS (SELECT 1 FROM mon_support su WHERE su.cooperative_id = c.id"
    f" AND su.recorded_at <= {KNOWN} AND su.received_on <= {DAY}"
    " AND (%(programme)s::text IS NULL OR su.programme = %(programme)s)"
    " AND (%(year)s::int IS NULL OR extract(year FROM su.received_on) = %(year)s::int))"
)
_SETS: Final[dict[str, str]] = {
    "cooperatives": "TRUE",
    "active": _ACTIVE,
    "in_chain": f"{_ACTIVE} AND {rules.in_a_chain('c')}",
    "linked_strict": f"{_ACTIVE} AND {rules.linked_strictly('c')}",
    "contract_party": rules.contract_party("c"),
    "old_dissolved": f"{_REGISTERED_OLD} AND c.status = 'dissolved'",
    "old_converted": f"{_REGISTERED_OLD} AND c.status = 'converted'",
    "old_reclassified": f"{_REGISTERED_OLD} AND c.model = 'new'",
    "certified": f"{_ACTIVE} AND {rules.certified('c', 'scheme')}",
    "supported": _SUPPORTED,
    "households_linked": "c.id IN (SELECT lp.cooperative_id"
    f" FROM ({_linked_plots(EXACT.plot_shipments)}) lp)",
    "contract": "EXISTS (SELECT 1 FROM mon_contracts ct"
    " WHERE ct.value_chain_id = %(contract_chain)s::uuid"
    " AND ct.contract_number = %(contract_number)s AND c.id = ANY(ct.parties))",
    "timeliness": "EXISTS (SELECT 1 FROM mon_timeliness t WHERE t.organisation_id = c.id"
    f" AND t.recorded_at <= {KNOWN} AND t.business_day <= {DAY}"
    f" AND t.business_day > {YEAR_BEFORE})",
}
_COLUMN_QUALIFIERS: Final = ("commune", "former_district", "sector", "model", "status")


def drill(set_name: str, **qualifiers: str | int | UUID | None) -> str:
    """A drill key: ``drill("in_chain", commune="Xã Thiệu Trung")``."""
    parts = [set_name] + [f"{k}={v}" for k, v in qualifiers.items() if v is not None]
    return "|".join(parts)


def drill_condition(key: str) -> tuple[str, Params]:
    """The SQL condition over ``c`` (cooperatives as of D) for a drill key, and its params."""
    set_name, *qualifiers = key.split("|")
    condition = _SETS.get(set_name)
    if condition is None:
        raise UnknownDrill(key)
    extra: Params = {"scheme": None, "programme": None, "year": None}
    extra |= {"contract_chain": None, "contract_number": None}
    conditions = [condition]
    for qualifier in qualifiers:
        name, _, value = qualifier.partition("=")
        if name in _COLUMN_QUALIFIERS:
            conditions.append(f"c.{name} IS NOT DISTINCT FROM %(q_{name})s")
            extra[f"q_{name}"] = value or None
        elif name == "cooperative":
            conditions.append("c.id = %(q_cooperative)s::uuid")
            extra["q_cooperative"] = _uuid(key, value)
        elif name == "contract":
            chain, _, number = value.partition("/")
            extra["contract_chain"], extra["contract_number"] = _uuid(key, chain), number
        elif name == "year" and value.isdigit():
            extra["year"] = int(value)
        elif name in ("scheme", "programme"):
            extra[name] = value
        else:
            raise UnknownDrill(key)
    if set_name == "certified" and extra["scheme"] is None:
        conditions[0] = f"{_ACTIVE} AND {rules.certified('c')}"
    return " AND ".join(f"({c})" for c in conditions), extra


def _uuid(key: str, value: str) -> UUID:
    try:
        return UUID(value)
    except ValueError as error:
        raise UnknownDrill(key) from error


# Cooperatives -------------------------------------------------------------------------------


def _cooperatives(conn: psycopg.Connection[Any], p: Params) -> Indicator:
    rows = conn.execute(
        f"SELECT c.model, c.status, c.commune, c.sector, {_REGISTERED_OLD} FROM {_COOPS} c", p
    ).fetchall()
    total = len(rows)
    by_status: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    by_commune: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])
    by_sector: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])
    old = {"dissolved": 0, "converted": 0, "reclassified": 0}
    for model, status, commune, sector, registered_old in rows:
        by_status[status][model or "new"] += 1
        for table, name in ((by_commune, commune), (by_sector, sector or "")):
            counts = table[name]
            counts[0] += 1
            counts[1] += model == "new"
            counts[2] += status == "active"
        if registered_old:
            old["dissolved"] += status == "dissolved"
            old["converted"] += status == "converted"
            old["reclassified"] += model == "new"
    new = sum(v.get("new", 0) for v in by_status.values())
    active = sum(by_status.get("active", {}).values())
    figures = (
        Figure("mon_cooperatives_total", total, drill=drill("cooperatives")),
        Figure("mon_cooperatives_active", active, drill=drill("active")),
        Figure(
            "mon_cooperatives_new_model",
            Share(new, total, "mon_new_model_cooperatives", "mon_cooperatives_total"),
            drill=drill("cooperatives", model="new"),
        ),
        Figure("mon_old_dissolved", old["dissolved"], drill=drill("old_dissolved")),
        Figure("mon_old_converted", old["converted"], drill=drill("old_converted")),
        Figure("mon_old_reclassified", old["reclassified"], drill=drill("old_reclassified")),
    )
    status_rows = tuple(
        Row(
            {
                "status": status,
                "new": m.get("new", 0),
                "old": m.get("old", 0),
                "total": sum(m.values()),
            },
            drill=drill("cooperatives", status=status),
        )
        for status, m in sorted(by_status.items())
    )
    columns = (
        Column("count", "mon_col_cooperatives"),
        Column("new", "mon_col_new_model"),
        Column("active", "mon_col_active"),
    )

    def counted(key: str, title: str, table: dict[str, list[int]], column: str) -> Table:
        return Table(
            key,
            title,
            (Column(column, f"mon_col_{column}", Kind.TEXT), *columns),
            tuple(
                Row(
                    {column: name or None, "count": n, "new": new_, "active": act},
                    drill=drill("cooperatives", **{column: name}),
                )
                for name, (n, new_, act) in sorted(table.items())
            ),
        )

    tables = (
        Table(
            "by_status",
            "mon_table_by_status",
            (
                Column("status", "mon_col_status", Kind.TEXT),
                Column("new", "mon_col_new_model"),
                Column("old", "mon_col_old_model"),
                Column("total", "mon_col_cooperatives"),
            ),
            status_rows,
        ),
        counted("by_commune", "mon_table_by_commune", by_commune, "commune"),
        counted("by_sector", "mon_table_by_sector", by_sector, "sector"),
    )
    return Indicator(
        key="cooperatives",
        title="mon_cooperatives_title",
        description="mon_cooperatives_description",
        figures=figures,
        tables=tables,
        series=_monthly_models(conn, p),
    )


def _months(as_of: date, count: int = MONTHS) -> list[date]:
    first = as_of.replace(day=1)
    months = []
    year, month = first.year, first.month
    for _ in range(count):
        months.append(date(year, month, 1))
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return sorted(months)


def _monthly_models(conn: psycopg.Connection[Any], p: Params) -> tuple[Series, ...]:
    """Cooperatives by model at the end of each month (D for D's own month), from the dated
    model history: two reads, then months in memory (24 lateral queries cost ten times more)."""
    months = _months(p["d"])
    # Every month ends on or before D: the cooperatives of D's population are all it counts.
    rows = conn.execute(
        f"SELECT c.id, o.exists_from, m.since, m.position, m.model FROM {_COOPS} c"
        " JOIN mon_organisations o ON o.id = c.id"
        f" JOIN mon_models m ON m.organisation_id = c.id WHERE m.recorded_at <= {KNOWN}",
        p,
    ).fetchall()
    history: dict[Any, tuple[date, list[tuple[date, int, str]]]] = {}
    for cooperative, exists_from, since, position, model in rows:
        history.setdefault(cooperative, (exists_from, []))[1].append((since, position, model))
    counts: dict[date, dict[str, int]] = {m: {"new": 0, "old": 0} for m in months}
    ends = [(month, min(_month_end(month), p["d"])) for month in months]
    for exists_from, models in history.values():
        models.sort()
        sinces = [since for since, _, _ in models]
        for month, end in ends:
            if exists_from > end:
                continue
            # The model then: the last one from on or before the month's end.
            then = bisect_right(sinces, end)
            if then:
                model = models[then - 1][2]
                counts[month][model] = counts[month].get(model, 0) + 1
    return tuple(
        Series(
            f"{model}_model",
            "mon_series_cooperatives_by_model",
            Kind.COUNT,
            tuple((m, counts[m].get(model, 0)) for m in months),
            label=f"mon_{model}_model_cooperatives",
        )
        for model in ("new", "old")
    )


def _month_end(first: date) -> date:
    following = date(first.year + first.month // 12, first.month % 12 + 1, 1)
    return date.fromordinal(following.toordinal() - 1)


# In a value chain ---------------------------------------------------------------------------


@cache
def _in_value_chain_sql(now: bool) -> str:
    shipments = sources(now=now).shipments.rows
    return (
        "SELECT c.commune, c.former_district, c.sector,"
        f" {rules.in_a_chain('c')}, {rules.linked_strictly('c', shipments)}"
        f" FROM {_COOPS} c WHERE {_ACTIVE}"
    )


def _in_value_chain(conn: psycopg.Connection[Any], p: Params) -> Indicator:
    rows = conn.execute(_in_value_chain_sql(p["now"]), p).fetchall()
    active = len(rows)
    linked = sum(1 for r in rows if r[3])
    strict = sum(1 for r in rows if r[4])
    figures = (
        Figure(
            "mon_in_value_chain",
            Share(linked, active, "mon_active_in_chain", "mon_active_cooperatives"),
            drill=drill("in_chain"),
        ),
        Figure(
            "mon_linked_strictly",
            Share(strict, active, "mon_active_linked_strictly", "mon_active_cooperatives"),
            drill=drill("linked_strict"),
        ),
    )

    def by(index: int, column: str, key: str, title: str) -> Table:
        groups: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])
        for row in rows:
            group = groups[row[index] or ""]
            group[0] += 1
            group[1] += bool(row[3])
            group[2] += bool(row[4])
        return Table(
            key,
            title,
            (
                Column(column, f"mon_col_{column}", Kind.TEXT),
                Column("active", "mon_col_active"),
                Column("in_chain", "mon_col_in_chain"),
                Column("share", "mon_col_share_in_chain", Kind.PERCENT),
                Column("strict", "mon_col_linked_strictly"),
                Column("strict_share", "mon_col_share_linked_strictly", Kind.PERCENT),
            ),
            tuple(
                Row(
                    {
                        column: name or None,
                        "active": n,
                        "in_chain": inside,
                        "share": Share(inside, n, "", "").percent,
                        "strict": tight,
                        "strict_share": Share(tight, n, "", "").percent,
                    },
                    drill=drill("in_chain", **{column: name}),
                )
                for name, (n, inside, tight) in sorted(groups.items())
            ),
        )

    return Indicator(
        key="in_value_chain",
        title="mon_in_value_chain_title",
        description="mon_in_value_chain_description",
        figures=figures,
        tables=(
            by(0, "commune", "by_commune", "mon_table_by_commune"),
            by(1, "former_district", "by_former_district", "mon_table_by_former_district"),
            by(2, "sector", "by_sector", "mon_table_by_sector"),
        ),
    )


# Linkage contracts --------------------------------------------------------------------------


@cache
def _contracts_sql(now: bool) -> str:
    shipments = sources(now=now).shipments.rows
    return f"""SELECT ct.value_chain_id, ch.name, ct.contract_number, ct.commodity,
    ct.starts_on, ct.ends_on,
    CASE WHEN ct.ended_on IS NOT NULL AND ct.ended_recorded_at <= {KNOWN}
      AND ct.ended_on <= {DAY} THEN ct.ended_on END,
    ct.committed_kg,
    coalesce((SELECT sum(s.quantity_kg) FROM {shipments} s
      WHERE {rules.under_contract("s", "ct")} AND s.shipped_on <= {DAY}), 0),
    {rules.contract_in_force_on("ct", DAY)}
  FROM mon_contracts ct JOIN mon_chains ch ON ch.id = ct.value_chain_id
  WHERE ct.recorded_at <= {KNOWN} AND ct.starts_on <= {DAY} AND {rules.CHAIN_FILTER}
    AND (%(organisation)s::uuid IS NULL OR %(organisation)s::uuid = ANY(ct.parties))
    AND (NOT %(populated)s OR EXISTS (SELECT 1 FROM {_COOPS} c WHERE c.id = ANY(ct.parties)))
  ORDER BY ch.name, ct.contract_number"""


def _percent(part: Decimal | int | None, whole: Decimal | int | None) -> Decimal | None:
    if part is None or not whole:
        return None
    return (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.1"))


def _contracts(conn: psycopg.Connection[Any], p: Params) -> Indicator:
    rows = conn.execute(_contracts_sql(p["now"]), p).fetchall()
    in_force = sum(1 for r in rows if r[9])
    committed = sum((r[7] for r in rows if r[7] is not None), _ZERO)
    shipped = sum((r[8] for r in rows if r[7] is not None), _ZERO)
    contract_rows = tuple(
        Row(
            {
                "chain": name,
                "contract": number,
                "commodity": commodity,
                "starts_on": starts,
                "ends_on": ends,
                "ended_on": ended,
                "committed_kg": committed_kg,
                "shipped_kg": shipped_kg,
                "fulfilment": _percent(shipped_kg, committed_kg),
            },
            drill=drill("contract", contract=f"{chain_id}/{number}"),
        )
        for (
            chain_id,
            name,
            number,
            commodity,
            starts,
            ends,
            ended,
            committed_kg,
            shipped_kg,
            _,
        ) in (rows)
    )

    def grouped(index: int, column: str, key: str, title: str) -> Table:
        sums: dict[str, list[Decimal]] = defaultdict(lambda: [_ZERO, _ZERO, _ZERO])
        for row in rows:
            group = sums[str(row[index])]
            group[0] += 1
            group[1] += row[7] or _ZERO
            group[2] += row[8] if row[7] is not None else _ZERO
        return Table(
            key,
            title,
            (
                Column(column, f"mon_col_{column}", Kind.TEXT),
                Column("contracts", "mon_col_contracts"),
                Column("committed_kg", "mon_col_committed_kg", Kind.AMOUNT),
                Column("shipped_kg", "mon_col_shipped_kg", Kind.AMOUNT),
                Column("fulfilment", "mon_col_fulfilment", Kind.PERCENT),
            ),
            tuple(
                Row(
                    {
                        column: name,
                        "contracts": int(n),
                        "committed_kg": c,
                        "shipped_kg": s,
                        "fulfilment": _percent(s, c),
                    }
                )
                for name, (n, c, s) in sorted(sums.items())
            ),
        )

    return Indicator(
        key="contracts",
        title="mon_contracts_title",
        description="mon_contracts_description",
        figures=(
            Figure("mon_contracts_in_force", in_force, drill=drill("contract_party")),
            Figure("mon_contracts_listed", len(rows)),
            Figure(
                "mon_contracts_fulfilment",
                Share(shipped, committed, "mon_shipped_kg", "mon_committed_kg"),
                kind=Kind.AMOUNT,
            ),
        ),
        tables=(
            Table(
                "contracts",
                "mon_table_contracts",
                (
                    Column("chain", "mon_col_chain", Kind.TEXT),
                    Column("contract", "mon_col_contract", Kind.TEXT),
                    Column("commodity", "mon_col_commodity", Kind.TEXT),
                    Column("starts_on", "mon_col_starts_on", Kind.DATE),
                    Column("ends_on", "mon_col_ends_on", Kind.DATE),
                    Column("ended_on", "mon_col_ended_on", Kind.DATE),
                    Column("committed_kg", "mon_col_committed_kg", Kind.AMOUNT),
                    Column("shipped_kg", "mon_col_shipped_kg", Kind.AMOUNT),
                    Column("fulfilment", "mon_col_fulfilment", Kind.PERCENT),
                ),
                contract_rows,
                note="mon_note_contracts",
            ),
            grouped(1, "chain", "by_chain", "mon_table_by_chain"),
            grouped(3, "commodity", "by_commodity", "mon_table_by_commodity"),
        ),
    )


# Chains -------------------------------------------------------------------------------------

_CHAIN_LISTED = (
    f"ch.recorded_at <= {KNOWN} AND {rules.CHAIN_FILTER}"
    " AND EXISTS (SELECT 1 FROM mon_participation p0 WHERE p0.value_chain_id = ch.id"
    f" AND {rules.in_chain_on('p0', DAY)})"
    " AND (%(organisation)s::uuid IS NULL OR EXISTS (SELECT 1 FROM mon_participation po"
    " WHERE po.value_chain_id = ch.id AND po.organisation_id = %(organisation)s::uuid"
    f" AND {rules.in_chain_on('po', DAY)}))"
)


@cache
def _chain_volumes_sql(now: bool) -> str:
    shipments = sources(now=now).shipments
    # One pass over the window's shipments: each counts once in every chain both its sender
    # and its recipient took part in on the day it was shipped.
    return (
        "SELECT chain, sum(kg) FROM (SELECT DISTINCT a.value_chain_id AS chain,"
        f" {shipments.named('s')}, s.quantity_kg AS kg FROM {shipments.rows} s"
        " JOIN mon_participation a ON a.organisation_id = s.from_id"
        f"  AND {rules.in_chain_on('a', 's.shipped_on')}"
        " JOIN mon_participation b ON b.value_chain_id = a.value_chain_id"
        f"  AND b.organisation_id = s.to_id AND {rules.in_chain_on('b', 's.shipped_on')}"
        f" WHERE s.recorded_at <= {KNOWN} AND s.shipped_on > {YEAR_BEFORE}"
        f" AND s.shipped_on <= {DAY} AND s.from_id <> s.to_id) shipped GROUP BY chain"
    )


def _chains(conn: psycopg.Connection[Any], p: Params) -> Indicator:
    listed = conn.execute(
        "SELECT ch.id, ch.name, ch.commodity,"
        " (SELECT count(DISTINCT p.organisation_id) FROM mon_participation p"
        f"  WHERE p.value_chain_id = ch.id AND {rules.in_chain_on('p', DAY)}),"
        " (SELECT count(DISTINCT p.organisation_id) FROM mon_participation p"
        "  JOIN mon_organisations o ON o.id = p.organisation_id AND o.kind = 'cooperative'"
        f"  WHERE p.value_chain_id = ch.id AND {rules.in_chain_on('p', DAY)})"
        f" FROM mon_chains ch WHERE {_CHAIN_LISTED} ORDER BY ch.name, ch.id",
        p,
    ).fetchall()
    volumes = {
        str(c): kg or _ZERO for c, kg in conn.execute(_chain_volumes_sql(p["now"]), p).fetchall()
    }
    chains = [(*row, volumes.get(str(row[0]), _ZERO)) for row in listed]
    roles = conn.execute(
        "SELECT p.role, count(DISTINCT p.organisation_id) FROM mon_participation p"
        " JOIN mon_chains ch ON ch.id = p.value_chain_id"
        f" WHERE {rules.in_chain_on('p', DAY)} AND {_CHAIN_LISTED} GROUP BY 1 ORDER BY 1",
        p,
    ).fetchall()
    participants = conn.execute(
        "SELECT count(DISTINCT p.organisation_id) FROM mon_participation p"
        " JOIN mon_chains ch ON ch.id = p.value_chain_id"
        f" WHERE {rules.in_chain_on('p', DAY)} AND {_CHAIN_LISTED}",
        p,
    ).fetchone()
    volume = sum((r[5] for r in chains), _ZERO)
    commodities: dict[str, list[Decimal]] = defaultdict(lambda: [_ZERO, _ZERO, _ZERO])
    for _, _, commodity, members, _, kg in chains:
        group = commodities[commodity]
        group[0] += 1
        group[1] += members
        group[2] += kg
    return Indicator(
        key="chains",
        title="mon_chains_title",
        description="mon_chains_description",
        figures=(
            Figure("mon_chains_count", len(chains)),
            Figure("mon_chains_participants", int(participants[0]) if participants else 0),
            Figure(
                "mon_chains_cooperatives", sum(int(r[4]) for r in chains), drill=drill("in_chain")
            ),
            Figure("mon_chains_volume_kg", volume, kind=Kind.AMOUNT),
        ),
        tables=(
            Table(
                "chains",
                "mon_table_chains",
                (
                    Column("chain", "mon_col_chain", Kind.TEXT),
                    Column("commodity", "mon_col_commodity", Kind.TEXT),
                    Column("participants", "mon_col_participants"),
                    Column("cooperatives", "mon_col_cooperatives"),
                    Column("volume_kg", "mon_col_volume_kg", Kind.AMOUNT),
                ),
                tuple(
                    Row(
                        {
                            "chain": name,
                            "commodity": commodity,
                            "participants": int(members),
                            "cooperatives": int(coops),
                            "volume_kg": kg,
                        },
                        link=f"/province/value-chains/{chain_id}",
                    )
                    for chain_id, name, commodity, members, coops, kg in chains
                ),
                note="mon_note_chain_volume",
            ),
            Table(
                "by_role",
                "mon_table_by_role",
                (
                    Column("role", "mon_col_role", Kind.TEXT),
                    Column("participants", "mon_col_participants"),
                ),
                tuple(Row({"role": role, "participants": int(n)}) for role, n in roles),
            ),
            Table(
                "by_commodity",
                "mon_table_by_commodity",
                (
                    Column("commodity", "mon_col_commodity", Kind.TEXT),
                    Column("chains", "mon_col_chains"),
                    Column("participants", "mon_col_participants"),
                    Column("volume_kg", "mon_col_volume_kg", Kind.AMOUNT),
                ),
                tuple(
                    Row({"commodity": c, "chains": int(n), "participants": int(m), "volume_kg": kg})
                    for c, (n, m, kg) in sorted(commodities.items())
                ),
            ),
        ),
    )


# Households and area in linkage -------------------------------------------------------------


def _households(conn: psycopg.Connection[Any], p: Params) -> Indicator:
    plots_known = rules.plot_known_on("pl", DAY)
    # One statement: the linked plots (the costly part) are found once for the communes' rows
    # and the totals, which come last (``total``).
    found = conn.execute(
        f"WITH linked_plots AS ({_linked_plots(sources(now=p['now']).plot_shipments)}),"
        f" all_plots AS (SELECT pl.id, pl.cooperative_id, pl.household_key, pl.area_ha"
        f"  FROM mon_plots pl WHERE {plots_known}"
        f"  AND pl.cooperative_id IN (SELECT c.id FROM {_COOPS} c))"
        " SELECT false AS total, c.commune,"
        "  count(DISTINCT lp.household_key), coalesce(sum(lp.area_ha), 0),"
        "  (SELECT count(DISTINCT a.household_key) FROM all_plots a"
        "   WHERE a.cooperative_id IN (SELECT c2.id FROM mon_organisations c2"
        "    WHERE c2.commune = c.commune)),"
        "  (SELECT coalesce(sum(a.area_ha), 0) FROM all_plots a"
        "   WHERE a.cooperative_id IN (SELECT c2.id FROM mon_organisations c2"
        "    WHERE c2.commune = c.commune))"
        f" FROM {_COOPS} c LEFT JOIN linked_plots lp ON lp.cooperative_id = c.id"
        " GROUP BY c.commune"
        " UNION ALL SELECT true, NULL,"
        " (SELECT count(DISTINCT household_key) FROM linked_plots),"
        " (SELECT coalesce(sum(area_ha), 0) FROM linked_plots),"
        " (SELECT count(DISTINCT household_key) FROM all_plots),"
        " (SELECT coalesce(sum(area_ha), 0) FROM all_plots)"
        " ORDER BY total, commune",
        p,
    ).fetchall()
    rows = [row[1:] for row in found if not row[0]]
    totals = next((row[2:] for row in found if row[0]), None)
    households, hectares, all_households, all_hectares = totals or (0, _ZERO, 0, _ZERO)
    return Indicator(
        key="households",
        title="mon_households_title",
        description="mon_households_description",
        figures=(
            Figure(
                "mon_households_linked",
                Share(
                    int(households),
                    int(all_households),
                    "mon_households_linked",
                    "mon_households_all",
                ),
                drill=drill("households_linked"),
            ),
            Figure(
                "mon_hectares_linked",
                Share(hectares, all_hectares, "mon_hectares_linked", "mon_hectares_all"),
                kind=Kind.AMOUNT,
                drill=drill("households_linked"),
            ),
        ),
        tables=(
            Table(
                "by_commune",
                "mon_table_by_commune",
                (
                    Column("commune", "mon_col_commune", Kind.TEXT),
                    Column("households", "mon_col_households_linked"),
                    Column("hectares", "mon_col_hectares_linked", Kind.AMOUNT),
                    Column("all_households", "mon_col_households_all"),
                    Column("all_hectares", "mon_col_hectares_all", Kind.AMOUNT),
                ),
                tuple(
                    Row(
                        {
                            "commune": commune,
                            "households": int(n),
                            "hectares": ha,
                            "all_households": int(alln),
                            "all_hectares": allha,
                        },
                        drill=drill("households_linked", commune=commune),
                    )
                    for commune, n, ha, alln, allha in rows
                ),
                note="mon_note_households",
            ),
        ),
    )


# Support ------------------------------------------------------------------------------------


def _support(conn: psycopg.Connection[Any], p: Params) -> Indicator:
    received = (
        f"FROM mon_support su JOIN {_COOPS} c ON c.id = su.cooperative_id"
        f" WHERE su.recorded_at <= {KNOWN} AND su.received_on <= {DAY}"
    )
    rows = conn.execute(
        "SELECT su.programme, extract(year FROM su.received_on)::int, su.kind, count(*),"
        f" count(DISTINCT su.cooperative_id), coalesce(sum(su.amount_vnd), 0) {received}"
        " GROUP BY 1, 2, 3 ORDER BY 1, 2, 3",
        p,
    ).fetchall()
    totals = conn.execute(
        "SELECT count(*), count(DISTINCT su.cooperative_id), coalesce(sum(su.amount_vnd), 0)"
        f" {received}",
        p,
    ).fetchone()
    shipments = sources(now=p["now"]).shipments.rows
    after_end = "least((f.id_on + interval '12 months')::date, %(d)s::date)"
    before_start = "(f.id_on - interval '12 months')::date"

    def volume(start: str, end: str) -> str:
        return (
            f"coalesce((SELECT sum(s.quantity_kg) FROM {shipments} s WHERE s.from_id = f.id"
            f" AND s.recorded_at <= {KNOWN} AND s.shipped_on > {start}"
            f" AND s.shipped_on <= {end}), 0)"
        )

    effects = conn.execute(
        "WITH f AS (SELECT su.programme, su.cooperative_id AS id, min(su.received_on) AS id_on"
        f" {received} GROUP BY 1, 2)"
        " SELECT f.programme, count(*),"
        f" count(*) FILTER (WHERE {rules.in_a_chain('f', before_start)}),"
        f" count(*) FILTER (WHERE {rules.in_a_chain('f', after_end)}),"
        f" sum({volume(before_start, 'f.id_on')}), sum({volume('f.id_on', after_end)})"
        " FROM f GROUP BY 1 ORDER BY 1",
        p,
    ).fetchall()
    count, cooperatives, amount = totals or (0, 0, _ZERO)
    return Indicator(
        key="support",
        title="mon_support_title",
        description="mon_support_description",
        figures=(
            Figure("mon_support_count", int(count)),
            Figure("mon_support_cooperatives", int(cooperatives), drill=drill("supported")),
            Figure("mon_support_amount_vnd", amount, kind=Kind.AMOUNT),
        ),
        tables=(
            Table(
                "by_programme",
                "mon_table_support_by_programme",
                (
                    Column("programme", "mon_col_programme", Kind.TEXT),
                    Column("year", "mon_col_year", Kind.TEXT),
                    Column("kind", "mon_col_support_kind", Kind.TEXT),
                    Column("count", "mon_col_support_count"),
                    Column("cooperatives", "mon_col_cooperatives"),
                    Column("amount_vnd", "mon_col_amount_vnd", Kind.AMOUNT),
                ),
                tuple(
                    Row(
                        {
                            "programme": programme,
                            "year": str(year),
                            "kind": kind,
                            "count": int(n),
                            "cooperatives": int(c),
                            "amount_vnd": a,
                        },
                        drill=drill("supported", programme=programme, year=year),
                    )
                    for programme, year, kind, n, c, a in rows
                ),
            ),
            Table(
                "before_after",
                "mon_table_support_before_after",
                (
                    Column("programme", "mon_col_programme", Kind.TEXT),
                    Column("cooperatives", "mon_col_cooperatives"),
                    Column("in_chain_before", "mon_col_in_chain_before"),
                    Column("in_chain_after", "mon_col_in_chain_after"),
                    Column("volume_before_kg", "mon_col_volume_before_kg", Kind.AMOUNT),
                    Column("volume_after_kg", "mon_col_volume_after_kg", Kind.AMOUNT),
                ),
                tuple(
                    Row(
                        {
                            "programme": programme,
                            "cooperatives": int(n),
                            "in_chain_before": int(before),
                            "in_chain_after": int(after),
                            "volume_before_kg": vb,
                            "volume_after_kg": va,
                        },
                        drill=drill("supported", programme=programme),
                    )
                    for programme, n, before, after, vb, va in effects
                ),
                note="mon_note_support_before_after",
            ),
        ),
    )


# Certified ----------------------------------------------------------------------------------


def _certified(conn: psycopg.Connection[Any], p: Params) -> Indicator:
    cooperatives = conn.execute(
        "SELECT array(SELECT DISTINCT cf.scheme FROM mon_certifications cf"
        f" WHERE cf.organisation_id = c.id AND {rules.valid_on('cf', DAY)})"
        f" FROM {_COOPS} c WHERE {_ACTIVE}",
        p,
    ).fetchall()
    plots = conn.execute(
        "SELECT array(SELECT DISTINCT pc.scheme FROM mon_plot_certifications pc"
        f" WHERE pc.plot_id = pl.id AND {rules.plot_valid_on('pc', DAY)})"
        f" FROM mon_plots pl WHERE {rules.plot_known_on('pl', DAY)}"
        f" AND pl.cooperative_id IN (SELECT c.id FROM {_COOPS} c)",
        p,
    ).fetchall()

    def holding(rows: Iterable[tuple[Any, ...]], scheme: str | None) -> int:
        return sum(1 for (schemes,) in rows if (scheme in schemes if scheme else schemes))

    active, plot_count = len(cooperatives), len(plots)
    figures = [
        Figure(
            "mon_certified_cooperatives",
            Share(
                holding(cooperatives, None),
                active,
                "mon_certified_cooperatives",
                "mon_active_cooperatives",
            ),
            drill=drill("certified"),
        ),
        Figure(
            "mon_certified_plots",
            Share(holding(plots, None), plot_count, "mon_certified_plots", "mon_plots_all"),
        ),
    ]
    rows = []
    for scheme in SCHEMES:
        coops, certified_plots = holding(cooperatives, scheme), holding(plots, scheme)
        figures.append(
            Figure(
                f"mon_certified_{scheme.lower()}",
                Share(coops, active, "mon_certified_cooperatives", "mon_active_cooperatives"),
                drill=drill("certified", scheme=scheme),
            )
        )
        rows.append(
            Row(
                {
                    "scheme": scheme,
                    "cooperatives": coops,
                    "share": _percent(coops, active),
                    "plots": certified_plots,
                    "plot_share": _percent(certified_plots, plot_count),
                },
                drill=drill("certified", scheme=scheme),
            )
        )
    return Indicator(
        key="certified",
        title="mon_certified_title",
        description="mon_certified_description",
        figures=tuple(figures),
        tables=(
            Table(
                "by_scheme",
                "mon_table_by_scheme",
                (
                    Column("scheme", "mon_col_scheme", Kind.TEXT),
                    Column("cooperatives", "mon_col_certified_cooperatives"),
                    Column("share", "mon_col_share_of_active", Kind.PERCENT),
                    Column("plots", "mon_col_certified_plots"),
                    Column("plot_share", "mon_col_share_of_plots", Kind.PERCENT),
                ),
                tuple(rows),
            ),
        ),
    )


# Traceability -------------------------------------------------------------------------------

_LOT_FILTER = (
    f"WHERE b.recorded_at <= {KNOWN} AND b.created_on <= {DAY}"
    " AND (%(commodity)s::text IS NULL OR b.commodity = %(commodity)s)"
    " AND (%(chain)s::uuid IS NULL OR %(chain)s::uuid = ANY(b.value_chain_ids))"
    " AND (%(organisation)s::uuid IS NULL OR b.holder_id = %(organisation)s::uuid)"
)
_LOTS = f"FROM mon_batches b {_LOT_FILTER}"


_WINDOW = f" AND {{day}} > {YEAR_BEFORE} AND {{day}} <= {DAY}"
_TRACED_EXACT = (
    rules.traceable_lots(f"SELECT b.id, b.origin, b.plot_ids {_LOTS}"),
    "SELECT date_trunc('month', l.labelled_on)::date, sum(l.labels_issued)"
    " FROM mon_labels l WHERE l.recorded_at <= %(k)s::timestamptz"
    f" AND l.batch_id IN (SELECT b.id {_LOTS})"
    + _WINDOW.format(day="l.labelled_on")
    + " GROUP BY 1",
)
_TRACED_NOW = (
    rules.traceable_lots(
        f"SELECT b.id, b.origin, b.plot_ids {_LOTS} AND b.origin = 'produced'",
        "SELECT coalesce(sum(b.lots), 0)::bigint AS every,"
        f" coalesce(sum(b.with_plots), 0)::bigint AS harvested FROM {summaries.LOT_DAYS} b"
        f" {_LOT_FILTER}",
    ),
    "SELECT date_trunc('month', b.labelled_on)::date, sum(b.labels)::bigint"
    f" FROM {summaries.LABEL_DAYS} b {_LOT_FILTER}"
    + _WINDOW.format(day="b.labelled_on")
    + " GROUP BY 1",
)


def _traceability(conn: psycopg.Connection[Any], p: Params) -> Indicator:
    lots_sql, labels_sql = _TRACED_NOW if p["now"] else _TRACED_EXACT
    lots = conn.execute(lots_sql, p).fetchone()
    window = _WINDOW
    labels = dict(conn.execute(labels_sql, p).fetchall())
    scans: dict[date, int] = {}
    if conn.execute("SELECT to_regclass('nguon_page_scans')").fetchone() not in (None, (None,)):
        # Page requests are counted by the web service, not recorded as events: "known at"
        # does not apply to them.
        scans = dict(
            conn.execute(
                "SELECT date_trunc('month', ps.day)::date, sum(ps.scans) FROM nguon_page_scans ps"
                f" WHERE ps.batch_id IN (SELECT b.id {_LOTS})"
                + window.format(day="ps.day")
                + " GROUP BY 1",
                p,
            ).fetchall()
        )
    incidents: dict[tuple[date, str], int] = {
        (month, kind): int(n)
        for month, kind, n in conn.execute(
            "SELECT date_trunc('month', i.happened_on)::date, i.kind, count(*) FROM mon_incidents i"
            f" WHERE i.recorded_at <= {KNOWN} AND i.batch_id IN (SELECT b.id {_LOTS})"
            + window.format(day="i.happened_on")
            + " GROUP BY 1, 2",
            p,
        ).fetchall()
    }
    months = _months(p["d"], 12)
    all_lots, traced = lots or (0, 0)
    issued = sum(int(v) for v in labels.values())
    scanned = sum(int(v) for v in scans.values())
    recalls = sum(n for (_, kind), n in incidents.items() if kind == "recall")
    failed = sum(n for (_, kind), n in incidents.items() if kind == "failed_inspection")
    return Indicator(
        key="traceability",
        title="mon_traceability_title",
        description="mon_traceability_description",
        figures=(
            Figure(
                "mon_lots_traceable",
                Share(int(traced), int(all_lots), "mon_lots_traceable", "mon_lots_all"),
            ),
            Figure(
                "mon_labels_scanned",
                Share(scanned, issued, "mon_labels_scanned", "mon_labels_issued"),
            ),
            Figure("mon_recalls", recalls),
            Figure("mon_failed_inspections", failed),
        ),
        tables=(
            Table(
                "by_month",
                "mon_table_traceability_by_month",
                (
                    Column("month", "mon_col_month", Kind.MONTH),
                    Column("labels_issued", "mon_col_labels_issued"),
                    Column("scans", "mon_col_scans"),
                    Column("recalls", "mon_col_recalls"),
                    Column("failed_inspections", "mon_col_failed_inspections"),
                ),
                tuple(
                    Row(
                        {
                            "month": m,
                            "labels_issued": int(labels.get(m, 0)),
                            "scans": int(scans.get(m, 0)),
                            "recalls": incidents.get((m, "recall"), 0),
                            "failed_inspections": incidents.get((m, "failed_inspection"), 0),
                        }
                    )
                    for m in months
                ),
                note="mon_note_scans",
            ),
        ),
        series=(
            Series(
                "recalls",
                "mon_series_incidents",
                Kind.COUNT,
                tuple((m, incidents.get((m, "recall"), 0)) for m in months),
                label="mon_recalls",
            ),
            Series(
                "failed_inspections",
                "mon_series_incidents",
                Kind.COUNT,
                tuple((m, incidents.get((m, "failed_inspection"), 0)) for m in months),
                label="mon_failed_inspections",
            ),
        ),
    )


# Timeliness ---------------------------------------------------------------------------------


def _timeliness(conn: psycopg.Connection[Any], p: Params) -> Indicator:
    dated = sources(now=p["now"]).timeliness.rows
    rows = conn.execute(
        "SELECT c.id, c.name, c.commune, sum(t.events)::bigint, sum(t.timely)::bigint"
        f" FROM {_COOPS} c JOIN {dated} t ON t.organisation_id = c.id"
        f" WHERE t.recorded_at <= {KNOWN} AND t.business_day <= {DAY}"
        f" AND t.business_day > {YEAR_BEFORE} GROUP BY 1, 2, 3 ORDER BY 2, 1",
        p,
    ).fetchall()
    events = sum(int(r[3]) for r in rows)
    on_time = sum(int(r[4]) for r in rows)
    return Indicator(
        key="timeliness",
        title="mon_timeliness_title",
        description="mon_timeliness_description",
        figures=(
            Figure(
                "mon_timely_events",
                Share(on_time, events, "mon_timely_events", "mon_dated_events"),
                drill=drill("timeliness"),
            ),
        ),
        tables=(
            Table(
                "by_cooperative",
                "mon_table_by_cooperative",
                (
                    Column("cooperative", "mon_col_cooperative", Kind.TEXT),
                    Column("commune", "mon_col_commune", Kind.TEXT),
                    Column("events", "mon_col_dated_events"),
                    Column("timely", "mon_col_timely_events"),
                    Column("share", "mon_col_share_timely", Kind.PERCENT),
                ),
                tuple(
                    Row(
                        {
                            "cooperative": name,
                            "commune": commune,
                            "events": int(n),
                            "timely": int(t),
                            "share": _percent(t, n),
                        },
                        drill=drill("timeliness", cooperative=cooperative_id),
                        link=f"/province/cooperatives/{cooperative_id}",
                    )
                    for cooperative_id, name, commune, n, t in rows
                ),
                note="mon_note_timeliness",
            ),
        ),
    )

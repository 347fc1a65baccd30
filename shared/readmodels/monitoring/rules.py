"""The rules of the indicators, as SQL over the monitoring projection's tables: one place each.

Every fragment reads the request's parameters by name: ``d`` (the "as of" date), ``k`` (the
"known at" instant; infinity for "as known now"), the population filters (``commune``,
``former_district``, ``sector``, ``organisation``) and the chain filters (``commodity``,
``chain``). A row counts "as of" D when its business date is on or before D, and "known at" K
when it was recorded by K; a later change (leaving, ending, expiring) counts when its own date
is on or before D and it too was recorded by K.
"""

from __future__ import annotations

from typing import Final

KNOWN = "%(k)s::timestamptz"
DAY = "%(d)s::date"
YEAR_BEFORE = "(%(d)s::date - interval '12 months')::date"

CHAIN_FILTER: Final = (
    "(%(commodity)s::text IS NULL OR ch.commodity = %(commodity)s)"
    " AND (%(chain)s::uuid IS NULL OR ch.id = %(chain)s::uuid)"
)
"""Which chains count (alias ``ch``): the commodity and value-chain filters."""


def in_chain_on(p: str, day: str) -> str:
    """Participation row ``p`` holds on ``day``."""
    return (
        f"{p}.joined_on <= {day} AND {p}.recorded_at <= {KNOWN} AND ({p}.left_on IS NULL"
        f" OR {p}.left_on > {day} OR {p}.left_recorded_at > {KNOWN})"
    )


def contract_in_force_on(ct: str, day: str) -> str:
    """Contract ``ct`` is in force on ``day`` (signed and known, in its period, not ended)."""
    return (
        f"{ct}.recorded_at <= {KNOWN} AND {ct}.starts_on <= {day} AND {ct}.ends_on >= {day}"
        f" AND NOT ({ct}.ended_on IS NOT NULL AND {ct}.ended_on <= {day}"
        f" AND {ct}.ended_recorded_at <= {KNOWN})"
    )


def contract_end(ct: str) -> str:
    """The last day of contract ``ct``'s period as known at K (its end, or the day it ended)."""
    return (
        f"CASE WHEN {ct}.ended_on IS NOT NULL AND {ct}.ended_recorded_at <= {KNOWN}"
        f" THEN least({ct}.ends_on, {ct}.ended_on) ELSE {ct}.ends_on END"
    )


def under_contract(s: str, ct: str) -> str:
    """Shipment ``s`` fulfils contract ``ct``: between two of its parties, within its period."""
    return (
        f"{s}.from_id = ANY({ct}.parties) AND {s}.to_id = ANY({ct}.parties)"
        f" AND {s}.from_id <> {s}.to_id AND {s}.shipped_on >= {ct}.starts_on"
        f" AND {s}.shipped_on <= {contract_end(ct)} AND {s}.recorded_at <= {KNOWN}"
    )


def contract_pairs() -> str:
    """Every two distinct parties of a (filtered) contract, one way and the other, with the
    contract's period as known at K: a subquery with from_id, to_id, starts_on, ends_on.

    ``under_contract`` as rows: a shipment fulfils a contract exactly when a pair of it has the
    shipment's two ends and holds its day. Joined on both ends (a hash lookup), where testing
    every shipment against every contract's arrays was most of a page's time."""
    return (
        f"(SELECT a.party AS from_id, b.party AS to_id, ct.starts_on, {contract_end('ct')}"
        " AS ends_on FROM mon_contracts ct JOIN mon_chains ch ON ch.id = ct.value_chain_id"
        " CROSS JOIN LATERAL unnest(ct.parties) a(party)"
        " CROSS JOIN LATERAL unnest(ct.parties) b(party)"
        f" WHERE a.party <> b.party AND {CHAIN_FILTER})"
    )


def shipped_under_a_contract(s: str) -> str:
    """Shipment ``s`` fulfils a (filtered) contract: ``under_contract`` for some contract."""
    return (
        f"{s}.recorded_at <= {KNOWN} AND EXISTS (SELECT 1 FROM {contract_pairs()} pr"
        f" WHERE pr.from_id = {s}.from_id AND pr.to_id = {s}.to_id"
        f" AND {s}.shipped_on >= pr.starts_on AND {s}.shipped_on <= pr.ends_on)"
    )


def in_a_chain(c: str, day: str = DAY) -> str:
    """Cooperative ``c`` takes part in at least one (filtered) chain on ``day``."""
    return (
        "EXISTS (SELECT 1 FROM mon_participation p JOIN mon_chains ch ON ch.id = p.value_chain_id"
        f" WHERE p.organisation_id = {c}.id AND {in_chain_on('p', day)} AND {CHAIN_FILTER})"
    )


def contract_party(c: str) -> str:
    """Cooperative ``c`` is a party to a (filtered) linkage contract in force on D."""
    return (
        "EXISTS (SELECT 1 FROM mon_contracts ct JOIN mon_chains ch ON ch.id = ct.value_chain_id"
        f" WHERE {c}.id = ANY(ct.parties) AND {contract_in_force_on('ct', DAY)}"
        f" AND {CHAIN_FILTER})"
    )


def shipped_to_a_partner(c: str, shipments: str = "mon_shipments") -> str:
    """Cooperative ``c`` shipped, in the 12 months to D, to an organisation that took part in
    a (filtered) chain with it on the day of the shipment. ``shipments``: the table, or a
    subquery of its shape (from_id, to_id, shipped_on, recorded_at)."""
    return (
        f"EXISTS (SELECT 1 FROM {shipments} s WHERE s.from_id = "
        f"{c}.id AND s.recorded_at <= {KNOWN} AND s.shipped_on > {YEAR_BEFORE}"
        f" AND s.shipped_on <= {DAY} AND EXISTS (SELECT 1 FROM mon_participation a"
        " JOIN mon_participation b ON b.value_chain_id = a.value_chain_id"
        " JOIN mon_chains ch ON ch.id = a.value_chain_id"
        f" WHERE a.organisation_id = {c}.id AND b.organisation_id = s.to_id"
        f" AND {in_chain_on('a', 's.shipped_on')} AND {in_chain_on('b', 's.shipped_on')}"
        f" AND {CHAIN_FILTER}))"
    )


def linked_strictly(c: str, shipments: str = "mon_shipments") -> str:
    """The stricter sense of "in a value chain": a contract in force AND a recent shipment."""
    return f"({contract_party(c)} AND {shipped_to_a_partner(c, shipments)})"


def certified(c: str, scheme: str | None = None) -> str:
    """Cooperative ``c`` holds a certificate valid on D (of ``scheme``'s parameter, if named)."""
    scheme_rule = f" AND cf.scheme = %({scheme})s" if scheme else ""
    return (
        f"EXISTS (SELECT 1 FROM mon_certifications cf WHERE cf.organisation_id = {c}.id"
        f" AND {valid_on('cf', DAY)}{scheme_rule})"
    )


def valid_on(cf: str, day: str) -> str:
    """Certificate ``cf`` is valid on ``day``, as known at K (granted, in its period, and not
    expired by then)."""
    return (
        f"{cf}.recorded_at <= {KNOWN} AND {cf}.valid_from <= {day}"
        f" AND ({cf}.valid_until IS NULL OR {cf}.valid_until >= {day})"
        f" AND NOT ({cf}.expired_on IS NOT NULL AND {cf}.expired_on <= {day}"
        f" AND {cf}.expired_recorded_at <= {KNOWN})"
    )


def plot_valid_on(pc: str, day: str) -> str:
    return (
        f"{pc}.recorded_at <= {KNOWN} AND {pc}.valid_from <= {day}"
        f" AND ({pc}.valid_until IS NULL OR {pc}.valid_until >= {day})"
    )


def cooperatives_on(day: str = DAY) -> str:
    """The cooperatives existing on ``day`` as known at K, with their model and status then,
    under the population filters: a subquery with id, name, commune, former_district, sector,
    model, status."""
    return f"""(SELECT o.id, o.name, o.commune, o.former_district, o.sector,
        (SELECT m.model FROM mon_models m WHERE m.organisation_id = o.id AND m.since <= {day}
          AND m.recorded_at <= {KNOWN} ORDER BY m.since DESC, m.position DESC LIMIT 1) AS model,
        coalesce((SELECT st.status FROM mon_statuses st WHERE st.organisation_id = o.id
          AND st.since <= {day} AND st.recorded_at <= {KNOWN}
          ORDER BY st.since DESC, st.position DESC LIMIT 1), 'active') AS status
      FROM mon_organisations o
      WHERE o.kind = 'cooperative' AND o.exists_from <= {day} AND o.recorded_at <= {KNOWN}
        AND (%(commune)s::text IS NULL OR o.commune = %(commune)s)
        AND (%(former_district)s::text IS NULL OR o.former_district = %(former_district)s)
        AND (%(sector)s::text IS NULL OR o.sector = %(sector)s)
        AND (%(organisation)s::uuid IS NULL OR o.id = %(organisation)s::uuid))"""


def timely(t: str) -> str:
    """Event row ``t`` was recorded within 48 hours after the end of the day it describes
    (Vietnam time: the day ends at 17:00 UTC)."""
    return (
        f"{t}.recorded_at < (({t}.business_day + 3)::timestamp - interval '7 hours')"
        " AT TIME ZONE 'UTC'"
    )


def traceable_lots(lots: str, counted: str | None = None) -> str:
    """How many of ``lots`` (a subquery of mon_batches rows) lead back to at least one plot:
    harvested from one, or made from lots that were. The walk goes back from the made lots
    only (harvests name their plots), known at K. ``counted``, if given, counts the lots
    (``every``, ``harvested``: of them, those harvested from a plot) instead of ``lots``,
    which then need hold only the made ones."""
    counted = counted or (
        "SELECT count(*) AS every, count(*) FILTER (WHERE cardinality(plot_ids) > 0)"
        " AS harvested FROM lots"
    )
    # Not materialized, and counted in one pass: the lots of a province are hundreds of
    # thousands, and a materialized CTE of them went to disk and was read three times.
    return f"""WITH RECURSIVE lots AS NOT MATERIALIZED ({lots}),
    up(lot, id) AS (
      SELECT l.id, bp.parent_id FROM lots l JOIN mon_batch_parents bp ON bp.child_id = l.id
      WHERE l.origin = 'produced'
      UNION SELECT up.lot, bp.parent_id FROM up JOIN mon_batch_parents bp ON bp.child_id = up.id)
    SELECT counted.every, counted.harvested
      + (SELECT count(DISTINCT up.lot) FROM up JOIN mon_batches a ON a.id = up.id
         AND cardinality(a.plot_ids) > 0 AND a.recorded_at <= {KNOWN})
    FROM ({counted}) counted"""


def plot_known_on(pl: str, day: str) -> str:
    """Plot ``pl`` counts on ``day``: known at K, and registered by the end of that day or
    harvested from by then (a plot registered after the fact had its harvests)."""
    return (
        f"{pl}.recorded_at <= {KNOWN} AND ({pl}.recorded_at"
        f" < ((({day}) + 1)::timestamp - interval '7 hours') AT TIME ZONE 'UTC'"
        f" OR EXISTS (SELECT 1 FROM mon_harvest_plots hp WHERE hp.plot_id = {pl}.id"
        f" AND hp.recorded_at <= {KNOWN} AND hp.harvested_on <= {day}))"
    )

"""Summaries of the monitoring projection's busiest facts, for figures asked "as known now".

An indicator asked without "known at" counts every row, whenever it was recorded, so it needs
no row's own ``recorded_at``: it can read sums by organisation and day instead of every event.
Five summaries are kept, each by a statement-level trigger on the facts it sums (so a page
copied in by a rebuild updates them in one statement, and a replayed row, skipped by its
``ON CONFLICT DO NOTHING``, is never summed twice):

* ``mon_timeliness_days``: dated events and those recorded in time, by organisation and day;
* ``mon_shipment_days``: shipments and their kilograms, by sender, recipient and day;
* ``mon_plot_shipment_days``: which plots' harvests left, from whom to whom, on which day. A
  shipment and its harvest are events of one batch, normally in that order; a trigger on each
  side adds the pairs the other side already holds, so either order gives the same rows;
* ``mon_lot_days``: lots, and those harvested from a plot, by the day made, commodity, first
  holder and chains (what the traceability filters ask of a lot);
* ``mon_label_days``: labels issued by day, with their lot's day, commodity, holder and chains
  (carried from the lot by the same two-sided triggers, so no page joins labels to lots).

:class:`Source` gives each indicator its facts in one shape for both paths: the exact rows
(every row with its ``recorded_at``, for "known at") or the summary (``recorded_at`` of
``-infinity``: known at any instant). A rule is then written once, over the source.
Figures read from either are equal (a test holds them so on a hand-built history).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

from shared.readmodels.monitoring.rules import timely

_ALWAYS_KNOWN = "'-infinity'::timestamptz AS recorded_at"


def _trigger(table: str, function: str, body: str) -> list[str]:
    return [
        f"""CREATE OR REPLACE FUNCTION {function}() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN {body}; RETURN NULL; END $$""",
        f"""CREATE OR REPLACE TRIGGER {function} AFTER INSERT ON {table}
        REFERENCING NEW TABLE AS added FOR EACH STATEMENT EXECUTE FUNCTION {function}()""",
    ]


_FLOWS = [
    """CREATE TABLE IF NOT EXISTS mon_timeliness_days (
    organisation_id uuid NOT NULL,
    business_day date NOT NULL,
    events integer NOT NULL,
    timely integer NOT NULL,
    PRIMARY KEY (organisation_id, business_day))""",
    *_trigger(
        "mon_timeliness",
        "mon_timeliness_summed",
        "INSERT INTO mon_timeliness_days AS d SELECT t.organisation_id, t.business_day,"
        f" count(*), count(*) FILTER (WHERE {timely('t')}) FROM added t GROUP BY 1, 2"
        " ON CONFLICT (organisation_id, business_day) DO UPDATE"
        " SET events = d.events + excluded.events, timely = d.timely + excluded.timely",
    ),
    # quantity_kg: NULL while no shipment of the day was a mass, as sum() over them would be.
    """CREATE TABLE IF NOT EXISTS mon_shipment_days (
    from_id uuid NOT NULL,
    to_id uuid NOT NULL,
    shipped_on date NOT NULL,
    shipments integer NOT NULL,
    quantity_kg numeric,
    PRIMARY KEY (from_id, to_id, shipped_on))""",
    "CREATE INDEX IF NOT EXISTS mon_shipment_days_from ON mon_shipment_days (from_id, shipped_on)",
    *_trigger(
        "mon_shipments",
        "mon_shipments_summed",
        "INSERT INTO mon_shipment_days AS d SELECT s.from_id, s.to_id, s.shipped_on, count(*),"
        " sum(s.quantity_kg) FROM added s GROUP BY 1, 2, 3"
        " ON CONFLICT (from_id, to_id, shipped_on) DO UPDATE"
        " SET shipments = d.shipments + excluded.shipments,"
        " quantity_kg = CASE WHEN d.quantity_kg IS NULL THEN excluded.quantity_kg"
        " WHEN excluded.quantity_kg IS NULL THEN d.quantity_kg"
        " ELSE d.quantity_kg + excluded.quantity_kg END",
    ),
    """CREATE TABLE IF NOT EXISTS mon_plot_shipment_days (
    plot_id uuid NOT NULL,
    from_id uuid NOT NULL,
    to_id uuid NOT NULL,
    shipped_on date NOT NULL,
    PRIMARY KEY (plot_id, from_id, to_id, shipped_on))""",
    """CREATE INDEX IF NOT EXISTS mon_plot_shipment_days_day
    ON mon_plot_shipment_days (shipped_on)""",
    *_trigger(
        "mon_shipments",
        "mon_shipments_of_plots",
        "INSERT INTO mon_plot_shipment_days SELECT DISTINCT hp.plot_id, s.from_id, s.to_id,"
        " s.shipped_on FROM added s JOIN mon_harvest_plots hp ON hp.batch_id = s.batch_id"
        " ON CONFLICT DO NOTHING",
    ),
    *_trigger(
        "mon_harvest_plots",
        "mon_plots_of_shipments",
        "INSERT INTO mon_plot_shipment_days SELECT DISTINCT hp.plot_id, s.from_id, s.to_id,"
        " s.shipped_on FROM added hp JOIN mon_shipments s ON s.batch_id = hp.batch_id"
        " ON CONFLICT DO NOTHING",
    ),
]

_LOT = "created_on, commodity, holder_id, value_chain_ids"


def _labels_trigger(table: str, function: str, joined: str) -> list[str]:
    return _trigger(
        table,
        function,
        "INSERT INTO mon_label_days AS d SELECT l.labelled_on, b.created_on, b.commodity,"
        f" b.holder_id, b.value_chain_ids, sum(l.labels_issued) FROM {joined}"
        " ON l.batch_id = b.id GROUP BY 1, 2, 3, 4, 5"
        f" ON CONFLICT (labelled_on, {_LOT}) DO UPDATE SET labels = d.labels + excluded.labels",
    )


_LOTS = [
    """CREATE TABLE IF NOT EXISTS mon_lot_days (
    created_on date NOT NULL,
    commodity text NOT NULL,
    holder_id uuid,
    value_chain_ids uuid[] NOT NULL,
    lots integer NOT NULL,
    with_plots integer NOT NULL,
    UNIQUE NULLS NOT DISTINCT (created_on, commodity, holder_id, value_chain_ids))""",
    *_trigger(
        "mon_batches",
        "mon_batches_summed",
        f"INSERT INTO mon_lot_days AS d SELECT {_LOT}, count(*),"
        " count(*) FILTER (WHERE cardinality(plot_ids) > 0) FROM added GROUP BY 1, 2, 3, 4"
        f" ON CONFLICT ({_LOT}) DO UPDATE"
        " SET lots = d.lots + excluded.lots, with_plots = d.with_plots + excluded.with_plots",
    ),
    # Made lots are few: the walk back to their plots reads them alone.
    """CREATE INDEX IF NOT EXISTS mon_batches_produced ON mon_batches (created_on)
    WHERE origin = 'produced'""",
    "CREATE INDEX IF NOT EXISTS mon_labels_batch ON mon_labels (batch_id)",
    """CREATE TABLE IF NOT EXISTS mon_label_days (
    labelled_on date NOT NULL,
    created_on date NOT NULL,
    commodity text NOT NULL,
    holder_id uuid,
    value_chain_ids uuid[] NOT NULL,
    labels bigint NOT NULL,
    UNIQUE NULLS NOT DISTINCT (labelled_on, created_on, commodity, holder_id, value_chain_ids))""",
    *_labels_trigger("mon_labels", "mon_labels_summed", "added l JOIN mon_batches b"),
    *_labels_trigger("mon_batches", "mon_lots_labelled", "added b JOIN mon_labels l"),
]
DDL: Final = [*_FLOWS, *_LOTS]
LOT_DAYS: Final = f"(SELECT *, {_ALWAYS_KNOWN} FROM mon_lot_days)"
"""Lots as known now, in ``mon_batches``' columns the filters read, with ``lots`` and
``with_plots`` (how many harvested from a plot)."""
LABEL_DAYS: Final = f"(SELECT *, {_ALWAYS_KNOWN} FROM mon_label_days)"
"""Labels as known now, by ``labelled_on``, with their lots' columns the filters read."""


@dataclass(frozen=True)
class Source:
    """Where an indicator reads a kind of fact: a table or subquery, and the columns that name
    one of its rows (for counting each once)."""

    rows: str
    key: tuple[str, ...]

    def named(self, alias: str) -> str:
        """The key's columns under ``alias``, for a ``SELECT DISTINCT``."""
        return ", ".join(f"{alias}.{column}" for column in self.key)


@dataclass(frozen=True)
class Sources:
    """The facts of one path: exact rows (``now=False``) or the summaries (``now=True``)."""

    # organisation_id, business_day, recorded_at, events, timely
    timeliness: Source
    # from_id, to_id, shipped_on, quantity_kg, recorded_at
    shipments: Source
    # plot_id, from_id, to_id, shipped_on, recorded_at, harvest_recorded_at
    plot_shipments: Source


EXACT: Final = Sources(
    timeliness=Source(
        "(SELECT t.position, t.organisation_id, t.business_day, t.recorded_at, 1 AS events,"
        f" ({timely('t')})::int AS timely FROM mon_timeliness t)",
        ("position",),
    ),
    shipments=Source("mon_shipments", ("position",)),
    plot_shipments=Source(
        "(SELECT hp.plot_id, s.from_id, s.to_id, s.shipped_on, s.recorded_at,"
        " hp.recorded_at AS harvest_recorded_at"
        " FROM mon_shipments s JOIN mon_harvest_plots hp ON hp.batch_id = s.batch_id)",
        ("plot_id", "from_id", "to_id", "shipped_on"),
    ),
)
SUMMED: Final = Sources(
    timeliness=Source(
        f"(SELECT organisation_id, business_day, events, timely, {_ALWAYS_KNOWN}"
        " FROM mon_timeliness_days)",
        ("organisation_id", "business_day"),
    ),
    shipments=Source(
        f"(SELECT from_id, to_id, shipped_on, quantity_kg, {_ALWAYS_KNOWN} FROM mon_shipment_days)",
        ("from_id", "to_id", "shipped_on"),
    ),
    plot_shipments=Source(
        f"(SELECT plot_id, from_id, to_id, shipped_on, {_ALWAYS_KNOWN},"
        " '-infinity'::timestamptz AS harvest_recorded_at FROM mon_plot_shipment_days)",
        ("plot_id", "from_id", "to_id", "shipped_on"),
    ),
)


def sources(*, now: bool) -> Sources:
    return SUMMED if now else EXACT

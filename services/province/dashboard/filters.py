"""The dashboard's filter form: read from a GET query, checked, and kept in every link.

"as of" is a date (default: today in Vietnam), "known at" an optional local date-time (Vietnam
time, as a native ``datetime-local`` input sends it); commune, former district, sector,
commodity and value chain must be among the choices the recorded facts offer. A bad value is
not guessed at: it comes back as an error at its field (a message id), and no figure is drawn.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import cached_property
from urllib.parse import urlencode
from uuid import UUID

from shared.domain.clock import VIETNAM_TIME, now, today_in_vietnam
from shared.readmodels.monitoring.figures import Choices, Filters

PICKED = ("commune", "former_district", "sector", "commodity", "chain")
FIELDS = ("as_of", "known_at", *PICKED)
KEPT = (*FIELDS, "lang")  # what every link of the dashboard carries on


@dataclass(frozen=True)
class FilterForm:
    """What was typed (to show again), the filters it means, and each field's error."""

    values: dict[str, str]
    filters: Filters | None
    errors: dict[str, str] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return self.filters is not None

    def query(self, **extra: str | None) -> str:
        """``?as_of=…&commune=…``: the filters as given, for links that keep them."""
        added = {k: v for k, v in extra.items() if v}
        if any(k in self.values for k in extra):  # a filter replaced: encoded afresh
            kept = {k: v for k, v in {**self.values, **extra}.items() if v}
            return f"?{urlencode(kept)}" if kept else ""
        # Otherwise the filters' part is the same in each of a page's hundreds of links.
        parts = [part for part in (self._kept, urlencode(added)) if part]
        return f"?{'&'.join(parts)}" if parts else ""

    @cached_property
    def _kept(self) -> str:
        return urlencode({k: v for k, v in self.values.items() if v})

    def described(self, choices: Choices) -> tuple[tuple[str, str], ...]:
        """The filters in force as (label message id, value shown), for titles and exports."""
        names = {str(chain_id): name for chain_id, name in choices.value_chains}
        shown: list[tuple[str, str]] = []
        for name in PICKED:
            value = self.values.get(name)
            if value and name not in self.errors:
                label = "dash_filter_value_chain" if name == "chain" else f"dash_filter_{name}"
                shown.append((label, names.get(value, value) if name == "chain" else value))
        return tuple(shown)


def read_filters(query: Mapping[str, str], choices: Choices) -> FilterForm:
    values = {name: query.get(name, "").strip() for name in KEPT if query.get(name, "").strip()}
    errors: dict[str, str] = {}
    today = today_in_vietnam()
    as_of = today
    if "as_of" in values:
        try:
            as_of = date.fromisoformat(values["as_of"])
        except ValueError:
            errors["as_of"] = "dash_error_date"
        else:
            if as_of > today:
                errors["as_of"] = "dash_error_future"
    known_at = None
    if "known_at" in values:
        known_at = _moment(values["known_at"])
        if known_at is None:
            errors["known_at"] = "dash_error_moment"
        elif known_at > now():
            errors["known_at"] = "dash_error_future"
    offered = {
        "commune": set(choices.communes),
        "former_district": set(choices.former_districts),
        "sector": set(choices.sectors),
        "commodity": set(choices.commodities),
        "chain": {str(chain_id) for chain_id, _ in choices.value_chains},
    }
    for name in PICKED:
        if name in values and values[name] not in offered[name]:
            errors[name] = f"dash_error_choice_{name}"
    if errors:
        return FilterForm(values=values, filters=None, errors=errors)
    chain = values.get("chain")
    filters = Filters(
        as_of=as_of,
        known_at=known_at,
        commune=values.get("commune"),
        former_district=values.get("former_district"),
        sector=values.get("sector"),
        commodity=values.get("commodity"),
        value_chain_id=UUID(chain) if chain else None,
    )
    return FilterForm(values=values, filters=filters)


def _moment(text: str) -> datetime | None:
    """``2026-12-01T09:30`` (a ``datetime-local`` input) in Vietnam time; with a zone, as given."""
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=VIETNAM_TIME)


def options(choices: Choices) -> dict[str, list[tuple[str, str]]]:
    """Each pick list's (value, label) pairs, as the form's select macro takes them."""
    return {
        "commune": [(c, c) for c in choices.communes],
        "former_district": [(d, d) for d in choices.former_districts],
        "sector": [(s, s) for s in choices.sectors],
        "commodity": [(c, c) for c in choices.commodities],
        "chain": [(str(chain_id), name) for chain_id, name in choices.value_chains],
    }

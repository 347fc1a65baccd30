"""The farm diary (nhật ký sản xuất): what is done on a plot before harvest.

VietGAP farms keep one already, on paper or in an app. Each entry is an event on the plot; a
spraying's pre-harvest interval (thời gian cách ly) bounds the earliest harvest from that plot.

One event, ``Plot.DiaryEntryRecorded`` with its ``activity``, rather than one event per activity:
the entries share everything that matters (the plot, the day, the household, who recorded it),
readers list them as one diary, and a new activity (mulching, bagging fruit…) is then a new
value rather than a new event type every consumer must learn. What differs by activity lives in
``details``, a flat map of strings whose keys this module fixes per activity (:func:`details`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

from shared.domain import clock
from shared.domain.choices import choice
from shared.domain.errors import InvalidValue, RuleViolated
from shared.domain.organisations import required_text
from shared.domain.quantities import Quantity


class Activity(StrEnum):
    SOWING = "sowing"  # sown or planted: variety, seed lot
    FERTILISING = "fertilising"  # product, amount
    SPRAYING = "spraying"  # product, active ingredient, dose, pre-harvest interval in days
    IRRIGATION = "irrigation"
    CARE = "care"  # any other care: weeding, pruning, bagging fruit…


MAX_PRE_HARVEST_DAYS = 365  # the longest label interval in use is far below a year
# A diary is kept for the season and the few before it: an entry older than this is a typo
# (2006 for 2026), not a record anyone could check.
MAX_AGE = timedelta(days=5 * 366)
OVERRIDE_LIMIT = 500  # a reason a buyer reads on a phone, not an essay
TEXT_LIMIT = 200


@dataclass(frozen=True)
class Entry:
    """What the diary may say about one activity, before it becomes an event."""

    activity: Activity
    variety: str | None = None
    seed_lot: str | None = None
    product: str | None = None
    amount: Quantity | None = None
    active_ingredient: str | None = None
    dose: str | None = None
    pre_harvest_days: int | None = None
    note: str | None = None


# activity -> (fields it needs, fields it may have); ``note`` goes with every activity.
_FIELDS: dict[Activity, tuple[frozenset[str], frozenset[str]]] = {
    Activity.SOWING: (frozenset({"variety"}), frozenset({"seed_lot"})),
    Activity.FERTILISING: (frozenset({"product", "amount"}), frozenset()),
    Activity.SPRAYING: (
        frozenset({"product", "active_ingredient", "dose", "pre_harvest_days"}),
        frozenset(),
    ),
    Activity.IRRIGATION: (frozenset(), frozenset()),
    Activity.CARE: (frozenset({"note"}), frozenset()),
}


def activity(value: str) -> Activity:
    return choice(Activity, value, "activity")


def entry_day(on: date) -> date:
    """The day of an entry: not in the future (in Vietnam), not absurdly old."""
    clock.date_not_in_future(on, "on")
    oldest = clock.today_in_vietnam() - MAX_AGE
    if on < oldest:
        msg = f"a diary entry is dated on or after {oldest.isoformat()}"
        params = {"on": on.isoformat(), "oldest": oldest.isoformat()}
        raise InvalidValue("on", msg, code="diary_date_too_old", params=params)
    return on


def details(entry: Entry) -> dict[str, str]:
    """The entry's details as the event carries them: only the fields its activity has."""
    needed, optional = _FIELDS[entry.activity]
    given = {
        name: value
        for name in ("variety", "seed_lot", "product", "amount", "active_ingredient", "dose")
        if (value := getattr(entry, name)) is not None
    }
    if entry.pre_harvest_days is not None:
        given["pre_harvest_days"] = entry.pre_harvest_days
    if entry.note is not None and entry.note.strip():
        given["note"] = entry.note
    for name in sorted(needed - given.keys()):
        msg = f"a {entry.activity.value} entry needs its {name}"
        params = {"activity": entry.activity.value, "field": name}
        raise InvalidValue(name, msg, code="diary_field_missing", params=params)
    for name in sorted(given.keys() - needed - optional - {"note"}):
        msg = f"a {entry.activity.value} entry has no {name}"
        params = {"activity": entry.activity.value, "field": name}
        raise InvalidValue(name, msg, code="diary_field_not_applicable", params=params)
    out: dict[str, str] = {}
    for name, value in given.items():
        if isinstance(value, Quantity):
            checked = Quantity.positive(value.amount, value.unit.value, "amount").as_dict()
            out["amount"], out["unit"] = checked["amount"], checked["unit"]
        elif isinstance(value, int):
            out[name] = str(_interval(value))
        else:
            limit = OVERRIDE_LIMIT if name == "note" else TEXT_LIMIT
            out[name] = required_text(value, name, limit)
    return out


def _interval(days: int) -> int:
    if isinstance(days, bool) or not 0 <= days <= MAX_PRE_HARVEST_DAYS:
        msg = f"a pre-harvest interval is 0 to {MAX_PRE_HARVEST_DAYS} days"
        params = {"limit": MAX_PRE_HARVEST_DAYS}
        raise InvalidValue("pre_harvest_days", msg, code="pre_harvest_days_range", params=params)
    return days


@dataclass(frozen=True)
class Spraying:
    """A spraying as the harvest rule needs it."""

    on: date
    product: str
    active_ingredient: str
    pre_harvest_days: int

    @property
    def safe_from(self) -> date:
        """The first day a harvest may be made after this spraying."""
        return self.on + timedelta(days=self.pre_harvest_days)


def binding_spraying(sprayings: list[Spraying], harvested_on: date) -> Spraying | None:
    """The spraying that sets the earliest harvest day for a harvest on ``harvested_on``.

    Only sprayings on or before the harvest day count: one made after it (recorded before or
    after the harvest) cannot have touched what was harvested, so it never refuses it. Of those,
    the one whose interval ends last; ties go to the later spraying.
    """
    before = [s for s in sprayings if s.on <= harvested_on]
    if not before:
        return None
    return max(before, key=lambda s: (s.safe_from, s.on))


def override_reason(reason: str | None) -> str | None:
    """A harvest's reason for coming before an interval ended: non-blank and bounded."""
    if reason is None:
        return None
    stripped = reason.strip()
    if not stripped or len(stripped) > OVERRIDE_LIMIT:
        msg = f"an interval override's reason is 1 to {OVERRIDE_LIMIT} characters"
        params = {"field": "interval_override", "limit": OVERRIDE_LIMIT}
        raise InvalidValue("interval_override", msg, code="interval_override_reason", params=params)
    return stripped


def check_interval(
    plot: str, sprayings: list[Spraying], harvested_on: date, override: str | None
) -> bool:
    """Whether a harvest from this plot on ``harvested_on`` needs the override (VietGAP).

    Refused (``pre_harvest_interval``) when it comes before a spraying's interval ended and no
    override (a reason) is given; ``override`` must already be checked (:func:`override_reason`).
    """
    binding = binding_spraying(sprayings, harvested_on)
    if binding is None or harvested_on >= binding.safe_from:
        return False
    if override is not None:
        return True
    msg = (
        f"plot {plot} was sprayed with {binding.product} on {binding.on.isoformat()}: its"
        f" pre-harvest interval of {binding.pre_harvest_days} days ends on"
        f" {binding.safe_from.isoformat()}; harvest on or after that day, or give the reason"
        " for harvesting earlier (interval_override)"
    )
    params = {
        "plot": plot,
        "product": binding.product,
        "sprayed_on": binding.on.isoformat(),
        "pre_harvest_days": binding.pre_harvest_days,
        "earliest_harvest_on": binding.safe_from.isoformat(),
    }
    raise RuleViolated(msg, code="pre_harvest_interval", params=params)

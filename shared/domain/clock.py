"""Business time, and the one definition of Vietnam time on the platform.

Events say when a thing happened, never later than now plus a small skew. Calendar questions
(what year a batch code carries, whether a harvest date is in the future, whether a certificate
still holds today) are asked in Vietnam, whatever time zone the host is set to: every instant
here is aware, and nothing reads the host's local time (``datetime.now()`` without a zone,
``astimezone()`` without an argument).
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta, timezone
from typing import Final

from shared.domain.errors import InvalidValue, RuleViolated

CLOCK_SKEW = timedelta(minutes=5)

VIETNAM_TIME: Final = timezone(timedelta(hours=7), "GMT+7")
"""Indochina Time. A fixed offset, not ``ZoneInfo("Asia/Ho_Chi_Minh")``: Vietnam has kept UTC+7
without daylight saving since 1975, and a fixed offset needs no tz database on the host."""


def now() -> datetime:
    return datetime.now(tz=UTC)


def in_vietnam(at: datetime) -> datetime:
    """The same instant on Vietnam's wall clock (``at`` must be aware)."""
    return aware(at).astimezone(VIETNAM_TIME)


def today_in_vietnam(at: datetime | None = None) -> date:
    """The calendar date in Vietnam (at ``at``, or now), where it may already be tomorrow in UTC."""
    return in_vietnam(at or now()).date()


def aware(at: datetime, field: str = "at") -> datetime:
    if at.tzinfo is None:
        msg = "times need a UTC offset, e.g. 2026-10-05T08:30:00+07:00"
        raise InvalidValue(field, msg, code="time_needs_offset")
    return at


def not_in_future(at: datetime, field: str = "at") -> datetime:
    aware(at, field)
    if at > now() + CLOCK_SKEW:
        msg = f"{field} {at.isoformat()} is in the future"
        params = {"field": field, "at": at.isoformat()}
        raise RuleViolated(msg, code="time_in_future", params=params)
    return at


def date_not_in_future(day: date, field: str) -> date:
    if day > today_in_vietnam():
        msg = f"{field} {day.isoformat()} is in the future"
        params = {"field": field, "at": day.isoformat()}
        raise RuleViolated(msg, code="time_in_future", params=params)
    return day


def start_of_day_in_vietnam(day: date) -> datetime:
    """Midnight at the start of ``day`` in Vietnam, as a UTC instant."""
    return datetime.combine(day, time(0, 0), tzinfo=VIETNAM_TIME).astimezone(UTC)

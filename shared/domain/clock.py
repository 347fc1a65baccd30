"""Business time: events say when a thing happened, never later than now plus a small skew."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

from shared.domain.errors import InvalidValue, RuleViolated

CLOCK_SKEW = timedelta(minutes=5)
VIETNAM = timedelta(hours=7)


def now() -> datetime:
    return datetime.now(tz=UTC)


def aware(at: datetime, field: str = "at") -> datetime:
    if at.tzinfo is None:
        raise InvalidValue(field, "times need a UTC offset, e.g. 2026-10-05T08:30:00+07:00")
    return at


def not_in_future(at: datetime, field: str = "at") -> datetime:
    aware(at, field)
    if at > now() + CLOCK_SKEW:
        raise RuleViolated(f"{field} {at.isoformat()} is in the future", code="time_in_future")
    return at


def date_not_in_future(day: date, field: str) -> date:
    # A harvest date is a calendar date in Vietnam (UTC+7), where "today" may be tomorrow in UTC.
    if day > (now() + VIETNAM).date():
        raise RuleViolated(f"{field} {day.isoformat()} is in the future", code="time_in_future")
    return day


def start_of_day_in_vietnam(day: date) -> datetime:
    return datetime.combine(day, time(0, 0), tzinfo=UTC) - VIETNAM

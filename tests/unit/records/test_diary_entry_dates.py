"""A diary entry is dated by its day: the command carries no moment that would be ignored."""

from __future__ import annotations

import dataclasses
from datetime import UTC, date, datetime
from typing import Any
from uuid import uuid4

import pytest

from shared.records import commands as c


def test_a_diary_entry_is_dated_by_the_day_it_was_done_alone() -> None:
    names = {field.name for field in dataclasses.fields(c.RecordDiaryEntry)}
    assert "on" in names
    assert "at" not in names  # a moment beside the day could only disagree with it


def test_a_diary_entry_given_a_moment_is_refused_rather_than_the_moment_ignored() -> None:
    moment: dict[str, Any] = {"at": datetime(2026, 10, 1, 7, 30, tzinfo=UTC)}
    with pytest.raises(TypeError):
        c.RecordDiaryEntry(plot_id=uuid4(), activity="care", on=date(2026, 10, 1), **moment)

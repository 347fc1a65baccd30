"""Commands are built by keyword: a swapped commodity and variety cannot pass unnoticed."""

from __future__ import annotations

import dataclasses
from datetime import date
from typing import Any
from uuid import uuid4

import pytest

from shared.domain.quantities import Quantity
from shared.records import commands as c

COMMAND_CLASSES = [
    kind
    for kind in vars(c).values()
    if isinstance(kind, type) and dataclasses.is_dataclass(kind) and kind.__module__ == c.__name__
]


def test_a_harvest_given_its_fields_by_position_is_refused() -> None:
    fields: list[Any] = [[uuid4()], "paddy", Quantity.positive("10", "kg"), date(2026, 10, 1)]
    with pytest.raises(TypeError):
        c.HarvestBatch(*fields)  # type: ignore[call-arg]


@pytest.mark.parametrize("kind", COMMAND_CLASSES, ids=lambda kind: kind.__name__)
def test_every_command_takes_keywords_only_and_is_frozen(kind: type) -> None:
    params = kind.__dataclass_params__  # type: ignore[attr-defined]
    assert params.frozen
    assert all(f.kw_only for f in dataclasses.fields(kind))

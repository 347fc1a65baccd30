"""Hostile capture: events a partner could send, each a real exported event with one value
replaced by something nasty, are captured or refused cleanly, and what was captured can be
stored, projected by every projection (nothing quarantined) and given out again as EPCIS.

A value that the event store takes but a projection cannot hold (a NUL in a text, a number
no column fits, a date in the year 9999) would stop that projection for every user; capture
must refuse it at the door, naming where it was.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Callable, Iterator
from itertools import groupby
from typing import Any

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from shared.epcis.capture import Behaviour, capture
from shared.epcis.schema import validate_document, validate_event
from shared.readmodels.projections import Projections
from tests.integration.epcis_round_trip.two_platforms import (
    PROVINCE,
    Exchange,
    a_chain_exported,
    document_of,
    export,
)

HOSTILE_TEXT = st.one_of(
    st.just("\x00"),
    st.just("lô\x00hàng"),
    st.just("\ud800"),  # a lone surrogate: JSON's \ud800 escape parses to one
    st.just("x" * 20_000),
    st.just(""),
    st.just("   "),
    st.just("9999-12-31T23:59:59.999+14:00"),
    st.just("0001-01-01T00:00:00Z"),
    st.just("https://id.gs1.org/414/0000000000000"),
    st.just("urn:nguon:batch:TH-2026-999999"),
    st.text(max_size=30),
)
HOSTILE_NUMBER = st.one_of(
    st.just(0),
    st.just(-1),
    st.just(1e308),
    st.just(10**30),
    st.just(0.1 + 0.2),
    st.just(2**63),
    st.floats(allow_nan=False, allow_infinity=False),
    st.integers(),
)


def _leaves(value: Any, path: tuple[Any, ...] = ()) -> Iterator[tuple[tuple[Any, ...], Any]]:
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _leaves(item, (*path, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _leaves(item, (*path, index))
    else:
        yield path, value


def _replaced(event: dict[str, Any], path: tuple[Any, ...], value: Any) -> dict[str, Any]:
    changed = copy.deepcopy(event)
    place: Any = changed
    for step in path[:-1]:
        place = place[step]
    place[path[-1]] = value
    return changed


@pytest.fixture
def exchange(make_fresh_database: Callable[[], str]) -> Iterator[Exchange]:
    with a_chain_exported(make_fresh_database) as exchanged:
        yield exchanged


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=st.data())
def test_a_nasty_value_anywhere_is_captured_or_refused_and_never_stops_a_projection(
    exchange: Exchange, data: st.DataObject
) -> None:
    sent, b = exchange.sent, exchange.b
    upto = data.draw(st.integers(0, len(sent) - 1), label="event")
    organisation, event = sent[upto]
    leaves = list(_leaves(event))
    path, original = data.draw(st.sampled_from(leaves), label="leaf")
    nasty = data.draw(
        HOSTILE_NUMBER if isinstance(original, int | float) else HOSTILE_TEXT, label="value"
    )
    mutant = _replaced(event, path, nasty)
    assume(validate_event(mutant) == [])  # the HTTP side answers 422 for the others
    # The events before it, as sent, so the mutant meets the lots it names.
    before = [(who, list(run)) for who, run in groupby(sent[:upto], key=lambda pair: pair[0])]
    for who, run in before:
        capture(b.records, exchange.actor_on_b(who), [e for _, e in run], Behaviour.PROCEED)

    outcome = capture(b.records, exchange.actor_on_b(organisation), [mutant], Behaviour.PROCEED)

    [result] = outcome.events
    assert result.status in {"captured", "duplicate", "refused"}
    if result.refusal is not None:
        assert result.refusal.field.startswith("$.epcisBody.eventList[0]")
        assert result.refusal.code
        assert result.refusal.message
    b.project()
    assert Projections(b.connect).quarantined() == [], (path, nasty)


def test_after_the_hostile_captures_every_projection_applies_everything(
    exchange: Exchange,
) -> None:
    sent, b = exchange.sent, exchange.b
    nasty = {
        "nguon:lab": "Quatest\x00 3",
        "nguon:facility": "Sân\x00phơi",
        "nguon:variety": "x" * 20_000,
    }
    for who, event in sent:
        mutant = copy.deepcopy(event)
        for key, value in nasty.items():
            if key in mutant:
                mutant[key] = value
        if "ilmd" in mutant and "nguon:variety" in mutant["ilmd"]:
            mutant["ilmd"]["nguon:variety"] = nasty["nguon:variety"]
        capture(b.records, exchange.actor_on_b(who), [mutant], Behaviour.PROCEED)
        capture(b.records, exchange.actor_on_b(who), [event], Behaviour.PROCEED)
    b.project()

    assert Projections(b.connect).quarantined() == []
    exported = export(b, b.token(exchange.world_b, PROVINCE))
    assert exported
    document = document_of(exported)
    assert validate_document(json.loads(json.dumps(document))) == []
    assert "\x00" not in json.dumps(exported)

"""The one polling helper returns what it waited for, and fails in words when it times out."""

from __future__ import annotations

import itertools

import pytest

from tests.eventually import answers, eventually


def test_it_returns_the_first_truthy_answer() -> None:
    answers = itertools.chain([None, 0, ""], itertools.repeat("ready"))

    assert eventually(lambda: next(answers), within=5) == "ready"


def test_it_fails_the_test_with_what_never_happened() -> None:
    with pytest.raises(pytest.fail.Exception, match="the relay's checkpoint never happened"):
        eventually(lambda: False, within=0.05, what="the relay's checkpoint")


def test_a_fixed_pause_asks_again_at_that_pace_instead_of_slowing_down() -> None:
    asked = itertools.count(1)

    with pytest.raises(pytest.fail.Exception):
        eventually(lambda: next(asked) < 0, within=0.3, every=0.001)
    # Growing pauses (10, 20, 40 ... ms) would have asked about six times in 0.3 s.
    assert next(asked) > 20


def test_a_url_nothing_listens_on_does_not_answer() -> None:
    assert not answers("http://127.0.0.1:9/")  # discard port: nothing listens

"""The one polling helper returns what it waited for, and fails in words when it times out."""

from __future__ import annotations

import itertools

import pytest

from tests.eventually import eventually


def test_it_returns_the_first_truthy_answer() -> None:
    answers = itertools.chain([None, 0, ""], itertools.repeat("ready"))

    assert eventually(lambda: next(answers), within=5) == "ready"


def test_it_fails_the_test_with_what_never_happened() -> None:
    with pytest.raises(pytest.fail.Exception, match="the relay's checkpoint never happened"):
        eventually(lambda: False, within=0.05, what="the relay's checkpoint")

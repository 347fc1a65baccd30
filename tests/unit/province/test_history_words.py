"""Every event a registry page's history can show has its own words, in both languages.

A new event of an organisation or a chain without them would show its raw type
(``Cooperative.ProfileVisibilityChanged``) to staff.
"""

from __future__ import annotations

import inspect

import pytest
from eventsourcing.domain import Aggregate

from shared.domain.organisations import Cooperative, Enterprise
from shared.domain.plot import Plot
from shared.domain.value_chain import ValueChain
from shared.i18n import LANGUAGES
from shared.i18n.catalogues import message_ids


def _event_names(aggregate: type[Aggregate]) -> set[str]:
    return {
        name
        for name, member in inspect.getmembers(aggregate, inspect.isclass)
        if issubclass(member, Aggregate.Event) and name not in {"Event", "Created"}
    }


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("aggregate", [Cooperative, Enterprise, ValueChain, Plot])
def test_every_event_of_the_registry_history_is_worded(
    aggregate: type[Aggregate], lang: str
) -> None:
    names = _event_names(aggregate)
    assert "Registered" in names or "Established" in names

    missing = {n for n in names if f"reg_event_{aggregate.__name__}_{n}" not in message_ids(lang)}

    assert missing == set(), f"add reg_event_{aggregate.__name__}_<name> to registry.po ({lang})"

"""Extreme values sent to capture never stop the read side: a later harvest still gets its page.

Hypothesis sends cooperatives, supports, harvests and inspections whose numbers, texts and dates
are at and beyond every limit (PostgreSQL's integer, NUL and lone surrogates, decimals of
hundreds of digits, years 1 and 9999, far-off offsets) through the real API on a real
PostgreSQL, into the real embedded projections. Each is either stored or refused with a
client error; whatever was stored, the projections must apply it and keep following.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from datetime import date, datetime, timedelta, timezone
from typing import Any

import httpx
import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from tests.builders import cooperative_json, harvest_json
from tests.integration.contract.platform import Platform, a_platform, check_healthy

EXAMPLES = 150
CLIENT_ERRORS = {401, 403, 404, 409, 422}
INT4 = 2**31

any_text = st.text(st.characters(exclude_categories=()), max_size=300)  # NUL, surrogates too
edge_text = st.sampled_from(["\x00", "a\x00b", "\ud800", "x" * 200, "x" * 201, " ", "ễ" * 200])
texts = st.one_of(any_text, edge_text)
counts = st.one_of(
    st.integers(min_value=-(2**70), max_value=2**70),
    st.sampled_from([INT4 - 1, INT4, -INT4, 2**53, 2**63, 2**64]),
)
decimals = st.one_of(
    st.decimals(allow_nan=True, allow_infinity=True).map(str),
    st.sampled_from(["1E+400", "1e-400", "9" * 500, "0." + "0" * 300 + "1", "-0", "1E+30"]),
    st.floats(),
    st.integers(min_value=-(2**80), max_value=2**80),
)
days = st.one_of(
    st.dates().map(date.isoformat),
    st.sampled_from(["0001-01-01", "9999-12-31", "1899-12-31", "2200-01-01", "2026-02-30"]),
)
offsets = st.integers(min_value=-23 * 60 - 59, max_value=23 * 60 + 59).map(
    lambda minutes: timezone(timedelta(minutes=minutes))
)
moments = st.one_of(
    st.datetimes(timezones=offsets).map(datetime.isoformat),
    st.sampled_from(["0001-01-01T00:00:00+01:00", "9999-12-31T23:59:59-05:00"]),
)


def maybe(strategy: st.SearchStrategy[Any], usual: Any) -> st.SearchStrategy[Any]:
    """Mostly the extreme value, sometimes the usual one: some writes must get through."""
    return st.one_of(strategy, st.just(usual))


def a_cooperative() -> st.SearchStrategy[tuple[str, dict[str, Any]]]:
    usual = cooperative_json()

    @st.composite
    def build(draw: st.DrawFn) -> tuple[str, dict[str, Any]]:
        return "/cooperatives", usual | {
            "registration_number": f"2801-{draw(st.uuids()).hex[:9]}",
            "name": draw(maybe(texts, usual["name"])),
            "commune": draw(maybe(texts, usual["commune"])),
            "founded": draw(maybe(days, usual["founded"])),
            "members_count": draw(maybe(counts, usual["members_count"])),
        }

    return build()


def a_harvest(plot_id: str) -> st.SearchStrategy[tuple[str, dict[str, Any]]]:
    usual = harvest_json(plot_id)

    @st.composite
    def build(draw: st.DrawFn) -> tuple[str, dict[str, Any]]:
        return "/batches", usual | {
            "variety": draw(maybe(texts, usual["variety"])),
            "quantity": {"amount": draw(maybe(decimals, "1000")), "unit": "kg"},
            "harvested_on": draw(maybe(days, usual["harvested_on"])),
            "at": draw(maybe(moments, usual["at"])),
        }

    return build()


def an_inspection(code: str) -> st.SearchStrategy[tuple[str, dict[str, Any]]]:
    facts = st.dictionaries(texts, texts, max_size=5)
    return st.builds(
        lambda lab, parameters: (
            f"/batches/{code}/inspections",
            {"lab": lab, "result": "pass", "parameters": parameters},
        ),
        maybe(texts, "Vinacontrol"),
        facts,
    )


def a_support(cooperative_id: str) -> st.SearchStrategy[tuple[str, dict[str, Any]]]:
    return st.builds(
        lambda amount, on: (
            f"/cooperatives/{cooperative_id}/support",
            {"kind": "grant", "on": on, "programme": "OCOP", "amount_vnd": amount},
        ),
        maybe(decimals, "5000000"),
        maybe(days, "2025-03-01"),
    )


@pytest.fixture
def platform(fresh_database_admin_url: str) -> Iterator[Platform]:
    with a_platform(fresh_database_admin_url) as running:
        yield running


def _sender(platform: Platform) -> Callable[[str, str, dict[str, Any]], httpx.Response]:
    def send(token: str, path: str, body: dict[str, Any]) -> httpx.Response:
        # Serialised here, not by httpx: json.dumps escapes lone surrogates as \\ud800, and
        # writes NaN and Infinity as the invalid JSON a careless client would send.
        answer: httpx.Response = platform.client.post(
            f"/api/v1{path}",
            content=json.dumps(body).encode(),
            headers=platform.auth(token) | {"Content-Type": "application/json"},
        )
        return answer

    return send


def test_extreme_values_are_stored_or_refused_and_a_later_harvest_still_gets_its_page(
    platform: Platform,
) -> None:
    send = _sender(platform)
    code = platform.harvest().json()["results"][0]["code"]
    cooperative = platform.cooperative_organisation
    writes = st.one_of(
        a_cooperative().map(lambda w: (platform.province_token, *w)),
        a_support(cooperative).map(lambda w: (platform.province_token, *w)),
        a_harvest(platform.plot_id).map(lambda w: (platform.cooperative_token, *w)),
        an_inspection(code).map(lambda w: (platform.cooperative_token, *w)),
    )
    answered: dict[int, int] = {}

    @given(write=writes)
    @settings(
        max_examples=EXAMPLES,
        derandomize=True,
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
        phases=[Phase.explicit, Phase.generate, Phase.shrink],
    )
    def each(write: tuple[str, str, dict[str, Any]]) -> None:
        answer = send(*write)
        answered[answer.status_code] = answered.get(answer.status_code, 0) + 1
        assert answer.status_code in {200, 201} | CLIENT_ERRORS, answer.text

    each()

    assert answered.get(201, 0) + answered.get(200, 0) > 0, answered  # some writes got through
    check_healthy(platform)

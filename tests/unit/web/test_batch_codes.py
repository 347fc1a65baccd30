"""One batch-code rule: every code the domain allocates gets its page, and nothing else does."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from shared.domain import identifiers

from .builders import a_provenance_document
from .conftest import ClientFactory


def test_the_millionth_batch_of_a_year_gets_its_page(serving: ClientFactory) -> None:
    code = identifiers.batch_code("TH", 2027, 1_000_000)
    client = serving(a_provenance_document(code=code))

    response = client.get(f"/b/{code}")

    assert code == "TH-2027-1000000"
    assert response.status_code == 200


@given(
    province=st.sampled_from(["TH", "NA", "HNI"]),
    year=st.integers(min_value=2020, max_value=2099),
    number=st.integers(min_value=1, max_value=9_223_372_036_854_775_807),  # a bigint sequence
)
def test_every_code_the_domain_allocates_is_one_the_web_reads(
    province: str, year: int, number: int
) -> None:
    from services.web import identifiers as web_identifiers

    code = identifiers.batch_code(province, year, number)

    assert web_identifiers.batch_code(code.lower()) == code


@pytest.mark.parametrize("code", ["TH-2026-12345", "TH-2026-" + "1" * 20])
def test_a_number_shorter_than_six_or_longer_than_a_sequence_allows_is_refused(
    serving: ClientFactory, code: str
) -> None:
    assert serving().get(f"/b/{code}").status_code == 400

"""GS1 keys checked by the pure domain, Digital Link paths built and parsed by ``shared.gs1``."""

from __future__ import annotations

from datetime import date

import httpx
import pytest
from biip.gs1_digital_link_uris import GS1DigitalLinkURI
from biip.gtin import Gtin
from hypothesis import given
from hypothesis import strategies as st

from shared.domain import identifiers
from shared.domain.errors import InvalidValue
from shared.gs1 import digital_link
from shared.gs1.digital_link import DigitalLinkPath
from shared.gs1.errors import Gs1Error, InvalidGtin, InvalidLot, MalformedDigitalLink

GTIN = "08934563123451"
BASE = "https://nguon.thanhhoa.example"


@given(st.text(alphabet="0123456789", min_size=7, max_size=13))
def test_the_domain_s_check_digit_is_the_one_biip_computes(body: str) -> None:
    """The domain does the GS1 arithmetic itself (standard library only); biip agrees."""
    digit = identifiers.check_digit(body)
    if len(body) + 1 not in identifiers.GTIN_LENGTHS:
        return

    assert identifiers.gtin14(body + str(digit)) == Gtin.parse(body + str(digit)).as_gtin_14()


def test_a_digital_link_encodes_the_lot_as_one_segment() -> None:
    link = digital_link.batch_link(BASE, code="TH-2026-000123", gtin=GTIN, lot="A/B?C%D")

    assert link == f"{BASE}/01/{GTIN}/10/A%2FB%3FC%25D"


def test_a_batch_without_gtin_and_lot_gets_its_short_link() -> None:
    link = digital_link.batch_link(BASE + "/", code="TH-2026-000123", gtin=None, lot=None)

    assert link == f"{BASE}/b/TH-2026-000123"


@pytest.mark.parametrize(
    ("path", "keys"),
    [
        (f"/01/{GTIN}", DigitalLinkPath(GTIN)),
        ("/01/8934563123451/10/L1", DigitalLinkPath(GTIN, "L1")),
        (f"/01/{GTIN}/10/A%2FB/21/S%201", None),
        (f"/01/{GTIN}/10/A%2FB/21/S-1", DigitalLinkPath(GTIN, "A/B", "S-1")),
        (f"/01/{GTIN}/22/V1/10/L1/", DigitalLinkPath(GTIN, "L1")),
    ],
)
def test_a_digital_link_path_names_its_keys(path: str, keys: DigitalLinkPath | None) -> None:
    if keys is None:
        with pytest.raises(MalformedDigitalLink):
            digital_link.parse_path(path)
    else:
        assert digital_link.parse_path(path) == keys


@pytest.mark.parametrize(
    ("path", "error"),
    [
        ("/01/08934563123452/10/L1", InvalidGtin),
        ("/01/1234567", InvalidGtin),
        ("/01", InvalidGtin),
        (f"/01/{GTIN}/10/L%C3%B4", InvalidLot),
        (f"/01/{GTIN}/10/" + "A" * 21, InvalidLot),
        (f"/01/{GTIN}/10/L1/extra", MalformedDigitalLink),
        (f"/01/{GTIN}/21/S/10/L1", MalformedDigitalLink),
        ("/414/9520123456788", MalformedDigitalLink),
    ],
)
def test_a_bad_digital_link_says_which_part_is_wrong(path: str, error: type[Exception]) -> None:
    with pytest.raises(error):
        digital_link.parse_path(path)


@pytest.mark.parametrize("lot", [".", ".."])
def test_a_lot_of_dots_alone_is_refused_because_clients_drop_it_from_the_path(lot: str) -> None:
    sent = httpx.URL(digital_link.batch_link(BASE, code="TH-2026-000123", gtin=GTIN, lot=lot))

    try:
        read: str | None = digital_link.parse_path(sent.path).lot
    except Gs1Error:
        read = None

    assert read != lot
    with pytest.raises(InvalidValue, match="Digital Link"):
        identifiers.lot(lot)


@given(
    st.lists(
        st.sampled_from(["01", "10", "21", "22", GTIN, "L1", "%2F", "%", "%ZZ", "", "é", "A" * 30])
        | st.text(max_size=8),
        max_size=8,
    )
)
def test_any_path_is_either_read_or_refused_with_a_gs1_error(segments: list[str]) -> None:
    """A phone may send anything: nothing it sends may become a server error."""
    path = "/" + "/".join(["01", *segments])
    try:
        keys = digital_link.parse_path(path)
    except Gs1Error:
        return

    assert keys.gtin.isdigit()
    assert len(keys.gtin) == 14


def test_a_best_before_date_rides_in_the_digital_link_as_attribute_15() -> None:
    link = digital_link.batch_link(
        BASE, code="TH-2026-000123", gtin=GTIN, lot="L1", best_before=date(2027, 12, 31)
    )

    assert link == f"{BASE}/01/{GTIN}/10/L1?15=271231"
    parsed = GS1DigitalLinkURI.parse(link)
    values = {element.ai.ai: element.value for element in parsed.element_strings}
    assert values["15"] == "271231"
    assert values["10"] == "L1"


def test_a_batch_without_gtin_keeps_its_short_link_whatever_its_best_before() -> None:
    link = digital_link.batch_link(
        BASE, code="TH-2026-000123", gtin=None, lot=None, best_before=date(2027, 12, 31)
    )

    assert link == f"{BASE}/b/TH-2026-000123"

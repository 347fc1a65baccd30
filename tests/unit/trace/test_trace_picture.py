"""The trace picture read back as XML: a box per batch, groups beyond the limit, lines with
amounts, recall marks, escaped names, a title, and a small size however large the trace."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from shared.charts.trace_graph import EXPANDED_LIMIT, LIMIT, trace_picture
from shared.i18n import Translator
from tests.unit.trace.graphs import a_rice_chain, a_wide_chain

SVG = "{http://www.w3.org/2000/svg}"
VI = Translator("vi")
EN = Translator("en")


def _parse(markup: str) -> ET.Element:
    return ET.fromstring(markup)


def _class(root: ET.Element, name: str) -> list[ET.Element]:
    return [g for g in root.iter(f"{SVG}g") if g.get("class") == name]


def _words(element: ET.Element) -> str:
    return " ".join("".join(text.itertext()) for text in element.iter(f"{SVG}text"))


def test_a_small_chain_draws_every_batch_and_its_plot_in_its_own_box() -> None:
    picture = trace_picture(a_rice_chain(), VI)
    root = _parse(picture.svg)

    codes = [node.get("data-batch") for node in _class(root, "node")]
    assert len(codes) == 6  # the harvest, the rice, four bags
    assert "TH-2026-000001" in codes
    assert len(_class(root, "plot")) == 1
    assert _class(root, "group") == []
    assert (picture.drawn, picture.grouped) == (6, 0)
    headings = _words(root)
    assert "Vùng trồng" in headings
    assert "Lô được truy xuất" in headings
    assert "Sau 2 bước" in headings


def test_the_picture_is_named_for_a_screen_reader_and_the_table_holds_every_box() -> None:
    picture = trace_picture(a_rice_chain(), VI)
    root = _parse(picture.svg)

    assert root.get("role") == "img"
    title = root.find(f"{SVG}title")
    assert title is not None
    assert title.text == "Truy xuất lô TH-2026-000001"
    assert root.find(f"{SVG}desc") is not None
    assert len(picture.rows) == 6 + 1  # six batches and the plot


def test_siblings_beyond_the_limit_are_drawn_as_one_group_that_links_to_its_column_expanded() -> (
    None
):
    picture = trace_picture(a_wide_chain(300), VI, expand_href=lambda depth: f"?expand={depth}")
    root = _parse(picture.svg)

    bags = [n for n in _class(root, "node") if (n.get("data-batch") or "").startswith("TH-2026-1")]
    assert len(bags) == LIMIT - 1
    (group,) = _class(root, "group")
    assert group.get("data-count") == str(300 - (LIMIT - 1))
    words = _words(group)
    assert "+ 289 lô" in words
    assert "1,4 tấn" in words  # 289 bags of 5 kg
    assert "3 đơn vị giữ" in words
    assert list(root.iter(f"{SVG}a")) == []  # an image holds no links: the page has them
    assert (picture.drawn, picture.grouped) == (2 + LIMIT - 1, 289)
    (row,) = [row for row in picture.rows if row.group]
    assert (row.code, row.href) == ("+ 289", "?expand=2")


def test_an_expanded_column_draws_each_of_its_batches() -> None:
    picture = trace_picture(a_wide_chain(150), VI, expand=[2])
    root = _parse(picture.svg)

    assert len(_class(root, "node")) == 152
    assert _class(root, "group") == []


def test_lines_to_grouped_batches_end_at_the_group_with_their_amounts_summed() -> None:
    root = _parse(trace_picture(a_wide_chain(300), VI).svg)

    paths = [p for p in root.iter(f"{SVG}path") if p.get("class") == "link"]
    # the plot to the harvest, the harvest to the rice, the rice to 11 bags and to the group
    assert len(paths) == 1 + 1 + (LIMIT - 1) + 1
    amounts = ["".join(t.itertext()) for t in root.iter(f"{SVG}text") if t.get("class") == "amount"]
    assert "3 tấn" in amounts
    assert amounts.count("5 kg") == LIMIT - 1
    assert "1,4 tấn" in amounts


def test_a_recalled_batch_carries_the_recall_mark_and_a_red_edge() -> None:
    root = _parse(trace_picture(a_wide_chain(3, recalled=True), VI).svg)

    nodes = _class(root, "node")
    assert nodes
    for node in nodes:
        assert "THU HỒI" in _words(node)
        edge = node.find(f"{SVG}rect")
        assert edge is not None
        assert edge.get("stroke") == "#b00020"


def test_an_unpublished_quantity_is_said_to_be_hidden_and_a_group_total_is_a_lower_bound() -> None:
    picture = trace_picture(a_wide_chain(40, hidden=True), VI)
    root = _parse(picture.svg)

    assert "số lượng không công bố" in _words(root)
    (group,) = _class(root, "group")
    assert "≥" in _words(group)


def test_names_typed_by_people_are_escaped_and_come_back_whole() -> None:
    picture = trace_picture(a_rice_chain(), VI)

    assert "<Bách hóa>" not in picture.svg
    legend = _class(_parse(picture.svg), "legend")[0]
    assert "Cửa hàng <Bách hóa> số 0" in _words(legend)


def test_the_picture_speaks_english_when_asked() -> None:
    root = _parse(trace_picture(a_wide_chain(40), EN).svg)

    words = _words(root)
    assert "+ 29 lots" in words
    assert "Lot traced" in words
    assert "2 steps forward" in words


def test_ten_thousand_descendants_make_a_picture_of_a_few_dozen_kilobytes() -> None:
    picture = trace_picture(a_wide_chain(10_000), VI)

    assert picture.drawn + picture.grouped == 10_002
    assert len(picture.svg.encode()) < 40_000


def test_an_expanded_column_still_stops_at_its_own_limit_and_groups_the_rest_for_good() -> None:
    picture = trace_picture(
        a_wide_chain(10_000), VI, expand=[2], expand_href=lambda depth: f"?expand={depth}"
    )
    root = _parse(picture.svg)

    assert picture.drawn == 2 + EXPANDED_LIMIT - 1
    (group,) = _class(root, "group")
    assert group.get("data-count") == str(10_000 - (EXPANDED_LIMIT - 1))
    assert not [row for row in picture.rows if row.href == "?expand=2"]
    assert len(picture.svg.encode()) < 250_000

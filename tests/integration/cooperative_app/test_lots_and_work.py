"""The cooperative app's home, my lots, a lot's page and the harvest / processing / shipping /
receiving forms, over HTTP on a real database with the real records and projections: a form
stores exactly one event or refuses at its field in Vietnamese and stores nothing.
"""

from __future__ import annotations

import html
import re
from datetime import date
from html.parser import HTMLParser
from typing import Any
from urllib.parse import parse_qs, urlsplit
from uuid import uuid4

import pytest
from fastapi.testclient import TestClient
from pydantic import BaseModel

from services.capture.schemas.batches import HarvestItem, ProcessItem, ReceiveItem, ShipItem
from shared.domain.identifiers import batch_id
from shared.readmodels.projections import Projections
from shared.records import commands as c
from shared.records.actors import Actor, Role
from shared.records.application import Records
from shared.records.results import BatchResult
from tests.builders import a_grower, a_harvest
from tests.registry_world import HeaderGate, World, a_registry, project

CSRF = "csrf-cooperative"


@pytest.fixture
def world(records: Records, projections: Projections) -> World:
    world = a_registry(records)
    project(records, projections)
    return world


def thieu(world: World) -> dict[str, str]:
    return {HeaderGate.HEADER: f"cooperative:{world.thieu}"}


def enterprise(world: World) -> dict[str, str]:
    return {HeaderGate.HEADER: f"enterprise:{world.enterprise}"}


def harvest_form(world: World, **changes: str) -> dict[str, str]:
    return {
        "csrf_token": CSRF,
        "plot_ids": str(world.plot_thieu),
        "commodity": "lúa",
        "quantity.amount": "1250,5",
        "quantity.unit": "kg",
        "harvested_on": "2026-10-05",
    } | changes


def test_the_home_offers_a_harvest_and_counts_what_is_coming(
    client: TestClient, world: World
) -> None:
    page = client.get("/app/", headers=thieu(world))
    assert page.status_code == 200
    assert 'href="/app/record/harvest"' in page.text
    assert 'href="/app/diary"' in page.text  # the plots, each with its activities
    assert "Nhận hàng đang đến" in page.text


def test_an_enterprise_has_no_harvest_button_and_may_not_open_the_harvest_form(
    client: TestClient, world: World
) -> None:
    page = client.get("/app/", headers=enterprise(world))
    assert 'href="/app/record/harvest"' not in page.text
    assert client.get("/app/record/harvest", headers=enterprise(world)).status_code == 403


def test_the_record_list_links_to_every_form(client: TestClient, world: World) -> None:
    page = client.get("/app/record", headers=thieu(world)).text
    for path in ("harvest", "process", "ship", "receive", "transform", "recall"):
        assert f'href="/app/record/{path}"' in page
    assert 'href="/app/outbox"' in page


def test_my_lots_lists_what_i_hold_and_finds_it_by_code(client: TestClient, world: World) -> None:
    page = client.get("/app/lots", headers=thieu(world))
    assert page.status_code == 200
    assert world.batch in page.text
    found = client.get(f"/app/lots?q={world.batch[-4:]}", headers=thieu(world)).text
    assert world.batch in found
    assert world.batch not in client.get("/app/lots?q=ZZZ", headers=thieu(world)).text


def test_another_organisations_lot_is_not_found(client: TestClient, world: World) -> None:
    other = {HeaderGate.HEADER: f"cooperative:{world.hoang}"}
    assert world.batch not in client.get("/app/lots", headers=other).text
    assert client.get(f"/app/lots/{world.batch}", headers=other).status_code == 404


def test_a_lots_page_shows_its_plot_its_events_and_what_may_be_done(
    client: TestClient, world: World
) -> None:
    page = client.get(f"/app/lots/{world.batch}", headers=thieu(world))
    assert page.status_code == 200
    assert "Thu hoạch từ vùng trồng lúa, Xã Thiệu Trung" in page.text
    assert f"/app/record/ship?batch={world.batch}" in page.text
    assert f'href="/b/{world.batch}"' in page.text
    assert f'href="/app/labels/{world.batch}"' in page.text


def test_the_harvest_form_picks_the_only_plot_and_today(client: TestClient, world: World) -> None:
    page = client.get("/app/record/harvest", headers=thieu(world)).text
    assert 'data-command="harvest"' in page
    assert f'value="{world.plot_thieu}" checked' in page
    assert 'name="quantity.amount"' in page
    assert 'inputmode="decimal"' in page


def test_a_harvest_stores_one_event_and_confirms_its_code(
    client: TestClient, records: Records, world: World
) -> None:
    before = records.position()
    answer = client.post("/app/record/harvest", data=harvest_form(world), headers=thieu(world))
    assert answer.status_code == 303, answer.text
    assert records.position() == before + 1
    location = answer.headers["location"]
    assert location.startswith("/app/record/harvest/done?code=TH-")
    done = client.get(location, headers=thieu(world)).text
    assert "Đã lưu thu hoạch" in done
    assert "/app/labels/TH-" in done


def test_a_harvest_without_a_quantity_is_refused_at_its_field_and_stores_nothing(
    client: TestClient, records: Records, world: World
) -> None:
    before = records.position()
    answer = client.post(
        "/app/record/harvest", data=harvest_form(world, **{"quantity.amount": ""}),
        headers=thieu(world),
    )  # fmt: skip
    assert answer.status_code == 422
    assert 'id="error-quantity.amount"' in answer.text
    assert "Khối lượng thu hoạch: cần có giá trị này" in answer.text
    assert records.position() == before


def test_a_harvest_of_nothing_is_refused_by_the_records_in_vietnamese(
    client: TestClient, records: Records, world: World
) -> None:
    before = records.position()
    answer = client.post(
        "/app/record/harvest", data=harvest_form(world, **{"quantity.amount": "0"}),
        headers=thieu(world),
    )  # fmt: skip
    assert answer.status_code == 422
    assert 'id="error-quantity.amount"' in answer.text
    assert "Số lượng phải lớn hơn 0" in answer.text
    assert 'value="0"' in answer.text  # what was typed is kept
    assert records.position() == before


def test_a_form_posted_without_the_persons_token_is_refused(
    client: TestClient, records: Records, world: World
) -> None:
    before = records.position()
    answer = client.post(
        "/app/record/harvest", data=harvest_form(world, csrf_token="stale"), headers=thieu(world)
    )
    assert answer.status_code == 403
    assert records.position() == before


def test_a_drying_stores_one_event(client: TestClient, records: Records, world: World) -> None:
    page = client.get(f"/app/record/process?batch={world.batch}", headers=thieu(world)).text
    assert f'value="{world.batch}" selected' in page
    assert 'value="drying" selected' in page
    before = records.position()
    answer = client.post(
        "/app/record/process",
        data={"csrf_token": CSRF, "batch": world.batch, "step": "drying",
              "quantity_after.amount": "900", "quantity_after.unit": "kg",
              "facility": "Sân phơi HTX"},
        headers=thieu(world),
    )  # fmt: skip
    assert answer.status_code == 303, answer.text
    assert records.position() == before + 1


def test_a_drying_into_more_than_the_lot_held_is_refused_at_the_quantity(
    client: TestClient, records: Records, world: World
) -> None:
    before = records.position()
    answer = client.post(
        "/app/record/process",
        data={"csrf_token": CSRF, "batch": world.batch, "step": "drying",
              "quantity_after.amount": "5000", "quantity_after.unit": "kg",
              "facility": "Sân phơi HTX"},
        headers=thieu(world),
    )  # fmt: skip
    assert answer.status_code == 422
    assert 'id="error-quantity_after.amount"' in answer.text
    assert records.position() == before


def test_a_lot_shipped_to_a_chain_partner_is_coming_to_it_and_received_in_full(
    client: TestClient, records: Records, projections: Projections, world: World
) -> None:
    form = client.get(f"/app/record/ship?batch={world.batch}", headers=thieu(world)).text
    assert f'value="{world.enterprise}"' in form  # the chain's lead, a partner
    assert f'value="{world.hoang}"' in form  # another producer in the chain
    before = records.position()
    shipped = client.post(
        "/app/record/ship",
        data={"csrf_token": CSRF, "batch": world.batch, "to": str(world.enterprise)},
        headers=thieu(world),
    )
    assert shipped.status_code == 303, shipped.text
    assert records.position() == before + 1
    project(records, projections)

    home = client.get("/app/", headers=enterprise(world)).text
    assert f"/app/record/receive?batch={world.batch}" in home
    assert "Từ HTX Nông nghiệp Thiệu Trung" in home
    lot = client.get(f"/app/lots/{world.batch}", headers=thieu(world)).text
    assert "Đã gửi đến Công ty CP Lương thực Xứ Thanh" in lot
    assert "Đến Công ty CP Lương thực Xứ Thanh" in lot  # the shipment's event, worded
    assert "1.000 kg, thu hoạch ngày" in lot  # the harvest's
    assert "/app/record/ship?batch=" not in lot  # on its way: nothing more for the shipper
    seen = client.get(f"/app/lots/{world.batch}", headers=enterprise(world)).text
    assert f"/app/record/receive?batch={world.batch}" in seen  # the addressee may look and act
    assert world.batch in client.get("/app/lots?view=shipped", headers=thieu(world)).text
    receive = client.get(f"/app/record/receive?batch={world.batch}", headers=enterprise(world))
    assert 'value="1000"' in receive.text  # the whole shipment, typed by no one
    received = client.post(
        "/app/record/receive",
        data={"csrf_token": "csrf-enterprise", "batch": world.batch,
              "quantity.amount": "1000", "quantity.unit": "kg"},
        headers=enterprise(world),
    )  # fmt: skip
    assert received.status_code == 303, received.text
    assert records.position() == before + 2


def test_shipping_to_someone_outside_my_chains_is_refused(
    client: TestClient, records: Records, world: World
) -> None:
    before = records.position()
    answer = client.post(
        "/app/record/ship",
        data={"csrf_token": CSRF, "batch": world.batch, "to": str(world.thieu)},
        headers=thieu(world),
    )
    assert answer.status_code == 422
    assert 'id="error-to"' in answer.text
    assert records.position() == before


def test_receiving_what_is_not_coming_to_me_is_refused(
    client: TestClient, records: Records, world: World
) -> None:
    answer = client.post(
        "/app/record/receive",
        data={"csrf_token": "csrf-enterprise", "batch": world.batch,
              "quantity.amount": "1000", "quantity.unit": "kg"},
        headers=enterprise(world),
    )  # fmt: skip
    assert answer.status_code == 422
    assert 'href="#field-batch"' in answer.text  # nothing is coming: the summary says why


def test_a_harvest_from_no_plot_is_refused_at_the_plots(
    client: TestClient, records: Records, world: World
) -> None:
    before = records.position()
    answer = client.post(
        "/app/record/harvest", data=harvest_form(world, plot_ids=""), headers=thieu(world)
    )
    assert answer.status_code == 422
    assert 'id="error-plot_ids"' in answer.text
    assert records.position() == before


def test_a_household_sees_no_harvest_of_plots_not_its_own(client: TestClient, world: World) -> None:
    household = {HeaderGate.HEADER: f"household:{world.thieu}"}  # no plot carries its reference
    assert world.batch not in client.get("/app/lots", headers=household).text
    assert client.get(f"/app/lots/{world.batch}", headers=household).status_code == 404
    form = client.get("/app/record/harvest", headers=household).text
    assert str(world.plot_thieu) not in form
    assert client.get("/app/record/ship", headers=household).status_code == 403
    home = client.get("/app/", headers=household).text
    assert 'href="/app/record/harvest"' in home
    assert "/app/lots?view=coming" not in home  # a household receives nothing


def test_a_harvest_inside_a_spraying_interval_is_refused_at_its_date_with_the_reason_offered(
    client: TestClient, records: Records, world: World
) -> None:
    records.execute(
        Actor(Role.COOPERATIVE, world.thieu),
        [c.RecordDiaryEntry(plot_id=world.plot_thieu, activity="spraying", on=date(2026, 10, 1),
                            product="Regent 800WG", active_ingredient="Fipronil",
                            dose="1 gói / bình 16 l", pre_harvest_days=14)],
    )  # fmt: skip
    before = records.position()
    refused = client.post("/app/record/harvest", data=harvest_form(world), headers=thieu(world))
    assert refused.status_code == 422
    assert 'id="error-harvested_on"' in refused.text
    assert "thời gian cách ly 14 ngày" in refused.text
    assert '<details class="more" open>' in refused.text  # the reason's field, revealed
    assert records.position() == before
    overridden = harvest_form(world, interval_override="Mưa bão sắp đến, phải gặt sớm")
    answer = client.post("/app/record/harvest", data=overridden, headers=thieu(world))
    assert answer.status_code == 303, answer.text
    assert records.position() == before + 1


def test_my_lots_are_newest_first_twenty_to_a_page(
    client: TestClient, records: Records, projections: Projections, world: World
) -> None:
    grower = Actor(Role.COOPERATIVE, world.thieu)
    codes = [
        records.execute(grower, [a_harvest([world.plot_thieu])]).result(BatchResult).code
        for _ in range(21)
    ]
    project(records, projections)
    first = client.get("/app/lots", headers=thieu(world)).text
    assert first.index(codes[-1]) < first.index(codes[-2])  # the newest first
    assert world.batch not in first  # the 22nd lot is on the next page
    assert "page_number=2" in first
    second = client.get("/app/lots?page_number=2", headers=thieu(world)).text
    assert world.batch in second
    assert codes[-1] not in second


def test_the_app_speaks_english_when_asked(client: TestClient, world: World) -> None:
    page = client.get("/app/record/harvest?lang=en", headers=thieu(world))
    assert page.headers["content-language"] == "en"
    assert "Record a harvest" in page.text
    assert "Save the harvest" in page.text


class _Inputs(HTMLParser):
    """The values a browser would submit from a page's form (and the form's outbox hints)."""

    def __init__(self) -> None:
        super().__init__()
        self.command = ""
        self.skip: set[str] = set()
        self.lists: set[str] = set()
        self.values: list[tuple[str, str]] = []
        self._select: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "form" and "data-command" in a:
            self.command = a["data-command"]
            self.skip = set(a.get("data-outbox-skip", "").split())
        if "data-list" in a:
            self.lists.add(a["data-list"])
        if tag == "input" and "name" in a and (a.get("type") != "checkbox" or "checked" in a):
            self.values.append((a["name"], a.get("value", "")))
        if tag == "select":
            self._select = a.get("name")
        if tag == "option" and self._select and "selected" in a:
            self.values.append((self._select, a.get("value", "")))

    def handle_endtag(self, tag: str) -> None:
        if tag == "select":
            self._select = None


def _bulk_item(page: str, typed: dict[str, str]) -> dict[str, Any]:
    """The bulk API item the outbox's convention makes of a form: dotted names nest,
    ``data-list`` names are lists, skipped and empty inputs are left out."""
    inputs = _Inputs()
    inputs.feed(page)
    item: dict[str, Any] = {"type": inputs.command}
    for name, value in [*inputs.values, *typed.items()]:
        if name in inputs.skip or not value:
            continue
        *parents, leaf = name.split(".")
        target = item
        for parent in parents:
            target = target.setdefault(parent, {})
        if name in inputs.lists:
            target.setdefault(leaf, []).append(value)
        else:
            target[leaf] = value
    return item


@pytest.mark.parametrize(
    ("path", "typed", "model"),
    [
        ("/app/record/harvest", {"quantity.amount": "1250"}, HarvestItem),
        ("/app/record/process?batch={batch}", {"quantity_after.amount": "900"}, ProcessItem),
        ("/app/record/ship?batch={batch}", {"to": "{enterprise}"}, ShipItem),
    ],
)
def test_each_work_form_is_named_as_the_bulk_apis_item(
    client: TestClient, world: World, path: str, typed: dict[str, str], model: type[BaseModel]
) -> None:
    page = client.get(path.format(batch=world.batch), headers=thieu(world)).text
    filled = {k: v.format(enterprise=world.enterprise) for k, v in typed.items()}
    item = _bulk_item(page, filled)
    model.model_validate(item)  # the API's own model: extra fields are refused


def test_the_receiving_form_is_named_as_the_bulk_apis_item(
    client: TestClient, records: Records, projections: Projections, world: World
) -> None:
    records.execute(
        Actor(Role.COOPERATIVE, world.thieu), [c.ShipBatch(batch=world.batch, to=world.enterprise)]
    )
    project(records, projections)
    page = client.get(f"/app/record/receive?batch={world.batch}", headers=enterprise(world)).text
    ReceiveItem.model_validate(_bulk_item(page, {}))


def _app_links(page: str) -> set[str]:
    """The app's own pages a page links to (not its files, not the other-language switch)."""
    found = {html.unescape(link) for link in re.findall(r'href="(/app/[^"#]*)"', page)}
    return {link for link in found if not link.startswith("/app/static/") and "lang=" not in link}


def test_an_english_reader_stays_in_english_through_every_link_and_a_form(
    client: TestClient, world: World
) -> None:
    home = client.get("/app/?lang=en", headers=thieu(world))
    assert home.headers["content-language"] == "en"
    links = _app_links(home.text)
    assert "/app/record/harvest" in links
    for link in sorted(links):
        page = client.get(link, headers=thieu(world))
        assert page.status_code == 200, link
        if page.headers["content-type"].startswith("text/html"):
            assert page.headers["content-language"] == "en", link
            assert '<html lang="en">' in page.text, link

    answer = client.post("/app/record/harvest", data=harvest_form(world), headers=thieu(world))
    assert answer.status_code == 303, answer.text
    done = client.get(answer.headers["location"], headers=thieu(world))
    assert done.headers["content-language"] == "en"
    assert "Harvest saved" in done.text

    client.get("/app/?lang=vi", headers=thieu(world))  # chosen again: Vietnamese from then on
    assert client.get("/app/lots", headers=thieu(world)).headers["content-language"] == "vi"


def test_the_harvest_form_offers_my_value_chain_and_the_harvest_names_it(
    client: TestClient, records: Records, world: World
) -> None:
    form = client.get("/app/record/harvest", headers=thieu(world)).text
    assert '<select id="field-value_chain_id" name="value_chain_id">' in form
    assert f'<option value="{world.chain}" selected>Chuỗi lúa gạo Thiệu Hóa</option>' in form
    assert '<option value="">Không thuộc chuỗi nào</option>' in form

    picked = harvest_form(world, value_chain_id=str(world.chain))
    answer = client.post("/app/record/harvest", data=picked, headers=thieu(world))

    assert answer.status_code == 303, answer.text
    code = parse_qs(urlsplit(answer.headers["location"]).query)["code"][0]
    assert records.batch(batch_id(code)).value_chain_ids == [world.chain]


def test_a_harvest_in_no_chain_names_none(
    client: TestClient, records: Records, world: World
) -> None:
    answer = client.post(
        "/app/record/harvest", data=harvest_form(world, value_chain_id=""), headers=thieu(world)
    )
    assert answer.status_code == 303, answer.text
    code = parse_qs(urlsplit(answer.headers["location"]).query)["code"][0]
    assert records.batch(batch_id(code)).value_chain_ids == []


def test_a_chain_not_offered_is_refused_at_the_chain_and_stores_nothing(
    client: TestClient, records: Records, world: World
) -> None:
    before = records.position()
    answer = client.post(
        "/app/record/harvest", data=harvest_form(world, value_chain_id=str(uuid4())),
        headers=thieu(world),
    )  # fmt: skip
    assert answer.status_code == 422
    assert 'id="error-value_chain_id"' in answer.text
    assert records.position() == before


def test_a_cooperative_in_no_chain_is_offered_no_chain_pick(
    client: TestClient, records: Records, projections: Projections
) -> None:
    grower = a_grower(records)
    project(records, projections)
    person = {HeaderGate.HEADER: f"cooperative:{grower.cooperative_id}"}
    form = client.get("/app/record/harvest", headers=person)
    assert form.status_code == 200
    assert "value_chain_id" not in form.text

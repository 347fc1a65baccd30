"""The app's farm diary over a real database: my plots with a button per activity, an entry
form that shows the chosen activity's fields, each entry stored once and shown newest first,
refusals at their field with nothing stored."""

from __future__ import annotations

from fastapi.testclient import TestClient

from shared.domain import clock
from shared.records.application import Records
from tests.integration.cooperative_app.changes_world import (
    CSRF,
    Holder,
    another_cooperative,
)
from tests.registry_world import HeaderGate


def _spraying(holder: Holder, **changes: str) -> dict[str, str]:
    return {
        **CSRF,
        "plot_id": str(holder.plot_id),
        "activity": "spraying",
        "on": clock.today_in_vietnam().isoformat(),
        "product": "Regent 800WG",
        "active_ingredient": "Fipronil",
        "dose": "1 gói / bình 16 l",
        "pre_harvest_days": "14",
        **changes,
    }


def test_my_plots_each_offer_a_button_per_activity(client: TestClient, holder: Holder) -> None:
    page = client.get("/app/diary", headers=holder.person)
    assert page.status_code == 200
    assert f"/app/diary/new?plot={holder.plot_id}&amp;activity=spraying" in page.text
    assert "Phun thuốc" in page.text


def test_the_entry_form_shows_only_the_chosen_activitys_fields_dated_today(
    client: TestClient, holder: Holder
) -> None:
    url = f"/app/diary/new?plot={holder.plot_id}&activity=fertilising"
    page = client.get(url, headers=holder.person)
    assert page.status_code == 200
    assert 'data-command="diary"' in page.text
    assert 'name="amount.amount"' in page.text
    assert 'name="active_ingredient"' not in page.text
    assert f'value="{clock.today_in_vietnam().isoformat()}"' in page.text


def test_a_spraying_is_stored_once_and_shown_first_in_the_plots_diary(
    client: TestClient, records: Records, holder: Holder
) -> None:
    before = records.position()
    care = {**CSRF, "plot_id": str(holder.plot_id), "activity": "care", "note": "Làm cỏ"}
    care["on"] = "2025-09-01"
    assert client.post("/app/diary/new", headers=holder.person, data=care).status_code == 303
    answer = client.post("/app/diary/new", headers=holder.person, data=_spraying(holder))
    assert answer.status_code == 303, answer.text
    assert records.position() - before == 2
    page = client.get(answer.headers["location"], headers=holder.person)
    assert "Đã ghi: Phun thuốc." in page.text
    assert page.text.index("Fipronil") < page.text.index("Làm cỏ")  # newest first


def test_a_spraying_without_its_product_is_refused_at_the_product_and_stores_nothing(
    client: TestClient, records: Records, holder: Holder
) -> None:
    before = records.position()
    answer = client.post(
        "/app/diary/new", headers=holder.person, data=_spraying(holder, product="")
    )
    assert answer.status_code == 422
    assert 'id="error-product"' in answer.text
    assert 'value="Fipronil"' in answer.text  # what was typed is kept
    assert records.position() == before


def test_a_diary_entry_in_the_future_is_refused_at_its_date(
    client: TestClient, records: Records, holder: Holder
) -> None:
    before = records.position()
    answer = client.post(
        "/app/diary/new", headers=holder.person, data=_spraying(holder, on="2199-01-01")
    )
    assert answer.status_code == 422
    assert 'id="error-on"' in answer.text
    assert records.position() == before


def test_a_diary_entry_without_the_csrf_token_is_refused(
    client: TestClient, records: Records, holder: Holder
) -> None:
    before = records.position()
    data = _spraying(holder)
    del data["csrf_token"]
    assert client.post("/app/diary/new", headers=holder.person, data=data).status_code == 403
    assert records.position() == before


def test_another_cooperatives_plot_is_refused_and_nothing_is_stored(
    client: TestClient, records: Records, holder: Holder
) -> None:
    outsider = another_cooperative(records)
    url = f"/app/diary/new?plot={holder.plot_id}&activity=spraying"
    assert client.get(url, headers=outsider).status_code == 403
    before = records.position()
    assert (
        client.post("/app/diary/new", headers=outsider, data=_spraying(holder)).status_code == 403
    )
    assert records.position() == before


def test_a_household_reaches_no_plot_but_its_own(
    client: TestClient, records: Records, holder: Holder
) -> None:
    household = {HeaderGate.HEADER: f"household:{holder.cooperative_id}"}
    url = f"/app/diary/new?plot={holder.plot_id}&activity=care"
    assert client.get(url, headers=household).status_code == 403  # the plot is another's
    listing = client.get("/app/diary", headers=household)
    assert str(holder.plot_id) not in listing.text


def test_a_second_spraying_is_filled_in_as_the_last_one(
    client: TestClient, records: Records, holder: Holder
) -> None:
    first = _spraying(holder, on="2025-09-01", note="Sâu cuốn lá")
    assert client.post("/app/diary/new", headers=holder.person, data=first).status_code == 303
    url = f"/app/diary/new?plot={holder.plot_id}&activity=spraying"
    page = client.get(url, headers=holder.person)
    assert 'value="Regent 800WG"' in page.text
    assert 'value="14"' in page.text
    assert 'name="note" type="text" value=""' in page.text  # a note is not repeated
    assert f'value="{clock.today_in_vietnam().isoformat()}"' in page.text

"""Who may keep whose accounts, over HTTP: province staff every organisation's, a cooperative's
administrator its own staff's and households'; a one-time code is shown once."""

from __future__ import annotations

import re
from uuid import UUID

import psycopg

from shared.accounts.service import Accounts
from shared.records.actors import Role
from shared.records.application import Records
from tests.builders import Grower, a_household
from tests.integration.accounts.conftest import Browser, an_account, csrf_in

CODE = re.compile(r'<span class="code">([A-Z0-9-]+)</span>')


def _people(organisation_id: UUID) -> str:
    return f"/account/organisations/{organisation_id}/people"


def _accounts_stored(admin_url: str) -> int:
    with psycopg.connect(admin_url) as conn:
        row = conn.execute("SELECT count(*) FROM nguon_accounts").fetchone()
    assert row is not None
    return int(row[0])


def test_a_cooperatives_account_cannot_open_the_province_nor_another_organisations_people(
    accounts: Accounts, browser: Browser, grower: Grower, other_grower: Grower
) -> None:
    admin = an_account(accounts, "0913000001", Role.COOPERATIVE_ADMIN, grower.cooperative_id)
    browser.sign_in(admin.username, admin.password)

    assert browser.client.get("/province/dashboard").status_code == 403
    other = browser.client.get(_people(other_grower.cooperative_id))
    assert other.status_code == 403
    assert "Chỉ cán bộ của tỉnh và quản trị viên" in other.text
    assert browser.client.get(_people(grower.cooperative_id)).status_code == 200


def test_a_cooperatives_staff_member_does_not_manage_its_accounts(
    accounts: Accounts, browser: Browser, grower: Grower
) -> None:
    staff = an_account(accounts, "0913000002", Role.COOPERATIVE, grower.cooperative_id)
    browser.sign_in(staff.username, staff.password)

    assert browser.client.get(_people(grower.cooperative_id)).status_code == 403


def test_a_cooperatives_administrator_creates_a_household_account_and_sees_its_code_once(
    accounts: Accounts, records: Records, browser: Browser, grower: Grower
) -> None:
    household_id = str(a_household(records, grower))
    admin = an_account(accounts, "0913000003", Role.COOPERATIVE_ADMIN, grower.cooperative_id)
    browser.sign_in(admin.username, admin.password)
    page = _people(grower.cooperative_id)

    created = browser.post(
        page,
        page,
        display_name="Hộ Lê Văn Tám",
        username="0913 000 004",
        role="household",
        household_ref=household_id,
    )

    assert created.status_code == 200, created.text
    assert "trao mã tận tay" in created.text
    found = CODE.search(created.text)
    assert found is not None
    listing = browser.client.get(page).text
    assert "Hộ Lê Văn Tám" in listing
    assert "Chờ đăng nhập lần đầu" in listing
    assert found.group(1) not in listing
    newcomer = accounts.store.by_username("0913000004")
    assert newcomer is not None
    assert newcomer.role is Role.HOUSEHOLD
    assert newcomer.household_ref == household_id
    assert newcomer.created_by == admin.account_id


def test_a_cooperatives_administrator_may_not_make_another_administrator(
    accounts: Accounts, browser: Browser, grower: Grower, fresh_database_admin_url: str
) -> None:
    admin = an_account(accounts, "0913000005", Role.COOPERATIVE_ADMIN, grower.cooperative_id)
    browser.sign_in(admin.username, admin.password)
    page = _people(grower.cooperative_id)
    stored = _accounts_stored(fresh_database_admin_url)

    refused = browser.post(
        page, page, display_name="Ai đó", username="0913000006", role="cooperative_admin"
    )

    assert refused.status_code == 422
    assert 'id="error-role"' in refused.text
    assert _accounts_stored(fresh_database_admin_url) == stored


def test_a_refused_account_is_shown_next_to_its_field_with_what_was_typed(
    accounts: Accounts, browser: Browser, grower: Grower
) -> None:
    admin = an_account(accounts, "0913000007", Role.COOPERATIVE_ADMIN, grower.cooperative_id)
    browser.sign_in(admin.username, admin.password)
    page = _people(grower.cooperative_id)

    refused = browser.post(page, page, display_name="Hộ Mười", username="12345", role="household")

    assert refused.status_code == 422
    assert 'id="error-username"' in refused.text
    assert "Tên đăng nhập là số điện thoại" in refused.text
    assert 'value="Hộ Mười"' in refused.text


def test_creating_an_account_without_the_csrf_token_is_refused_and_stores_nothing(
    accounts: Accounts, browser: Browser, grower: Grower, fresh_database_admin_url: str
) -> None:
    staff = an_account(accounts, "0913000008", Role.PROVINCE)
    browser.sign_in(staff.username, staff.password)
    stored = _accounts_stored(fresh_database_admin_url)

    answer = browser.client.post(
        _people(grower.cooperative_id),
        data={"display_name": "Ai đó", "username": "0913000009", "role": "cooperative"},
    )

    assert answer.status_code == 403
    assert _accounts_stored(fresh_database_admin_url) == stored


def test_province_staff_reset_an_enterprise_account_and_the_old_password_stops_working(
    accounts: Accounts, browser: Browser, enterprise_id: UUID
) -> None:
    staff = an_account(accounts, "0913000010", Role.PROVINCE)
    trader = an_account(accounts, "kho@doanhnghiep.vn", Role.ENTERPRISE, enterprise_id)
    browser.sign_in(staff.username, staff.password)
    page = _people(enterprise_id)

    reset = browser.post(f"{page}/{trader.account_id}/reset", page)

    assert reset.status_code == 200
    found = CODE.search(reset.text)
    assert found is not None
    other = Browser(browser.client.__class__(browser.client.app, follow_redirects=False))
    assert other.sign_in(trader.username, trader.password).status_code == 401
    assert other.sign_in(trader.username, found.group(1)).headers["location"] == (
        "/sign-in/new-password"
    )


def test_province_staff_disable_an_account_and_its_open_session_ends(
    accounts: Accounts, browser: Browser, grower: Grower
) -> None:
    staff = an_account(accounts, "0913000011", Role.PROVINCE)
    member = an_account(accounts, "0913000012", Role.COOPERATIVE, grower.cooperative_id)
    members_browser = Browser(browser.client.__class__(browser.client.app, follow_redirects=False))
    members_browser.sign_in(member.username, member.password)
    assert members_browser.client.get("/account").status_code == 200
    browser.sign_in(staff.username, staff.password)
    page = _people(grower.cooperative_id)

    disabled = browser.post(f"{page}/{member.account_id}/disable", page)

    assert disabled.status_code == 303
    assert "Đã khóa" in browser.client.get(page).text
    assert members_browser.client.get("/account").status_code == 303


def test_a_form_of_one_organisations_page_cannot_act_on_another_organisations_account(
    accounts: Accounts, browser: Browser, grower: Grower, other_grower: Grower
) -> None:
    admin = an_account(accounts, "0913000013", Role.COOPERATIVE_ADMIN, grower.cooperative_id)
    stranger = an_account(accounts, "0913000014", Role.COOPERATIVE, other_grower.cooperative_id)
    browser.sign_in(admin.username, admin.password)
    page = _people(grower.cooperative_id)
    token = csrf_in(browser.client.get(page).text)

    answer = browser.client.post(
        f"{page}/{stranger.account_id}/disable", data={"csrf_token": token}
    )

    assert answer.status_code == 403
    assert accounts.store.get(stranger.account_id).disabled_at is None


def test_a_malformed_organisation_in_the_address_is_a_page_not_json(
    accounts: Accounts, browser: Browser
) -> None:
    staff = an_account(accounts, "0913000015", Role.PROVINCE)
    browser.sign_in(staff.username, staff.password)

    answer = browser.client.get("/account/organisations/not-an-id/people")

    assert answer.status_code == 404
    assert answer.headers["content-type"].startswith("text/html")
    assert "Không có trang nào ở địa chỉ này" in answer.text


def test_with_no_registered_household_the_page_says_register_one_and_takes_no_plain_reference(
    accounts: Accounts, fresh_database_admin_url: str, browser: Browser, grower: Grower
) -> None:
    admin = an_account(accounts, "0913000031", Role.COOPERATIVE_ADMIN, grower.cooperative_id)
    browser.sign_in(admin.username, admin.password)
    page = _people(grower.cooperative_id)

    form = browser.client.get(page).text
    stored = _accounts_stored(fresh_database_admin_url)
    refused = browser.post(
        page, page, display_name="Hộ Chín", username="0913 000 032", role="household",
        household_ref="HO-09",
    )  # fmt: skip

    assert "chưa đăng ký hộ nào" in form
    assert 'href="/app/households/new"' in form
    assert refused.status_code == 422
    assert "Chọn hộ thành viên mà tài khoản này dành cho" in refused.text
    assert accounts.store.by_username("0913000032") is None
    assert _accounts_stored(fresh_database_admin_url) == stored


def test_a_household_of_another_cooperative_is_refused(
    accounts: Accounts, records: Records, browser: Browser, grower: Grower, other_grower: Grower
) -> None:
    a_household(records, grower)
    theirs = str(a_household(records, other_grower))
    admin = an_account(accounts, "0913000033", Role.COOPERATIVE_ADMIN, grower.cooperative_id)
    browser.sign_in(admin.username, admin.password)
    page = _people(grower.cooperative_id)

    refused = browser.post(
        page, page, display_name="Hộ Mười Một", username="0913 000 034", role="household",
        household_ref=theirs,
    )  # fmt: skip

    assert refused.status_code == 422
    assert accounts.store.by_username("0913000034") is None

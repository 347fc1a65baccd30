"""Signing in over HTTP against the real app and PostgreSQL: forms, cookies, sessions, homes."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import psycopg
from fastapi.testclient import TestClient

from services.platform.composition import WriteSide, build_app
from shared.accounts.gate import SESSION_COOKIE
from shared.accounts.service import Accounts
from shared.records.actors import Role
from tests.builders import Grower
from tests.integration.accounts.conftest import Browser, an_account, csrf_in, issue


def _sessions(admin_url: str) -> int:
    with psycopg.connect(admin_url) as conn:
        row = conn.execute("SELECT count(*) FROM nguon_sessions").fetchone()
    assert row is not None
    return int(row[0])


def test_province_staff_sign_in_and_land_on_the_dashboard(
    accounts: Accounts, browser: Browser
) -> None:
    staff = an_account(accounts, "can.bo@snn.thanhhoa.gov.vn", Role.PROVINCE)

    answer = browser.sign_in("Can.Bo@SNN.thanhhoa.gov.vn", staff.password)

    assert answer.status_code == 303
    assert answer.headers["location"] == "/province/dashboard"
    assert browser.client.get("/province/dashboard").status_code == 200


def test_a_cooperatives_person_lands_in_the_cooperative_app(
    accounts: Accounts, browser: Browser, grower: Grower
) -> None:
    person = an_account(accounts, "0912345678", Role.COOPERATIVE, grower.cooperative_id)

    answer = browser.sign_in("+84 912 345 678", person.password)

    assert answer.headers["location"] == "/app/"
    page = browser.client.get("/account")
    assert page.status_code == 200
    assert "0912345678" in page.text
    assert "Cán bộ hợp tác xã" in page.text


def test_signing_in_goes_back_to_the_page_asked_for_but_never_to_another_site(
    accounts: Accounts, browser: Browser
) -> None:
    staff = an_account(accounts, "0912000111", Role.PROVINCE)
    asked = browser.client.get("/province/dashboard?lang=en")
    assert asked.status_code == 303
    location = urlsplit(asked.headers["location"])
    assert location.path == "/sign-in"
    assert parse_qs(location.query)["next"] == ["/province/dashboard?lang=en"]

    back = browser.sign_in(staff.username, staff.password, next="/province/dashboard?lang=en")
    assert back.headers["location"] == "/province/dashboard?lang=en"

    for elsewhere in ("//evil.example/x", "https://evil.example/", "/\\evil.example"):
        away = browser.sign_in(staff.username, staff.password, next=elsewhere)
        assert away.headers["location"] == "/province/dashboard", elsewhere


def test_the_session_cookie_is_httponly_samesite_lax_and_secure_over_https(
    side: WriteSide, accounts: Accounts
) -> None:
    staff = an_account(accounts, "0912000222", Role.PROVINCE)
    for base, secure in (("http://127.0.0.1:8000", False), ("https://nguon.example.vn", True)):
        with TestClient(build_app(side), base_url=base, follow_redirects=False) as client:
            answer = Browser(client).sign_in(staff.username, staff.password)
        cookie = next(
            c for c in answer.headers.get_list("set-cookie") if c.startswith(SESSION_COOKIE)
        )
        flags = {part.strip().split("=")[0].lower() for part in cookie.split(";")[1:]}
        assert {"httponly", "path", "samesite"} <= flags
        assert "samesite=lax" in cookie.lower()
        assert ("secure" in flags) is secure, base


def test_an_edited_session_cookie_is_refused(accounts: Accounts, browser: Browser) -> None:
    staff = an_account(accounts, "0912000333", Role.PROVINCE)
    browser.sign_in(staff.username, staff.password)
    cookie = browser.client.cookies[SESSION_COOKIE]
    token, _, signature = cookie.partition(".")
    assert browser.client.get("/account").status_code == 200

    for edited in (f"{token[::-1]}.{signature}", f"{token}.{signature[::-1]}", token):
        browser.client.cookies.set(SESSION_COOKIE, edited)
        assert browser.client.get("/account").status_code == 303, edited


def test_the_sign_in_form_posted_without_its_csrf_token_is_refused_and_signs_nobody_in(
    accounts: Accounts, browser: Browser, fresh_database_admin_url: str
) -> None:
    staff = an_account(accounts, "0912000444", Role.PROVINCE)
    browser.form_token("/sign-in")  # the form's cookie is there; its field is not

    answer = browser.client.post(
        "/sign-in", data={"username": staff.username, "password": staff.password}
    )

    assert answer.status_code == 403
    assert SESSION_COOKIE not in browser.client.cookies
    assert _sessions(fresh_database_admin_url) == 0


def test_sign_out_ends_the_session_on_the_server_so_the_old_cookie_opens_nothing(
    accounts: Accounts, browser: Browser, site: TestClient, fresh_database_admin_url: str
) -> None:
    staff = an_account(accounts, "0912000555", Role.PROVINCE)
    browser.sign_in(staff.username, staff.password)
    old_cookie = browser.client.cookies[SESSION_COOKIE]
    assert _sessions(fresh_database_admin_url) == 1

    answer = browser.post("/sign-out", "/account")

    assert answer.status_code == 303
    assert _sessions(fresh_database_admin_url) == 0
    browser.client.cookies.set(SESSION_COOKIE, old_cookie)
    assert browser.client.get("/account").status_code == 303


def test_sign_out_without_the_csrf_token_is_refused_and_the_session_lives_on(
    accounts: Accounts, browser: Browser, fresh_database_admin_url: str
) -> None:
    staff = an_account(accounts, "0912000666", Role.PROVINCE)
    browser.sign_in(staff.username, staff.password)

    answer = browser.client.post("/sign-out", data={})

    assert answer.status_code == 403
    assert _sessions(fresh_database_admin_url) == 1
    assert browser.client.get("/account").status_code == 200


def test_a_one_time_code_signs_in_once_and_forces_a_new_password(
    accounts: Accounts, browser: Browser, site: TestClient, grower: Grower
) -> None:
    issued = issue(accounts, "0912000777", Role.COOPERATIVE_ADMIN, grower.cooperative_id)

    first = browser.sign_in(issued.username, issued.code.lower().replace("-", " "))
    assert first.headers["location"] == "/sign-in/new-password"
    assert browser.client.get("/account").status_code == 303  # nothing else until it is set
    form = browser.client.get("/sign-in/new-password")
    token = csrf_in(form.text)
    short = browser.client.post(
        "/sign-in/new-password",
        data={"csrf_token": token, "password": "ngắn", "confirmation": "ngắn"},
    )
    assert short.status_code == 422
    assert "Mật khẩu cần ít nhất 8 ký tự" in short.text
    chosen = browser.client.post(
        "/sign-in/new-password",
        data={"csrf_token": token, "password": "mùa lúa mới", "confirmation": "mùa lúa mới"},
    )
    assert chosen.headers["location"] == "/app/"
    assert browser.client.get("/account").status_code == 200

    other = Browser(TestClient(site.app, base_url=str(site.base_url), follow_redirects=False))
    assert other.sign_in(issued.username, issued.code).status_code == 401
    assert other.sign_in(issued.username, "mùa lúa mới").headers["location"] == "/app/"


def test_a_refused_sign_in_still_goes_back_to_the_page_asked_for_afterwards(
    accounts: Accounts, browser: Browser
) -> None:
    staff = an_account(accounts, "0912000888", Role.PROVINCE)
    refused = browser.sign_in(staff.username, "sai", next="/account?lang=en")
    assert refused.status_code == 401
    assert 'name="next" value="/account?lang=en"' in refused.text

    answer = browser.client.post(
        "/sign-in",
        data={
            "csrf_token": csrf_in(refused.text),
            "username": staff.username,
            "password": staff.password,
            "next": "/account?lang=en",
        },
    )

    assert answer.headers["location"] == "/account?lang=en"


def test_changing_my_password_ends_my_other_sessions_but_not_this_one(
    accounts: Accounts, browser: Browser, site: TestClient
) -> None:
    staff = an_account(accounts, "0912000999", Role.PROVINCE)
    elsewhere = Browser(TestClient(site.app, base_url=str(site.base_url), follow_redirects=False))
    elsewhere.sign_in(staff.username, staff.password)
    browser.sign_in(staff.username, staff.password)

    wrong = browser.post(
        "/account/password",
        "/account",
        current_password="không đúng",
        password="mật khẩu mới 2026",
        confirmation="mật khẩu mới 2026",
    )
    assert wrong.status_code == 422
    assert 'id="error-current_password"' in wrong.text
    changed = browser.post(
        "/account/password",
        "/account",
        current_password=staff.password,
        password="mật khẩu mới 2026",
        confirmation="mật khẩu mới 2026",
    )

    assert changed.headers["location"] == "/account?changed=1"
    assert browser.client.get("/account").status_code == 200
    assert elsewhere.client.get("/account").status_code == 303
    assert elsewhere.sign_in(staff.username, "mật khẩu mới 2026").status_code == 303


def test_the_sign_in_page_may_not_be_framed_by_another_site(browser: Browser) -> None:
    page = browser.client.get("/sign-in")

    assert page.headers["x-frame-options"] == "DENY"
    assert "frame-ancestors 'none'" in page.headers["content-security-policy"]
    assert page.headers["cache-control"] == "no-store"

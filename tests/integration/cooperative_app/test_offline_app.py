"""The app is installable and works offline: its manifest, its service worker, the outbox page,
the pick lists, and what a phone downloads to open it (at most 150 KB compressed)."""

from __future__ import annotations

import gzip
import re
from pathlib import Path
from uuid import uuid4

from fastapi.testclient import TestClient

from services.cooperative_app.app import STATIC
from services.cooperative_app.offline import OFFLINE_PAGE, OUTBOX_PAGE
from services.cooperative_app.offline.worker import ServiceWorker
from tests.registry_world import HeaderGate

WEIGHT_BUDGET = 150 * 1024  # bytes, gzip-compressed: issue 9's "app shell and its scripts"
PERSON = {HeaderGate.HEADER: f"cooperative:{uuid4()}"}


def test_the_manifest_makes_the_app_installable_in_vietnamese(client: TestClient) -> None:
    answer = client.get("/app/manifest.webmanifest")

    assert answer.status_code == 200
    assert answer.headers["content-type"].startswith("application/manifest+json")
    manifest = answer.json()
    assert manifest["start_url"] == manifest["scope"] == "/app/"
    assert manifest["display"] == "standalone"
    assert manifest["lang"] == "vi"
    assert "Sổ tay" in manifest["name"]
    assert {"192x192", "512x512"} <= {icon["sizes"] for icon in manifest["icons"]}
    for icon in manifest["icons"]:
        assert client.get(icon["src"]).status_code == 200, icon["src"]


def test_every_app_page_links_the_manifest_and_the_outbox(client: TestClient) -> None:
    page = client.get("/app/outbox", headers=PERSON).text

    assert '<link rel="manifest" href="/app/manifest.webmanifest">' in page
    assert '<script src="/app/static/offline/outbox.js" defer></script>' in page
    assert "Hộp thư đi" in page


def test_the_service_worker_precaches_the_shell_and_the_offline_page(
    client: TestClient,
) -> None:
    answer = client.get("/app/sw.js")

    assert answer.status_code == 200
    assert answer.headers["content-type"].startswith("text/javascript")
    assert answer.headers["cache-control"] == "no-cache"
    worker = ServiceWorker.build(offline_page=OFFLINE_PAGE, pages=(OUTBOX_PAGE,))
    assert f'"{worker.version}"' in answer.text
    assert "/app/static/offline/outbox.js" in worker.shell
    assert {"/app/offline", "/app/outbox"} <= set(worker.shell)
    for url in worker.shell:  # the install fails if any of them does
        assert client.get(url).status_code == 200, url


def test_a_changed_shell_file_gives_the_worker_a_new_version(tmp_path: Path) -> None:
    (tmp_path / "a.js").write_text("one")
    before = ServiceWorker.build(offline_page="/app/offline", static=tmp_path)
    (tmp_path / "a.js").write_text("two")
    after = ServiceWorker.build(offline_page="/app/offline", static=tmp_path)

    assert before.version != after.version
    assert before.shell == after.shell == ("/app/offline", "/app/static/a.js")


def test_the_offline_page_needs_no_sign_in(client: TestClient) -> None:
    answer = client.get("/app/offline")

    assert answer.status_code == 200
    assert "Không có mạng" in answer.text


def test_a_signed_out_person_still_sees_the_outbox_and_how_to_sign_in_to_send(
    client: TestClient,
) -> None:
    answer = client.get("/app/outbox")

    assert answer.status_code == 200
    assert "/sign-in?next=/app/outbox" in answer.text


def test_the_pick_lists_are_the_persons_and_need_a_sign_in(client: TestClient) -> None:
    assert client.get("/app/offline/picklists.json").status_code == 303

    lists = client.get("/app/offline/picklists.json", headers=PERSON).json()

    assert lists["plots"] == []  # a cooperative with no plot registered
    assert "kg" in lists["units"]


def _gzipped(body: bytes) -> int:
    return len(gzip.compress(body, compresslevel=6))


def test_the_app_shell_and_its_scripts_weigh_at_most_150_kb_compressed(
    client: TestClient,
) -> None:
    page = client.get("/app/outbox", headers=PERSON)
    loaded = re.findall(r'<(?:script|link)[^>]+(?:src|href)="(/app/[^"?]+)', page.text)
    worker = client.get("/app/sw.js")
    precached = ServiceWorker.build(offline_page=OFFLINE_PAGE, pages=(OUTBOX_PAGE,)).shell
    # What a first visit downloads: the page, what it loads, the worker and what it precaches.
    urls = sorted(set(loaded) | set(precached))
    weights = {url: _gzipped(client.get(url, headers=PERSON).content) for url in urls}
    weights["page"] = _gzipped(page.content)
    weights["/app/sw.js"] = _gzipped(worker.content)

    total = sum(weights.values())
    assert "/app/static/offline/outbox.js" in loaded
    assert total <= WEIGHT_BUDGET, f"{total / 1024:.1f} KB: {weights}"
    assert STATIC.is_dir()

"""How long one provenance page takes to render, and to serve through the whole app.

Run by hand: ``python bench/page_render.py`` from the repository root. Prints ms per page for
the typical document and the heaviest one we expect (30 timeline steps), rendered straight
from the templates (what each request costs the web service) and through FastAPI's test
client (adds routing, negotiation and the in-process HTTP round trip).
"""

from __future__ import annotations

import datetime as dt
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from fastapi.testclient import TestClient

from services.web.app import create_app
from services.web.present import batch_page
from services.web.rendering import Chrome, Renderer
from shared.i18n import Translator
from shared.readmodels.documents import ProvenanceDocument
from shared.settings import NguonSettings
from tests.unit.web.builders import CODE, a_big_document, a_provenance_document
from tests.unit.web.fakes import InMemoryProvenanceReader

RENDERS = 1000
REQUESTS = 300
BASE = "https://nguon.thanhhoa.example"


def render_ms(document: ProvenanceDocument) -> tuple[float, int]:
    renderer = Renderer()
    chrome = Chrome(Translator("vi"), BASE, explicit_language=False)
    today = dt.date(2026, 6, 1)
    html = ""
    start = time.perf_counter()
    for _ in range(RENDERS):
        html = renderer.batch(batch_page(document, chrome.t, today), chrome, BASE)
    return (time.perf_counter() - start) * 1000 / RENDERS, len(html.encode())


def request_ms(document: ProvenanceDocument) -> float:
    app = create_app(NguonSettings(public_base_url=BASE), InMemoryProvenanceReader(document))
    with TestClient(app) as client:
        client.get(f"/b/{CODE}")
        start = time.perf_counter()
        for _ in range(REQUESTS):
            client.get(f"/b/{CODE}")
        return (time.perf_counter() - start) * 1000 / REQUESTS


def main() -> None:
    for name, document in [("typical", a_provenance_document()), ("30 steps", a_big_document())]:
        ms, size = render_ms(document)
        print(f"{name:>9}: render {ms:.3f} ms/page ({RENDERS} renders), {size / 1024:.1f} KiB")
        print(f"{name:>9}: request {request_ms(document):.3f} ms/page ({REQUESTS} requests)")


if __name__ == "__main__":
    main()

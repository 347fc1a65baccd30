"""The API's interactive documentation, served from the platform itself.

Swagger UI's files come from the ``fastapi-offline`` wheel (Swagger UI 5, which reads the
OpenAPI 3.1 documents FastAPI writes; ``swagger-ui-bundle`` ships 4.x, which cannot), and the
page's one script is a file of ours: with nothing loaded from a CDN and no inline script, the
docs work offline and under a Content-Security-Policy that allows only this origin.
"""

from __future__ import annotations

from pathlib import Path

import fastapi_offline
from fastapi import FastAPI
from starlette.responses import FileResponse, HTMLResponse, Response
from starlette.staticfiles import StaticFiles

DOCS_PATH = "/docs"
ASSETS_PATH = f"{DOCS_PATH}/assets"
_SWAGGER_FILES = Path(fastapi_offline.__file__).parent / "static"
_HERE = Path(__file__).parent

DOCS_SECURITY_HEADERS = {
    # Swagger UI draws its icons from data: URIs and sets styles through the DOM (allowed);
    # everything else, scripts included, must come from this origin.
    "Content-Security-Policy": (
        "default-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'self';"
        " frame-ancestors 'none'"
    ),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
}


def add_docs(app: FastAPI) -> None:
    """``/docs`` (the page), ``/docs/assets/*`` (Swagger UI's files and our start script)."""
    page = (_HERE / "docs.html").read_text(encoding="utf-8")

    @app.get(DOCS_PATH, include_in_schema=False)
    def docs() -> HTMLResponse:
        return HTMLResponse(page, headers=DOCS_SECURITY_HEADERS)

    @app.get(f"{ASSETS_PATH}/start.js", include_in_schema=False)
    def start_script() -> Response:
        return FileResponse(
            _HERE / "start.js", media_type="text/javascript", headers=DOCS_SECURITY_HEADERS
        )

    app.mount(ASSETS_PATH, StaticFiles(directory=_SWAGGER_FILES), name="docs-assets")

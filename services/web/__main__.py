"""The web service alone: ``python -m services.web`` (``nguon serve-web`` does the same).

Consumes provenance documents from the read models in PostgreSQL (kept by the projector);
produces the public pages, their JSON, QR codes, label sheets and the GS1 resolver description.
Read-only: a page is as fresh as the projections, or waits for a ``?position=`` a client names.
"""

from __future__ import annotations

import logging

from services.web.server import serve
from services.web.settings import WebSettings


def main() -> None:
    logging.basicConfig(
        level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    serve(WebSettings())


if __name__ == "__main__":
    main()

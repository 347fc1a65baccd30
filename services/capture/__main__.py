"""Capture alone: ``python -m services.capture`` (``nguon serve-capture`` does the same).

Consumes authenticated HTTP requests (JSON commands, bulk JSON, CSV harvests) under /api/v1.
Produces domain events in the PostgreSQL event store, which is also the outbox the relay reads.
Delivery: a 2xx answer means every event of the request is committed, all or nothing; with an
``Idempotency-Key`` a retried request is answered from the first attempt and stores nothing twice.
"""

from __future__ import annotations

import logging

from services.capture.server import serve
from services.capture.settings import CaptureSettings


def main() -> None:
    logging.basicConfig(
        level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    serve(CaptureSettings())


if __name__ == "__main__":
    main()

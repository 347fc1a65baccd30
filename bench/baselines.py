"""The simplest programs doing Nguồn's jobs: what the benchmarks measure Nguồn against.

Absolute figures on a shared 2-core machine swing from run to run; a ratio against a bare
program doing the same job, measured in the same run and alternating with Nguồn, does not.

- :func:`page_app`: a bare FastAPI app answering every GET with one fixed page's bytes
  (the baseline of ``nguon serve-web``'s provenance pages, ``bench/pages.py``);
- :func:`capture_app`: a bare FastAPI app validating a single harvest's JSON with a pydantic
  model and inserting one row per request (the baseline of ``nguon serve-capture``'s
  ``POST /api/v1/batches``, ``bench/capture.py``);
- :func:`copy_rows`: ``COPY ... FROM STDIN`` of rows of the event store's shape (the baseline
  of the bulk uploads, ``bench/capture.py``).

The apps are served by :func:`serve`, in a subprocess (``python bench/baselines.py page|capture
--port P --workers N``), by the same code as Nguồn's services with more than one worker
(:func:`shared.lifecycle.serve_in_workers`: uvicorn's supervisor on one shared socket, made
with an explicit IPPROTO_TCP so accepted connections get TCP_NODELAY), so that a ratio
measures the apps and not how their processes and sockets were set up. (For the page app,
``uvicorn --workers 2`` from the command line measured the same, ~6,000 pages/s either way.)
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
import uuid
from datetime import date
from decimal import Decimal
from pathlib import Path

import psycopg
import uvicorn
from fastapi import FastAPI
from fastapi.responses import JSONResponse, Response
from psycopg_pool import ConnectionPool
from pydantic import BaseModel

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from shared.lifecycle import serve_in_workers

HERE = Path(__file__).resolve().parent
PAGE_FILE = "NGUON_BASELINE_PAGE_FILE"  # the page app's body, as bytes in a file
DSN = "NGUON_BASELINE_DSN"  # where the capture app inserts
TABLE = "baseline_events"
# The event store's shape (eventsourcing's stored events: nguon_events), without its lock,
# notification, idempotency and actor rows: a primary key, and a position assigned on insert.
CREATE_TABLE = f"""CREATE TABLE IF NOT EXISTS {TABLE} (
    originator_id uuid NOT NULL,
    originator_version integer NOT NULL,
    topic text NOT NULL,
    state bytea NOT NULL,
    position bigserial UNIQUE,
    PRIMARY KEY (originator_id, originator_version))"""
TOPIC = "baselines:Harvested"


# a. A fixed page -------------------------------------------------------------------------------


def page_app() -> FastAPI:
    """The baseline of the provenance pages: one route, the same bytes for every path, as
    ``text/html; charset=utf-8``. The bytes are a real page's, read once from ``PAGE_FILE``."""
    body = Path(os.environ[PAGE_FILE]).read_bytes()
    app = FastAPI()

    @app.get("/{path:path}")
    def page(path: str) -> Response:
        del path
        return Response(body, media_type="text/html; charset=utf-8")

    return app


# b. One harvest, one row -----------------------------------------------------------------------


class Quantity(BaseModel):
    amount: Decimal
    unit: str


class Harvest(BaseModel):
    """The JSON of a single harvest (``bench/capture.py``'s ``harvest()``)."""

    plot_ids: list[str]
    commodity: str
    variety: str | None = None
    quantity: Quantity
    harvested_on: date


def capture_app() -> FastAPI:
    """The baseline of single harvests: validate the body with pydantic, INSERT one row of the
    event store's shape (the validated body as its state), commit, answer 201 with the
    position. A psycopg_pool pool per worker process; a plain ``def`` route, run in the thread
    pool as Nguồn's capture routes are."""
    pool = ConnectionPool(os.environ[DSN], min_size=4, max_size=10, open=True)
    app = FastAPI()
    app.router.add_event_handler("shutdown", pool.close)

    @app.post("/api/v1/batches", status_code=201)
    def harvest(body: Harvest) -> JSONResponse:
        with pool.connection() as conn:  # commits on leaving
            row = conn.execute(
                f"INSERT INTO {TABLE} (originator_id, originator_version, topic, state)"
                " VALUES (%s, 1, %s, %s) RETURNING position",
                (uuid.uuid4(), TOPIC, body.model_dump_json().encode()),
            ).fetchone()
        assert row is not None
        return JSONResponse({"position": row[0]}, status_code=201)

    return app


def create_table(dsn: str) -> None:
    with psycopg.connect(dsn, autocommit=True) as conn:
        conn.execute(CREATE_TABLE)


# c. COPY ---------------------------------------------------------------------------------------


def copy_rows(dsn: str, n: int, state: bytes) -> float:
    """The baseline of bulk uploads: one binary ``COPY ... FROM STDIN`` of ``n`` rows of the
    event store's shape, each with ``state`` (a real stored event's, for its size), in one
    transaction. Returns rows/s, counting from the connection to the commit."""
    create_table(dsn)
    rows = [(uuid.uuid4(), 1, TOPIC, state) for _ in range(n)]
    started = time.perf_counter()
    with psycopg.connect(dsn) as conn, conn.cursor() as cursor:
        statement = (
            f"COPY {TABLE} (originator_id, originator_version, topic, state)"
            " FROM STDIN (FORMAT BINARY)"
        )
        with cursor.copy(statement) as copy:
            copy.set_types(["uuid", "int4", "text", "bytea"])
            for row in rows:
                copy.write_row(row)
    return n / (time.perf_counter() - started)


# Serving ---------------------------------------------------------------------------------------


def start(kind: str, port: int, workers: int, env: dict[str, str]) -> subprocess.Popen[bytes]:
    """A baseline app (``page`` or ``capture``) in a subprocess, on 127.0.0.1:``port``."""
    command = [sys.executable, str(HERE / "baselines.py"), kind]
    command += ["--port", str(port), "--workers", str(workers)]
    return subprocess.Popen(
        command,
        env={**os.environ, **env},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def serve(kind: str, port: int, workers: int) -> None:
    factory = {"page": "baselines:page_app", "capture": "baselines:capture_app"}[kind]
    if workers > 1:
        serve_in_workers(factory, "127.0.0.1", port, workers)
    else:
        uvicorn.run(
            factory,
            factory=True,
            host="127.0.0.1",
            port=port,
            access_log=False,
            log_level="warning",
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("kind", choices=["page", "capture"])
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--workers", type=int, default=1)
    args = parser.parse_args()
    sys.path.insert(0, str(HERE))  # the workers import "baselines:..."
    serve(args.kind, args.port, args.workers)


if __name__ == "__main__":
    main()

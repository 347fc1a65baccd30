"""Capture alone: ``python -m services.capture`` (``nguon serve-capture`` does the same).

Consumes authenticated HTTP requests (JSON commands, bulk JSON, CSV harvests) under /api/v1.
Produces domain events in the PostgreSQL event store, which is also the outbox the relay reads.
Delivery: a 2xx answer means every event of the request is committed, all or nothing; with an
``Idempotency-Key`` a retried request is answered from the first attempt and stores nothing twice.
"""

from __future__ import annotations

import logging

import uvicorn
from fastapi import FastAPI

from services.capture.app import create_app
from services.capture.context import connections_of
from services.capture.settings import CaptureSettings
from shared.database import prepare
from shared.postgres.tokens import TokenStore
from shared.postgres.urls import eventsourcing_env
from shared.readmodels.postgres_readers import PostgresBatchCatalogue
from shared.readmodels.tracking import Connect, KafkaWaiter, PositionWaiter, Waiter
from shared.records.application import Records


def build(settings: CaptureSettings) -> tuple[FastAPI, Records]:
    urls = prepare(settings)
    env = eventsourcing_env(urls.app, create_table=False, pool_size=settings.database_pool_size)
    records = Records(env, settings.province_code)
    connect = connections_of(records)
    tokens = TokenStore(connect, ttl_seconds=settings.token_cache_seconds)
    catalogue = PostgresBatchCatalogue(connect, _waiter(settings, connect))
    return create_app(settings, records, tokens, catalogue), records


def _waiter(settings: CaptureSettings, connect: Connect) -> Waiter:
    if settings.uses_kafka:
        # shared.kafka.topics.events_topic names it too; capture may not import the Kafka adapter.
        topic = f"{settings.kafka_topic_prefix}.events"
        return KafkaWaiter(connect, topic, settings.projector_group_id)
    return PositionWaiter(connect)


def main() -> None:
    logging.basicConfig(
        level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    settings = CaptureSettings()
    app, records = build(settings)
    try:
        uvicorn.run(app, host=settings.host, port=settings.port, access_log=False)
    finally:
        records.close()


if __name__ == "__main__":
    main()

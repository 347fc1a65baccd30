"""The registry staff keep: lists, a page for each cooperative, enterprise, chain and plot,
and the forms that record what the API records (``posting``, ``forms``).

Reads the projections through ``shared.readmodels.registry``; writes through the records
application with the same commands as the API, as the signed-in person's actor.
"""

from __future__ import annotations

from functools import partial

from fastapi import APIRouter

from services.province.registry.posting import form_routes
from services.province.registry.views import Names, Registry, views
from shared.accounts.names import names_of
from shared.pages import Pages
from shared.readmodels.registry import RegistryReader
from shared.readmodels.tracking import Connect, waiter_for
from shared.records.application import Records
from shared.settings import NguonSettings
from shared.wire.topics import events_topic

# What the registry's pages read: a form's redirect waits for these to apply its write.
READ_MODELS = ("directory", "provenance", "catalogue")
DEFAULT_PROJECTOR_GROUP = "nguon-projector"


def router(
    settings: NguonSettings,
    records: Records,
    connect: Connect,
    pages: Pages,
    names: Names | None = None,
) -> APIRouter:
    """``names`` says who is behind an actor id; by default the accounts' and tokens' names."""
    topic = events_topic(settings.kafka_topic_prefix) if settings.uses_kafka else None
    # The platform's settings name the projector's group only in the services that wait on it.
    group = str(getattr(settings, "projector_group_id", DEFAULT_PROJECTOR_GROUP))
    waiter = waiter_for(connect, kafka_topic=topic, group=group, projections=READ_MODELS)
    registry = Registry(
        pages=pages,
        reader=RegistryReader(connect),
        waiter=waiter,
        wait_seconds=settings.read_wait_timeout_seconds,
        names=names or partial(names_of, connect),
    )
    routes = APIRouter()
    # Forms first: /province/cooperatives/new is a form, not the page of a cooperative "new".
    routes.include_router(form_routes(registry, records))
    routes.include_router(views(registry))
    return routes

"""The web service's settings: the shared ones, and whose progress ``?position=`` waits for."""

from __future__ import annotations

from shared.settings import NguonSettings


class WebSettings(NguonSettings):
    """Read once in ``__main__`` from ``NGUON_*`` environment variables, then passed down."""

    projector_group_id: str = "nguon-projector"
    """With Kafka: the projectors' consumer group, whose progress ``?position=`` waits for
    (the same ``NGUON_PROJECTOR_GROUP_ID`` the projector reads)."""

    web_workers: int = 1
    """Worker processes serving the pages (``NGUON_WEB_WORKERS``); each has its own pool."""

    web_database_pool_size: int = 8
    """Connections per web process to the read models (``NGUON_WEB_DATABASE_POOL_SIZE``)."""

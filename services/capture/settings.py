"""Capture's settings: the shared ones, and how long a resolved token is trusted."""

from __future__ import annotations

from shared.settings import NguonSettings


class CaptureSettings(NguonSettings):
    """Read once in ``__main__`` from ``NGUON_*`` environment variables, then passed down."""

    token_cache_seconds: float = 30.0
    """How long a resolved token may be answered from memory. A revocation or an expiry takes
    effect at once regardless (``shared.postgres.tokens``): this bounds how long an entry lives."""

    capture_workers: int = 1
    """Worker processes serving capture (``NGUON_CAPTURE_WORKERS``); each has its own pool."""

    database_pool_size: int = 10
    """Connections per process to the event store (as many again may overflow under load)."""

    projector_group_id: str = "nguon-projector"
    """With Kafka: the projectors' consumer group, whose progress ``after_position`` waits for
    (the same ``NGUON_PROJECTOR_GROUP_ID`` the projector reads)."""

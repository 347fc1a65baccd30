"""The projector's settings: the shared ones plus its consumer group (``NGUON_PROJECTOR_*``)."""

from __future__ import annotations

from shared.settings import NguonSettings


class ProjectorSettings(NguonSettings):
    projector_group_id: str = "nguon-projector"
    """The consumer group: every projector process of one deployment shares it."""

    projector_max_batch: int = 2_000
    """At most this many records per applied batch (one database transaction)."""

    projector_poll_timeout_ms: int = 200
    """How long a poll waits for records; also bounds how long a stop takes to be noticed."""

    projector_session_timeout_ms: int = 10_000
    """How soon the group notices a projector that died, and gives its partitions to another."""

    projector_rebalance_stall_ms: int = 30_000
    """A rebalance of the group still unfinished after this long is stuck: the projector then
    leaves the group and joins again as a new member (positions come from the database)."""

"""The relay's settings: the shared ones plus batching and retry knobs (``NGUON_RELAY_*``)."""

from __future__ import annotations

from shared.settings import NguonSettings


class RelaySettings(NguonSettings):
    relay_batch_max_events: int = 2_000
    """At most this many events per produce-flush-checkpoint round."""

    relay_batch_max_wait_ms: int = 50
    """How long a round waits for more events once it has one: latency traded for throughput."""

    relay_linger_ms: int = 20
    """How long the producer waits to fill a batch before sending it."""

    relay_batch_size_bytes: int = 1024 * 1024
    """The most bytes the producer puts in one batch per partition."""

    relay_compression: str = "auto"
    """``auto`` (lz4 if installed, else zstd, else gzip), ``none``, ``gzip``, ``lz4``, ``zstd``."""

    relay_delivery_timeout_ms: int = 30_000
    """How long the producer retries one record before the round fails and starts again."""

    relay_request_timeout_ms: int = 10_000
    """How long the producer waits for the broker to answer one request."""

    relay_bootstrap_timeout_ms: int = 10_000
    """How long a new producer tries to reach a broker before the attempt counts as failed."""

    relay_reconnect_backoff_max_ms: int = 1_000
    """The longest the producer waits between attempts to reach a broker: after a long outage,
    the most it may idle once the broker answers again."""

    relay_retry_initial_seconds: float = 0.5
    relay_retry_max_seconds: float = 1.0
    """Backoff between failed rounds (broker down): doubles from initial up to max. Kept short
    because each attempt already waits up to the bootstrap timeout for a broker: a long ceiling
    would only be time spent asleep after the broker is back."""

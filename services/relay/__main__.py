"""``python -m services.relay``: publish the event store to Kafka until SIGTERM or SIGINT.

Consumes the event store's notification log; produces envelopes to ``{prefix}.events`` keyed by
aggregate id; at least once, never skipping (see :mod:`services.relay.relay`).
"""

from __future__ import annotations

import logging
import signal
from types import FrameType

from services.relay.relay import build_relay, run_relay
from services.relay.settings import RelaySettings


def main() -> None:
    logging.basicConfig(
        level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    logging.getLogger("kafka").setLevel(logging.WARNING)
    relay = build_relay(RelaySettings())

    def stop(signum: int, _frame: FrameType | None) -> None:
        logging.getLogger(__name__).info("signal %d: stopping after the current round", signum)
        relay.stop()

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    run_relay(relay)


if __name__ == "__main__":
    main()

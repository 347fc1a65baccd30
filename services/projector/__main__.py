"""``python -m services.projector``: consume Kafka into the read models until SIGTERM or SIGINT.

Consumes ``{prefix}.events`` in consumer group ``NGUON_PROJECTOR_GROUP_ID``; produces the read
models in PostgreSQL; exactly once in effect: offsets are stored with the read models in one
transaction and committed to Kafka afterwards (see :mod:`services.projector.projector`).
"""

from __future__ import annotations

import logging
import signal
from types import FrameType

from services.projector.projector import build_projector, run_projector
from services.projector.settings import ProjectorSettings


def main() -> None:
    logging.basicConfig(
        level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    logging.getLogger("kafka").setLevel(logging.WARNING)
    projector = build_projector(ProjectorSettings())

    def stop(signum: int, _frame: FrameType | None) -> None:
        logging.getLogger(__name__).info("signal %d: stopping after the current batch", signum)
        projector.stop()

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    run_projector(projector)


if __name__ == "__main__":
    main()

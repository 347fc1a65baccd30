"""The production processes that run one piece each: relay, projector, capture, web.

Each imports only its own service, inside its function: a relay or projector process does not
carry the HTTP apps, the PDF labels and their fonts that the composition root
(:mod:`services.platform.composition`) imports for ``nguon serve`` (about 70 MB instead of
160 MB resident, and under a second to start instead of about four).
"""

from __future__ import annotations

from services.capture.settings import CaptureSettings
from services.projector.settings import ProjectorSettings
from services.relay.settings import RelaySettings
from services.web.settings import WebSettings


def run_relay(settings: RelaySettings) -> None:
    from services.relay.relay import build_relay, run_relay
    from shared.lifecycle import stop_on_signals

    relay = build_relay(settings)
    stop_on_signals(relay.stop)
    run_relay(relay)


def run_projector(settings: ProjectorSettings) -> None:
    from services.projector.projector import build_projector, run_projector
    from shared.lifecycle import stop_on_signals

    projector = build_projector(settings)
    stop_on_signals(projector.stop)
    run_projector(projector)


def serve_capture(settings: CaptureSettings) -> None:
    from services.capture import server

    server.serve(settings)


def serve_web(settings: WebSettings) -> None:
    from services.web import server

    server.serve(settings)

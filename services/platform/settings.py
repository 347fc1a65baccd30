"""Settings of the one-process platform: every service's settings in one frozen class."""

from __future__ import annotations

from services.capture.settings import CaptureSettings
from services.projector.settings import ProjectorSettings
from services.relay.settings import RelaySettings
from services.web.settings import WebSettings


class PlatformSettings(CaptureSettings, WebSettings, RelaySettings, ProjectorSettings):
    """``nguon serve`` runs capture, web and either the embedded projections or relay+projector."""

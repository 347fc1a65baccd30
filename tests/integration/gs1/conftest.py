"""Capture's fixtures (``tests/integration/capture``): lots are refused where they are captured."""

from __future__ import annotations

from tests.integration.capture.conftest import api, records, settings, tokens

__all__ = ["api", "records", "settings", "tokens"]

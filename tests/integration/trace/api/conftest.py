"""The capture API on a fresh database (the capture tests' own fixtures)."""

from __future__ import annotations

from tests.integration.capture.conftest import api, records, settings, tokens

__all__ = ["api", "records", "settings", "tokens"]

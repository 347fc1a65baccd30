"""Every kind of command can be sent in a bulk request.

(How capture shares the platform with the public pages is tested where the platform mounts
them: tests/unit/platform/test_apps_are_mounted.py.)
"""

from __future__ import annotations

from typing import get_args

from services.capture.schemas.bulk import BULK_TYPES
from shared.records.commands import PublicCommand


def test_every_command_can_be_sent_in_a_bulk_request() -> None:
    assert len(BULK_TYPES) == len(get_args(PublicCommand))

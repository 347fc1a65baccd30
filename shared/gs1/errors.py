"""What a GS1 value sent to us can get wrong; each app maps these to its own answers."""

from __future__ import annotations

from shared.errors import NguonError


class Gs1Error(NguonError, ValueError):
    """Root of the GS1 refusals; ``value`` is what was sent, for the message."""

    def __init__(self, value: str) -> None:
        super().__init__(f"{type(self).__name__}: {value!r}")
        self.value = value


class InvalidGtin(Gs1Error):
    """Not a GTIN-8/12/13/14 with its check digit."""


class InvalidLot(Gs1Error):
    """Not a value GS1 AI (10) allows (1 to 20 characters of set 82)."""


class MalformedDigitalLink(Gs1Error):
    """The path is not a GS1 Digital Link for a GTIN: odd segments, an unknown or
    out-of-order qualifier, a bad serial number."""


class InvalidLabelCount(Gs1Error):
    """A label count outside 1 to ``MAX_LABELS``."""

"""How many labels one may print at once: ``?count=`` as 1..200, one A4 sheet by default.

The sheets themselves are PDF (``shared.gs1.label_pdf``), printed from the cooperative app.
"""

from __future__ import annotations

import re

from shared.gs1.errors import InvalidLabelCount

LABELS_PER_SHEET = 24
MAX_LABELS = 200
_COUNT = re.compile(r"\d{1,3}", re.ASCII)


def parse_count(raw: str | None) -> int:
    """``?count=`` as 1..200; absent means one full sheet."""
    if raw is None:
        return LABELS_PER_SHEET
    if not _COUNT.fullmatch(raw) or not 1 <= int(raw) <= MAX_LABELS:
        raise InvalidLabelCount(raw)
    return int(raw)

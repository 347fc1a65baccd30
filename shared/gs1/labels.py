"""A printable A4 sheet of QR labels for one batch: 3 x 8 labels of 70 x 37 mm per page.

The sheet is data (what each label says, how many per page); each app lays it out in its own
template and language. The QR symbol is drawn once per page and reused by every label
(``<use>``), so 200 labels stay a small page.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from shared.gs1 import qr
from shared.gs1.errors import InvalidLabelCount

LABELS_PER_SHEET = 24
MAX_LABELS = 200
_COUNT = re.compile(r"\d{1,3}", re.ASCII)


@dataclass(frozen=True)
class LabelSheet:
    code: str
    product: str
    lot: str | None
    harvest: str | None
    producer: str | None
    link: str
    symbol: qr.QrSymbol
    pages: list[int]  # labels on each A4 page


def parse_count(raw: str | None) -> int:
    """``?count=`` as 1..200; absent means one full sheet."""
    if raw is None:
        return LABELS_PER_SHEET
    if not _COUNT.fullmatch(raw) or not 1 <= int(raw) <= MAX_LABELS:
        raise InvalidLabelCount(raw)
    return int(raw)


def label_sheet(
    *,
    code: str,
    product: str,
    lot: str | None,
    harvest: str | None,
    producer: str | None,
    link: str,
    count: int,
) -> LabelSheet:
    """``count`` labels saying ``link`` in their QR code, in full A4 pages and one partial."""
    full, rest = divmod(count, LABELS_PER_SHEET)
    return LabelSheet(
        code=code,
        product=product,
        lot=lot,
        harvest=harvest,
        producer=producer,
        link=link,
        symbol=qr.symbol(link),
        pages=[LABELS_PER_SHEET] * full + ([rest] if rest else []),
    )

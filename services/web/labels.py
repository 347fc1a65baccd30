"""A printable A4 sheet of QR labels for one batch: 3 x 8 labels of 70 x 37 mm per page.

The QR symbol is drawn once per page and reused by every label (``<use>``), so 200 labels
stay a small page.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from services.web import qr
from services.web.errors import MalformedLabelCountError
from shared.i18n import Translator
from shared.readmodels.documents import ProvenanceDocument

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
        raise MalformedLabelCountError(raw)
    return int(raw)


def label_sheet(
    document: ProvenanceDocument, public_base_url: str, count: int, t: Translator
) -> LabelSheet:
    link = qr.link_for(document, public_base_url)
    harvests = document["harvest_dates"]
    cooperatives = document["cooperatives"]
    full, rest = divmod(count, LABELS_PER_SHEET)
    return LabelSheet(
        code=document["code"],
        product=document["product"],
        lot=document["lot"],
        harvest=_harvest(harvests, t),
        producer=cooperatives[0]["name"] if cooperatives else None,
        link=link,
        symbol=qr.symbol(link),
        pages=[LABELS_PER_SHEET] * full + ([rest] if rest else []),
    )


def _harvest(dates: list[str], t: Translator) -> str | None:
    if not dates:
        return None
    first, last = t.date(min(dates)), t.date(max(dates))
    return first if first == last else f"{first} – {last}"

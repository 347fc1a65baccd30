"""Search that ignores case and Vietnamese accents: "thieu hoa" finds "Thiệu Hóa".

One table, used on both sides: Python folds what a person typed, and PostgreSQL folds the
searched columns with ``translate`` over the same table (``searchable_column``), so the two
can never disagree.
No extension is needed (``unaccent`` cannot be created by the services' role), and the fold is
applied before ``lower`` so that a database whose ctype is ``C`` (which lowers ASCII only)
still folds ``Ư`` to ``u``.
"""

from __future__ import annotations

import unicodedata
from typing import Final


def _base_letter(char: str) -> str | None:
    if char in "đĐ":
        return "d"
    stripped = "".join(
        c for c in unicodedata.normalize("NFD", char) if unicodedata.category(c) != "Mn"
    )
    if len(stripped) == 1 and stripped.isascii() and stripped.isalpha() and stripped != char:
        return stripped.lower()
    return None


def _table() -> tuple[str, str]:
    accented, plain = [], []
    for point in [*range(0x00C0, 0x0250), *range(0x1E00, 0x1F00)]:
        char = chr(point)
        base = _base_letter(char)
        if base is not None:
            accented.append(char)
            plain.append(base)
    return "".join(accented), "".join(plain)


ACCENTED, PLAIN = _table()
_TRANSLATION: Final = str.maketrans(ACCENTED, PLAIN)


def fold(text: str) -> str:
    """``"HTX Thiệu Hóa"`` as ``"htx thieu hoa"``: what both sides of a search compare."""
    return unicodedata.normalize("NFC", text).translate(_TRANSLATION).lower()


def searchable_column(table: str, expression: str) -> str:
    """DDL adding ``search_text``, ``expression`` folded, kept by PostgreSQL itself: a generated
    column costs the projections nothing, and a search then folds only what was typed (folding
    every row at each search took ~0.4 s over 1,000 cooperatives). The table's letters hold no
    quote, so they stand as literals."""
    return (
        f"ALTER TABLE {table} ADD COLUMN IF NOT EXISTS search_text text GENERATED ALWAYS AS"
        f" (lower(translate(normalize({expression}, NFC), '{ACCENTED}', '{PLAIN}'))) STORED"
    )


def contains_pattern(term: str) -> str:
    """A ``LIKE`` pattern matching folded text that contains the folded ``term``."""
    escaped = fold(term).replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"

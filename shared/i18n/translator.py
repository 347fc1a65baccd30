"""A person's language: messages by key, vocabulary words, numbers and dates as they write them."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache

from babel.dates import format_date
from babel.numbers import format_decimal

from shared.domain.clock import VIETNAM_TIME
from shared.i18n.catalogues import EN, has_message, translations

_DATE_PATTERN = {EN: "d MMM yyyy"}
_VIETNAMESE_DATE = "dd/MM/yyyy"


@dataclass(frozen=True)
class Translator:
    """The catalogue in one language; ``t("key")`` or ``t("key", batch="TH-…")`` in templates."""

    lang: str

    def __call__(self, key: str, /, **params: object) -> str:
        """The message ``key`` with its ``{named}`` parameters filled in.

        A key missing from the catalogue comes back as itself, so a gap shows on the page instead
        of failing it; the catalogue test keeps such gaps out of the code base.
        """
        text = translations(self.lang).gettext(key)
        return text.format(**params) if params else text

    def known(self, prefix: str, value: str) -> str:
        """A vocabulary word (``step_harvested``) translated, or the value as recorded."""
        key = f"{prefix}_{value}"
        return self(key) if has_message(key, self.lang) else value.replace("_", " ")

    def number(self, value: Decimal | int | float) -> str:
        """``1234.5`` as ``1.234,5`` in Vietnamese, ``1,234.5`` in English."""
        kind = type(value).__name__
        if kind in _NUMBER_TYPES:
            # Keyed by type and text: 1, 1.0 and Decimal("1.0") are equal but written apart.
            return _number(self.lang, kind, str(value))
        return format_decimal(value, locale=self.lang)

    def date(self, iso: str) -> str:
        """``2026-03-14`` as ``14/03/2026`` or ``14 Mar 2026``; unparsable text as is."""
        try:
            day = dt.date.fromisoformat(iso[:10])
        except ValueError:
            return iso
        return format_date(day, _DATE_PATTERN.get(self.lang, _VIETNAMESE_DATE), locale=self.lang)

    def date_span(self, isos: list[str]) -> str | None:
        """The first and last of some ISO dates (``14/03/2026 – 20/03/2026``), or one date."""
        if not isos:
            return None
        first, last = self.date(min(isos)), self.date(max(isos))
        return first if first == last else f"{first} – {last}"

    def datetime(self, iso: str) -> str:
        """An ISO 8601 instant in Vietnam time; a bare date stays a date."""
        try:
            moment = dt.datetime.fromisoformat(iso)
        except ValueError:
            return iso
        if moment.tzinfo is None:
            return self.date(iso)
        local = moment.astimezone(VIETNAM_TIME)
        return f"{self.date(local.date().isoformat())} {local:%H:%M}"


_NUMBER_TYPES: dict[str, type[Decimal | int | float]] = {
    "Decimal": Decimal,
    "int": int,
    "float": float,
}


@lru_cache(maxsize=65_536)
def _number(lang: str, kind: str, text: str) -> str:
    """Babel's formatting, remembered: a dashboard page writes thousands of the same few
    numbers (counts, years, shares), and formatting them was a sixth of its time."""
    return format_decimal(_NUMBER_TYPES[kind](text), locale=lang)

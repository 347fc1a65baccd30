"""A refusal's message in a person's language: ``error_<code>`` filled with its params.

Every app that answers refusals (the capture API today, the staff apps next) words them here, so
they read the same everywhere. Params travel as strings; those that are measures (``12.5 kg``,
``4.2`` ha) are written the way the language writes numbers (``12,5 kg`` in Vietnamese), a
role is the catalogue's word for it, while codes, GTINs and lots stay exactly as sent.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from typing import Final

from shared.i18n.catalogues import has_message
from shared.i18n.translator import Translator

MEASURES: Final = frozenset({"quantity", "limit", "area_ha"})
VOCABULARY: Final = frozenset({"role"})  # words the catalogues translate (role_producer, ...)


def refusal_message(code: str, params: Mapping[str, str], lang: str, fallback: str) -> str:
    """The catalogue's words for ``code`` in ``lang``; ``fallback`` if it has none."""
    key = f"error_{code}"
    if not has_message(key, lang):
        return fallback
    t = Translator(lang)
    try:
        return t(key, **{name: _worded(t, name, value) for name, value in params.items()})
    except (KeyError, IndexError, ValueError):
        # A refusal that lacks a param its message names (a pydantic problem without its
        # limit): its own words, rather than no answer at all.
        return fallback


def _worded(t: Translator, name: str, value: str) -> str:
    if name in MEASURES:
        return _measure(t, value)
    if name in VOCABULARY:
        return t.known(name, value)
    return value


def _measure(t: Translator, value: str) -> str:
    """``"1234.5 kg"`` as ``1.234,5 kg`` (vi) or ``1,234.5 kg`` (en); anything else as is."""
    amount, _, unit = value.partition(" ")
    try:
        number = Decimal(amount)
    except InvalidOperation:
        return value
    if not number.is_finite():
        return value
    return f"{t.number(number)} {unit}".rstrip()

"""Values a partner's event may carry that the platform could take but not keep.

GS1's schema lets any string or number through an extension field, and JSON lets through what
PostgreSQL and UTF-8 cannot hold: a NUL character (``text`` and ``jsonb`` refuse it), a lone
UTF-16 surrogate (``"\\ud800"`` parses to one; UTF-8 cannot encode it, so it cannot even be
hashed), ``NaN`` and infinities (Python's JSON reader accepts them; JSON and ``numeric`` do
not), and texts too long for any page. Stored, such a value would stop a projection for
everyone; so capture refuses the event at the door, naming where the value is.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

# The longest text the capture API accepts anywhere (a diary note); nothing a partner sends
# about a lot needs more.
LONGEST_TEXT = 10_000


@dataclass(frozen=True)
class Unstorable:
    field: str  # a JSON path below the event: ".ilmd['nguon:variety']", "['nguon:lab']"
    message: str


def first_unstorable(event: dict[str, Any]) -> Unstorable | None:
    """The first value (or key) of ``event`` the platform cannot keep, in document order."""
    return next(_unstorable(event, ""), None)


def _unstorable(value: Any, where: str) -> Iterator[Unstorable]:
    if isinstance(value, dict):
        for key, item in value.items():
            inner = _step(where, key)
            problem = _text_problem(key) if isinstance(key, str) else None
            if problem is not None:
                yield Unstorable(inner, f"the name of this field {problem}")
            yield from _unstorable(item, inner)
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _unstorable(item, f"{where}[{index}]")
    elif isinstance(value, str):
        problem = _text_problem(value)
        if problem is not None:
            yield Unstorable(where, f"this text {problem}")
    elif isinstance(value, float) and not math.isfinite(value):
        yield Unstorable(where, "NaN and infinities are not JSON numbers: send a finite number")


def _step(where: str, key: str) -> str:
    plain = key.isidentifier()
    return f"{where}.{key}" if plain else f"{where}[{_quoted(key)}]"


def _quoted(key: str) -> str:
    printable = key.encode("utf-8", "backslashreplace").decode("ascii", "backslashreplace")
    return "'" + printable.replace("\x00", "\\u0000").replace("'", "\\'")[:80] + "'"


def _text_problem(text: str) -> str | None:
    if "\x00" in text:
        return "holds a NUL character (U+0000), which no text can be stored with: remove it"
    if any("\ud800" <= ch <= "\udfff" for ch in text):
        return "holds a lone UTF-16 surrogate, which UTF-8 cannot encode: send valid Unicode"
    if len(text) > LONGEST_TEXT:
        return f"is longer than {LONGEST_TEXT:,} characters: shorten it"
    return None


def hashable(value: Any) -> Any:
    """``value`` with lone surrogates replaced by ``?``, so a refused event still gets an id."""
    if isinstance(value, dict):
        return {hashable(k): hashable(v) for k, v in value.items()}
    if isinstance(value, list):
        return [hashable(item) for item in value]
    if isinstance(value, str):
        return value.encode("utf-8", "replace").decode("utf-8")
    return value

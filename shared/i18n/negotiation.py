"""Which language to answer in: what the address asks for, then the browser, then Vietnamese."""

from __future__ import annotations

from shared.i18n.catalogues import LANGUAGES, VI


def choose_language(query: str | None, accept_language: str | None, default: str = VI) -> str:
    """``?lang=`` wins; then the best ``Accept-Language`` range we speak; else ``default``.

    Pages default to Vietnamese; the API defaults to English (``default="en"``), as machines and
    their developers expect, while a Vietnamese client still gets Vietnamese by asking.
    """
    if query is not None and query in LANGUAGES:
        return query
    best, best_q = default, 0.0
    for tag, q in weighted(accept_language):
        primary = tag.split("-", 1)[0]
        candidate = default if primary == "*" else primary
        if candidate in LANGUAGES and q > best_q:
            best, best_q = candidate, q
    return best


def weighted(header: str | None) -> list[tuple[str, float]]:
    """``a;q=0.5, b`` as ``[("a", 0.5), ("b", 1.0)]``, names lower-cased, in header order."""
    ranges: list[tuple[str, float]] = []
    for part in (header or "").split(","):
        name, *params = (piece.strip() for piece in part.split(";"))
        q = 1.0
        for param in params:
            key, _, value = param.partition("=")
            if key.strip().lower() == "q":
                q = _quality(value)
        if name:
            ranges.append((name.lower(), q))
    return ranges


def _quality(value: str) -> float:
    try:
        return min(max(float(value), 0.0), 1.0)
    except ValueError:
        return 0.0

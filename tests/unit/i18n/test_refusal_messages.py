"""Every refusal the code can raise has its message in both catalogues, with the same params.

A refusal's ``code`` names its message, ``error_<code>``, so the sources are read the way
Babel reads ``t("...")``: an AST walk over ``shared`` and ``services`` collects each ``code=``
a raise site passes (and each class-level ``code = "..."``) with the ``params`` keys it passes
(a dict literal, or a name bound to one in the same function). A new refusal without its
Vietnamese, or a message that speaks of a ``{param}`` the raise does not pass, fails here.
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass
from pathlib import Path

import pytest

from shared.i18n import LANGUAGES
from shared.i18n.catalogues import message_ids, translations

ROOT = Path(__file__).resolve().parents[3]
PLACEHOLDER = re.compile(r"(?<!\{)\{([A-Za-z_]\w*)\}")


@dataclass(frozen=True)
class Site:
    code: str
    params: frozenset[str]
    where: str
    raised: bool = True  # False: a class's default code, whose raises are found on their own


def _dict_keys(node: ast.expr | None) -> frozenset[str] | None:
    if isinstance(node, ast.Dict):
        return frozenset(
            k.value for k in node.keys if isinstance(k, ast.Constant) and isinstance(k.value, str)
        )
    return None


def _bound_dicts(function: ast.AST) -> dict[str, list[tuple[int, frozenset[str]]]]:
    """Each name bound to a dict literal in ``function``, with where it is bound."""
    found: dict[str, list[tuple[int, frozenset[str]]]] = {}
    for node in ast.walk(function):
        if isinstance(node, ast.Assign) and len(node.targets) == 1:
            target, keys = node.targets[0], _dict_keys(node.value)
            if isinstance(target, ast.Name) and keys is not None:
                found.setdefault(target.id, []).append((node.lineno, keys))
    return found


def _params(
    given: ast.expr | None, line: int, bound: dict[str, list[tuple[int, frozenset[str]]]]
) -> frozenset[str]:
    keys = _dict_keys(given)
    if keys is None and isinstance(given, ast.Name):
        before = [b for b in bound.get(given.id, []) if b[0] < line]
        keys = max(before)[1] if before else None
    return keys or frozenset()


def _class_codes(tree: ast.Module) -> dict[str, str]:
    codes: dict[str, str] = {}
    for cls in (n for n in ast.walk(tree) if isinstance(n, ast.ClassDef)):
        for statement in cls.body:
            if (
                isinstance(statement, ast.Assign)
                and [t.id for t in statement.targets if isinstance(t, ast.Name)] == ["code"]
                and isinstance(statement.value, ast.Constant)
                and isinstance(statement.value.value, str)
            ):
                codes[cls.name] = statement.value.value
    return codes


def _sites_in(tree: ast.Module, where: str, class_codes: dict[str, str]) -> list[Site]:
    sites = [
        Site(code, frozenset(), f"{where}:{name}", raised=False)
        for name, code in _class_codes(tree).items()
    ]
    scopes = [n for n in ast.walk(tree) if isinstance(n, ast.FunctionDef | ast.AsyncFunctionDef)]
    seen: set[int] = set()
    for scope in scopes:
        bound = _bound_dicts(scope)
        for call in ast.walk(scope):
            if not isinstance(call, ast.Call) or id(call) in seen:
                continue
            keywords = {k.arg: k.value for k in call.keywords if k.arg}
            code = keywords.get("code")
            if isinstance(code, ast.Constant) and isinstance(code.value, str):
                name = code.value
            elif isinstance(call.func, ast.Name) and call.func.id in class_codes:
                name = class_codes[call.func.id]  # the class's own code, e.g. NotFound's
            else:
                continue
            seen.add(id(call))
            params = _params(keywords.get("params"), call.lineno, bound)
            sites.append(Site(name, params, f"{where}:{call.lineno}"))
    return sites


def _refusal_sites() -> list[Site]:
    sources = sorted([*(ROOT / "shared").rglob("*.py"), *(ROOT / "services").rglob("*.py")])
    trees = {path: ast.parse(path.read_text(encoding="utf-8")) for path in sources}
    class_codes: dict[str, str] = {}
    for tree in trees.values():
        class_codes |= _class_codes(tree)
    return [
        site
        for path, tree in trees.items()
        for site in _sites_in(tree, str(path.relative_to(ROOT)), class_codes)
    ]


SITES = _refusal_sites()


def _placeholders(text: str) -> set[str]:
    """The ``{name}`` fields ``str.format`` fills (a literal ``{"type": ...}`` is not one)."""
    return set(PLACEHOLDER.findall(text))


def test_the_walk_finds_the_refusals() -> None:
    codes = {site.code for site in SITES}
    assert {"gtin_check_digit", "lot_characters", "quantity_not_positive", "recalled"} <= codes
    assert len(codes) > 80


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_refusal_code_has_its_message_in_the_catalogue(lang: str) -> None:
    missing = sorted({s.where: f"error_{s.code}" for s in SITES}.items())
    missing = [(where, key) for where, key in missing if key not in message_ids(lang)]

    assert missing == [], f"add these to shared/i18n/locale/{lang}/LC_MESSAGES/nguon.po"


@pytest.mark.parametrize("lang", LANGUAGES)
def test_a_refusal_message_speaks_only_of_params_every_raise_of_it_passes(lang: str) -> None:
    catalogue = translations(lang)
    unpassed = []
    for site in (s for s in SITES if s.raised):
        key = f"error_{site.code}"
        wanted = _placeholders(catalogue.gettext(key))
        if not wanted <= site.params:
            unpassed.append((site.where, key, sorted(wanted - site.params)))

    assert unpassed == []


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_hint_of_the_api_is_in_the_catalogue(lang: str) -> None:
    from services.capture.errors import HINTS

    missing = sorted(
        key for key in {*HINTS.values(), "hint_default"} if key not in message_ids(lang)
    )

    assert missing == []


def test_no_refusal_is_raised_with_a_generic_code() -> None:
    generic = {"invalid_value", "domain_error", "not_permitted"}

    vague = sorted(s.where for s in SITES if s.raised and s.code in generic)

    assert vague == [], "name what is wrong: a code of its own, and its error_<code> message"

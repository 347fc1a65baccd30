"""The catalogues are whole: every message the code or a template asks for is translated.

Message ids are found the way translators' tools find them (Babel's extractors over the Python
sources and, through ``jinja2.ext.babel_extract``, the templates), so a new ``t("key")`` or
``_("key")`` without its Vietnamese fails here rather than showing a bare key to a farmer.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from jinja2 import Environment

from shared.i18n import EN, LANGUAGES, VI
from shared.i18n.catalogues import message_ids, translations
from shared.i18n.templates import install_translations

ROOT = Path(__file__).resolve().parents[3]
KEYWORDS = {"t": None, "_": None, "gettext": None}
METHODS = [
    ("**/templates/**.html", "jinja2.ext:babel_extract"),
    ("**.py", "python"),
]


def _ids_used_in(folder: str) -> dict[str, str]:
    found: dict[str, str] = {}
    for filename, _line, message, _comments, _context in extract_from_dir(
        ROOT / folder, METHODS, keywords=KEYWORDS, comment_tags=()
    ):
        if isinstance(message, str):
            found.setdefault(message, f"{folder}/{filename}")
    return found


@pytest.fixture(scope="module")
def used() -> dict[str, str]:
    return {**_ids_used_in("shared"), **_ids_used_in("services")}


def test_the_code_asks_for_messages_at_all(used: dict[str, str]) -> None:
    assert "recall_title" in used
    assert len(used) > 30


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_message_in_the_code_is_translated(used: dict[str, str], lang: str) -> None:
    missing = {key: where for key, where in used.items() if key not in message_ids(lang)}

    assert missing == {}, f"add these to a .po file of shared/i18n/locale/{lang}/LC_MESSAGES/"


def test_both_catalogues_hold_the_same_messages() -> None:
    assert message_ids(VI) == message_ids(EN)


def test_the_vietnamese_catalogue_is_not_the_english_one() -> None:
    vi, en = translations(VI), translations(EN)
    same = [key for key in message_ids(VI) if vi.gettext(key) == en.gettext(key)]

    assert len(same) < len(message_ids(VI)) / 10, same


@pytest.mark.parametrize(("lang", "expected"), [(VI, "Nguồn gốc"), (EN, "Provenance")])
def test_templates_translate_with_gettext_in_the_language_they_are_rendered_in(
    lang: str, expected: str
) -> None:
    environment = Environment(autoescape=True)
    install_translations(environment)

    page = environment.from_string('{{ _("provenance") }}').render(lang=lang)

    assert page == expected

"""The gettext catalogues, read once per process from the ``.po`` files beside this module.

Babel reads the ``.po`` text and compiles it in memory, so there is no build step and no ``.mo``
file to keep in step with its source. A language's catalogue is every ``.po`` file in its
folder (``nguon.po`` for the public pages and refusals, one more per staff app), read as one:
a message id may appear in only one of them.
"""

from __future__ import annotations

import gettext
from functools import cache
from io import BytesIO
from pathlib import Path
from typing import Final

from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

VI: Final = "vi"
EN: Final = "en"
LANGUAGES: Final = (VI, EN)
DOMAIN: Final = "nguon"
LOCALES: Final = Path(__file__).parent / "locale"


def catalogue_paths(lang: str) -> list[Path]:
    return sorted((LOCALES / lang / "LC_MESSAGES").glob("*.po"))


@cache
def catalogue(lang: str) -> Catalog:
    """Every ``.po`` file of ``lang`` as one catalogue; a message id in two files is an error."""
    if lang not in LANGUAGES:
        msg = f"no catalogue for language {lang!r}: the platform speaks {', '.join(LANGUAGES)}"
        raise ValueError(msg)
    whole = Catalog(locale=lang, domain=DOMAIN)
    for path in catalogue_paths(lang):
        with path.open("rb") as source:
            part = read_po(source, locale=lang, domain=DOMAIN)
        for message in part:
            if not message.id:
                continue  # the header
            if message.id in whole:
                msg = f"{path.name} repeats {message.id!r}, already in another {lang} catalogue"
                raise ValueError(msg)
            whole[message.id] = message
    return whole


@cache
def translations(lang: str) -> gettext.GNUTranslations:
    """The compiled catalogue of ``lang`` (one of ``LANGUAGES``)."""
    compiled = BytesIO()
    write_mo(compiled, catalogue(lang))
    compiled.seek(0)
    return gettext.GNUTranslations(compiled)


@cache
def message_ids(lang: str) -> frozenset[str]:
    """The keys ``lang``'s catalogue translates (an empty translation does not count)."""
    return frozenset(str(m.id) for m in catalogue(lang) if m.id and m.string)


def has_message(key: str, lang: str = VI) -> bool:
    return key in message_ids(lang)

"""The gettext catalogues, read once per process from the ``.po`` files beside this module.

Babel reads the ``.po`` text and compiles it in memory, so there is no build step and no ``.mo``
file to keep in step with its source.
"""

from __future__ import annotations

import gettext
from functools import cache
from io import BytesIO
from pathlib import Path
from typing import Final

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

VI: Final = "vi"
EN: Final = "en"
LANGUAGES: Final = (VI, EN)
DOMAIN: Final = "nguon"
LOCALES: Final = Path(__file__).parent / "locale"


def catalogue_path(lang: str) -> Path:
    return LOCALES / lang / "LC_MESSAGES" / f"{DOMAIN}.po"


@cache
def translations(lang: str) -> gettext.GNUTranslations:
    """The compiled catalogue of ``lang`` (one of ``LANGUAGES``)."""
    if lang not in LANGUAGES:
        msg = f"no catalogue for language {lang!r}: the platform speaks {', '.join(LANGUAGES)}"
        raise ValueError(msg)
    with catalogue_path(lang).open("rb") as source:
        catalogue = read_po(source, locale=lang, domain=DOMAIN)
    compiled = BytesIO()
    write_mo(compiled, catalogue)
    compiled.seek(0)
    return gettext.GNUTranslations(compiled)


@cache
def message_ids(lang: str) -> frozenset[str]:
    """The keys ``lang``'s catalogue translates (an empty translation does not count)."""
    with catalogue_path(lang).open("rb") as source:
        catalogue = read_po(source, locale=lang, domain=DOMAIN)
    return frozenset(str(m.id) for m in catalogue if m.id and m.string)


def has_message(key: str, lang: str = VI) -> bool:
    return key in message_ids(lang)

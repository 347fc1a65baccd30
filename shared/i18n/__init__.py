"""Every word the platform says to people, in Vietnamese (the default for pages) and English.

The words live in gettext catalogues, ``locale/<lang>/LC_MESSAGES/nguon.po``, one per language,
read with Babel; translators edit those files, never the code. Message ids are stable keys
(``recall_title``, ``status_sold``), so a refusal's ``code`` and a page's word are looked up the
same way in every language. Numbers and dates are written the way each language writes them
(``1.234,5`` and ``12/11/2026`` in Vietnamese), through Babel's CLDR data.

Every app (public pages, the API's refusals, the staff apps) uses this one package; templates get
it through ``jinja2.ext.i18n`` (see :func:`shared.i18n.templates.environment`).
"""

from __future__ import annotations

from shared.i18n.catalogues import EN, LANGUAGES, VI, has_message
from shared.i18n.negotiation import choose_language
from shared.i18n.translator import Translator

__all__ = ["EN", "LANGUAGES", "VI", "Translator", "choose_language", "has_message"]

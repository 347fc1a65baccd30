"""The web app manifest: what a phone's browser needs to offer "Add to home screen".

Served by the app (not a static file) so that its name is in the person's language.
"""

from __future__ import annotations

from typing import Any

from shared.i18n import Translator

ICONS = "/app/static/offline"
THEME_COLOUR = "#1d6b3a"  # the icon's green; the bar of the installed app takes it


def manifest(t: Translator) -> dict[str, Any]:
    return {
        "id": "/app/",
        "name": t("offline_manifest_name"),
        "short_name": t("offline_manifest_short_name"),
        "description": t("offline_manifest_description"),
        "lang": t.lang,
        "start_url": "/app/",
        "scope": "/app/",
        "display": "standalone",
        "orientation": "portrait",
        "theme_color": THEME_COLOUR,
        "background_color": "#ffffff",
        "icons": [
            {"src": f"{ICONS}/icon-192.png", "sizes": "192x192", "type": "image/png"},
            {"src": f"{ICONS}/icon-512.png", "sizes": "512x512", "type": "image/png"},
            {
                "src": f"{ICONS}/icon.svg",
                "sizes": "any",
                "type": "image/svg+xml",
                "purpose": "any",
            },
        ],
    }

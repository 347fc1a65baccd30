"""The service worker's script: ``sw.js`` beside this module, with its version and shell filled in.

The shell is every file under the app's ``static/`` folder (each part's scripts, styles and
icons, whoever adds them), the offline page and the outbox page. The version is a digest of
the shell's files and of the script itself, so any change to either installs a new worker with
a new cache, and the old cache is deleted when it activates; an unchanged app keeps its cache.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

STATIC = Path(__file__).parent.parent / "static"
STATIC_URL = "/app/static"
TEMPLATE = Path(__file__).parent / "sw.js"


def shell_files(static: Path = STATIC) -> list[Path]:
    return sorted(p for p in static.rglob("*") if p.is_file() and not p.name.startswith("."))


@dataclass(frozen=True)
class ServiceWorker:
    version: str
    shell: tuple[str, ...]  # the URLs precached when the worker installs
    script: str

    @classmethod
    def build(
        cls, *, offline_page: str, pages: tuple[str, ...] = (), static: Path = STATIC
    ) -> ServiceWorker:
        """``pages``: other pages open without sign-in, precached with the offline page."""
        files = shell_files(static)
        urls = (
            offline_page,
            *pages,
            *(f"{STATIC_URL}/{p.relative_to(static).as_posix()}" for p in files),
        )
        template = TEMPLATE.read_text(encoding="utf-8")
        digest = hashlib.sha256(template.encode())
        for path in files:
            digest.update(path.relative_to(static).as_posix().encode())
            digest.update(path.read_bytes())
        version = digest.hexdigest()[:12]
        script = (
            template.replace("__VERSION__", json.dumps(version))
            .replace("__SHELL__", json.dumps(list(urls)))
            .replace("__OFFLINE_PAGE__", json.dumps(offline_page))
            .replace("__PAGES__", json.dumps([offline_page, *pages]))
        )
        return cls(version, urls, script)

"""The operators' documentation says what the code does: every setting, the event-id namespace.

Settings classes are discovered, not listed: every subclass of ``NguonSettings`` defined in
``shared.settings`` or in any ``services.<name>.settings`` module, so a new service's settings
(or a new field) fails this test until the README's table names it.
"""

from __future__ import annotations

import importlib
import pkgutil
import re
from pathlib import Path

import services
from shared.domain.identifiers import NAMESPACE
from shared.settings import NguonSettings

REPOSITORY = Path(__file__).resolve().parents[2]
VARIABLE = re.compile(r"`(NGUON_[A-Z0-9_]+)`")


def _settings_classes() -> set[type[NguonSettings]]:
    for module in pkgutil.iter_modules(services.__path__):
        if module.ispkg:
            try:
                importlib.import_module(f"services.{module.name}.settings")
            except ModuleNotFoundError as missing:
                if missing.name != f"services.{module.name}.settings":
                    raise
    found: set[type[NguonSettings]] = {NguonSettings}
    pending = [NguonSettings]
    while pending:
        for subclass in pending.pop().__subclasses__():
            if subclass.__module__.startswith(("shared.", "services.")) and subclass not in found:
                found.add(subclass)
                pending.append(subclass)
    return found


def _variables_of_every_settings_class() -> set[str]:
    prefix = str(NguonSettings.model_config.get("env_prefix", ""))
    return {f"{prefix}{name}".upper() for cls in _settings_classes() for name in cls.model_fields}


def _readme_settings_table() -> set[str]:
    text = (REPOSITORY / "README.md").read_text(encoding="utf-8")
    section = text.split("## Configuration", 1)[1].split("\n## ", 1)[0]
    rows = [line for line in section.splitlines() if line.startswith("| `NGUON_")]
    return {name for row in rows for name in VARIABLE.findall(row.split("|")[1])}


def test_the_settings_classes_are_found_in_every_service() -> None:
    modules = {cls.__module__ for cls in _settings_classes()}
    assert {"shared.settings", "services.relay.settings", "services.projector.settings"} <= modules


def test_the_readme_lists_every_setting_and_no_other() -> None:
    expected = _variables_of_every_settings_class()
    listed = _readme_settings_table()
    assert sorted(expected - listed) == [], "settings missing from README.md's table"
    assert sorted(listed - expected) == [], "README.md lists settings that no longer exist"


def test_the_operations_guide_names_every_setting() -> None:
    guide = (REPOSITORY / "docs" / "operations.md").read_text(encoding="utf-8")
    assert sorted(_variables_of_every_settings_class() - set(VARIABLE.findall(guide))) == []


def test_the_events_page_gives_the_event_id_namespace() -> None:
    page = (REPOSITORY / "docs" / "events.md").read_text(encoding="utf-8")
    assert f"`{NAMESPACE}`" in page

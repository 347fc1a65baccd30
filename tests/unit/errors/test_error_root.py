"""Every error class the platform defines derives from ``NguonError`` (issue 7.5).

The classes are found by importing every module of ``shared`` and ``services`` and keeping the
exception classes each defines, so a new error class that forgets the root fails here.
"""

from __future__ import annotations

import importlib
import inspect
import pkgutil
from types import ModuleType

import services
import shared
from shared.domain.errors import DomainError, NguonError
from shared.errors import NguonError as ReExported


def _modules(package: ModuleType) -> list[ModuleType]:
    found = [package]
    for info in pkgutil.walk_packages(package.__path__, prefix=f"{package.__name__}."):
        if info.name.endswith("__main__"):
            continue  # running a service is not importing it
        found.append(importlib.import_module(info.name))
    return found


def _error_classes() -> list[type[BaseException]]:
    classes: dict[str, type[BaseException]] = {}
    for module in _modules(shared) + _modules(services):
        for _, value in inspect.getmembers(module, inspect.isclass):
            if issubclass(value, BaseException) and value.__module__ == module.__name__:
                classes[f"{value.__module__}.{value.__qualname__}"] = value
    return list(classes.values())


def test_every_error_the_platform_defines_derives_from_nguon_error() -> None:
    errors = _error_classes()
    assert len(errors) > 20  # the walk found the platform's errors, not nothing
    strays = sorted(e.__qualname__ for e in errors if not issubclass(e, NguonError))
    assert strays == []


def test_the_root_is_shared_errors_nguon_error_and_refusals_sit_under_it() -> None:
    assert ReExported is NguonError
    assert issubclass(DomainError, NguonError)


def test_errors_that_callers_catch_by_their_builtin_kind_keep_that_kind() -> None:
    from shared.gs1.errors import Gs1Error
    from shared.postgres.migrate import SchemaNotReady
    from shared.readmodels.engine import ProjectionVersionMismatch, RebuildInProgress

    assert issubclass(Gs1Error, ValueError)
    assert issubclass(RebuildInProgress, RuntimeError)
    assert issubclass(ProjectionVersionMismatch, RuntimeError)
    assert issubclass(SchemaNotReady, SystemExit)


def test_a_schema_refusal_still_exits_with_its_message() -> None:
    from shared.postgres.migrate import SchemaNotReady

    refusal = SchemaNotReady("run nguon db migrate")

    assert refusal.code == "run nguon db migrate"  # what sys.exit prints, with status 1

"""The layers hold: import-linter checks the contracts in pyproject.toml over the real code.

``make test`` runs ``lint-imports`` too; this test also pins which contracts exist, so that
removing one (rather than fixing the import that broke it) fails a test a reviewer sees.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CONTRACTS = (
    "The domain is pure",
    "The domain does not know GS1 links",
    "The wire schema does not know the domain",
    "shared never imports services",
    "Services are independent of each other",
    "Only the Kafka adapter imports kafka",
    "Layers, from the services down to the pure domain",
    "psycopg only in the PostgreSQL adapters",
)


def test_every_import_contract_is_kept() -> None:
    linter = Path(sys.executable).with_name("lint-imports")
    checked = subprocess.run(
        [str(linter), "--no-cache"], cwd=ROOT, capture_output=True, text=True, check=False
    )
    report = " ".join(checked.stdout.split())  # the report wraps long names

    assert checked.returncode == 0, checked.stdout + checked.stderr
    for name in CONTRACTS:
        assert f"{name}" in report, f"contract {name!r} is gone from pyproject.toml"
    assert "0 broken" in report

"""EPCIS 2.0 documents checked by two validators: GS1's JSON schema (``jsonschema``, through
:mod:`shared.epcis.schema`) and a third party's, ``epcis2.js`` (npm, pinned in
``tests/epcis_validator``, installed by ``npm ci --prefix tests/epcis_validator``, which
``make test`` runs).

Both answer a list of messages, empty when the document is valid.  Note that ``epcis2.js``
checks the schema's ``uri`` formats strictly, so it refuses a document named by a JSON-LD blank
node (``"id": "_:document1"``, as in GS1's own examples): the platform's documents must be named
by a URI.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from shared.epcis.schema import validate_document

VALIDATOR = Path(__file__).parent / "epcis_validator"


def validate_with_gs1_schema(document: Any) -> list[str]:
    """GS1's JSON schema's complaints, each as ``<JSON path>: <message>``."""
    return [f"{error.path}: {error.message}" for error in validate_document(document)]


def validate_with_epcis2js(document: Any) -> list[str]:
    """epcis2.js's complaints about one document."""
    return validate_many_with_epcis2js([document])[0]


def validate_many_with_epcis2js(documents: Sequence[Any]) -> list[list[str]]:
    """epcis2.js's complaints about each document, in one run of node."""
    node = shutil.which("node")
    assert node, "node is needed: epcis2.js is a JavaScript package"
    installed = VALIDATOR / "node_modules" / "epcis2.js"
    assert installed.is_dir(), f"run: npm ci --prefix {VALIDATOR}"
    answer = subprocess.run(
        [node, str(VALIDATOR / "validate.js")],
        input=json.dumps(list(documents)),
        capture_output=True,
        text=True,
        check=True,
        cwd=VALIDATOR,
        timeout=120,
    )
    results: list[dict[str, Any]] = json.loads(answer.stdout)
    assert len(results) == len(documents)
    for result in results:
        # The two halves of the answer must agree, or the harness is broken.
        assert result["valid"] == (not result["errors"]), result
    return [list(result["errors"]) for result in results]

"""Every lot capture accepts makes a Digital Link that GS1's own validator accepts.

GS1's validator is ``digital-link.js`` (npm, built from GS1's ABNF grammar of Digital Link
URIs), installed by ``npm ci --prefix tests/gs1_validator`` (``make test`` runs it) and run here
with node over the URIs our code builds from hostile lots. A lot the domain refuses must be
refused with a message that says so; a lot it accepts must validate and read back unchanged,
both in GS1's validator and in our own resolver's parser.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from shared.domain import identifiers
from shared.domain.errors import InvalidValue
from shared.gs1 import digital_link

VALIDATOR = Path(__file__).parents[2] / "gs1_validator"
BASE = "https://nguon.thanhhoa.example"
GTIN = "08934563123451"
CODE = "TH-2026-000123"
SET_82 = "!\"%&'()*+,-./0123456789:;<=>?ABCDEFGHIJKLMNOPQRSTUVWXYZ_abcdefghijklmnopqrstuvwxyz"
HOSTILE = [
    '"',
    'A"B',
    "%",
    "%25",
    "A%2FB",
    "/",
    "A/B",
    "?",
    "A?linkType=all",
    "#",
    "A#B",
    " ",
    "A B",
    "&",
    "A&B=C",
    "+",
    "A+B",
    ".",
    "..",
    "...",
    "./A",
    "Lô-7",
    "稻米",
    "🌾",
    "A\nB",
    "A\tB",
    "\x00",
    "~",
    "\\",
    "A" * 20,
    "A" * 21,
    "",
    "<script>",
    "';--",
    "(1)*2,3:4;5=6!",
    *SET_82,
    *(f"A{c}B" for c in map(chr, range(0x20, 0x7F))),
]


def _validate(uris: list[str]) -> list[dict[str, Any]]:
    node = shutil.which("node")
    assert node, "node is needed: GS1's validator is a JavaScript package"
    installed = VALIDATOR / "node_modules" / "digital-link.js"
    assert installed.is_dir(), f"run: npm ci --prefix {VALIDATOR}"
    script = VALIDATOR / "validate.js"
    answer = subprocess.run(
        [node, str(script)],
        input=json.dumps(uris),
        capture_output=True,
        text=True,
        check=True,
        cwd=VALIDATOR,
        timeout=60,
    )
    results: list[dict[str, Any]] = json.loads(answer.stdout)
    return results


def _accepted(lot: str) -> bool:
    refusal = _refusal(lot)
    if refusal is None:
        return True
    assert refusal.field == "lot"
    assert repr(lot) in refusal.message, "the message names the lot it refuses"
    return False


def _refusal(lot: str) -> InvalidValue | None:
    try:
        identifiers.lot(lot)
    except InvalidValue as refusal:
        return refusal
    return None


def test_every_lot_capture_accepts_gives_a_digital_link_gs1_s_validator_accepts() -> None:
    lots = list(dict.fromkeys(HOSTILE))
    accepted = [lot for lot in lots if _accepted(lot)]
    uris = [digital_link.batch_link(BASE, code=CODE, gtin=GTIN, lot=lot) for lot in accepted]

    results = _validate(uris)

    rejected = [r["uri"] for r in results if not r["valid"]]
    misread = [(lot, r["lot"]) for lot, r in zip(accepted, results, strict=True) if r["lot"] != lot]
    assert rejected == []
    assert misread == []
    assert len(accepted) > 100, "the hostile list still holds lots that are accepted"


def test_every_lot_capture_accepts_reads_back_unchanged_in_our_resolver() -> None:
    for lot in (lot for lot in dict.fromkeys(HOSTILE) if _accepted(lot)):
        uri = digital_link.batch_link(BASE, code=CODE, gtin=GTIN, lot=lot)

        assert digital_link.parse_path(uri.removeprefix(BASE)).lot == lot, uri


@pytest.mark.parametrize("lot", ['"', 'A"B', ".", "..", "A B", "Lô-7", "#", "A" * 21, ""])
def test_a_lot_no_digital_link_can_carry_is_refused_at_capture(lot: str) -> None:
    assert not _accepted(lot)


def test_the_double_quote_is_refused_because_gs1_s_grammar_and_uris_disagree() -> None:
    """GS1's grammar wants ``"`` raw, a URI cannot hold it raw: neither spelling validates
    everywhere, which is why the domain refuses it."""
    raw, encoded = (f"{BASE}/01/{GTIN}/10/A{q}B" for q in ('"', "%22"))

    valid = {r["uri"]: r["valid"] for r in _validate([raw, encoded])}

    assert valid[encoded] is False, "if GS1's validator now accepts %22, the domain may too"


def test_a_digital_link_with_its_best_before_date_passes_gs1_s_validator() -> None:
    uri = digital_link.batch_link(
        BASE, code=CODE, gtin=GTIN, lot="L2026-07", best_before=date(2027, 12, 31)
    )

    (result,) = _validate([uri])

    assert uri.endswith("/10/L2026-07?15=271231")
    assert result["valid"], result
    assert result["lot"] == "L2026-07"

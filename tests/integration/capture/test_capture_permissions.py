"""Who may do what: each write refused to a role that may not give it, with nothing stored.

Staff register and follow organisations and chains; cooperatives and enterprises act only on
what they hold or own. The allowed side of each row is in the resource's own tests.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest

from tests.builders import (
    after_harvest,
    cooperative_json,
    enterprise_json,
    harvest_json,
    plot_json,
    processing_json,
)
from tests.integration.capture.capture_api import CaptureApi, Party, error_of

SOME_ID = "3f1d5a8e-0000-4000-8000-000000000000"


@dataclass(frozen=True)
class Case:
    path: str  # {coop}, {chain}, {batch}, {plot}, {enterprise} are filled in
    body: Callable[[CaptureApi], dict[str, Any]]
    by: str  # the CaptureApi party that is refused
    code: str

    def __str__(self) -> str:
        return f"{self.by} {self.path}"


def _fixed(body: dict[str, Any]) -> Callable[[CaptureApi], dict[str, Any]]:
    return lambda api: body


_REASON = _fixed({"reason": "x"})
_CERT = _fixed({"scheme": "VietGAP", "certificate": "VG-1", "valid_from": "2025-01-01"})
_AT = after_harvest(2).isoformat()

CASES = [
    Case("/cooperatives", lambda api: cooperative_json(), "cooperative", "staff_only"),
    Case("/enterprises", lambda api: enterprise_json(), "enterprise", "staff_only"),
    Case("/cooperatives/{coop}/reclassification", _REASON, "cooperative", "staff_only"),
    Case(
        "/cooperatives/{coop}/status",
        _fixed({"status": "suspended", "reason": "x"}),
        "enterprise",
        "staff_only",
    ),
    Case(
        "/cooperatives/{coop}/support",
        _fixed({"kind": "training", "on": "2025-01-01", "programme": "x"}),
        "cooperative",
        "staff_only",
    ),
    Case("/organisations/{coop}/certifications", _CERT, "cooperative", "staff_only"),
    Case(
        "/organisations/{coop}/certifications/VG-1/expiry",
        _fixed({"on": "2025-01-01", "reason": "x"}),
        "cooperative",
        "staff_only",
    ),
    Case(
        "/value-chains",
        lambda api: {"name": "x", "commodity": "rice", "lead_organisation_id": api.enterprise.org},
        "enterprise",
        "staff_only",
    ),
    Case(
        "/value-chains/{chain}/participants",
        lambda api: {"organisation_id": api.cooperative.org, "role": "producer"},
        "cooperative",
        "staff_only",
    ),
    Case(
        "/value-chains/{chain}/participants/{coop}/departure", _REASON, "cooperative", "staff_only"
    ),
    Case(
        "/value-chains/{chain}/contracts",
        lambda api: {
            "contract_number": "1",
            "parties": [api.enterprise.org, api.cooperative.org],
            "commodity": "rice",
            "committed_volume": {"amount": 1, "unit": "t"},
            "starts_on": "2025-01-01",
            "ends_on": "2026-01-01",
        },
        "enterprise",
        "staff_only",
    ),
    Case(
        "/value-chains/{chain}/contracts/1/end",
        _fixed({"on": "2025-01-01", "reason": "x"}),
        "enterprise",
        "staff_only",
    ),
    Case("/plots", lambda api: plot_json(api.cooperative.org), "other_cooperative", "not_own"),
    Case("/plots", lambda api: plot_json(api.cooperative.org), "enterprise", "not_own"),
    Case("/plots/{plot}/certifications", _CERT, "other_cooperative", "not_own"),
    Case("/batches", lambda api: harvest_json(api.cooperative.plot), "admin", "organisation_only"),
    Case(
        "/batches", lambda api: harvest_json(api.cooperative.plot), "enterprise", "cooperative_only"
    ),
    Case(
        "/batches/{batch}/processing",
        lambda api: processing_json(),
        "other_cooperative",
        "not_custodian",
    ),
    Case(
        "/batches/{batch}/processing",
        lambda api: processing_json(),
        "province",
        "organisation_only",
    ),
    Case(
        "/batches/{batch}/shipments",
        lambda api: {"to": api.enterprise.org},
        "enterprise",
        "not_custodian",
    ),
    Case(
        "/batches/{batch}/inspections",
        _fixed({"lab": "x", "result": "pass", "at": _AT}),
        "other_cooperative",
        "not_custodian",
    ),
    Case("/batches/{batch}/certifications", _CERT, "enterprise", "not_custodian"),
    Case(
        "/batches/{batch}/labels",
        _fixed({"gtin": "08934588012340", "lot": "A", "labels_issued": 1}),
        "other_cooperative",
        "not_custodian",
    ),
    Case("/batches/{batch}/recall", _REASON, "enterprise", "recall_not_permitted"),
    Case("/batches/{batch}/sale", _fixed({}), "admin", "organisation_only"),
    Case(
        "/batches/{batch}/corrections",
        _fixed({"amends_version": 1, "reason": "x", "changes": {"variety": "y"}}),
        "other_cooperative",
        "not_custodian",
    ),
    Case(
        "/transformations",
        lambda api: {
            "step": "splitting",
            "inputs": [{"batch": "{batch}", "quantity": {"amount": "1", "unit": "kg"}}],
            "outputs": [{"commodity": "rice", "quantity": {"amount": "1", "unit": "kg"}}],
        },
        "province",
        "organisation_only",
    ),
]


@pytest.mark.parametrize("case", CASES, ids=str)
def test_a_role_that_may_not_give_a_command_is_refused_and_nothing_is_stored(
    api: CaptureApi, case: Case
) -> None:
    names = {
        "coop": api.cooperative.org,
        "enterprise": api.enterprise.org,
        "plot": api.cooperative.plot,
        "chain": SOME_ID,
        "batch": api.harvest(),
    }
    by: Party = getattr(api, case.by)
    body = _fill(case.body(api), names)
    stored = api.events_stored()

    answer = api.post(case.path.format(**names), body, by)

    assert answer.status_code == 403, answer.text
    assert error_of(answer)["code"] == case.code
    assert api.events_stored() == stored


def _fill(body: Any, names: dict[str, str]) -> Any:
    if isinstance(body, str):
        return body.format(**names) if body.startswith("{") else body
    if isinstance(body, dict):
        return {k: _fill(v, names) for k, v in body.items()}
    if isinstance(body, list):
        return [_fill(v, names) for v in body]
    return body

"""What a command answers: a typed result per command, and its JSON as the API sends it.

The JSON is also what the idempotency table keeps, so a replay decodes the first answer back
into the same types; each result type has its own set of fields, which tells them apart (also
in answers stored before the types existed).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, fields
from typing import Any
from uuid import UUID

from shared.records.publishing import json_safe


@dataclass(frozen=True, kw_only=True)
class CooperativeResult:
    cooperative_id: UUID


@dataclass(frozen=True, kw_only=True)
class EnterpriseResult:
    enterprise_id: UUID


@dataclass(frozen=True, kw_only=True)
class OrganisationResult:
    organisation_id: UUID


@dataclass(frozen=True, kw_only=True)
class ValueChainResult:
    value_chain_id: UUID


@dataclass(frozen=True, kw_only=True)
class ContractResult:
    value_chain_id: UUID
    contract_number: str


@dataclass(frozen=True, kw_only=True)
class PlotResult:
    plot_id: UUID


@dataclass(frozen=True, kw_only=True)
class HouseholdResult:
    household_id: UUID


@dataclass(frozen=True, kw_only=True)
class BatchResult:
    batch_id: UUID
    code: str


@dataclass(frozen=True, kw_only=True)
class LabelResult(BatchResult):
    gtin: str
    lot: str


@dataclass(frozen=True, kw_only=True)
class TransformationResult:
    transformation_id: UUID
    outputs: tuple[BatchResult, ...]


@dataclass(frozen=True, kw_only=True)
class GtinResult:
    organisation_id: UUID
    registered: str  # gtin:… or prefix:…


@dataclass(frozen=True, kw_only=True)
class GlnResult:
    gln: str
    organisation_id: UUID
    plot_id: UUID | None


@dataclass(frozen=True, kw_only=True)
class LicenceResult:
    gtin: str
    licensee_id: UUID


@dataclass(frozen=True, kw_only=True)
class ProductResult:
    gtin: str
    owner_id: UUID
    product_version: int  # the product aggregate's version: unchanged when nothing changed


@dataclass(frozen=True, kw_only=True)
class RecallResult:
    recall_id: UUID
    batch_id: UUID
    code: str
    drill: bool


@dataclass(frozen=True, kw_only=True)
class RecallStepResult:
    recall_id: UUID
    state: str  # open, closed, lifted


@dataclass(frozen=True, kw_only=True)
class EpcisCaptureResult:
    event_id: str
    lots: tuple[str, ...]  # the lot classes bound by the event


Result = (
    CooperativeResult
    | EnterpriseResult
    | OrganisationResult
    | ValueChainResult
    | ContractResult
    | PlotResult
    | HouseholdResult
    | BatchResult
    | LabelResult
    | TransformationResult
    | GtinResult
    | GlnResult
    | LicenceResult
    | ProductResult
    | RecallResult
    | RecallStepResult
    | EpcisCaptureResult
)

_TYPES: tuple[type[Result], ...] = (
    CooperativeResult,
    EnterpriseResult,
    OrganisationResult,
    ValueChainResult,
    ContractResult,
    PlotResult,
    HouseholdResult,
    BatchResult,
    LabelResult,
    TransformationResult,
    GtinResult,
    LicenceResult,
    ProductResult,
    RecallResult,
    RecallStepResult,
    EpcisCaptureResult,
)
_BY_FIELDS = {frozenset(f.name for f in fields(kind)): kind for kind in _TYPES}


def to_json(result: Result) -> dict[str, Any]:
    answer: dict[str, Any] = json_safe(asdict(result))
    return answer


def from_json(answer: dict[str, Any]) -> Result:
    kind = _BY_FIELDS.get(frozenset(answer))
    if kind is None:
        raise ValueError(f"no result type has the fields {sorted(answer)}")
    values = {name: _decoded(name, value) for name, value in answer.items()}
    return kind(**values)


def _decoded(name: str, value: Any) -> Any:
    # By convention: *_id fields are UUIDs, ``outputs`` are batches; the rest is text.
    if name.endswith("_id"):
        return UUID(str(value))
    if name == "outputs":
        return tuple(from_json(output) for output in value)
    return value

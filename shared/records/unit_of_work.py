"""One request's working set: the aggregates it loaded or created, saved together at the end."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar
from uuid import UUID

from eventsourcing.application import AggregateNotFoundError, Repository
from eventsourcing.domain import Aggregate

from shared.domain import identifiers
from shared.domain.errors import DomainError, InvalidValue, NotFound, RuleViolated
from shared.privacy import PersonalData
from shared.records.warm import WarmAggregates

A = TypeVar("A", bound=Aggregate)


class UnitOfWork:
    def __init__(
        self,
        repository: Repository[UUID],
        allocate_codes: Callable[[int], list[str]],
        codes_expected: int = 0,
        personal_data: PersonalData | None = None,
        warm: WarmAggregates | None = None,
    ):
        self._repository = repository
        self._warm = warm
        self._warm_versions: dict[UUID, int] = {}
        self._allocate_codes = allocate_codes
        self._codes_expected = codes_expected
        self._codes: list[str] = []
        self._touched: dict[UUID, Aggregate] = {}
        self._refs: dict[str, UUID] = {}
        self._claims: dict[UUID, DomainError] = {}
        self._personal_data = personal_data
        self._after_save: list[Callable[[], None]] = []

    @property
    def personal_data(self) -> PersonalData:
        """Seals personal values for the events (keys outside the event store)."""
        if self._personal_data is None:
            raise RuntimeError("this unit of work was given no PersonalData to seal with")
        return self._personal_data

    def get(self, aggregate_id: UUID, kind: type[A], what: str) -> A:
        found = self._touched.get(aggregate_id)
        if found is None:
            try:
                found = self._load(aggregate_id)
            except AggregateNotFoundError:
                raise NotFound(f"no {what} {aggregate_id}", params={"id": aggregate_id}) from None
        if not isinstance(found, kind):
            raise NotFound(f"no {what} {aggregate_id}", params={"id": aggregate_id})
        self._touched[aggregate_id] = found
        return found

    def _load(self, aggregate_id: UUID) -> Aggregate:
        if self._warm is None:
            return self._repository.get(aggregate_id)
        found, warm = self._warm.get(aggregate_id)
        if warm:
            self._warm_versions[aggregate_id] = found.version
        return found

    def warm_versions(self) -> dict[UUID, int]:
        """The aggregates made from what the process kept, at the version each was read: the
        append checks that each is still at it (see ``shared.records.warm``)."""
        return dict(self._warm_versions)

    def find(self, aggregate_id: UUID, kind: type[A]) -> A | None:
        """The aggregate if it exists (and is a ``kind``), else None."""
        try:
            return self.get(aggregate_id, kind, kind.__name__)
        except NotFound:
            return None

    def add(self, aggregate: Aggregate, what: str) -> None:
        """Adds a new aggregate, refusing one whose natural key is already registered."""
        msg = f"this {what} is already registered"
        refusal = RuleViolated(msg, code="already_registered", params={"what": what})
        self.claim(aggregate, refusal)

    def claim(self, aggregate: Aggregate, refusal: DomainError) -> None:
        """Adds a new aggregate whose id is a natural key: ``refusal`` if someone has it.

        Checked now, and again by the event store at save: a request that loses a race for
        the same key is refused with ``refusal`` too (see ``Records``), not a bare conflict."""
        if aggregate.id in self._touched or aggregate.id in self._repository:
            raise refusal
        self._touched[aggregate.id] = aggregate
        self._claims[aggregate.id] = refusal

    def lost_claim(self) -> DomainError | None:
        """After a failed save: the refusal of a natural key another request took meanwhile."""
        for aggregate_id, refusal in self._claims.items():
            if aggregate_id in self._repository:
                return refusal
        return None

    def add_new_batch(self, batch: Aggregate) -> None:
        """A batch whose code was just drawn from the sequence: no one can have it yet."""
        self._touched[batch.id] = batch

    def exists(self, aggregate_id: UUID) -> bool:
        return aggregate_id in self._touched or aggregate_id in self._repository

    def remember_ref(self, ref: str | None, aggregate_id: UUID) -> None:
        if ref is None:
            return
        if ref in self._refs:
            msg = f"ref {ref!r} is used twice in this request"
            raise InvalidValue("ref", msg, code="ref_repeated", params={"ref": ref})
        self._refs[ref] = aggregate_id

    def batch_id(self, reference: str) -> UUID:
        """A batch's id from its code, its id, or ``$ref`` of an earlier command."""
        if reference.startswith("$"):
            found = self._refs.get(reference[1:])
            if found is None:
                msg = f"{reference} names no earlier command's ref"
                raise InvalidValue("batch", msg, code="ref_unknown", params={"ref": reference})
            return found
        return batch_id_from(reference)

    def new_codes(self, count: int) -> list[str]:
        """Fresh batch codes; a bulk request draws all it expects in one round trip."""
        if len(self._codes) < count:
            wanted = max(count - len(self._codes), self._codes_expected)
            self._codes.extend(self._allocate_codes(wanted))
            self._codes_expected = 0
        drawn, self._codes = self._codes[:count], self._codes[count:]
        return drawn

    def after_save(self, action: Callable[[], None]) -> None:
        """Runs ``action`` once the request's events are stored (never if it is refused)."""
        self._after_save.append(action)

    def saved(self) -> None:
        for action in self._after_save:
            action()

    def touched(self) -> list[Aggregate]:
        return list(self._touched.values())


def batch_id_from(reference: str) -> UUID:
    """A batch's id from its code (``TH-2026-000123``) or its id."""
    if identifiers.is_batch_code(reference):
        return identifiers.batch_id(reference)
    try:
        return UUID(reference)
    except ValueError:
        msg = f"{reference!r} is neither a batch code (TH-2026-000123) nor a batch id"
        params = {"reference": reference}
        raise InvalidValue("batch", msg, code="batch_reference_format", params=params) from None

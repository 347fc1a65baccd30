"""Capture: a partner's EPCIS events executed as the platform's own commands, as its organisation.

Each event is translated (``shared.epcis.translation``) to the commands a person would have sent
through the API for the same facts, and executed by the records application as the token's
actor, so every domain rule (mass balance, custody, time order, GTIN licences) holds for EPCIS
as for everything else. An event is known by its CBV 2.0 event hash: one sent again stores
nothing and is answered ``duplicate``.

``rollback`` (the binding's default) stores every event of the document or none; ``proceed``
stores each event (or each transformation, whose events share a ``transformationID``) on its
own and refuses the rest.

The HTTP side (``services.epcis.capture_routes``) validates the document against GS1's schema before
anything here runs, keeps the capture job and answers its status.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from shared.domain.errors import DomainError
from shared.epcis import vocabulary
from shared.epcis.capture_outcomes import (
    CAPTURE_FILE_SIZE_LIMIT,
    CAPTURE_LIMIT,
    Behaviour,
    CaptureOutcome,
    EventOutcome,
    EventRefusal,
    Status,
)
from shared.epcis.capture_terms import path, transformation_groups
from shared.epcis.event_fields import TranslationUnit
from shared.epcis.event_hash import event_hash
from shared.epcis.storable import first_unstorable, hashable
from shared.epcis.translation import Translation, Translator
from shared.epcis.write_side import RecordsWriteSide
from shared.records import commands as c
from shared.records import results as r
from shared.records.actors import Actor
from shared.records.application import CommandRefused, Records

__all__ = [
    "CAPTURE_FILE_SIZE_LIMIT",
    "CAPTURE_LIMIT",
    "Behaviour",
    "CaptureOutcome",
    "EventOutcome",
    "EventRefusal",
    "Status",
    "capture",
]


def capture(
    records: Records,
    actor: Actor,
    events: list[dict[str, Any]],
    behaviour: Behaviour,
    context: Any = vocabulary.CONTEXT,
) -> CaptureOutcome:
    """Executes schema-valid ``events`` as ``actor``; never raises for a refused event.

    ``context`` is the document's ``@context``: it names the namespaces of extension fields,
    which the event hash expands."""
    # The id is our own hash even when the partner sent an eventID: CBV 2.0 leaves eventID
    # and recordTime out of the hash, so the same facts sent twice get the same id whatever
    # id the sender gave them, and an id cannot be reused for other facts.
    unstorable = [first_unstorable(event) for event in events]
    ids = [
        event_hash(event if problem is None else hashable(event), context)
        for event, problem in zip(events, unstorable, strict=True)
    ]
    write_side = RecordsWriteSide(records)
    run = _Run(records, actor, ids, Translator(write_side, actor), write_side)
    seen: set[str] = set()
    # Whether each was captured before: one query for the document, not one per event. A job
    # racing this one is still caught: each event is claimed as it is stored.
    before = write_side.captured_among(ids)
    for index, event_id in enumerate(ids):
        if (problem := unstorable[index]) is not None:
            where = path(index) + problem.field
            refusal = EventRefusal(index, where, "value_unstorable", problem.message)
            run.settle([index], "refused", refusal)
        elif event_id in seen or event_id in before:
            run.settle([index], "duplicate")
        seen.add(event_id)
    if behaviour is Behaviour.ROLLBACK and any(p is not None for p in unstorable):
        run.settle([i for i in range(len(events)) if i not in run.settled], "rolled_back")
    settled = run.settled  # duplicates, the unstorable, and the rest of a refused rollback
    units = [
        [(i, events[i], ids[i]) for i in unit if i not in settled]
        for unit in transformation_groups(events)
    ]
    units = [unit for unit in units if unit]
    if behaviour is Behaviour.ROLLBACK:
        run.all_or_nothing(units)
    else:
        for unit in units:
            run.on_its_own(unit)
    return CaptureOutcome(behaviour, run.outcomes(len(events)), run.position)


class _Run:
    """One capture's progress: each event's outcome as it becomes known."""

    def __init__(
        self,
        records: Records,
        actor: Actor,
        ids: list[str],
        translator: Translator,
        write_side: RecordsWriteSide,
    ) -> None:
        self._records, self._actor, self._ids = records, actor, ids
        self._translator, self._write_side = translator, write_side
        self._outcomes: dict[int, EventOutcome] = {}
        self.position: int | None = None

    @property
    def settled(self) -> set[int]:
        return set(self._outcomes)

    def settle(
        self,
        indexes: Sequence[int],
        status: Status,
        refusal: EventRefusal | None = None,
        batches: tuple[str, ...] = (),
    ) -> None:
        for index in indexes:
            own = refusal
            if refusal is not None and refusal.index != index:  # another event of its unit
                own = EventRefusal(index, path(index), refusal.code, refusal.message)
            self._outcomes[index] = EventOutcome(index, self._ids[index], status, own, batches)

    def outcomes(self, count: int) -> tuple[EventOutcome, ...]:
        return tuple(self._outcomes[index] for index in range(count))

    def all_or_nothing(self, units: list[TranslationUnit]) -> None:
        if not units:  # all duplicates: nothing to store
            return
        translations: list[Translation] = []
        for unit in units:
            translated = self._translate(unit)
            if isinstance(translated, EventRefusal):
                self._refuse_all(units, [i for i, _, _ in unit], translated)
                return
            if translated is not None:
                translations.append(translated)
        if not translations:
            return
        commands = [command for t in translations for command in t.commands]
        owners = [n for n, t in enumerate(translations) for _ in t.commands]
        try:
            outcome = self._records.execute(self._actor, commands)
        except DomainError as error:
            failed = translations[self._culprit(error, owners, translations)]
            self._refuse_all(units, list(failed.indexes), self._refusal(failed, error))
            return
        for n, translation in enumerate(translations):
            results = [outcome.results[k] for k, owner in enumerate(owners) if owner == n]
            self._captured(translation, results)
        self.position = outcome.position

    def on_its_own(self, unit: TranslationUnit) -> None:
        translated = self._translate(unit)
        indexes = [i for i, _, _ in unit]
        if translated is None:
            return
        if isinstance(translated, EventRefusal):
            self.settle(indexes, "refused", translated)
            return
        try:
            outcome = self._records.execute(self._actor, translated.commands)
        except DomainError as error:
            self.settle(indexes, "refused", self._refusal(translated, error))
            return
        finally:
            # Stored or refused, its lots are named by the event store from now on.
            self._translator.forget_commissioned()
        self._captured(translated, outcome.results)
        self.position = outcome.position

    def _translate(self, unit: TranslationUnit) -> Translation | EventRefusal | None:
        """The unit's translation; None if another job stored its events meanwhile (after
        they were checked, before their lots were looked up: a lot it bound is then known)."""
        translated = self._translator.translate(unit)
        if isinstance(translated, EventRefusal) and all(
            self._write_side.captured(event_id) for _, _, event_id in unit
        ):
            self.settle([i for i, _, _ in unit], "duplicate")
            return None
        return translated

    def _captured(self, translation: Translation, results: Sequence[r.Result]) -> None:
        made = tuple(code for result in results for code in _codes(result))
        self.settle(
            translation.indexes,
            "captured",
            batches=tuple(dict.fromkeys(translation.batches + made)),
        )

    def _refuse_all(
        self, units: list[TranslationUnit], refused: list[int], refusal: EventRefusal
    ) -> None:
        self.settle(refused, "refused", refusal)
        settled = self.settled
        others = [i for unit in units for i, _, _ in unit if i not in settled]
        self.settle(others, "rolled_back")

    @staticmethod
    def _culprit(error: DomainError, owners: list[int], translations: list[Translation]) -> int:
        """The translation a refusal belongs to: by command index, or by the claim it lost."""
        if isinstance(error, CommandRefused):
            return owners[error.index]
        named = set(error.params.values())
        for n, translation in enumerate(translations):
            for command in translation.commands:
                if isinstance(command, c.RecordEpcisCapture) and (
                    command.event_id in named or named & set(command.lots)
                ):
                    return n
        return 0

    @staticmethod
    def _refusal(translation: Translation, error: DomainError) -> EventRefusal:
        index = translation.indexes[0]
        return EventRefusal(index, path(index), error.code, error.message)


def _codes(result: r.Result) -> tuple[str, ...]:
    if isinstance(result, r.BatchResult | r.RecallResult):
        return (result.code,)
    if isinstance(result, r.TransformationResult):
        return tuple(output.code for output in result.outputs)
    return ()

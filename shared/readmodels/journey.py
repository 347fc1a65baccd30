"""Which events make up a batch's journey: its own, and its ancestors' up to where they fed it.

An ancestor's history belongs to a batch only until the ancestor gave product towards it: the
ancestor's ``TransformedOut`` event of the transformation on the path. What happens to the
ancestor afterwards (a later inspection, a shipment of the rest) is another batch's story,
with two exceptions that must reach every descendant: a ``Recalled`` event at any time, and a
``Corrected`` event that amends part of the shared history.

If the cut event has not arrived yet (Kafka may deliver a child before its parent), every known
event of the ancestor is taken; the ancestor's arrival re-materializes its descendants, so the
final document is the same whatever the arrival order.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from shared.readmodels.events import BatchEvent
from shared.readmodels.lineage import Edge

# A lift travels with the recall it ends: a descendant must see both, or neither.
ALWAYS_SHARED = frozenset({"Recalled", "RecallLifted"})


def standing_recalls(events: Sequence[BatchEvent]) -> list[BatchEvent]:
    """The ``Recalled`` events among ``events`` not lifted since: a lift appends a
    ``RecallLifted`` to the recalled batch itself (and to every batch it reached)."""
    lifts = [e for e in events if e.name == "RecallLifted"]
    return [
        e
        for e in events
        if e.name == "Recalled"
        and not any(lift.batch_id == e.batch_id and lift.position > e.position for lift in lifts)
    ]


def feeding(target: str, parents: Mapping[str, Sequence[Edge]]) -> dict[str, set[str]]:
    """Each ancestor of ``target``, with the transformations through which it fed the journey."""
    fed: dict[str, set[str]] = {}
    queue = [target]
    seen = {target}
    while queue:
        child = queue.pop()
        for edge in parents.get(child, ()):
            fed.setdefault(edge.parent_id, set()).add(edge.transformation_id)
            if edge.parent_id not in seen:
                seen.add(edge.parent_id)
                queue.append(edge.parent_id)
    fed.pop(target, None)
    return fed


def cut_version(events: Sequence[BatchEvent], transformations: set[str]) -> int | None:
    """The last version of the ancestor that belongs to the journey; None when not known yet."""
    versions = {
        str(e.payload.get("transformation_id")): e.version
        for e in events
        if e.name == "TransformedOut"
    }
    if not transformations <= versions.keys():
        return None
    return max(versions[t] for t in transformations)


def shared_events(events: Sequence[BatchEvent], transformations: set[str]) -> list[BatchEvent]:
    cut = cut_version(events, transformations)
    if cut is None:
        return list(events)
    return [e for e in events if e.version <= cut or _still_shared(e, cut)]


def _still_shared(event: BatchEvent, cut: int) -> bool:
    if event.name in ALWAYS_SHARED:
        return True
    if event.name == "Corrected":
        return int(event.payload.get("amends_version") or 0) <= cut
    return False


def journey(
    target: str,
    events: Mapping[str, Sequence[BatchEvent]],
    parents: Mapping[str, Sequence[Edge]],
) -> tuple[list[BatchEvent], set[str]]:
    """The journey's events in position order, and the ids of the ancestors."""
    fed = feeding(target, parents)
    collected = list(events.get(target, ()))
    for ancestor, transformations in fed.items():
        collected += shared_events(events.get(ancestor, ()), transformations)
    return sorted(collected, key=lambda e: e.position), set(fed)

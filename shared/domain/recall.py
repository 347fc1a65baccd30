"""A recall reaches the whole lineage: the recalled batch and every batch made from it.

How the write side knows, and why it is exact:

- Each batch records the codes of the outputs it fed (``TransformedOut.output_codes``), so the
  recall walks the lineage in the event store itself, never in the read models (they may lag,
  or have set an event aside).
- The recall appends an event to the recalled batch and a ``RecallReached`` event to every
  descendant, all in one transaction: from then on each descendant refuses, by its own state,
  sale, shipping, processing, transformation and labelling. A ``GET`` of the batch reads it from
  its events, so every read agrees with the pages.
- No output can be made from a recalled batch later: a transformation takes from its inputs, and
  a recalled input refuses it. A transformation racing the recall appends to the same input
  batch (or to a descendant the recall also appends to), so the event store's optimistic
  concurrency lets only one of the two commit; the loser is refused and retried against the
  new state. That is why outputs need not be "born recalled".
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from uuid import UUID

from shared.domain import identifiers
from shared.domain.batch import Batch


def recall(
    batch: Batch,
    *,
    load: Callable[[UUID], Batch],
    by: UUID | None,
    reason: str,
    by_province: bool = False,
    chain_leads: frozenset[UUID] = frozenset(),
    at: datetime | None = None,
) -> list[Batch]:
    """Recalls ``batch`` and marks every descendant; returns the descendants (to be saved)."""
    batch.recall(by=by, reason=reason, by_province=by_province, chain_leads=chain_leads, at=at)
    reached = descendants(batch, load)
    for descendant in reached:
        descendant.reach_by_recall(by=by, origin=batch)
    return reached


def descendants(batch: Batch, load: Callable[[UUID], Batch]) -> list[Batch]:
    """Every batch made from ``batch``, directly or not, each once (merges join lineages)."""
    found: dict[UUID, Batch] = {}
    waiting = list(batch.output_codes)
    while waiting:
        child_id = identifiers.batch_id(waiting.pop())
        if child_id in found:
            continue
        child = load(child_id)
        found[child_id] = child
        waiting.extend(child.output_codes)
    return list(found.values())

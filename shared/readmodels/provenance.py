"""A batch's public provenance document, composed from the facts of a snapshot (no I/O).

The document is a pure function of the stored facts, never of the order they arrived in:
the projections re-compose it whenever one of its facts changes.

Fingerprint — how anyone can recheck it
---------------------------------------
The fingerprint covers the *journey's envelopes*: every event of the batch itself and, for each
ancestor, its events up to the one that fed the journey plus any later recall or correction of
that shared part (see :mod:`shared.readmodels.journey`). For each envelope, in position order::

    digest_i = sha256(canonical_json_i).hexdigest()
    canonical_json_i = json.dumps(envelope_as_dict, ensure_ascii=False, sort_keys=True,
                                  separators=(",", ":")).encode()   # Envelope.to_json()
    fingerprint = sha256("\\n".join(digest_1, ..., digest_n).encode("utf-8")).hexdigest()

Envelopes hold private facts (transport documents, other batches' quantities), so a public
``GET /api/v1/batches/{code}/events`` can publish just ``(position, type, digest)`` per event:
a buyer rehashes the digests into the fingerprint; an auditor holding the envelopes (from the
event store or Kafka) rehashes each envelope into its digest. Changing, removing or adding
one event changes the fingerprint.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

from shared.domain.diary import Spraying, binding_spraying
from shared.domain.gtins import GtinProduct
from shared.readmodels import timeline
from shared.readmodels.batch_state import BatchState, fold
from shared.readmodels.certifications import certification, from_certificate
from shared.readmodels.documents import (
    Certification,
    Inspection,
    OrganisationRef,
    OriginPlot,
    PlantProtection,
    ProductDetails,
    ProvenanceDocument,
    Recall,
    SprayingShown,
    TimelineStep,
)
from shared.readmodels.events import CREATED, BatchEvent
from shared.readmodels.journey import journey, standing_recalls
from shared.readmodels.snapshot import Snapshot


@dataclass(frozen=True)
class Composed:
    state: BatchState
    recalled: bool  # itself or through an ancestor
    document: ProvenanceDocument
    refs: frozenset[str]  # organisations, plots and chains it was built from, known or not


def digest(canonical: str) -> str:
    return hashlib.sha256(canonical.encode()).hexdigest()


def fingerprint(canonical_envelopes: Iterable[str]) -> str:
    """Over envelopes already in position order (see the module docstring)."""
    return of_digests(digest(c) for c in canonical_envelopes)


def of_digests(digests: Iterable[str]) -> str:
    return hashlib.sha256("\n".join(digests).encode()).hexdigest()


def compose(batch_id: str, snapshot: Snapshot, today: date) -> Composed | None:
    """The document of ``batch_id``; None until its creating event is known."""
    state = fold(batch_id, snapshot.events.get(batch_id, ()))
    if not state.created:
        return None
    events, ancestors = journey(batch_id, snapshot.events, snapshot.parents)
    return _Composer(state, events, snapshot, today, ancestors).compose()


class _Composer:
    def __init__(
        self,
        state: BatchState,
        events: Sequence[BatchEvent],
        snapshot: Snapshot,
        today: date,
        ancestors: set[str],
    ) -> None:
        self.state = state
        self.ancestors = ancestors
        self.events = events
        self.snapshot = snapshot
        self.today = today
        self.refs: set[str] = set()

    def compose(self) -> Composed:
        s = self.state
        recall = self._recall()
        plots = self._origin_plots()
        document = ProvenanceDocument(
            batch_id=s.batch_id,
            code=s.code,
            gtin=s.gtin,
            lot=s.lot,
            best_before=s.best_before,
            product_details=self._product_details(),
            product=f"{s.commodity} — {s.variety}" if s.variety else s.commodity,
            commodity=s.commodity,
            variety=s.variety,
            quantity=s.quantity_text if self._quantity_is_public() else None,
            status="recalled" if recall["recalled"] else s.status,
            holder=self._organisation(s.holder_id),
            harvest_dates=sorted({str(e.payload["harvested_on"]) for e in self._harvests()}),
            origin_plots=plots,
            cooperatives=self._cooperatives(plots),
            value_chains=self._value_chains(),
            timeline=self._timeline(),
            inspections=self._inspections(),
            certifications=self._certifications(plots),
            plant_protection=self._plant_protection(plots),
            recall=recall,
            fingerprint=of_digests(e.digest for e in self.events),
            last_position=max(e.position for e in self.events),
            record_incomplete=False,
        )
        document["record_incomplete"] = self._incomplete()
        return Composed(s, recall["recalled"], document, frozenset(self.refs))

    def _product_details(self) -> ProductDetails | None:
        """The labelled GTIN's product; its id is a ref, so describing it re-composes this."""
        if self.state.gtin is None:
            return None
        product_id = str(GtinProduct.create_id(self.state.gtin))
        self.refs.add(product_id)
        found = self.snapshot.products.get(product_id)
        if found is None:
            return None
        return ProductDetails(
            name_vi=found.name_vi,
            name_en=found.name_en,
            brand=found.brand,
            shelf_life_days=found.shelf_life_days,
            photo=found.photo,
        )

    def _quantity_is_public(self) -> bool:
        """A retail unit (labelled with a GTIN) shows its net quantity; a bulk lot only if
        its holder agreed to publish quantities (Cooperative/Enterprise.PublicationChanged)."""
        if self.state.gtin is not None:
            return True
        holder = self.snapshot.organisations.get(self.state.holder_id or "")
        return holder is not None and holder.publish_quantities

    def _incomplete(self) -> bool:
        """An event of this batch, an ancestor, or a party or place it names is quarantined:
        the document may be stale (a recall set aside must never leave a lot looking safe)."""
        named = {self.state.batch_id, *self.ancestors, *self.refs}
        return not self.snapshot.quarantined.isdisjoint(named)

    def _code(self, batch_id: str) -> str:
        return (
            self.state.code if batch_id == self.state.batch_id else self.snapshot.code_of(batch_id)
        )

    def _organisation(self, organisation_id: str | None) -> OrganisationRef | None:
        if organisation_id is None:
            return None
        self.refs.add(organisation_id)
        found = self.snapshot.organisations.get(organisation_id)
        return found.reference if found else None

    def _harvests(self) -> list[BatchEvent]:
        return [e for e in self.events if e.name == "Harvested"]

    def _recall(self) -> Recall:
        recalls = [e for e in self.events if e.name == "Recalled"]
        standing = standing_recalls(self.events)
        if not recalls:
            return Recall(recalled=False, at=None, reason=None, origin_batch_code=None)
        if not standing:
            # Every recall that reached it was lifted: the page says so, and when, and why.
            lift = [e for e in self.events if e.name == "RecallLifted"][-1]
            return Recall(
                recalled=False,
                at=recalls[-1].at,
                reason=str(recalls[-1].payload.get("reason")),
                origin_batch_code=self._code(recalls[-1].batch_id),
                lifted_at=lift.at,
                lift_reason=str(lift.payload.get("reason")),
            )
        own = [e for e in standing if e.batch_id == self.state.batch_id]
        chosen = (own or standing)[0]
        by = chosen.payload.get("by")
        return Recall(
            recalled=True,
            at=chosen.at,
            reason=str(chosen.payload.get("reason")),
            origin_batch_code=self._code(chosen.batch_id),
            by=self._organisation(str(by)) if by else None,
        )

    def _plant_protection(self, plots: Sequence[OriginPlot]) -> PlantProtection:
        """Over every harvest that fed the batch: the latest spraying on or before its day on
        its plots, and whether each interval had ended (``shared.domain.diary``'s rule)."""
        names = {p["id"]: p["planting_area_code"] or p["commune"] for p in plots}
        last: tuple[Spraying, str] | None = None
        early_without_reason = False
        reasons: list[str] = []
        for harvest in self._harvests():
            day = date.fromisoformat(str(harvest.payload["harvested_on"]))
            reason = harvest.payload.get("interval_override")
            if reason:
                reasons.append(str(reason))
            for plot_id in (str(p) for p in harvest.payload["plot_ids"]):
                sprayings = self.snapshot.plot_sprayings.get(plot_id, [])
                before = [s for s in sprayings if s.on <= day]
                if before and (last is None or before[-1].on > last[0].on):
                    last = (before[-1], names.get(plot_id, ""))
                binding = binding_spraying(sprayings, day)
                if binding is not None and day < binding.safe_from and not reason:
                    early_without_reason = True
        shown = None
        if last is not None:
            spraying, plot = last
            shown = SprayingShown(
                product=spraying.product,
                active_ingredient=spraying.active_ingredient,
                sprayed_on=spraying.on.isoformat(),
                pre_harvest_days=spraying.pre_harvest_days,
                plot=plot,
            )
        intervals = (
            "not_respected" if early_without_reason else "overridden" if reasons else "respected"
        )
        return PlantProtection(
            last_spraying=shown, intervals=intervals, override_reasons=sorted(set(reasons))
        )

    def _origin_plots(self) -> list[OriginPlot]:
        plot_ids = sorted({str(p) for e in self._harvests() for p in e.payload["plot_ids"]})
        self.refs.update(plot_ids)
        plots = []
        for plot_id in plot_ids:
            plot = self.snapshot.plots.get(plot_id)
            cooperative = self._organisation(plot.cooperative_id) if plot else None
            if plot is None or cooperative is None:
                continue
            plots.append(
                OriginPlot(
                    id=plot.id,
                    planting_area_code=plot.planting_area_code,
                    crop=plot.crop,
                    area_ha=plot.area_ha,
                    commune=plot.commune,
                    cooperative=cooperative,
                    location=plot.location,
                )
            )
        return plots

    def _cooperatives(self, plots: Sequence[OriginPlot]) -> list[OrganisationRef]:
        found = {p["cooperative"]["id"]: p["cooperative"] for p in plots}
        for harvest in self._harvests():
            ref = self._organisation(str(harvest.payload["holder_id"]))
            if ref is not None:
                found[ref["id"]] = ref
        return sorted(found.values(), key=lambda r: (r["name"], r["id"]))

    def _value_chains(self) -> list[dict[str, object]]:
        chain_ids = sorted(
            {
                str(c)
                for e in self.events
                if e.name in CREATED
                for c in e.payload.get("value_chain_ids") or []
            }
        )
        self.refs.update(chain_ids)
        chains: list[dict[str, object]] = []
        for chain in (self.snapshot.chains.get(c) for c in chain_ids):
            if chain is None:
                continue
            partners = []
            for organisation_id, role in chain.partners:
                ref = self._organisation(organisation_id)
                if ref is not None:
                    partners.append({**ref, "role": role})
            partners.sort(key=lambda p: (str(p["role"]), str(p["name"])))
            chains.append(
                {
                    "id": chain.id,
                    "name": chain.name,
                    "commodity": chain.commodity,
                    "partners": partners,
                }
            )
        return chains

    def _timeline(self) -> list[TimelineStep]:
        organisations = self.snapshot.organisations
        for event in self.events:
            for field in ("holder_id", "by", "to"):
                if event.payload.get(field):
                    self.refs.add(str(event.payload[field]))
        steps = []
        for event in sorted(self.events, key=BatchEvent.sort_key):
            own = event.batch_id == self.state.batch_id
            key = (event.position, own)
            if key not in self.snapshot.steps:
                code = self._code(event.batch_id)
                self.snapshot.steps[key] = timeline.step(event, code, organisations, own=own)
            line = self.snapshot.steps[key]
            if line is not None:
                steps.append(line)
        return steps

    def _inspections(self) -> list[Inspection]:
        return [
            Inspection(
                at=e.at,
                lab=str(e.payload.get("lab")),
                result=str(e.payload.get("result")),
                parameters={str(k): str(v) for k, v in (e.payload.get("parameters") or {}).items()},
                document=e.payload.get("document"),
                batch_code=self._code(e.batch_id),
            )
            for e in sorted(self.events, key=BatchEvent.sort_key)
            if e.name == "Inspected"
        ]

    def _certifications(self, plots: Sequence[OriginPlot]) -> list[Certification]:
        found = [
            certification(
                str(e.payload["scheme"]),
                self._code(e.batch_id),
                e.payload.get("certificate"),
                e.payload.get("valid_from"),
                e.payload.get("valid_until"),
                self.today,
            )
            for e in self.events
            if e.name == "Certified"
        ]
        for plot in plots:
            holder = plot["planting_area_code"] or plot["cooperative"]["name"]
            for held in self.snapshot.plot_certificates.get(plot["id"], []):
                found.append(from_certificate(held, holder, self.today))
        for organisation_id in self._acting_organisations(plots):
            organisation = self.snapshot.organisations.get(organisation_id)
            for held in self.snapshot.org_certificates.get(organisation_id, []):
                if organisation is not None:
                    found.append(from_certificate(held, organisation.name, self.today))
        unique = {(c["scheme"], c["holder"], c["certificate"]): c for c in found}
        return [unique[k] for k in sorted(unique, key=lambda k: tuple(str(p) for p in k))]

    def _acting_organisations(self, plots: Sequence[OriginPlot]) -> list[str]:
        acting = {p["cooperative"]["id"] for p in plots}
        acting.update(a for a in (timeline.actor_id(e) for e in self.events) if a)
        return sorted(acting)

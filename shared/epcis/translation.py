"""A partner's EPCIS events as the platform's commands: the inverse of ``shared.epcis.mapping``.

Each event (or each transformation: the events of one document sharing a ``transformationID``)
becomes the commands a person would have sent for the same facts, followed by
``RecordEpcisCapture``, which claims the event's hash and binds the partner's lot classes to
the batches made for them. What cannot be said as commands is refused with the JSON path of the
field at fault, a stable code and what to do; the domain's own rules are left to the domain.

Names are looked up through ``WriteSide`` (``shared.epcis.capture_terms``), implemented over
the event store (``shared.epcis.write_side``), never over read models: they lag, and a lot
commissioned a moment ago must already resolve. The module is long (~550 lines) because it
covers every event the export writes; each translation is a few lines.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any
from urllib.parse import unquote
from uuid import UUID

from shared import limits
from shared.domain import clock
from shared.domain.transformation import Conversion
from shared.epcis import identifiers
from shared.epcis.capture_outcomes import EventRefusal
from shared.epcis.capture_terms import UNITS, WriteSide, cbv_word, parse_uuid, platform_code
from shared.epcis.event_fields import EventFields, Lot, Refused, TranslationUnit
from shared.records import commands as c
from shared.records.actors import Actor

TRANSPORT_DOCUMENT = "urn:nguon:transport-document:"
CERTIFICATE = "urn:nguon:certificate:"
_PARTY_TYPES = ("owning_party", "possessing_party")


@dataclass(frozen=True)
class Translation:
    indexes: tuple[int, ...]  # the document's events it stands for
    commands: tuple[c.Command, ...]
    batches: tuple[str, ...]  # codes of the batches it acts on that exist already


class Translator:
    """Translates the events of one document as ``actor``.

    Remembers the classes commissioned by the events it translated, so a later event of the
    same request finds them by ``$ref``; ``forget_commissioned`` once they are stored (or
    refused) on their own."""

    def __init__(
        self, write_side: WriteSide, actor: Actor, now: Callable[[], datetime] = clock.now
    ) -> None:
        self.write_side = write_side
        self.actor = actor
        self.now = now
        self.commissioned: dict[str, str] = {}  # class → ``$ref`` of the request's lots

    def forget_commissioned(self) -> None:
        self.commissioned.clear()

    def translate(self, unit: TranslationUnit) -> Translation | EventRefusal:
        """``unit``: (index, event, event id) of each event of one translation unit."""
        try:
            return _EventTranslation(self, unit).translate()
        except Refused as refused:
            return refused.refusal


class _EventTranslation(EventFields):
    """One unit's translation into commands."""

    def __init__(self, translator: Translator, unit: TranslationUnit):
        super().__init__(
            translator.write_side, translator.actor, translator.now, translator.commissioned, unit
        )
        self._translator = translator

    # The unit ----------------------------------------------------------------------------

    def translate(self) -> Translation:
        commands = self._commands()
        self._translator.commissioned.update(self._commissioned)
        return Translation(
            indexes=tuple(index for index, _, _ in self._unit),
            commands=tuple(commands),
            batches=tuple(dict.fromkeys(self._batches)),
        )

    def _commands(self) -> list[c.Command]:
        for index, event, _ in self._unit:
            self._index, self._event = index, event
            self._check_mappable()
        self._index, self._event, self._event_id = self._unit[0]
        kind = self._event["type"]
        if kind == "TransformationEvent":
            if cbv_word(self._event.get("bizStep"), "BizStep") == "commissioning":
                return self._label()
            return self._transform()
        action = self._event.get("action")
        if action == "ADD":
            return self._harvest()
        if action == "OBSERVE":
            return self._observe()
        return self._not_mappable(
            "action",
            f"an ObjectEvent with action {action} is not mapped: send ADD for a harvest"
            " (commissioning) and OBSERVE for what happens to a lot",
        )

    def _check_mappable(self) -> None:
        kind = self._event.get("type")
        if kind not in ("ObjectEvent", "TransformationEvent"):
            self._not_mappable(
                "type",
                f"a {kind} has no counterpart here: send ObjectEvents and TransformationEvents",
            )
        if "errorDeclaration" in self._event:
            self._not_mappable(
                "errorDeclaration",
                "error declarations are not captured yet: ask the platform's staff to correct"
                " the event it amends",
            )
        for field in ("epcList", "inputEPCList", "outputEPCList", "parentID", "childEPCs"):
            if self._event.get(field):
                self._not_mappable(
                    field,
                    "lots are classes here: name each lot once in a quantity list"
                    " (epcClass, quantity, uom), not as instances",
                )
        moment = self._at()
        if moment > self._now() + clock.CLOCK_SKEW:
            self._not_mappable(
                "eventTime",
                f"eventTime {self._event['eventTime']} is in the future: send events that"
                " have happened",
            )

    # ObjectEvents --------------------------------------------------------------------------

    def _observe(self) -> list[c.Command]:
        step = cbv_word(self._event.get("bizStep"), "BizStep")
        disposition = cbv_word(self._event.get("disposition"), "Disp")
        handlers: dict[str | None, Callable[[], list[c.Command]]] = {
            "shipping": self._ship,
            "receiving": self._receive,
            "retail_selling": self._sell,
        }
        if step in handlers:
            return handlers[step]()
        if step == "inspecting" and disposition in ("conformant", "non_conformant"):
            return self._inspect(passed=disposition == "conformant")
        if step == "inspecting" and self._event.get("certificationInfo"):
            return self._certify()
        if step == "holding" and disposition == "recalled":
            return self._recall()
        if step == "holding" and disposition == "active":
            return self._lift()
        if step in ("removing", "destroying") and disposition in ("recalled", "destroyed"):
            return self._returns(withdrawn=step == "removing")
        if step in ("packing", "storing", "other") or (
            step == "inspecting" and "nguon:step" in self._event
        ):
            return self._process(step)
        return self._not_mappable(
            "bizStep",
            f"bizStep {self._event.get('bizStep')} with disposition"
            f" {self._event.get('disposition')} is not mapped: see the capture table of"
            " docs/epcis.md for the events the platform records",
        )

    def _one_element(self) -> dict[str, Any]:
        elements = self._event.get("quantityList") or []
        if len(elements) != 1:
            self._not_mappable(
                "quantityList",
                f"the event names {len(elements)} lots: send one event per lot, naming it in"
                " quantityList",
            )
        element: dict[str, Any] = elements[0]
        return element

    def _own_lot(self) -> tuple[Lot, dict[str, Any]]:
        """The one lot an ObjectEvent is about, where it happened checked first."""
        self._check_where()
        element = self._one_element()
        return self._lot(element["epcClass"], "quantityList[0].epcClass"), element

    def _harvest(self) -> list[c.Command]:
        if cbv_word(self._event.get("bizStep"), "BizStep") != "commissioning":
            self._not_mappable(
                "bizStep", "an ObjectEvent ADD is mapped only as commissioning (a harvest)"
            )
        element = self._one_element()
        epc_class = self._new_class(element["epcClass"], "quantityList[0].epcClass")
        quantity = self._quantity(element, "quantityList[0]")
        ilmd = self._event.get("ilmd") or {}
        commodity = self._required(ilmd, "nguon:commodity", "ilmd.nguon:commodity")
        ref = f"epcis{self._index}"
        harvest = c.HarvestBatch(
            plot_ids=self._plots(ilmd),
            commodity=commodity,
            quantity=quantity,
            harvested_on=self._harvest_date(ilmd),
            variety=self._text(ilmd, "nguon:variety", "ilmd.nguon:variety"),
            value_chain_id=self._value_chain(ilmd, commodity),
            at=self._at(),
            ref=ref,
        )
        self._commissioned[epc_class] = f"${ref}"
        return [harvest, self._record({epc_class: f"${ref}"})]

    def _plots(self, ilmd: Mapping[str, Any]) -> list[UUID]:
        plots: list[UUID] = []
        for field in ("bizLocation", "readPoint"):
            place = self._where(field)
            if place is not None and place.plot_id is not None:
                plots.append(place.plot_id)
        named = ilmd.get("nguon:plots") or []
        for k, uri in enumerate(named if isinstance(named, list) else [named]):
            field = f"ilmd.nguon:plots[{k}]"
            place = self._place(str(uri), field, "unknown_location")
            if place.plot_id is None:
                self._refuse(
                    field, "unknown_location", f"{uri} names no plot: name the harvest's plots"
                )
            plots.append(place.plot_id)
        return list(dict.fromkeys(plots))

    def _harvest_date(self, ilmd: Mapping[str, Any]) -> date:
        given = ilmd.get("cbvmda:harvestStartDate")
        if given is None:
            return clock.today_in_vietnam(self._at())
        try:
            return date.fromisoformat(str(given)[:10])
        except ValueError:
            return self._not_mappable(
                "ilmd.cbvmda:harvestStartDate", f"{given!r} is not a date (YYYY-MM-DD)"
            )

    def _value_chain(self, ilmd: Mapping[str, Any], commodity: str) -> UUID | None:
        """A chain of this platform the event names; else the cooperative's one chain of the
        commodity. Chain ids are each platform's own, so another platform's never match."""
        named = ilmd.get("nguon:valueChains") or []
        for uri in named if isinstance(named, list) else [named]:
            chain_id = parse_uuid(str(uri).removeprefix(identifiers.TRANSFORMATION))
            if chain_id is not None and self._write.value_chain_exists(chain_id):
                return chain_id
        organisation_id = self._actor.organisation_id
        if organisation_id is None:
            return None
        chains = self._write.chains_taken_part_in(organisation_id, commodity)
        return chains[0] if len(chains) == 1 else None

    def _ship(self) -> list[c.Command]:
        lot, element = self._own_lot()
        receiver = self._receiver()
        quantity = self._quantity(element, "quantityList[0]") if "quantity" in element else None
        ship = c.ShipBatch(
            batch=lot.reference,
            to=receiver,
            transport_document=self._transport_document(),
            quantity=quantity,
            at=self._at(),
        )
        return [ship, self._record()]

    def _receiver(self) -> UUID:
        destinations = self._event.get("destinationList") or []
        for kind in _PARTY_TYPES:
            for k, destination in enumerate(destinations):
                if cbv_word(destination.get("type"), "SDT") == kind:
                    field = f"destinationList[{k}].destination"
                    return self._place(
                        destination["destination"], field, "unknown_party"
                    ).organisation_id
        return self._not_mappable(
            "destinationList",
            "a shipment names its receiver: add a destinationList entry of type owning_party"
            " or possessing_party",
        )

    def _transport_document(self) -> str | None:
        for transaction in self._event.get("bizTransactionList") or []:
            if cbv_word(transaction.get("type"), "BTT") == "bol":
                document = str(transaction["bizTransaction"])
                if document.startswith(TRANSPORT_DOCUMENT):
                    document = unquote(document[len(TRANSPORT_DOCUMENT) :])
                return self._bounded(document, "bizTransactionList")
        return None

    def _receive(self) -> list[c.Command]:
        lot, element = self._own_lot()
        quantity = self._quantity(element, "quantityList[0]")
        return [
            c.ReceiveBatch(batch=lot.reference, quantity=quantity, at=self._at()),
            self._record(),
        ]

    def _inspect(self, *, passed: bool) -> list[c.Command]:
        lot, _ = self._own_lot()
        lab = self._required(self._event, "nguon:lab", "nguon:lab")
        parameters = self._event.get("nguon:parameters") or {}
        inspect = c.InspectBatch(
            batch=lot.reference,
            lab=lab,
            result="pass" if passed else "fail",
            parameters=self._parameters(parameters),
            document=self._text(self._event, "nguon:document"),
            at=self._at(),
        )
        return [inspect, self._record()]

    def _parameters(self, given: Any) -> dict[str, str]:
        """The lab's measured parameters, held to what the API takes for them."""
        if not isinstance(given, dict):
            return {}
        if len(given) > limits.FACTS:
            self._refuse(
                "nguon:parameters",
                "text_too_long",
                f"{len(given):,} parameters: the platform keeps at most {limits.FACTS} on one"
                " inspection; send the full report as nguon:document",
            )
        found = {}
        for key, value in given.items():
            name = self._bounded(str(key), "nguon:parameters", limits.FACT_KEY)
            if name is not None:
                found[name] = str(value)
                self._bounded(found[name], "nguon:parameters", limits.FACT_VALUE)
        return found

    def _certify(self) -> list[c.Command]:
        lot, _ = self._own_lot()
        info = self._event["certificationInfo"]
        info = str(info[0] if isinstance(info, list) else info)
        scheme, certificate = self._text(self._event, "nguon:scheme"), info
        if info.startswith(CERTIFICATE):
            named, _, number = info[len(CERTIFICATE) :].partition(":")
            scheme, certificate = unquote(named), unquote(number)
        scheme = None if scheme is None else self._bounded(scheme, "nguon:scheme")
        certificate = self._bounded(certificate, "certificationInfo") or ""
        if not scheme:
            self._refuse(
                "nguon:scheme",
                "missing_field",
                "name the certification scheme in nguon:scheme (VietGAP, organic, …)",
            )
        certify = c.CertifyBatch(
            batch=lot.reference,
            scheme=scheme,
            certificate=certificate,
            valid_from=self._date("nguon:validFrom") or clock.today_in_vietnam(self._at()),
            valid_until=self._date("nguon:validUntil"),
            at=self._at(),
        )
        return [certify, self._record()]

    def _sell(self) -> list[c.Command]:
        lot, _ = self._own_lot()
        consumed = self._event.get("nguon:outcome") == "consumed"
        return [c.SellBatch(batch=lot.reference, consumed=consumed, at=self._at()), self._record()]

    def _process(self, biz_step: str | None) -> list[c.Command]:
        lot, element = self._own_lot()
        step = self._text(self._event, "nguon:step")
        if step is None and biz_step in ("packing", "storing"):
            step = biz_step
        if step is None:
            self._refuse(
                "nguon:step",
                "missing_field",
                "name the processing step in nguon:step (drying, milling, …)",
            )
        facility = self._required(self._event, "nguon:facility", "nguon:facility")
        process = c.ProcessBatch(
            batch=lot.reference,
            step=step,
            facility=facility,
            quantity_after=self._quantity(element, "quantityList[0]"),
            commodity_after=self._text(self._event, "nguon:commodityAfter"),
            at=self._at(),
        )
        return [process, self._record()]

    def _recall(self) -> list[c.Command]:
        lot, element = self._own_lot()
        self._check_recall_is_its_own(lot, element, "recall")
        reason = self._required(
            self._event, "nguon:reason", "nguon:reason", longest=limits.LONG_TEXT
        )
        return [c.RecallBatch(batch=lot.reference, reason=reason, at=self._at()), self._record()]

    def _check_recall_is_its_own(self, lot: Lot, element: dict[str, Any], what: str) -> None:
        """A recall (or its lifting) of another lot reaches this one by itself, through the
        lineage; the export writes one such event per lot reached, naming the recalled lot."""
        recalled = self._event.get("nguon:recalledCode")
        own = {lot.code, platform_code(element["epcClass"])}
        if recalled is not None and recalled not in own:
            self._refuse(
                "nguon:recalledCode",
                "recall_implied",
                f"this lot is reached by the {what} of {recalled}: capture that lot's {what}"
                " and it reaches this lot by itself",
            )

    def _lift(self) -> list[c.Command]:
        lot, element = self._own_lot()
        self._check_recall_is_its_own(lot, element, "lifted recall")
        reason = self._required(
            self._event, "nguon:reason", "nguon:reason", longest=limits.LONG_TEXT
        )
        lift = c.LiftRecall(recall_id=self._recall_of(lot), reason=reason, at=self._at())
        return [lift, self._record()]

    def _returns(self, *, withdrawn: bool) -> list[c.Command]:
        lot, element = self._own_lot()
        quantity = self._quantity(element, "quantityList[0]")
        report = c.ReportRecallReturns(
            recall_id=self._recall_of(lot),
            batch=lot.reference,
            withdrawn=quantity if withdrawn else None,
            destroyed=None if withdrawn else quantity,
            at=self._at(),
        )
        return [report, self._record()]

    def _recall_of(self, lot: Lot) -> UUID:
        """The recall ``nguon:recall`` names, if it is one of this platform's (recall ids are
        each platform's own, as chains are); else the open recall that reaches the lot."""
        named = self._event.get("nguon:recall")
        recall_id = (
            None
            if named is None
            else parse_uuid(str(named).removeprefix(identifiers.TRANSFORMATION))
        )
        if recall_id is not None and self._write.recall_exists(recall_id):
            return recall_id
        found = None if lot.code is None else self._write.open_recall(lot.code)
        if found is None:
            self._refuse(
                "quantityList[0].epcClass",
                "unknown_recall",
                "no open recall reaches this lot: name the recall in nguon:recall",
            )
        return found

    # TransformationEvents ------------------------------------------------------------------

    def _transform(self) -> list[c.Command]:
        inputs = self._inputs()
        outputs: list[c.TransformOutput] = []
        records: list[c.RecordEpcisCapture] = []
        for index, event, event_id in self._unit:
            self._index, self._event, self._event_id = index, event, event_id
            self._check_where()
            self._check_same_inputs(inputs)
            lots: dict[str, str] = {}
            for k, element in enumerate(event.get("outputQuantityList") or []):
                field = f"outputQuantityList[{k}]"
                epc_class = self._new_class(element["epcClass"], f"{field}.epcClass")
                ref = f"epcis{index}.{k}"
                outputs.append(self._output(element, field, ref))
                lots[epc_class] = f"${ref}"
            self._commissioned.update(lots)
            records.append(self._record(lots))
        self._index, self._event, self._event_id = self._unit[0]
        if not outputs:
            self._not_mappable("outputQuantityList", "a transformation names what it made")
        transform = c.TransformBatches(
            step=self._step(),
            inputs=inputs,
            outputs=outputs,
            conversion=self._conversion(),
            at=self._at(),
        )
        return [transform, *records]

    def _inputs(self) -> list[c.TransformInput]:
        inputs = []
        for k, element in enumerate(self._event.get("inputQuantityList") or []):
            field = f"inputQuantityList[{k}]"
            lot = self._lot(element["epcClass"], f"{field}.epcClass")
            inputs.append(
                c.TransformInput(batch=lot.reference, quantity=self._quantity(element, field))
            )
        if not inputs:
            self._not_mappable("inputQuantityList", "a transformation names what it took")
        return inputs

    def _check_same_inputs(self, inputs: list[c.TransformInput]) -> None:
        mine = [
            (
                self._lot(e["epcClass"], "inputQuantityList").reference,
                self._quantity(e, "inputQuantityList"),
            )
            for e in self._event.get("inputQuantityList") or []
        ]
        if mine != [(i.batch, i.quantity) for i in inputs]:
            self._not_mappable(
                "inputQuantityList",
                "the events of one transformation (one transformationID) list the same inputs"
                " with the same amounts: send them alike, or give each its own transformationID",
            )

    def _output(self, element: dict[str, Any], field: str, ref: str) -> c.TransformOutput:
        ilmd = self._event.get("ilmd") or {}
        commodity = self._required(ilmd, "nguon:commodity", "ilmd.nguon:commodity")
        return c.TransformOutput(
            commodity=commodity,
            quantity=self._quantity(element, field),
            variety=self._text(ilmd, "nguon:variety", "ilmd.nguon:variety"),
            ref=ref,
        )

    def _step(self) -> str:
        step = self._text(self._event, "nguon:step") or cbv_word(
            self._event.get("bizStep"), "BizStep"
        )
        if not step:
            self._refuse(
                "nguon:step",
                "missing_field",
                "name the step in nguon:step or bizStep (milling, packing, …)",
            )
        return step

    def _conversion(self) -> Conversion | None:
        given = self._event.get("nguon:conversion")
        if given is None:
            return None
        try:
            return Conversion(
                from_unit=UNITS[given["fromUnit"]],
                to_unit=UNITS[given["toUnit"]],
                factor=Decimal(str(given["factor"])),
            )
        except (KeyError, TypeError, InvalidOperation):
            allowed = ", ".join(UNITS)
            return self._not_mappable(
                "nguon:conversion",
                f"a conversion is {{fromUnit, toUnit, factor}}, units one of {allowed}",
            )

    def _label(self) -> list[c.Command]:
        self._check_where()
        inputs = self._event.get("inputQuantityList") or []
        outputs = self._event.get("outputQuantityList") or []
        if len(inputs) != 1 or len(outputs) != 1:
            self._not_mappable(
                "outputQuantityList",
                "a labelling (commissioning TransformationEvent) takes one lot in and names it"
                " by one GS1 Digital Link class out",
            )
        lot = self._lot(inputs[0]["epcClass"], "inputQuantityList[0].epcClass")
        dl_class = outputs[0]["epcClass"]
        labelled = identifiers.parse_lot_class(dl_class)
        if labelled is None:
            self._not_mappable(
                "outputQuantityList[0].epcClass",
                f"{dl_class} is not a GS1 Digital Link lot class"
                " (https://id.gs1.org/01/{gtin}/10/{lot}): only labelling is a commissioning"
                " TransformationEvent here",
            )
        issued = self._event.get("nguon:labelsIssued")
        if not isinstance(issued, int) or isinstance(issued, bool):
            self._refuse(
                "nguon:labelsIssued",
                "missing_field",
                "say how many labels were printed in nguon:labelsIssued (a whole number)",
            )
        label = c.LabelBatch(
            batch=lot.reference,
            gtin=labelled[0],
            lot=labelled[1],
            labels_issued=issued,
            at=self._at(),
        )
        return [label, self._record({dl_class: lot.reference})]

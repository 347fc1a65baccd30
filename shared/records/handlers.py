"""What each command does: load, check who may act, call the domain. Saving is the caller's.

One function of a few lines per command, all registered in one table: the module is long
(~450 lines) because there are thirty commands, not because any of them is.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any
from uuid import UUID, uuid4

from shared.domain import diary, glns, gtins, identifiers
from shared.domain import epcis_capture as captures
from shared.domain import household as households
from shared.domain import plot as plot_rules
from shared.domain import recall as recalls
from shared.domain.batch import Batch
from shared.domain.epcis_capture import CapturedEpcisEvent, EpcisLot
from shared.domain.errors import InvalidValue, NotFound, NotPermitted, RuleViolated
from shared.domain.glns import PartyGln
from shared.domain.gtins import GtinLot, GtinOwnership, GtinProduct
from shared.domain.household import Household
from shared.domain.organisations import Cooperative, Enterprise, Organisation
from shared.domain.plot import Plot
from shared.domain.recall import Recall
from shared.domain.transformation import Output, Take, transform
from shared.domain.value_chain import ValueChain
from shared.privacy import Sealed
from shared.records import commands as c
from shared.records import results as r
from shared.records.actors import Actor, Role
from shared.records.results import Result
from shared.records.unit_of_work import UnitOfWork

Handler = Callable[[UnitOfWork, Actor, Any], Result]
HANDLERS: dict[type, Handler] = {}


def handles(kind: type) -> Callable[[Handler], Handler]:
    def register(handler: Handler) -> Handler:
        HANDLERS[kind] = handler
        return handler

    return register


def handle(uow: UnitOfWork, actor: Actor, command: c.Command) -> Result:
    if actor.role is Role.HOUSEHOLD and not isinstance(
        command, c.HarvestBatch | c.RecordDiaryEntry
    ):
        # A member household records its own harvests and diary: nothing else.
        msg = "a member household records only harvests and diary entries of its own plots"
        raise NotPermitted(msg, code="household_harvest_only")
    return HANDLERS[type(command)](uow, actor, command)


def codes_needed(command: c.Command) -> int:
    """How many new batch codes a command will draw (so a bulk request draws them at once)."""
    if isinstance(command, c.HarvestBatch):
        return 1
    if isinstance(command, c.TransformBatches):
        return len(command.outputs)
    return 0


# Organisations and chains: registered by provincial staff ---------------------------------


@handles(c.RegisterCooperative)
def _register_cooperative(uow: UnitOfWork, actor: Actor, cmd: c.RegisterCooperative) -> Result:
    actor.require_staff("register cooperatives")
    cooperative = Cooperative.register(**vars(cmd))
    uow.add(cooperative, "cooperative (registration number)")
    return r.CooperativeResult(cooperative_id=cooperative.id)


@handles(c.RegisterEnterprise)
def _register_enterprise(uow: UnitOfWork, actor: Actor, cmd: c.RegisterEnterprise) -> Result:
    actor.require_staff("register enterprises")
    enterprise = Enterprise.register(**vars(cmd))
    uow.add(enterprise, "enterprise (tax code)")
    return r.EnterpriseResult(enterprise_id=enterprise.id)


def _cooperative(uow: UnitOfWork, cooperative_id: UUID) -> Cooperative:
    return uow.get(cooperative_id, Cooperative, "cooperative")


@handles(c.ReclassifyCooperative)
def _reclassify(uow: UnitOfWork, actor: Actor, cmd: c.ReclassifyCooperative) -> Result:
    actor.require_staff("reclassify cooperatives")
    _cooperative(uow, cmd.cooperative_id).reclassify_as_new_model(cmd.reason)
    return r.CooperativeResult(cooperative_id=cmd.cooperative_id)


@handles(c.ChangeCooperativeStatus)
def _change_status(uow: UnitOfWork, actor: Actor, cmd: c.ChangeCooperativeStatus) -> Result:
    actor.require_staff("change a cooperative's status")
    _cooperative(uow, cmd.cooperative_id).change_status(cmd.status, cmd.reason)
    return r.CooperativeResult(cooperative_id=cmd.cooperative_id)


@handles(c.ChangeEnterpriseStatus)
def _change_enterprise_status(
    uow: UnitOfWork, actor: Actor, cmd: c.ChangeEnterpriseStatus
) -> Result:
    actor.require_staff("change an enterprise's status")
    uow.get(cmd.enterprise_id, Enterprise, "enterprise").change_status(cmd.status, cmd.reason)
    return r.EnterpriseResult(enterprise_id=cmd.enterprise_id)


@handles(c.ChangePublication)
def _change_publication(uow: UnitOfWork, actor: Actor, cmd: c.ChangePublication) -> Result:
    actor.require_self_or_staff(cmd.organisation_id, "decide what it publishes")
    organisation = uow.get(cmd.organisation_id, Organisation, "organisation")
    organisation.change_publication(publish_quantities=cmd.publish_quantities)
    return r.OrganisationResult(organisation_id=cmd.organisation_id)


@handles(c.ChangeProfileVisibility)
def _change_profile_visibility(
    uow: UnitOfWork, actor: Actor, cmd: c.ChangeProfileVisibility
) -> Result:
    # (A member household never gets here: ``handle`` lets households harvest only.)
    actor.require_self_or_staff(cmd.cooperative_id, "decide whether it is shown publicly")
    cooperative = _cooperative(uow, cmd.cooperative_id)
    cooperative.change_profile_visibility(show_profile=cmd.show_profile)
    return r.CooperativeResult(cooperative_id=cmd.cooperative_id)


@handles(c.RecordSupport)
def _support(uow: UnitOfWork, actor: Actor, cmd: c.RecordSupport) -> Result:
    actor.require_staff("record support")
    _cooperative(uow, cmd.cooperative_id).receive_support(
        cmd.kind, cmd.on, cmd.programme, cmd.amount_vnd
    )
    return r.CooperativeResult(cooperative_id=cmd.cooperative_id)


@handles(c.GrantCertification)
def _grant(uow: UnitOfWork, actor: Actor, cmd: c.GrantCertification) -> Result:
    actor.require_staff("record organisation certifications")
    organisation = uow.get(cmd.organisation_id, Organisation, "organisation")
    organisation.grant_certification(
        cmd.scheme, cmd.certificate, cmd.valid_from, cmd.valid_until, cmd.stars
    )
    return r.OrganisationResult(organisation_id=cmd.organisation_id)


@handles(c.ExpireCertification)
def _expire(uow: UnitOfWork, actor: Actor, cmd: c.ExpireCertification) -> Result:
    actor.require_staff("expire organisation certifications")
    organisation = uow.get(cmd.organisation_id, Organisation, "organisation")
    organisation.expire_certification(cmd.certificate, cmd.on, cmd.reason)
    return r.OrganisationResult(organisation_id=cmd.organisation_id)


@handles(c.EstablishValueChain)
def _establish(uow: UnitOfWork, actor: Actor, cmd: c.EstablishValueChain) -> Result:
    actor.require_staff("establish value chains")
    uow.get(cmd.lead_organisation_id, Organisation, "organisation")
    chain = ValueChain.establish(
        name=cmd.name, commodity=cmd.commodity, lead_organisation_id=cmd.lead_organisation_id
    )
    uow.add(chain, "value chain")
    return r.ValueChainResult(value_chain_id=chain.id)


def _chain(uow: UnitOfWork, chain_id: UUID) -> ValueChain:
    return uow.get(chain_id, ValueChain, "value chain")


@handles(c.JoinValueChain)
def _join(uow: UnitOfWork, actor: Actor, cmd: c.JoinValueChain) -> Result:
    actor.require_staff("add participants to value chains")
    uow.get(cmd.organisation_id, Organisation, "organisation")
    _chain(uow, cmd.value_chain_id).join(cmd.organisation_id, cmd.role, cmd.joined_on)
    return r.ValueChainResult(value_chain_id=cmd.value_chain_id)


@handles(c.LeaveValueChain)
def _leave(uow: UnitOfWork, actor: Actor, cmd: c.LeaveValueChain) -> Result:
    actor.require_staff("remove participants from value chains")
    _chain(uow, cmd.value_chain_id).leave(cmd.organisation_id, cmd.reason, cmd.left_on)
    return r.ValueChainResult(value_chain_id=cmd.value_chain_id)


@handles(c.SignLinkageContract)
def _sign(uow: UnitOfWork, actor: Actor, cmd: c.SignLinkageContract) -> Result:
    actor.require_staff("record linkage contracts")
    _chain(uow, cmd.value_chain_id).sign_contract(
        contract_number=cmd.contract_number,
        parties=cmd.parties,
        commodity=cmd.commodity,
        committed_volume=cmd.committed_volume,
        starts_on=cmd.starts_on,
        ends_on=cmd.ends_on,
    )
    return r.ContractResult(value_chain_id=cmd.value_chain_id, contract_number=cmd.contract_number)


@handles(c.EndLinkageContract)
def _end(uow: UnitOfWork, actor: Actor, cmd: c.EndLinkageContract) -> Result:
    actor.require_staff("end linkage contracts")
    _chain(uow, cmd.value_chain_id).end_contract(cmd.contract_number, cmd.on, cmd.reason)
    return r.ContractResult(value_chain_id=cmd.value_chain_id, contract_number=cmd.contract_number)


# Plots: a cooperative registers its own; staff may register for any -------------------------


@handles(c.RegisterPlot)
def _register_plot(uow: UnitOfWork, actor: Actor, cmd: c.RegisterPlot) -> Result:
    actor.require_self_or_staff(cmd.cooperative_id, "register plots")
    cooperative = _cooperative(uow, cmd.cooperative_id)
    cooperative.ensure_can_act()
    household = None
    if cmd.household_id is not None:
        household = _household_of(uow, cmd.household_id, cmd.cooperative_id)
    if cmd.household_ref is not None:  # only then is the household's reference opened
        registered = None
        if household is not None:
            registered = uow.personal_data.open(Sealed.from_json(household.reference))
        plot_rules.check_household_ref(cmd.household_ref, registered)
    plot = Plot.register(
        **{k: v for k, v in vars(cmd).items() if k != "household_ref"},
        province=cooperative.province,
        # The plot's event names the household by id and by its sealed reference only.
        household=None if household is None else household.reference,
    )
    uow.add(plot, "plot")
    if household is not None:
        household.assign_plot(plot.id)
    return r.PlotResult(plot_id=plot.id)


# Member households: the cooperative's private registry (its admin and staff, or the province)


def _household_of(uow: UnitOfWork, household_id: UUID, cooperative_id: UUID) -> Household:
    household = uow.get(household_id, Household, "household")
    if household.cooperative_id != cooperative_id:
        # Another cooperative's household is not to be found from here, not even to refuse.
        raise NotFound(f"no household {household_id}", params={"id": household_id})
    household.ensure_not_forgotten()
    return household


@handles(c.RegisterHousehold)
def _register_household(uow: UnitOfWork, actor: Actor, cmd: c.RegisterHousehold) -> Result:
    actor.require_self_or_staff(cmd.cooperative_id, "register member households")
    _cooperative(uow, cmd.cooperative_id).ensure_can_act()
    reference = households.reference(cmd.reference)
    head_name = households.head_name(cmd.head_name)
    phone = households.phone(cmd.phone)
    household_id = uuid4()  # the household's person id: its key's, and its stream's
    seal = uow.personal_data.seal
    household = Household(
        household_id=household_id,
        cooperative_id=cmd.cooperative_id,
        reference=seal(household_id, reference).as_json(),
        head_name=None if head_name is None else seal(household_id, head_name).as_json(),
        phone=None if phone is None else seal(household_id, phone).as_json(),
    )
    uow.add(household, "household")
    return r.HouseholdResult(household_id=household.id)


@handles(c.AssignHouseholdPlot)
def _assign_household_plot(uow: UnitOfWork, actor: Actor, cmd: c.AssignHouseholdPlot) -> Result:
    household = uow.get(cmd.household_id, Household, "household")
    actor.require_self_or_staff(household.cooperative_id, "assign plots to its households")
    plot = uow.get(cmd.plot_id, Plot, "plot")
    if plot.cooperative_id != household.cooperative_id:
        msg = "a household farms only plots of its own cooperative"
        raise RuleViolated(msg, code="household_plot_of_another_cooperative")
    household.assign_plot(plot.id)
    return r.HouseholdResult(household_id=household.id)


@handles(c.ForgetHousehold)
def _forget_household(uow: UnitOfWork, actor: Actor, cmd: c.ForgetHousehold) -> Result:
    household = uow.get(cmd.household_id, Household, "household")
    if cmd.cooperative_id not in (None, household.cooperative_id):
        raise NotFound(f"no household {cmd.household_id}", params={"id": cmd.household_id})
    actor.require_self_or_staff(household.cooperative_id, "forget its member households")
    household.forget()
    # The key goes once the Forgotten event is stored: a refused request forgets no one.
    personal_data, by = uow.personal_data, actor.actor_id
    uow.after_save(lambda: personal_data.forget(household.id, by=by))
    return r.HouseholdResult(household_id=household.id)


@handles(c.CertifyPlot)
def _certify_plot(uow: UnitOfWork, actor: Actor, cmd: c.CertifyPlot) -> Result:
    plot = uow.get(cmd.plot_id, Plot, "plot")
    actor.require_self_or_staff(plot.cooperative_id, "certify plots")
    plot.certify(cmd.scheme, cmd.certificate, cmd.valid_from, cmd.valid_until)
    return r.PlotResult(plot_id=plot.id)


@handles(c.RecordDiaryEntry)
def _record_diary_entry(uow: UnitOfWork, actor: Actor, cmd: c.RecordDiaryEntry) -> Result:
    plot = uow.get(cmd.plot_id, Plot, "plot")
    # The plot's cooperative keeps its diary (staff may write it for any, as for plots).
    actor.require_self_or_staff(plot.cooperative_id, "record the farm diary of its plots")
    household_id = cmd.household_id
    if actor.role is Role.HOUSEHOLD:
        _household_owns(uow, actor, [plot])
        if household_id is not None and household_id != actor.household_id:
            msg = "a member household records its diary under its own household only"
            raise NotPermitted(msg, code="household_not_own_household")
        household_id = actor.household_id  # its own entry, whether it said so or not
    elif household_id is not None:
        _household_of(uow, household_id, plot.cooperative_id)  # the plot's, and remembered
    entry = diary.Entry(
        activity=diary.activity(cmd.activity),
        variety=cmd.variety,
        seed_lot=cmd.seed_lot,
        product=cmd.product,
        amount=cmd.amount,
        active_ingredient=cmd.active_ingredient,
        dose=cmd.dose,
        pre_harvest_days=cmd.pre_harvest_days,
        note=cmd.note,
    )
    plot.record_diary_entry(entry, cmd.on, household_id)
    return r.PlotResult(plot_id=plot.id)


def _household_owns(uow: UnitOfWork, actor: Actor, plots: list[Plot]) -> None:
    if not all(_farmed_by(uow, actor, p) for p in plots):
        msg = "a member household records only on its own plots"
        raise NotPermitted(msg, code="household_not_own_plot")


# Batches: only the organisation holding a batch acts on it -----------------------------------


def _batch(uow: UnitOfWork, reference: str) -> Batch:
    return uow.get(uow.batch_id(reference), Batch, "batch")


def _trader(uow: UnitOfWork, actor: Actor, what: str) -> UUID:
    """The acting organisation, refused while suspended, dissolved or converted."""
    organisation_id = actor.organisation(what)
    uow.get(organisation_id, Organisation, "organisation").ensure_can_trade()
    return organisation_id


def _batch_result(batch: Batch) -> r.BatchResult:
    return r.BatchResult(batch_id=batch.id, code=batch.code)


@handles(c.HarvestBatch)
def _harvest(uow: UnitOfWork, actor: Actor, cmd: c.HarvestBatch) -> Result:
    harvester = actor.organisation("harvest")
    if not actor.acts_for_cooperative:
        # Enterprises receive, process and trade; harvests come from cooperatives' plots.
        raise NotPermitted("only a cooperative harvests from its plots", code="cooperative_only")
    _cooperative(uow, harvester).ensure_can_trade()
    plots = [uow.get(plot_id, Plot, "plot") for plot_id in cmd.plot_ids]
    if actor.role is Role.HOUSEHOLD:
        _household_owns(uow, actor, plots)
    if cmd.value_chain_id is not None and not _chain(uow, cmd.value_chain_id).is_participant(
        harvester
    ):
        # Otherwise the chain's lead could recall a batch of a cooperative that never joined.
        msg = "a harvest names only a value chain the cooperative takes part in"
        raise NotPermitted(msg, code="not_chain_participant")
    override = diary.override_reason(cmd.interval_override)
    # Every plot is checked (each refusal names its plot); the reason is kept only when some
    # plot's interval had not ended: an override of nothing would warn buyers of nothing.
    needed = [p.needs_interval_override(cmd.harvested_on, override) for p in plots]
    (code,) = uow.new_codes(1)
    batch = Batch.harvest(
        code=code,
        plots=[(p.id, p.cooperative_id) for p in plots],
        harvester_id=harvester,
        commodity=cmd.commodity,
        variety=cmd.variety,
        quantity=cmd.quantity,
        harvested_on=cmd.harvested_on,
        value_chain_id=cmd.value_chain_id,
        at=cmd.at,
        interval_override=override if any(needed) else None,
    )
    uow.add_new_batch(batch)
    uow.remember_ref(cmd.ref, batch.id)
    return _batch_result(batch)


def _farmed_by(uow: UnitOfWork, actor: Actor, plot: Plot) -> bool:
    linked = actor.household_id
    household = uow.find(linked, Household) if linked is not None else None
    return households.farmed_by(
        plot.id, plot.cooperative_id, plot.household_ref, household, actor.household_ref
    )


@handles(c.ProcessBatch)
def _process(uow: UnitOfWork, actor: Actor, cmd: c.ProcessBatch) -> Result:
    batch = _batch(uow, cmd.batch)
    batch.process(
        by=_trader(uow, actor, "process batches"),
        step=cmd.step,
        facility=cmd.facility,
        quantity_after=cmd.quantity_after,
        commodity_after=cmd.commodity_after,
        at=cmd.at,
    )
    return _batch_result(batch)


@handles(c.TransformBatches)
def _transform(uow: UnitOfWork, actor: Actor, cmd: c.TransformBatches) -> Result:
    by = _trader(uow, actor, "transform batches")
    takes = [Take(_batch(uow, i.batch), i.quantity) for i in cmd.inputs]
    codes = uow.new_codes(len(cmd.outputs))
    outputs = [
        Output(code, o.commodity, o.variety, o.quantity)
        for code, o in zip(codes, cmd.outputs, strict=True)
    ]
    transformation_id = uuid4()
    produced = transform(
        transformation_id=transformation_id,
        by=by,
        step=cmd.step,
        takes=takes,
        outputs=outputs,
        conversion=cmd.conversion,
        at=cmd.at,
        takes_part_in=lambda chain_id: _chain(uow, chain_id).is_participant(by),
    )
    for batch, output in zip(produced, cmd.outputs, strict=True):
        uow.add_new_batch(batch)
        uow.remember_ref(output.ref, batch.id)
    return r.TransformationResult(
        transformation_id=transformation_id, outputs=tuple(_batch_result(b) for b in produced)
    )


@handles(c.ShipBatch)
def _ship(uow: UnitOfWork, actor: Actor, cmd: c.ShipBatch) -> Result:
    batch = _batch(uow, cmd.batch)
    by = _trader(uow, actor, "ship batches")
    uow.get(cmd.to, Organisation, "organisation")
    batch.ship(
        by=by,
        to=cmd.to,
        transport_document=cmd.transport_document,
        quantity=cmd.quantity,
        at=cmd.at,
    )
    return _batch_result(batch)


@handles(c.ReceiveBatch)
def _receive(uow: UnitOfWork, actor: Actor, cmd: c.ReceiveBatch) -> Result:
    batch = _batch(uow, cmd.batch)
    batch.receive(by=actor.organisation("receive batches"), quantity=cmd.quantity, at=cmd.at)
    return _batch_result(batch)


@handles(c.InspectBatch)
def _inspect(uow: UnitOfWork, actor: Actor, cmd: c.InspectBatch) -> Result:
    batch = _batch(uow, cmd.batch)
    batch.inspect(
        by=actor.organisation("record inspections"),
        lab=cmd.lab,
        parameters=cmd.parameters,
        result=cmd.result,
        document=cmd.document,
        at=cmd.at,
    )
    return _batch_result(batch)


@handles(c.CertifyBatch)
def _certify_batch(uow: UnitOfWork, actor: Actor, cmd: c.CertifyBatch) -> Result:
    batch = _batch(uow, cmd.batch)
    batch.certify(
        by=actor.organisation("certify batches"),
        scheme=cmd.scheme,
        certificate=cmd.certificate,
        valid_from=cmd.valid_from,
        valid_until=cmd.valid_until,
        at=cmd.at,
    )
    return _batch_result(batch)


@handles(c.LabelBatch)
def _label(uow: UnitOfWork, actor: Actor, cmd: c.LabelBatch) -> Result:
    batch = _batch(uow, cmd.batch)
    claim = gtins.label(
        batch,
        by=_trader(uow, actor, "label batches"),
        gtin=cmd.gtin,
        lot=cmd.lot,
        labels_issued=cmd.labels_issued,
        at=cmd.at,
        best_before=cmd.best_before,
        registrations=lambda gtin: _registrations(uow, gtins.keys_covering(gtin)),
        claim_of=lambda gtin, lot: uow.find(GtinLot.create_id(gtin, lot), GtinLot),
    )
    if claim is not None:
        uow.claim(claim, gtins.in_use(claim.gtin14, claim.lot, batch.code))
    assert batch.gtin is not None  # labelled just now
    assert batch.lot is not None
    return r.LabelResult(batch_id=batch.id, code=batch.code, gtin=batch.gtin, lot=batch.lot)


# GTINs: registered by their owner (or staff for it), licensed to chain partners -------------


def _registrations(uow: UnitOfWork, keys: list[str]) -> list[GtinOwnership]:
    found = (uow.find(GtinOwnership.create_id(key), GtinOwnership) for key in keys)
    return [ownership for ownership in found if ownership is not None]


def _governing(uow: UnitOfWork, gtin14: str) -> GtinOwnership:
    registrations = _registrations(uow, gtins.keys_covering(gtin14))
    if not registrations:
        msg = f"GTIN {gtin14} is registered to no organisation"
        raise RuleViolated(msg, code="gtin_not_registered", params={"gtin": gtin14})
    return registrations[0]


@handles(c.RegisterGtin)
def _register_gtin(uow: UnitOfWork, actor: Actor, cmd: c.RegisterGtin) -> Result:
    actor.require_self_or_staff(cmd.organisation_id, "register GTINs")
    uow.get(cmd.organisation_id, Organisation, "organisation").ensure_can_act()
    if cmd.gtin is not None and cmd.company_prefix is None:
        gtin = identifiers.gtin14(cmd.gtin)
        key, covering = gtins.gtin_key(gtin), gtins.keys_covering(gtin)[1:]
    elif cmd.company_prefix is not None and cmd.gtin is None:
        prefix = gtins.company_prefix(cmd.company_prefix)
        key, covering = gtins.prefix_key(prefix), gtins.prefixes_covering(prefix)
    else:
        msg = "register either a gtin or a company_prefix"
        raise InvalidValue("gtin", msg, code="gtin_or_prefix")
    ownership = GtinOwnership.register(
        key=key, owner_id=cmd.organisation_id, covering=_registrations(uow, covering)
    )
    msg = f"{key} is already registered"
    refusal = RuleViolated(msg, code="gtin_registered", params={"gtin": key})
    uow.claim(ownership, refusal)
    return r.GtinResult(organisation_id=cmd.organisation_id, registered=key)


@handles(c.RegisterGln)
def _register_gln(uow: UnitOfWork, actor: Actor, cmd: c.RegisterGln) -> Result:
    actor.require_self_or_staff(cmd.organisation_id, "register GLNs")
    uow.get(cmd.organisation_id, Organisation, "organisation").ensure_can_act()
    plot = None if cmd.plot_id is None else uow.get(cmd.plot_id, Plot, "plot")
    party = (
        None if plot is not None else uow.find(PartyGln.create_id(cmd.organisation_id), PartyGln)
    )
    gln, claim = glns.register(value=cmd.gln, owner_id=cmd.organisation_id, plot=plot, party=party)
    uow.claim(gln, glns.registered(gln.gln))
    if claim is not None:
        # Two requests racing to give one organisation two party GLNs both pass the lookup;
        # the event store then refuses the second claim's version 1, and with it that request.
        uow.claim(claim, glns.party_taken(cmd.organisation_id, None))
    return r.GlnResult(gln=gln.gln, organisation_id=cmd.organisation_id, plot_id=gln.plot_id)


@handles(c.LicenseGtin)
def _license_gtin(uow: UnitOfWork, actor: Actor, cmd: c.LicenseGtin) -> Result:
    gtin = identifiers.gtin14(cmd.gtin)
    ownership = _governing(uow, gtin)
    actor.require_self_or_staff(ownership.owner_id, "license its GTINs")
    uow.get(cmd.licensee_id, Organisation, "organisation")
    chain = _chain(uow, cmd.value_chain_id)
    ownership.license(gtin14=gtin, licensee_id=cmd.licensee_id, chain=chain)
    return r.LicenceResult(gtin=gtin, licensee_id=cmd.licensee_id)


@handles(c.RevokeGtinLicence)
def _revoke_licence(uow: UnitOfWork, actor: Actor, cmd: c.RevokeGtinLicence) -> Result:
    gtin = identifiers.gtin14(cmd.gtin)
    ownership = _governing(uow, gtin)
    actor.require_self_or_staff(ownership.owner_id, "revoke licences of its GTINs")
    ownership.revoke_licence(gtin14=gtin, licensee_id=cmd.licensee_id, reason=cmd.reason)
    return r.LicenceResult(gtin=gtin, licensee_id=cmd.licensee_id)


@handles(c.DescribeProduct)
def _describe_product(uow: UnitOfWork, actor: Actor, cmd: c.DescribeProduct) -> Result:
    details = gtins.product_details(
        name_vi=cmd.name_vi,
        name_en=cmd.name_en,
        brand=cmd.brand,
        shelf_life_days=cmd.shelf_life_days,
        photo=cmd.photo,
    )
    gtin = identifiers.gtin14(cmd.gtin)
    existing = uow.find(GtinProduct.create_id(gtin), GtinProduct)
    product = gtins.describe(
        by=actor.organisation("describe a product"),
        gtin=gtin,
        details=details,
        registrations=lambda g: _registrations(uow, gtins.keys_covering(g)),
        existing=lambda _: existing,
    )
    if existing is None:
        msg = f"GTIN {gtin}'s product is being described by another request: try again"
        uow.claim(product, RuleViolated(msg, code="product_described", params={"gtin": gtin}))
    return r.ProductResult(gtin=gtin, owner_id=product.owner_id, product_version=product.version)


@handles(c.RecallBatch)
def _recall(uow: UnitOfWork, actor: Actor, cmd: c.RecallBatch) -> Result:
    started = time.perf_counter()
    batch = _batch(uow, cmd.batch)
    leads = frozenset(_chain(uow, chain).lead_organisation_id for chain in batch.value_chain_ids)
    opened, _ = recalls.open_recall(
        batch,
        load=lambda batch_id: uow.get(batch_id, Batch, "batch"),
        by=actor.organisation_id,
        reason=cmd.reason,
        drill=cmd.drill,
        by_province=actor.is_staff,
        chain_leads=leads,
        at=cmd.at,
        time_to_trace_ms=lambda: round((time.perf_counter() - started) * 1000),
    )
    uow.add_new_batch(opened)  # a fresh random id: no one can have it yet
    return r.RecallResult(recall_id=opened.id, batch_id=batch.id, code=batch.code, drill=cmd.drill)


def _open_recall(uow: UnitOfWork, recall_id: UUID) -> Recall:
    return uow.get(recall_id, Recall, "recall")


def _holder(actor: Actor, what: str) -> UUID:
    # Provincial staff run a recall; the holders' own steps are theirs to report.
    return actor.organisation(what)


def _step_result(opened: Recall) -> Result:
    return r.RecallStepResult(recall_id=opened.id, state=opened.state)


def _load(uow: UnitOfWork) -> Callable[[UUID], Batch]:
    return lambda batch_id: uow.get(batch_id, Batch, "batch")


@handles(c.OpenRecallNotice)
def _open_notice(uow: UnitOfWork, actor: Actor, cmd: c.OpenRecallNotice) -> Result:
    opened = _open_recall(uow, cmd.recall_id)
    opened.open_notice(organisation_id=_holder(actor, "open a recall notice"), at=cmd.at)
    return _step_result(opened)


@handles(c.AcknowledgeRecall)
def _acknowledge(uow: UnitOfWork, actor: Actor, cmd: c.AcknowledgeRecall) -> Result:
    opened = _open_recall(uow, cmd.recall_id)
    holder = _holder(actor, "acknowledge a recall")
    recalls.acknowledge(opened, load=_load(uow), organisation_id=holder, at=cmd.at)
    return _step_result(opened)


@handles(c.ReportRecallReturns)
def _report_returns(uow: UnitOfWork, actor: Actor, cmd: c.ReportRecallReturns) -> Result:
    opened = _open_recall(uow, cmd.recall_id)
    recalls.report(
        opened,
        load=_load(uow),
        organisation_id=_holder(actor, "report what it withdrew or destroyed"),
        batch_id=uow.batch_id(cmd.batch),
        withdrawn=cmd.withdrawn,
        destroyed=cmd.destroyed,
        at=cmd.at,
    )
    return _step_result(opened)


@handles(c.LiftRecall)
def _lift(uow: UnitOfWork, actor: Actor, cmd: c.LiftRecall) -> Result:
    opened = _open_recall(uow, cmd.recall_id)
    recalls.lift(
        opened,
        load=_load(uow),
        by=actor.organisation_id,
        by_province=actor.is_staff,
        reason=cmd.reason,
        at=cmd.at,
    )
    return _step_result(opened)


@handles(c.SellBatch)
def _sell(uow: UnitOfWork, actor: Actor, cmd: c.SellBatch) -> Result:
    batch = _batch(uow, cmd.batch)
    batch.sell(by=_trader(uow, actor, "sell batches"), at=cmd.at, consumed=cmd.consumed)
    return _batch_result(batch)


@handles(c.CorrectBatch)
def _correct(uow: UnitOfWork, actor: Actor, cmd: c.CorrectBatch) -> Result:
    batch = _batch(uow, cmd.batch)
    batch.correct(
        by=actor.organisation_id,
        amends_version=cmd.amends_version,
        reason=cmd.reason,
        changes=cmd.changes,
        quantity=cmd.quantity,
        by_province=actor.is_staff,
        at=cmd.at,
    )
    return _batch_result(batch)


# EPCIS capture: the claims that keep a partner's event stored once -------------------------


@handles(c.RecordEpcisCapture)
def _record_epcis_capture(uow: UnitOfWork, actor: Actor, cmd: c.RecordEpcisCapture) -> Result:
    captured = CapturedEpcisEvent(event_id=cmd.event_id, organisation_id=actor.organisation_id)
    uow.claim(captured, captures.already_captured(cmd.event_id))
    for epc_class, reference in cmd.lots.items():
        batch = _batch(uow, reference)
        lot = EpcisLot(epc_class=epc_class, batch_id=batch.id, batch_code=batch.code)
        uow.claim(lot, captures.lot_known(epc_class))
    return r.EpcisCaptureResult(event_id=cmd.event_id, lots=tuple(cmd.lots))

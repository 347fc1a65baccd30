"""Who may label with a GTIN, and the one batch a GTIN + lot names (domain rules)."""

from __future__ import annotations

from uuid import UUID

import pytest

from shared.domain import gtins
from shared.domain.batch import Batch
from shared.domain.errors import NotPermitted, RuleViolated
from shared.domain.gtins import GtinLot, GtinOwnership

from .builders import (
    A_GTIN_13,
    A_LOT,
    THE_COOPERATIVE,
    THE_MILL,
    THE_RETAILER,
    a_harvested_batch,
    a_value_chain,
    assert_refused,
    later,
    saved,
)

GTIN_14 = "0" + A_GTIN_13


def owned(key: str, owner: UUID = THE_COOPERATIVE) -> GtinOwnership:
    return saved(GtinOwnership.register(key=key, owner_id=owner, covering=[]))


def labelling(
    registrations: list[GtinOwnership], claimed: GtinLot | None = None, by: UUID = THE_COOPERATIVE
) -> tuple[Batch, GtinLot | None]:
    batch = a_harvested_batch()
    claim = gtins.label(
        batch,
        by=by,
        gtin=A_GTIN_13,
        lot=A_LOT,
        labels_issued=10,
        at=later(1),
        registrations=lambda _: registrations,
        claim_of=lambda _, __: claimed,
    )
    return batch, claim


def test_the_registrations_covering_a_gtin_are_its_own_then_its_prefixes_longest_first() -> None:
    keys = gtins.keys_covering(GTIN_14)

    assert keys[0] == f"gtin:{GTIN_14}"
    assert keys[1] == f"prefix:{A_GTIN_13[:12]}"
    assert keys[-1] == f"prefix:{A_GTIN_13[:4]}"


def test_the_owner_labels_and_the_gtin_and_lot_are_claimed_for_its_batch() -> None:
    batch, claim = labelling([owned(gtins.gtin_key(GTIN_14))])

    assert claim is not None
    assert (claim.gtin14, claim.lot, claim.batch_id) == (GTIN_14, A_LOT, batch.id)
    assert claim.id == GtinLot.create_id(GTIN_14, A_LOT)


def test_the_most_specific_registration_decides() -> None:
    mine = owned(gtins.gtin_key(GTIN_14), THE_RETAILER)
    theirs = owned(gtins.prefix_key(A_GTIN_13[:7]), THE_COOPERATIVE)

    with pytest.raises(NotPermitted) as refusal:
        labelling([mine, theirs], by=THE_COOPERATIVE)

    assert refusal.value.code == "gtin_not_owned"


def test_a_gtin_and_lot_that_name_another_batch_are_refused() -> None:
    other = a_harvested_batch()
    claimed = GtinLot(gtin14=GTIN_14, lot=A_LOT, batch_id=other.id, batch_code=other.code)

    with pytest.raises(RuleViolated) as refusal:
        labelling([owned(gtins.gtin_key(GTIN_14))], claimed)

    assert refusal.value.code == "gtin_lot_in_use"
    assert refusal.value.params["batch"] == other.code


def test_a_prefix_inside_another_organisations_prefix_is_not_registered() -> None:
    theirs = owned(gtins.prefix_key("89345"), THE_RETAILER)

    with pytest.raises(NotPermitted) as refusal:
        GtinOwnership.register(
            key=gtins.prefix_key("8934567"), owner_id=THE_COOPERATIVE, covering=[theirs]
        )

    assert refusal.value.code == "gtin_not_owned"


def test_a_licence_goes_to_a_partner_in_a_chain_the_owner_takes_part_in() -> None:
    chain = a_value_chain(lead=THE_MILL)
    ownership = owned(gtins.gtin_key(GTIN_14), THE_MILL)

    assert_refused(
        lambda: ownership.license(gtin14=GTIN_14, licensee_id=THE_COOPERATIVE, chain=chain),
        RuleViolated,
        "licensee_not_chain_partner",
        ownership,
    )
    chain.join(THE_COOPERATIVE, "producer")
    ownership.license(gtin14=GTIN_14, licensee_id=THE_COOPERATIVE, chain=chain)
    assert ownership.may_be_used_by(GTIN_14, THE_COOPERATIVE)

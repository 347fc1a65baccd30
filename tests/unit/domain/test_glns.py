"""GLNs in the domain: the check digit, plots of the owner, one party GLN per organisation."""

from __future__ import annotations

from uuid import uuid4

import pytest

from shared.domain import glns
from shared.domain.errors import InvalidValue, NotPermitted, RuleViolated
from shared.domain.glns import Gln, PartyGln

GLN = "8936012340006"  # check digit 6 (GS1 mod 10)


def test_a_gln_with_its_check_digit_is_accepted() -> None:
    assert glns.gln(GLN) == GLN


@pytest.mark.parametrize(
    ("value", "code"),
    [
        ("8936012340007", "gln_check_digit"),
        ("893601234000", "gln_length"),
        ("893601234000x", "gln_length"),
    ],
)
def test_a_gln_of_the_wrong_form_is_refused(value: str, code: str) -> None:
    with pytest.raises(InvalidValue) as refused:
        glns.gln(value)
    assert refused.value.code == code


def test_a_gln_is_keyed_by_itself_so_it_is_registered_once() -> None:
    owner = uuid4()
    first, _ = glns.register(value=GLN, owner_id=owner, plot=None, party=None)
    second, _ = glns.register(value=GLN, owner_id=uuid4(), plot=None, party=None)

    assert first.id == second.id == Gln.create_id(GLN)


def test_a_party_gln_claims_its_organisation() -> None:
    owner = uuid4()
    gln, claim = glns.register(value=GLN, owner_id=owner, plot=None, party=None)

    assert gln.is_party
    assert claim is not None
    assert claim.id == PartyGln.create_id(owner)


def test_a_second_party_gln_is_refused() -> None:
    owner = uuid4()
    party = PartyGln(organisation_id=owner, gln=GLN)

    with pytest.raises(RuleViolated) as refused:
        glns.register(value="8936012340013", owner_id=owner, plot=None, party=party)
    assert refused.value.code == "party_gln_registered"


class _Plot:
    def __init__(self, cooperative_id: object) -> None:
        self.id, self.cooperative_id = uuid4(), cooperative_id


def test_a_plot_gln_names_a_plot_of_the_owner_and_claims_nothing() -> None:
    owner = uuid4()
    plot = _Plot(owner)

    gln, claim = glns.register(value=GLN, owner_id=owner, plot=plot, party=None)  # type: ignore[arg-type]

    assert gln.plot_id == plot.id
    assert claim is None


def test_another_cooperatives_plot_is_refused() -> None:
    with pytest.raises(NotPermitted) as refused:
        glns.register(value=GLN, owner_id=uuid4(), plot=_Plot(uuid4()), party=None)  # type: ignore[arg-type]
    assert refused.value.code == "plot_not_owned"

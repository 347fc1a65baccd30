"""GLNs: the GS1 Global Location Numbers that name an organisation (as a party) and its places.

An organisation registers the GLNs it was issued, as it registers its GTINs. A GLN without a
plot names the organisation itself: the party (GS1 AI 417) and its premises as a location
(AI 414). A GLN with a plot names that plot, one of the owner cooperative's, as a location.

A GLN is registered once: the aggregate's id derives from the GLN (uuid5), so a second
registration is the second ``version 1`` of the same id, which the event store refuses even when
two requests race. "At most one party GLN per organisation" cannot be seen from a GLN's id, so
the party GLN also claims :class:`PartyGln`, keyed by the organisation: the same natural-key
refusal then settles a race between two party GLNs of one organisation.
"""

from __future__ import annotations

from uuid import UUID, uuid5

from eventsourcing.domain import Aggregate, event

from shared.domain import identifiers
from shared.domain.errors import InvalidValue, NotPermitted, RuleViolated
from shared.domain.plot import Plot

GLN_LENGTH = 13


def gln(value: str, field: str = "gln") -> str:
    """A GLN: 13 digits, the last the GS1 mod-10 check digit of the first twelve."""
    if not (value.isascii() and value.isdigit()) or len(value) != GLN_LENGTH:
        msg = f"a GLN has {GLN_LENGTH} digits, got {value!r}"
        raise InvalidValue(field, msg, code="gln_length", params={"gln": value})
    expected = identifiers.check_digit(value[:-1])
    if int(value[-1]) != expected:
        msg = f"GLN {value!r} is not valid: its check digit should be {expected}, not {value[-1]}"
        params = {"gln": value, "expected": expected, "given": value[-1]}
        raise InvalidValue(field, msg, code="gln_check_digit", params=params)
    return value


class Gln(Aggregate):
    """One registered GLN: whose it is, and the plot it names (None: the organisation)."""

    @staticmethod
    def create_id(gln: str) -> UUID:
        return uuid5(identifiers.NAMESPACE, f"gln:{gln}")

    @event("Registered")
    def __init__(self, gln: str, owner_id: UUID, plot_id: UUID | None) -> None:
        self.gln = gln
        self.owner_id = owner_id
        self.plot_id = plot_id

    @property
    def is_party(self) -> bool:
        return self.plot_id is None


class PartyGln(Aggregate):
    """The claim an organisation's one party GLN makes on the organisation."""

    @staticmethod
    def create_id(organisation_id: UUID) -> UUID:
        return uuid5(identifiers.NAMESPACE, f"party-gln:{organisation_id}")

    @event("Claimed")
    def __init__(self, organisation_id: UUID, gln: str) -> None:
        self.organisation_id = organisation_id
        self.gln = gln


def registered(value: str) -> RuleViolated:
    return RuleViolated(
        f"GLN {value} is already registered", code="gln_registered", params={"gln": value}
    )


def party_taken(organisation_id: UUID, existing: str | None) -> RuleViolated:
    msg = "the organisation already has a party GLN: register further GLNs for its plots"
    params = {"organisation_id": str(organisation_id), "gln": existing}
    return RuleViolated(msg, code="party_gln_registered", params=params)


def register(
    *, value: str, owner_id: UUID, plot: Plot | None, party: PartyGln | None
) -> tuple[Gln, PartyGln | None]:
    """A new GLN of ``owner_id`` (naming ``plot`` if given); ``party`` is the owner's party GLN
    claim if one exists. Returns the GLN and, for a party GLN, the claim to save with it."""
    checked = gln(value)
    if plot is not None:
        if plot.cooperative_id != owner_id:
            msg = "a plot's GLN is registered by the cooperative the plot belongs to"
            params = {"plots": str(plot.id)}  # the same refusal as a harvest on another's plot
            raise NotPermitted(msg, code="plot_not_owned", params=params)
        return Gln(gln=checked, owner_id=owner_id, plot_id=plot.id), None
    if party is not None:
        raise party_taken(owner_id, party.gln)
    claim = PartyGln(organisation_id=owner_id, gln=checked)
    return Gln(gln=checked, owner_id=owner_id, plot_id=None), claim

"""Two trading partners on the platform, each known by its GLNs: a cooperative with a plot, and
a mill that has registered a GTIN. The capture tests send EPCIS events as their tokens."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from uuid import UUID

from shared.epcis.capture import Behaviour, CaptureOutcome, capture
from shared.records import commands as c
from shared.records.actors import Actor, Role
from shared.records.application import Records
from tests.builders import a_grower, a_gtin, an_enterprise
from tests.epcis_events import a_gln

STAFF = Actor(Role.PROVINCE)


@dataclass(frozen=True)
class Partners:
    cooperative: Actor
    cooperative_gln: str
    plot_id: UUID
    plot_gln: str
    mill: Actor
    mill_gln: str
    gtin14: str

    @property
    def cooperative_id(self) -> UUID:
        assert self.cooperative.organisation_id is not None
        return self.cooperative.organisation_id

    @property
    def mill_id(self) -> UUID:
        assert self.mill.organisation_id is not None
        return self.mill.organisation_id


def partners(records: Records) -> Partners:
    grower = a_grower(records)
    mill = an_enterprise(records)
    assert mill.organisation_id is not None
    cooperative_gln, plot_gln, mill_gln = a_gln(), a_gln(), a_gln()
    gtin = a_gtin()
    records.execute(
        grower.actor,
        [
            c.RegisterGln(organisation_id=grower.cooperative_id, gln=cooperative_gln),
            c.RegisterGln(
                organisation_id=grower.cooperative_id, gln=plot_gln, plot_id=grower.plot_id
            ),
        ],
    )
    records.execute(
        mill,
        [
            c.RegisterGln(organisation_id=mill.organisation_id, gln=mill_gln),
            c.RegisterGtin(organisation_id=mill.organisation_id, gtin=gtin),
        ],
    )
    return Partners(
        grower.actor, cooperative_gln, grower.plot_id, plot_gln, mill, mill_gln, gtin.zfill(14)
    )


def send(
    records: Records,
    actor: Actor,
    events: Sequence[dict[str, object]],
    behaviour: Behaviour = Behaviour.ROLLBACK,
) -> CaptureOutcome:
    return capture(records, actor, [dict(e) for e in events], behaviour)


def stored_events(records: Records) -> int:
    return records.position()

"""A cooperative's member households: registered sealed, farming their plots, forgotten."""

from __future__ import annotations

from uuid import UUID

import psycopg
import pytest

from shared.database import DatabaseUrls
from shared.privacy import Sealed
from shared.privacy.keys import PersonForgotten
from shared.records import commands as c
from shared.records.actors import Actor, Role
from shared.records.application import CommandRefused, Records
from shared.records.results import HouseholdResult, PlotResult
from tests.builders import STAFF, Grower, a_harvest, a_plot_command

NAME, PHONE, REFERENCE = "Nguyễn Văn Tư", "0912345678", "HO-12"


def _register(records: Records, grower: Grower, reference: str = REFERENCE) -> UUID:
    command = c.RegisterHousehold(
        cooperative_id=grower.cooperative_id, reference=reference, head_name=NAME, phone=PHONE
    )
    return records.execute(grower.actor, [command]).result(HouseholdResult).household_id


def _stored_events(database: DatabaseUrls) -> bytes:
    with psycopg.connect(database.admin) as conn:
        rows = conn.execute("SELECT state FROM nguon_events ORDER BY notification_id").fetchall()
    return b"".join(bytes(row[0]) for row in rows)


def _household_account(grower: Grower, household_id: UUID) -> Actor:
    return Actor(Role.HOUSEHOLD, grower.cooperative_id, household_ref=str(household_id))


def test_a_households_name_phone_and_reference_are_stored_only_sealed(
    records: Records, grower: Grower, database: DatabaseUrls
) -> None:
    household_id = _register(records, grower)

    stored = _stored_events(database)
    for secret in (NAME, PHONE, REFERENCE):
        assert secret.encode() not in stored
    (registered,) = list(records.history(household_id))
    reference = Sealed.from_json(getattr(registered, "reference"))  # noqa: B009
    assert reference.person_id == household_id
    assert records.personal_data.open(reference) == REFERENCE


def test_a_household_harvests_from_the_plots_it_was_given_only(
    records: Records, grower: Grower
) -> None:
    household_id = _register(records, grower)
    on_registration = records.execute(
        grower.actor,
        [a_plot_command(grower.cooperative_id, household_id=household_id)],
    ).result(PlotResult)
    records.execute(
        grower.actor, [c.AssignHouseholdPlot(household_id=household_id, plot_id=grower.plot_id)]
    )
    other = records.execute(grower.actor, [a_plot_command(grower.cooperative_id)]).result(
        PlotResult
    )
    household = _household_account(grower, household_id)

    records.execute(household, [a_harvest([on_registration.plot_id, grower.plot_id])])
    with pytest.raises(CommandRefused) as refused:
        records.execute(household, [a_harvest([other.plot_id])])
    assert refused.value.code == "household_not_own_plot"


def test_a_plot_registered_for_a_household_carries_its_id_and_sealed_reference_only(
    records: Records, grower: Grower, database: DatabaseUrls
) -> None:
    household_id = _register(records, grower)
    # An old client sending the plain reference too: it is not stored beside the id.
    command = a_plot_command(
        grower.cooperative_id, household_ref=REFERENCE, household_id=household_id
    )
    plot = records.execute(grower.actor, [command]).result(PlotResult)

    (registered,) = records.history(plot.plot_id)
    assert getattr(registered, "household_id") == household_id  # noqa: B009
    assert getattr(registered, "household_ref") is None  # noqa: B009
    assert REFERENCE.encode() not in _stored_events(database)


def test_only_the_cooperative_itself_or_provincial_staff_register_its_households(
    records: Records, grower: Grower
) -> None:
    before = records.position()
    command = c.RegisterHousehold(cooperative_id=grower.cooperative_id, reference="HO-1")
    for stranger in (
        Actor(Role.COOPERATIVE, UUID(int=7)),
        Actor(Role.ENTERPRISE, UUID(int=8)),
        Actor(Role.HOUSEHOLD, grower.cooperative_id, household_ref="HO-1"),
    ):
        with pytest.raises(CommandRefused):
            records.execute(stranger, [command])
    assert records.position() == before
    records.execute(STAFF, [command])
    records.execute(Actor(Role.COOPERATIVE_ADMIN, grower.cooperative_id), [command])


def test_a_badly_written_phone_number_is_refused_at_its_field_and_nothing_is_stored(
    records: Records, grower: Grower
) -> None:
    before = records.position()
    command = c.RegisterHousehold(
        cooperative_id=grower.cooperative_id, reference="HO-2", phone="12-34"
    )
    with pytest.raises(CommandRefused) as refused:
        records.execute(grower.actor, [command])
    assert refused.value.code == "phone_format"
    assert records.position() == before


def test_a_forgotten_household_cannot_be_opened_harvest_or_be_sealed_for_again(
    records: Records, grower: Grower, database: DatabaseUrls
) -> None:
    household_id = _register(records, grower)
    records.execute(
        grower.actor, [c.AssignHouseholdPlot(household_id=household_id, plot_id=grower.plot_id)]
    )
    admin = Actor(Role.COOPERATIVE_ADMIN, grower.cooperative_id, account_id=UUID(int=42))

    records.execute(admin, [c.ForgetHousehold(household_id=household_id)])

    registered = records.history(household_id)[0]
    reference = Sealed.from_json(getattr(registered, "reference"))  # noqa: B009
    assert records.personal_data.open(reference) is None
    with pytest.raises(PersonForgotten):
        records.personal_data.seal(household_id, "anything")
    with pytest.raises(CommandRefused) as refused:
        records.execute(_household_account(grower, household_id), [a_harvest([grower.plot_id])])
    assert refused.value.code == "household_not_own_plot"
    with psycopg.connect(database.admin) as conn:
        keys = conn.execute(
            "SELECT count(*) FROM nguon_person_keys WHERE person_id = %s", (household_id,)
        ).fetchone()
        forgotten = conn.execute(
            "SELECT forgotten_by FROM nguon_forgotten_people WHERE person_id = %s", (household_id,)
        ).fetchone()
    assert keys == (0,)
    assert forgotten == (UUID(int=42),)


def test_a_refused_request_to_forget_forgets_no_one(records: Records, grower: Grower) -> None:
    household_id = _register(records, grower)
    stranger = Actor(Role.COOPERATIVE, UUID(int=9))

    with pytest.raises(CommandRefused):
        records.execute(stranger, [c.ForgetHousehold(household_id=household_id)])

    registered = records.history(household_id)[0]
    reference = Sealed.from_json(getattr(registered, "reference"))  # noqa: B009
    assert records.personal_data.open(reference) == REFERENCE


def test_a_value_sealed_for_one_household_does_not_open_as_anothers(
    records: Records, grower: Grower
) -> None:
    first, second = _register(records, grower, "HO-1"), _register(records, grower, "HO-2")
    sealed = records.personal_data.seal(first, NAME)

    assert records.personal_data.open(Sealed(second, sealed.ciphertext)) is None
    assert records.personal_data.seal(first, NAME) != sealed  # a fresh nonce every time

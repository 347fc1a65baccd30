"""A member household's account is linked to a household of the cooperative's registry, picked
from a list, so that the account farms the plots assigned to that household."""

from __future__ import annotations

from shared.accounts.service import Accounts
from shared.domain.quantities import Quantity
from shared.readmodels.projections import Projections
from shared.readmodels.rebuild import connections_of, rebuild
from shared.records import commands as c
from shared.records.actors import Actor, Role
from shared.records.application import Records
from shared.records.results import HouseholdResult
from tests.builders import HARVEST_DAY, Grower
from tests.integration.accounts.conftest import Browser, an_account


def _registered_household(records: Records, grower: Grower) -> str:
    cooperative = Actor(Role.COOPERATIVE, grower.cooperative_id)
    registered = c.RegisterHousehold(
        cooperative_id=grower.cooperative_id, reference="HO-12", head_name="Nguyễn Văn Tư"
    )
    household_id = records.execute(cooperative, [registered]).result(HouseholdResult).household_id
    assigned = c.AssignHouseholdPlot(household_id=household_id, plot_id=grower.plot_id)
    records.execute(cooperative, [assigned])
    rebuild(records, Projections(connections_of(records)), progress=False)
    return str(household_id)


def test_an_administrator_links_a_household_account_to_a_registered_household(
    accounts: Accounts, records: Records, browser: Browser, grower: Grower
) -> None:
    household_id = _registered_household(records, grower)
    admin = an_account(accounts, "0913000101", Role.COOPERATIVE_ADMIN, grower.cooperative_id)
    browser.sign_in(admin.username, admin.password)
    page = f"/account/organisations/{grower.cooperative_id}/people"

    form = browser.client.get(page).text
    assert f'<option value="{household_id}">HO-12 · Nguyễn Văn Tư</option>' in form

    created = browser.post(
        page, page, display_name="Hộ Tư", username="0913 000 102", role="household",
        household_ref=household_id,
    )  # fmt: skip

    assert created.status_code == 200, created.text
    account = accounts.store.by_username("0913000102")
    assert account is not None
    assert account.actor.household_id is not None
    assert str(account.actor.household_id) == household_id
    harvest = c.HarvestBatch(
        plot_ids=[grower.plot_id],
        commodity="rice",
        quantity=Quantity.of("100", "kg"),
        harvested_on=HARVEST_DAY,
    )
    assert records.execute(account.actor, [harvest]).position > 0  # its household's plot


def test_a_household_account_for_an_unregistered_reference_is_refused_at_its_field(
    accounts: Accounts, records: Records, browser: Browser, grower: Grower
) -> None:
    _registered_household(records, grower)
    admin = an_account(accounts, "0913000103", Role.COOPERATIVE_ADMIN, grower.cooperative_id)
    browser.sign_in(admin.username, admin.password)
    page = f"/account/organisations/{grower.cooperative_id}/people"

    refused = browser.post(
        page, page, display_name="Hộ lạ", username="0913 000 104", role="household",
        household_ref="HO-99",
    )  # fmt: skip

    assert refused.status_code == 422
    assert "Chọn hộ thành viên mà tài khoản này dành cho" in refused.text
    assert accounts.store.by_username("0913000104") is None

"""The buyer's page and its JSON document over the real read models: the last spraying before
harvest and whether every pre-harvest interval was respected, or the reason it was not; and
never the member household that sprayed (neither its id nor its reference)."""

from __future__ import annotations

from datetime import timedelta
from uuid import UUID

import pytest
from fastapi.testclient import TestClient

from services.web.app import create_app
from shared.readmodels.postgres_readers import PostgresProvenanceReader
from shared.readmodels.projections import Projections
from shared.readmodels.tracking import Position
from shared.records import commands as c
from shared.records.application import Records
from shared.records.results import BatchResult, HouseholdResult
from shared.settings import NguonSettings
from tests.builders import HARVEST_DAY, Grower, a_grower, a_harvest
from tests.integration.readmodels.readmodel_chain import all_envelopes

REASON = "Bão số 5 sắp vào, phải gặt sớm"


def _spray(records: Records, grower: Grower, days_before_harvest: int) -> UUID:
    """A spraying by a member household of the grower's cooperative: that household's id."""
    registered = c.RegisterHousehold(
        cooperative_id=grower.cooperative_id, reference="HO-31", head_name="Lê Văn Ba"
    )
    household = records.execute(grower.actor, [registered]).result(HouseholdResult).household_id
    records.execute(
        grower.actor,
        [
            c.RecordDiaryEntry(
                plot_id=grower.plot_id,
                activity="spraying",
                on=HARVEST_DAY - timedelta(days=days_before_harvest),
                household_id=household,
                product="Anvil 5SC",
                active_ingredient="hexaconazole",
                dose="20 ml / bình 16 l",
                pre_harvest_days=14,
            )
        ],
    )
    return household


def _site(
    records: Records, projections: Projections, reader: PostgresProvenanceReader
) -> TestClient:
    envelopes = all_envelopes(records)
    projections.apply(envelopes, Position(envelopes[-1].position))
    return TestClient(create_app(NguonSettings(), reader))


def test_the_page_shows_the_last_spraying_and_that_every_interval_was_respected(
    records: Records, projections: Projections, reader: PostgresProvenanceReader
) -> None:
    grower = a_grower(records)
    _spray(records, grower, 30)
    _spray(records, grower, 20)
    code = records.execute(grower.actor, [a_harvest([grower.plot_id])]).result(BatchResult).code
    site = _site(records, projections, reader)

    page = site.get(f"/b/{code}", headers={"Accept-Language": "vi"})
    document = site.get(f"/b/{code}", headers={"Accept": "application/json"}).json()

    assert page.status_code == 200
    assert "hexaconazole" in page.text
    assert "Mọi thời gian cách ly đều được tuân thủ" in page.text
    shown = document["plant_protection"]
    assert shown["intervals"] == "respected"
    assert shown["last_spraying"]["sprayed_on"] == (HARVEST_DAY - timedelta(20)).isoformat()
    assert shown["override_reasons"] == []


def test_the_page_shows_an_override_and_its_reason_plainly(
    records: Records, projections: Projections, reader: PostgresProvenanceReader
) -> None:
    grower = a_grower(records)
    _spray(records, grower, 3)
    harvest = a_harvest([grower.plot_id], interval_override=REASON)
    code = records.execute(grower.actor, [harvest]).result(BatchResult).code
    site = _site(records, projections, reader)

    page = site.get(f"/b/{code}?lang=en")
    document = site.get(f"/b/{code}", headers={"Accept": "application/json"}).json()

    assert "Harvested before a pre-harvest interval ended" in page.text
    assert REASON in page.text
    assert document["plant_protection"]["intervals"] == "overridden"
    assert document["plant_protection"]["override_reasons"] == [REASON]


@pytest.mark.parametrize("accept", ["text/html", "application/json"])
def test_no_household_id_or_reference_reaches_the_public_page_or_document(
    records: Records, projections: Projections, reader: PostgresProvenanceReader, accept: str
) -> None:
    grower = a_grower(records)
    household = _spray(records, grower, 20)
    code = records.execute(grower.actor, [a_harvest([grower.plot_id])]).result(BatchResult).code
    site = _site(records, projections, reader)

    answer = site.get(f"/b/{code}", headers={"Accept": accept})

    assert answer.status_code == 200
    assert "hexaconazole" in answer.text  # the diary did reach it
    assert str(household) not in answer.text
    assert household.hex not in answer.text
    assert "HO-31" not in answer.text
    assert "Lê Văn Ba" not in answer.text

"""The EPCIS query interface on a real PostgreSQL: filters, paging, ids, who sees what, headers."""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import quote

import jsonschema
import psycopg
import pytest
from fastapi.testclient import TestClient
from psycopg.rows import dict_row

from services.epcis import app as epcis_app
from services.epcis.params import read_events_request
from services.platform.composition import platform_app
from services.platform.health import Health
from services.platform.home import Home
from services.platform.mounting import MountedApp
from shared.postgres.tokens import TokenStore
from shared.postgres.urls import eventsourcing_env
from shared.readmodels.epcis_query import Sight, events_statement
from shared.records.actors import Role
from shared.records.application import Records
from shared.settings import NguonSettings
from tests.databases import on_database
from tests.integration.epcis_query.conftest import auth
from tests.integration.epcis_query.epcis_world import (
    ALIASED,
    LINK_A,
    ORDER,
    PLANT,
    PLATFORM_A,
    PLATFORM_M,
    SCHEMA,
    C,
    E,
    event_id,
)

NAME_OF = {event_id(name): name for name in ORDER}


def _names(answer: Any) -> list[str]:
    assert answer.status_code == 200, answer.text
    events = answer.json()["epcisBody"]["queryResults"]["resultsBody"]["eventList"]
    return [NAME_OF[e["eventID"]] for e in events]


def _events(answer: Any) -> list[dict[str, Any]]:
    return list(answer.json()["epcisBody"]["queryResults"]["resultsBody"]["eventList"])


def test_the_province_reads_every_event_in_time_order_in_a_valid_query_document(
    client: TestClient, tokens_by_role: dict[str, str]
) -> None:
    answer = client.get("/epcis/events", headers=auth(tokens_by_role["province"]))
    assert _names(answer) == ORDER
    with open(SCHEMA, encoding="utf-8") as schema:
        jsonschema.validate(answer.json(), json.load(schema))
    assert answer.json()["type"] == "EPCISQueryDocument"


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"eventType": "TransformationEvent"}, ["label", "process"]),
        ({"eventType": "ObjectEvent|TransformationEvent"}, ORDER),
        ({"EQ_bizStep": "shipping"}, ["ship_a", "ship_m"]),
        ({"EQ_bizStep": "https://ref.gs1.org/cbv/BizStep-receiving"}, ["receive_a", "receive_m"]),
        ({"EQ_bizStep": "shipping|receiving"}, ["ship_a", "receive_a", "ship_m", "receive_m"]),
        (
            {"GE_eventTime": "2026-03-02T15:00:00+07:00"},
            ["receive_a", "process", "ship_m", "receive_m"],
        ),
        ({"LT_eventTime": "2026-03-02T01:00:00Z"}, ["harvest", "label"]),
        ({"MATCH_epcClass": PLATFORM_M}, ["process", "ship_m", "receive_m"]),
        ({"MATCH_epcClass": LINK_A}, ["label", "ship_a", "receive_a", "process"]),
        ({"MATCH_epc": "urn:epc:id:sgtin:0614141.107346.2018"}, []),
        ({"MATCH_anyEPC": "urn:epc:id:sgtin:0614141.107346.2018"}, []),
        ({"EQ_bizLocation": PLANT}, ["receive_a", "process", "ship_m"]),
        ({"EQ_disposition": "in_transit"}, ["ship_a", "ship_m"]),
        (
            {"EQ_disposition": "https://ref.gs1.org/cbv/Disp-active"},
            ["harvest", "label", "process"],
        ),
        ({"EQ_action": "ADD"}, ["harvest"]),
        ({"EQ_eventID": event_id("ship_m")}, ["ship_m"]),
    ],
)
def test_each_parameter_filters_the_events(
    client: TestClient, tokens_by_role: dict[str, str], params: dict[str, str], expected: list[str]
) -> None:
    answer = client.get("/epcis/events", params=params, headers=auth(tokens_by_role["province"]))
    assert _names(answer) == [name for name in ORDER if name in expected]


def test_the_time_window_and_a_business_step_combine(
    client: TestClient, tokens_by_role: dict[str, str]
) -> None:
    params = {"EQ_bizStep": "shipping", "GE_eventTime": "2026-03-03T00:00:00+07:00"}
    answer = client.get("/epcis/events", params=params, headers=auth(tokens_by_role["province"]))
    assert _names(answer) == ["ship_m"]


@pytest.mark.parametrize("per_page", [1, 2, 3, 6, 7, 30])
def test_paging_walks_every_event_exactly_once_in_order(
    client: TestClient, tokens_by_role: dict[str, str], per_page: int
) -> None:
    seen: list[str] = []
    url: str | None = f"/epcis/events?perPage={per_page}"
    pages = 0
    while url is not None:
        answer = client.get(url, headers=auth(tokens_by_role["province"]))
        names = _names(answer)
        assert 0 < len(names) <= per_page
        seen += names
        pages += 1
        link = answer.headers.get("Link")
        url = link[1 : link.index(">")] if link else None
        assert link is None or link.endswith('; rel="next"')
    assert seen == ORDER
    assert pages == -(-len(ORDER) // per_page)


def test_the_next_page_keeps_the_filters(
    client: TestClient, tokens_by_role: dict[str, str]
) -> None:
    headers = auth(tokens_by_role["province"])
    first = client.get(
        "/epcis/events", params={"EQ_bizStep": "shipping", "perPage": 1}, headers=headers
    )
    assert _names(first) == ["ship_a"]
    link = first.headers["Link"]
    second = client.get(link[1 : link.index(">")], headers=headers)
    assert _names(second) == ["ship_m"]
    assert "Link" not in second.headers


@pytest.mark.parametrize(
    ("params", "parameter"),
    [
        ({"colour": "red"}, "colour"),
        ({"EQ_quantity": "5"}, "EQ_quantity"),
        ({"perPage": "0"}, "perPage"),
        ({"perPage": "many"}, "perPage"),
        ({"GE_eventTime": "yesterday"}, "GE_eventTime"),
        ({"LT_eventTime": "2026-03-01T00:00:00"}, "LT_eventTime"),
        ({"eventType": "BoxEvent"}, "eventType"),
        ({"EQ_bizStep": "shipping|"}, "EQ_bizStep"),
        ({"nextPageToken": "not-a-token"}, "nextPageToken"),
    ],
)
def test_a_bad_parameter_is_refused_by_name(
    client: TestClient, tokens_by_role: dict[str, str], params: dict[str, str], parameter: str
) -> None:
    answer = client.get("/epcis/events", params=params, headers=auth(tokens_by_role["province"]))
    assert answer.status_code == 400
    assert answer.headers["content-type"] == "application/problem+json"
    body = answer.json()
    assert body["type"] == "epcisException:QueryParameterException"
    assert body["parameter"] == parameter
    assert parameter in body["detail"]


def test_one_event_by_its_id(client: TestClient, tokens_by_role: dict[str, str]) -> None:
    url = "/epcis/events/" + quote(event_id("process"), safe="")
    answer = client.get(url, headers=auth(tokens_by_role["province"]))
    assert _names(answer) == ["process"]


def test_an_earlier_id_moves_permanently_to_the_current_one(
    client: TestClient, tokens_by_role: dict[str, str]
) -> None:
    headers = auth(tokens_by_role["province"])
    answer = client.get(
        "/epcis/events/" + quote(ALIASED, safe=""), headers=headers, follow_redirects=False
    )
    assert answer.status_code == 301
    assert answer.headers["location"] == "/epcis/events/" + quote(event_id("harvest"), safe="")
    assert _names(client.get(answer.headers["location"], headers=headers)) == ["harvest"]


def test_an_unknown_id_is_not_found(client: TestClient, tokens_by_role: dict[str, str]) -> None:
    url = "/epcis/events/" + quote(event_id("never"), safe="")
    answer = client.get(url, headers=auth(tokens_by_role["province"]))
    assert answer.status_code == 404
    assert answer.json()["type"] == "epcisException:NoSuchResourceException"


def test_a_holder_sees_its_batch_and_its_ancestors_without_their_quantities(
    client: TestClient, tokens_by_role: dict[str, str]
) -> None:
    answer = client.get("/epcis/events", headers=auth(tokens_by_role["retailer"]))
    assert _names(answer) == ORDER  # M's events, and A's as M's ancestor
    by_name = {NAME_OF[e["eventID"]]: e for e in _events(answer)}
    assert by_name["ship_a"]["quantityList"] == [{"epcClass": LINK_A}]
    assert by_name["process"]["inputQuantityList"] == [{"epcClass": LINK_A}]
    assert by_name["process"]["outputQuantityList"][0]["quantity"] == 420.0
    assert by_name["receive_m"]["quantityList"][0] == {
        "epcClass": PLATFORM_M,
        "quantity": 420.0,
        "uom": "KGM",
    }
    with open(SCHEMA, encoding="utf-8") as schema:
        jsonschema.validate(answer.json(), json.load(schema))


def test_the_first_holder_sees_its_own_batch_in_full_and_not_its_descendants(
    client: TestClient, tokens_by_role: dict[str, str]
) -> None:
    answer = client.get("/epcis/events", headers=auth(tokens_by_role["cooperative"]))
    of_a = {"harvest", "label", "ship_a", "receive_a", "process"}
    assert _names(answer) == [name for name in ORDER if name in of_a]
    by_name = {NAME_OF[e["eventID"]]: e for e in _events(answer)}
    assert by_name["harvest"]["quantityList"][0] == {
        "epcClass": PLATFORM_A,
        "quantity": 500.0,
        "uom": "KGM",
    }
    # It sees its batch consumed, not what the processor made of it.
    assert by_name["process"]["inputQuantityList"][0]["quantity"] == 498.5
    assert by_name["process"]["outputQuantityList"] == [{"epcClass": PLATFORM_M}]
    url = "/epcis/events/" + quote(event_id("ship_m"), safe="")
    assert client.get(url, headers=auth(tokens_by_role["cooperative"])).status_code == 404


def test_a_stranger_sees_nothing_and_no_token_is_refused(
    client: TestClient, tokens_by_role: dict[str, str]
) -> None:
    assert _names(client.get("/epcis/events", headers=auth(tokens_by_role["stranger"]))) == []
    answer = client.get("/epcis/events")
    assert answer.status_code == 401
    assert answer.json()["type"] == "epcisException:SecurityException"
    assert answer.headers["www-authenticate"] == "Bearer"
    assert client.get("/epcis/events", headers=auth("ng_unknown")).status_code == 401


def test_every_answer_carries_the_discovery_headers(
    client: TestClient, tokens_by_role: dict[str, str]
) -> None:
    headers = auth(tokens_by_role["province"])
    answers = [
        client.get("/epcis/events", headers=headers),
        client.get("/epcis/events?colour=red", headers=headers),
        client.get("/epcis/events"),
        client.options("/epcis/events"),
        client.get("/epcis/bizSteps", headers=headers),
    ]
    assert answers[3].status_code == 204
    assert "GET" in answers[3].headers["allow"]
    for answer in answers:
        assert answer.headers["GS1-EPCIS-Version"] == "2.0.0"
        assert answer.headers["GS1-CBV-Version"] == "2.0.0"
        assert answer.headers["GS1-EPCIS-Min"] == "2.0.0"
        assert answer.headers["GS1-EPCIS-Max"] == "2.0.0"
        assert answer.headers["GS1-Vendor-Version"].startswith("nguon-mapping-")


def test_the_top_level_resources_list_what_the_caller_sees(
    client: TestClient, tokens_by_role: dict[str, str]
) -> None:
    province, cooperative = auth(tokens_by_role["province"]), auth(tokens_by_role["cooperative"])
    steps = client.get("/epcis/bizSteps", headers=province).json()
    assert steps["type"] == "Collection"
    assert steps["member"] == ["commissioning", "receiving", "shipping"]
    assert (
        "TransformationEvent" in client.get("/epcis/eventTypes", headers=province).json()["member"]
    )
    epcs = client.get("/epcis/epcs", headers=cooperative).json()["member"]
    assert PLATFORM_A in epcs
    assert LINK_A in epcs
    assert set(client.get("/epcis/bizLocations", headers=province).json()["member"]) >= {PLANT}
    assert client.get("/epcis/bizSteps/shipping", headers=province).json()["member"] == ["events"]
    shipped = client.get("/epcis/bizSteps/shipping/events", headers=province)
    assert _names(shipped) == ["ship_a", "ship_m"]
    of_m = client.get(f"/epcis/epcs/{quote(PLATFORM_M, safe='')}/events", headers=province)
    assert _names(of_m) == ["process", "ship_m", "receive_m"]
    assert client.get("/epcis/colours", headers=province).status_code == 404


@pytest.mark.parametrize(
    "window",
    [
        [
            ("GE_eventTime", "2026-03-01T00:00:00+07:00"),
            ("LT_eventTime", "2026-04-01T00:00:00+07:00"),
        ],
        [],  # the step alone: its first page, not the history walked for it
    ],
)
def test_a_business_step_reads_its_index_in_the_served_order(
    world_admin_url: str, window: list[tuple[str, str]]
) -> None:
    asked = read_events_request([("EQ_bizStep", "shipping"), *window])
    sql, params = events_statement(asked.query, Sight(everything=True), None, 30)
    with psycopg.connect(world_admin_url) as conn:
        # A year of a busy storehouse: stock counts every hour, a shipment now and then.
        conn.execute(FILLER)
        conn.execute("ANALYZE rm_epcis_events")
        plan = "\n".join(row[0] for row in conn.execute(f"EXPLAIN {sql}", params))
    print(plan)
    assert "rm_epcis_events_step_order" in plan, plan
    assert "Seq Scan" not in plan, plan
    assert "Sort" not in plan, plan


@pytest.mark.parametrize(
    "asked",
    [
        [("EQ_bizStep", "shipping")],
        [("GE_eventTime", "2026-03-01T00:00:00+07:00")],
        [("EQ_bizStep", "shipping"), ("LT_eventTime", "2026-04-01T00:00:00+07:00")],
    ],
)
def test_an_organisation_reads_its_own_rows_in_the_served_order(
    world_admin_url: str, asked: list[tuple[str, str]]
) -> None:
    # However much it handled, its page walks its rows of rm_epcis_visible from the keyset:
    # no gathering of its batches, no sort of its history.
    sql, params = events_statement(
        read_events_request(asked).query, Sight(organisation_id=E), None, 30
    )
    with psycopg.connect(world_admin_url) as conn:
        conn.execute(FILLER)
        conn.execute(
            "INSERT INTO rm_epcis_visible (organisation_id, event_time, event_id, biz_step)"
            " SELECT %s, event_time, event_id, biz_step FROM rm_epcis_events"
            " ON CONFLICT DO NOTHING",
            (E,),
        )
        conn.execute("ANALYZE rm_epcis_events")
        conn.execute("ANALYZE rm_epcis_visible")
        plan = "\n".join(row[0] for row in conn.execute(f"EXPLAIN {sql}", params))
    print(plan)
    assert "rm_epcis_visible_" in plan, plan
    assert "Seq Scan" not in plan, plan
    assert "Sort" not in plan, plan


FILLER = """INSERT INTO rm_epcis_events (event_id, source_event_id, seq, position, mapping_version,
    event_type, event_time, record_time, action, biz_step, epcs, epc_classes, batch_ids,
    lot_batches, lot_classes, document)
SELECT 'ni:///filler/' || n, gen_random_uuid(), 0, 1000 + n, 1, 'ObjectEvent',
    timestamptz '2026-01-01T00:00:00+07:00' + n * interval '20 minutes', now(), 'OBSERVE',
    CASE WHEN n % 200 = 0 THEN 'shipping' ELSE 'stock_taking' END,
    '{}', '{}', ARRAY[gen_random_uuid()], '{}', '{}', '{}'::jsonb
FROM generate_series(1, 26000) AS n"""


@pytest.mark.parametrize(
    ("header", "value"),
    [
        ("GS1-EPCIS-Min", "2.1"),
        ("GS1-EPCIS-Max", "1.2.0"),
        ("GS1-CBV-Min", "3"),
        ("GS1-EPCIS-Min", "x"),
    ],
)
def test_a_client_that_excludes_our_version_is_told_so(
    client: TestClient, tokens_by_role: dict[str, str], header: str, value: str
) -> None:
    headers = auth(tokens_by_role["province"]) | {header: value}
    answer = client.get("/epcis/events", headers=headers)
    assert answer.status_code == 406
    assert answer.json()["type"] == "epcisException:NotAcceptableException"
    assert header in answer.json()["detail"]
    assert answer.headers["GS1-EPCIS-Version"] == "2.0.0"


def test_a_client_whose_range_holds_our_version_is_answered(
    client: TestClient, tokens_by_role: dict[str, str]
) -> None:
    headers = auth(tokens_by_role["province"]) | {"GS1-EPCIS-Min": "1.2", "GS1-EPCIS-Max": "2.0.0"}
    assert _names(client.get("/epcis/events", headers=headers)) == ORDER


def test_the_platform_hands_the_epcis_paths_to_this_app(client: TestClient) -> None:
    mounted = MountedApp(epcis_app.PATHS, client.app, name="epcis")
    platform = TestClient(platform_app(home=Home(None), health=Health(), mounts=[mounted]))
    answer = platform.get("/epcis/events")
    assert answer.status_code == 401
    assert answer.json()["type"] == "epcisException:SecurityException"
    assert not mounted.claims("/epcisx")


def test_an_organisation_reads_through_a_pool_that_hands_out_dict_rows(
    world_admin_url: str,
) -> None:
    """The platform's pool (the records application's) gives dict rows by default."""
    settings = NguonSettings(**on_database(world_admin_url))
    assert settings.database_url is not None
    app_url = settings.database_url.get_secret_value()

    def connect() -> psycopg.Connection[Any]:
        return psycopg.connect(app_url, row_factory=dict_row)

    tokens = TokenStore(connect)
    records = Records(eventsourcing_env(app_url, create_table=False))
    try:
        client = TestClient(epcis_app.create_app(settings, records, tokens, connect))
        cooperative = auth(tokens.create(Role.COOPERATIVE, C))
        province = auth(tokens.create(Role.PROVINCE))
        seen = client.get("/epcis/events", headers=cooperative)
        assert _names(seen) == [
            n for n in ORDER if n in {"harvest", "label", "ship_a", "receive_a", "process"}
        ]
        assert client.get("/epcis/bizSteps", headers=cooperative).json()["member"] == [
            "commissioning",
            "receiving",
            "shipping",
        ]
        moved = client.get(
            "/epcis/events/" + quote(ALIASED, safe=""), headers=province, follow_redirects=False
        )
        assert moved.status_code == 301
    finally:
        tokens.close()
        records.close()

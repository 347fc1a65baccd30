"""The resolver meets the GS1-Conformant Resolver standard 1.2.0, point by point.

GS1's own schemas (vendored unmodified in ``tests/standards/gs1-resolver``) check the
description file and every linkset; ``linktypes.json`` there is GS1's list of link types.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft7Validator

from .builders import CODE, GTIN14, LOT, a_provenance_document, recalled
from .conftest import PUBLIC_BASE_URL, ClientFactory

STANDARDS = Path(__file__).parents[2] / "standards" / "gs1-resolver"
LINK = f"/01/{GTIN14}/10/{LOT}"
ANCHOR = PUBLIC_BASE_URL + LINK
PAGE = f"{PUBLIC_BASE_URL}/b/{CODE}"
PRODUCT_PAGE = f"{PUBLIC_BASE_URL}/p/{GTIN14}"
VOC = "https://gs1.org/voc/"
DECLARED = {
    "gs1:defaultLink": PAGE,
    "gs1:pip": PAGE,
    "gs1:traceability": f"{PAGE}/traceability.json",
    "gs1:recallStatus": f"{PAGE}/recall.json",
}


def _schema(name: str) -> Draft7Validator:
    return Draft7Validator(json.loads((STANDARDS / name).read_text(encoding="utf-8")))


def _errors(validator: Draft7Validator, instance: Any) -> list[str]:
    return [error.message for error in validator.iter_errors(instance)]


# Description file ----------------------------------------------------------------------------


def test_the_description_file_validates_against_gs1_s_schema(serving: ClientFactory) -> None:
    description = serving().get("/.well-known/gs1resolver").json()

    assert _errors(_schema("description-file-schema.json"), description) == []
    assert description["resolverRoot"] == PUBLIC_BASE_URL


# Linksets ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("params", "headers"),
    [
        ({"linkType": "linkset"}, {}),
        ({"linkType": "all"}, {}),
        ({}, {"Accept": "application/linkset+json"}),
    ],
    ids=["linkType=linkset", "linkType=all", "Accept"],
)
def test_the_linkset_is_served_on_request_and_validates_against_gs1_s_schema(
    serving: ClientFactory, params: dict[str, str], headers: dict[str, str]
) -> None:
    response = serving(a_provenance_document()).get(LINK, params=params, headers=headers)

    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/linkset+json")
    assert _errors(_schema("gs1-linkset-schema.json"), response.json()) == []
    links = response.json()["linkset"][0]
    assert links["anchor"] == ANCHOR
    assert links[f"{VOC}pip"][0]["href"] == PAGE


def test_the_gtin_s_linkset_validates_against_gs1_s_schema(serving: ClientFactory) -> None:
    response = serving(a_provenance_document()).get(f"/01/{GTIN14}", params={"linkType": "linkset"})

    assert _errors(_schema("gs1-linkset-schema.json"), response.json()) == []
    assert response.json()["linkset"][0][f"{VOC}defaultLink"][0]["href"] == PRODUCT_PAGE


def test_every_link_type_in_the_linkset_is_one_gs1_defines(serving: ClientFactory) -> None:
    known = json.loads((STANDARDS / "linktypes.json").read_text(encoding="utf-8"))
    linkset = serving(a_provenance_document()).get(LINK, params={"linkType": "all"}).json()

    relations = set(linkset["linkset"][0]) - {"anchor", "itemDescription"}

    assert {relation.removeprefix(VOC) for relation in relations} <= set(known)


def test_the_default_link_carries_no_language_media_type_or_context(
    serving: ClientFactory,
) -> None:
    linkset = serving(a_provenance_document()).get(LINK, params={"linkType": "all"}).json()

    assert linkset["linkset"][0][f"{VOC}defaultLink"] == [
        {"href": PAGE, "title": "Gạo nếp cái hoa vàng Thiệu Trung"}
    ]


# Link headers --------------------------------------------------------------------------------


@pytest.mark.parametrize("params", [{}, {"linkType": "linkset"}, {"linkType": "gs1:pip"}])
def test_every_answer_points_at_the_linkset_and_the_json_ld_context(
    serving: ClientFactory, params: dict[str, str]
) -> None:
    response = serving(a_provenance_document()).get(LINK, params=params, follow_redirects=False)

    link = response.headers["link"]
    assert f'<{ANCHOR}?linkType=linkset>; rel="linkset"' in link
    assert (
        "<https://ref.gs1.org/standards/resolver/linkset-context>; "
        'rel="http://www.w3.org/ns/json-ld#context"'
    ) in link


# Link types ----------------------------------------------------------------------------------


@pytest.mark.parametrize(("link_type", "target"), DECLARED.items())
def test_each_declared_link_type_redirects_to_its_link(
    serving: ClientFactory, link_type: str, target: str
) -> None:
    response = serving(a_provenance_document()).get(
        LINK, params={"linkType": link_type}, follow_redirects=False
    )

    assert response.status_code == 307
    assert response.headers["location"] == target


def test_a_link_type_may_be_named_by_its_full_uri(serving: ClientFactory) -> None:
    response = serving(a_provenance_document()).get(
        LINK, params={"linkType": f"{VOC}traceability"}, follow_redirects=False
    )

    assert response.headers["location"] == DECLARED["gs1:traceability"]


@pytest.mark.parametrize("link_type", ["gs1:allergenInfo", "gs1:nonsense", "schema:pip", "x"])
def test_a_link_type_the_lot_does_not_declare_is_not_found(
    serving: ClientFactory, link_type: str
) -> None:
    response = serving(a_provenance_document()).get(LINK, params={"linkType": link_type})

    assert response.status_code == 404
    assert "linkType" in response.text


def test_the_traceability_link_is_the_provenance_document(serving: ClientFactory) -> None:
    response = serving(a_provenance_document()).get(LINK, params={"linkType": "gs1:traceability"})

    assert response.headers["content-type"].startswith("application/json")
    assert response.json()["code"] == CODE


def test_the_recall_status_link_says_whether_the_lot_is_recalled(serving: ClientFactory) -> None:
    client = serving(a_provenance_document(recall=recalled()))

    status = client.get(LINK, params={"linkType": "gs1:recallStatus"}).json()

    assert status["recalled"] is True
    assert status["reason"]
    assert status["code"] == CODE


# Query strings -------------------------------------------------------------------------------


def test_a_redirect_passes_the_query_string_on(serving: ClientFactory) -> None:
    response = serving(a_provenance_document()).get(
        LINK, params={"lang": "en", "utm_source": "qr"}, follow_redirects=False
    )

    assert response.headers["location"] == f"{PAGE}?lang=en&utm_source=qr"


def test_a_link_type_redirect_passes_the_rest_of_the_query_string_on(
    serving: ClientFactory,
) -> None:
    response = serving(a_provenance_document()).get(
        LINK, params={"linkType": "gs1:pip", "lang": "en"}, follow_redirects=False
    )

    assert response.headers["location"] == f"{PAGE}?lang=en"


# Walking up ----------------------------------------------------------------------------------


def test_a_gtin_alone_redirects_to_the_product_page(serving: ClientFactory) -> None:
    response = serving(a_provenance_document()).get(f"/01/{GTIN14}", follow_redirects=False)

    assert response.status_code == 307
    assert response.headers["location"] == PRODUCT_PAGE


def test_an_unknown_lot_walks_up_to_its_gtin(serving: ClientFactory) -> None:
    """Before the standard was followed, an unknown lot was a 404."""
    response = serving(a_provenance_document()).get(
        f"/01/{GTIN14}/10/NCHV-2025-99", follow_redirects=False
    )

    assert response.status_code == 307
    assert response.headers["location"] == PRODUCT_PAGE
    assert response.headers["cache-control"] == "no-cache", "the lot may be written next"


def test_a_serial_number_falls_back_to_its_lot(serving: ClientFactory) -> None:
    response = serving(a_provenance_document()).get(f"{LINK}/21/BAG-00042", follow_redirects=False)

    assert response.status_code == 307
    assert response.headers["location"] == PAGE


def test_the_product_page_names_the_product_its_labeller_and_its_lots(
    serving: ClientFactory,
) -> None:
    older = a_provenance_document(code="TH-2026-000099", lot="NCHV-2025-12", last_position=10)
    response = serving(a_provenance_document(), older).get(f"/01/{GTIN14}")

    assert response.status_code == 200
    assert "Gạo nếp cái hoa vàng Thiệu Trung" in response.text
    assert "HTX Nông nghiệp Thiệu Trung" in response.text
    assert response.text.index(CODE) < response.text.index("TH-2026-000099"), "newest first"


def test_the_product_page_answers_json_clients(serving: ClientFactory) -> None:
    response = serving(a_provenance_document()).get(
        f"/p/{GTIN14}", headers={"Accept": "application/json"}
    )

    assert response.json()["gtin"] == GTIN14
    assert [lot["code"] for lot in response.json()["lots"]] == [CODE]


# Malformed paths -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "path",
    [f"{LINK}/foo", f"{LINK}/21", f"/01/{GTIN14}/99/X", f"/01/{GTIN14}/21/S/10/{LOT}"],
    ids=["odd segment", "qualifier without value", "unknown qualifier", "qualifiers out of order"],
)
def test_a_malformed_digital_link_is_a_bad_request(serving: ClientFactory, path: str) -> None:
    """Before the standard was followed these were 404s."""
    assert serving(a_provenance_document()).get(path).status_code == 400


# CORS ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("path", [LINK, f"/01/{GTIN14}", "/.well-known/gs1resolver", f"/b/{CODE}"])
def test_a_cors_preflight_is_answered(serving: ClientFactory, path: str) -> None:
    response = serving(a_provenance_document()).options(
        path,
        headers={
            "Origin": "https://scanner.example",
            "Access-Control-Request-Method": "GET",
            "Access-Control-Request-Headers": "accept, accept-language",
        },
    )

    assert response.status_code == 204
    assert response.headers["access-control-allow-origin"] == "*"
    assert "GET" in response.headers["access-control-allow-methods"]
    assert response.headers["access-control-allow-headers"] == "accept, accept-language"


@pytest.mark.parametrize("params", [{}, {"linkType": "linkset"}])
def test_resolver_answers_can_be_read_by_any_site_s_scripts(
    serving: ClientFactory, params: dict[str, str]
) -> None:
    response = serving(a_provenance_document()).get(LINK, params=params, follow_redirects=False)

    assert response.headers["access-control-allow-origin"] == "*"
    assert "Link" in response.headers["access-control-expose-headers"]

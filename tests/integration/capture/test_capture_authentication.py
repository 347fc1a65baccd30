"""Every capture endpoint needs a bearer token; tokens resolve to a role and an organisation."""

from __future__ import annotations

from uuid import uuid4

import psycopg
import pytest

from shared.domain.errors import InvalidValue, NotFound
from shared.postgres.tokens import TokenStore, token_hash
from shared.records.actors import Actor, Role
from tests.builders import cooperative_json
from tests.integration.capture.capture_api import CaptureApi, Party, error_of


def test_a_request_without_a_token_is_refused_with_a_bearer_challenge(api: CaptureApi) -> None:
    stored = api.events_stored()

    answer = api.client.post("/api/v1/cooperatives", json=cooperative_json())

    assert answer.status_code == 401
    assert answer.headers["WWW-Authenticate"] == "Bearer"
    assert error_of(answer)["code"] == "unauthenticated"
    assert api.events_stored() == stored


def test_an_unknown_token_is_refused_as_invalid(api: CaptureApi) -> None:
    stored = api.events_stored()

    answer = api.post("/cooperatives", cooperative_json(), Party("ng_not-a-token-we-issued"))

    assert answer.status_code == 401
    assert answer.headers["WWW-Authenticate"] == 'Bearer error="invalid_token"'
    assert api.events_stored() == stored


def test_a_token_of_another_scheme_is_not_a_bearer_token(api: CaptureApi) -> None:
    answer = api.client.get("/api/v1/batches/TH-2026-000001", headers={"Authorization": "Basic x"})

    assert answer.status_code == 401


def test_reads_need_a_token_too(api: CaptureApi) -> None:
    code = api.harvest()

    assert api.client.get(f"/api/v1/batches/{code}").status_code == 401
    assert api.client.get(f"/api/v1/batches/{code}/events").status_code == 401


def test_a_revoked_token_stops_working_at_once_where_it_was_revoked(
    api: CaptureApi, tokens: TokenStore
) -> None:
    issued = tokens.issue(Role.PROVINCE, label="Sở NN&MT, phòng KTHT")
    party = Party(issued.token)
    assert api.post("/cooperatives", cooperative_json(), party).status_code == 201

    tokens.revoke(issued.id)

    assert api.post("/cooperatives", cooperative_json(), party).status_code == 401


def test_a_token_resolves_to_its_role_and_organisation(tokens: TokenStore) -> None:
    organisation = uuid4()
    issued = tokens.issue(Role.COOPERATIVE, organisation, label="HTX Thiệu Trung")

    assert tokens.resolve(issued.token) == Actor(Role.COOPERATIVE, organisation, issued.id)
    assert issued.token.startswith("ng_")


def test_only_the_tokens_hash_is_stored(api: CaptureApi, tokens: TokenStore) -> None:
    token = tokens.create(Role.ADMIN)

    with psycopg.connect(api.admin_url) as conn:
        hashes = [row[0] for row in conn.execute("SELECT token_hash FROM nguon_tokens")]
    assert token_hash(token) in hashes
    assert token not in hashes


@pytest.mark.parametrize("role", [Role.COOPERATIVE, Role.ENTERPRISE])
def test_an_organisations_token_must_name_its_organisation(tokens: TokenStore, role: Role) -> None:
    with pytest.raises(InvalidValue) as refused:
        tokens.create(role)

    assert refused.value.field == "organisation_id"


@pytest.mark.parametrize("role", [Role.ADMIN, Role.PROVINCE])
def test_a_staff_token_acts_for_no_organisation(tokens: TokenStore, role: Role) -> None:
    with pytest.raises(InvalidValue):
        tokens.create(role, uuid4())


def test_an_unknown_role_is_refused(tokens: TokenStore) -> None:
    with pytest.raises(InvalidValue) as refused:
        tokens.create("farmer")

    assert refused.value.field == "role"


def test_revoking_an_unknown_token_is_not_found(tokens: TokenStore) -> None:
    with pytest.raises(NotFound):
        tokens.revoke(uuid4())

"""Schemathesis against every operation of every mounted app's OpenAPI document.

The real platform on a real PostgreSQL, fed by the embedded projections; each operation gets
30 examples (derandomized, so every run tries the same ones), each sent with a province token
and with a cooperative token. Every answer must be no server error and conform to the document
(status, content type, headers, body). After each operation's examples the projections must
still be healthy and a new harvest must get its page.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from schemathesis import APIOperation, GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.core.result import Ok
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)
from starlette.routing import Mount

from tests.integration.contract.platform import Platform, a_platform, check_healthy

EXAMPLES = 30
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]


@pytest.fixture
def platform(fresh_database_admin_url: str) -> Iterator[Platform]:
    with a_platform(fresh_database_admin_url) as running:
        yield running
        check_healthy(running)


def _documents(platform: Platform) -> Iterator[tuple[str, Any]]:
    """The platform's own document and that of every app mounted in it, each with its app.

    A mounted app is fuzzed directly, on its own document's paths (which do not carry the
    mount's prefix).
    """
    apps = [platform.app] + [route.app for route in platform.app.routes if isinstance(route, Mount)]
    for app in apps:
        url = getattr(app, "openapi_url", None)
        if url:
            yield url, app


def _on_known_records(case: schemathesis.Case[Any], known: dict[str, str]) -> Any:
    """Points a generated case's path at records that exist, so it reaches the domain's rules
    instead of stopping at 'not found'."""
    for name, value in known.items():
        if case.path_parameters and name in case.path_parameters:
            case.path_parameters[name] = value
    return case


def _fuzz(
    operation: APIOperation[Any, Any, Any, Any], platform: Platform, known: dict[str, str]
) -> dict[int, int]:
    """Answers by status, of the examples tried against ``operation``."""
    # Positive examples reach the domain's rules (half of them on records that exist);
    # negative ones the API's refusals.
    positive = operation.as_strategy(GenerationMode.POSITIVE)
    cases = st.one_of(
        positive,
        positive.map(lambda case: _on_known_records(case, known)),
        operation.as_strategy(GenerationMode.NEGATIVE),
    )

    @given(case=cases)
    @settings(
        max_examples=EXAMPLES,
        derandomize=True,
        deadline=None,
        suppress_health_check=list(HealthCheck),
        database=None,
        phases=[Phase.explicit, Phase.generate],  # shrinking would multiply the run time
    )
    def each(case: schemathesis.Case[Any]) -> None:
        for token in (platform.province_token, platform.cooperative_token):
            answer = case.call_and_validate(headers=platform.auth(token), checks=CHECKS)
            statuses[answer.status_code] = statuses.get(answer.status_code, 0) + 1

    statuses: dict[int, int] = {}
    each()
    return statuses


def test_no_operation_answers_a_server_error_or_breaks_its_document(platform: Platform) -> None:
    harvested = platform.harvest()
    assert harvested.status_code == 201, harvested.text
    cooperative = platform.cooperative_organisation
    known = {
        "ref": harvested.json()["results"][0]["code"],
        "cooperative_id": cooperative,
        "organisation_id": cooperative,
        "plot_id": platform.plot_id,
    }
    failures: dict[str, str] = {}
    operations = 0
    for url, app in _documents(platform):
        document = schemathesis.openapi.from_asgi(url, app)
        for found in document.get_all_operations():
            assert isinstance(found, Ok), f"the document is not valid OpenAPI: {found.err()}"
            operation = found.ok()
            operations += 1
            try:
                answered = _fuzz(operation, platform, known)
                print(operation.label, dict(sorted(answered.items())))  # the run's figures, with -s
            except (Exception, BaseExceptionGroup) as failure:  # every operation is tried
                failures[operation.label] = f"{type(failure).__name__}: {failure}"[:3000]

    assert operations >= 30
    assert not failures, "\n\n".join(f"{label}\n{text}" for label, text in failures.items())

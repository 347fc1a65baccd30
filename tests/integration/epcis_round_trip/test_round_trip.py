"""Round trip: a whole rice chain leaves one platform as EPCIS and enters another by capture.

Platform A records the chain; a partner reads it all through A's ``GET /epcis/events``. Platform B
knows the same cooperatives, companies and fields by the same GLNs (registered there as on A),
and each organisation sends B the events it recorded on A, with its own token on B, through
``POST /epcis/capture``. The retail lot's provenance document on B then tells the buyer the same
story as A's: names, plots, steps, quantities and recall state; only codes and ids differ.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from itertools import groupby
from typing import Any

from shared.readmodels.documents import ProvenanceDocument
from tests.integration.epcis_round_trip.two_platforms import (
    PROVINCE,
    Platform,
    a_chain_exported,
    document_of,
)


def _capture(platform: Platform, token: str, events: list[dict[str, Any]]) -> dict[str, Any]:
    answer = platform.client.post(
        "/epcis/capture",
        content=json.dumps(document_of(events)),
        headers={"Authorization": f"Bearer {token}", "Content-Type": "application/ld+json"},
    )
    assert answer.status_code == 202, answer.text
    job = platform.client.get(
        answer.headers["Location"], headers={"Authorization": f"Bearer {token}"}
    )
    assert job.status_code == 200, job.text
    return dict(job.json())


_CODE = re.compile(r"TH-\d{4}-\d{6}")
_UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
_PLATFORM_OWN = ("batch_id", "fingerprint", "last_position")


def _without_codes_and_ids(document: ProvenanceDocument) -> Any:
    """The document with every batch code and id blanked, and the platform's own bookkeeping
    (fingerprint, position) left out: what must be equal across the two platforms."""
    kept = {k: v for k, v in document.items() if k not in _PLATFORM_OWN}
    text = _UUID.sub("<id>", _CODE.sub("<code>", json.dumps(kept, ensure_ascii=False)))
    return _sorted(json.loads(text))


def _sorted(value: Any) -> Any:
    # Lists whose order follows ids or codes on one platform (plots, cooperatives, partners)
    # may come in another order on the other. The timeline keeps its order by time; steps of
    # the same moment (the two cooperatives' harvests) follow their codes, so they are sorted.
    if isinstance(value, dict):
        return {k: _timeline(v) if k == "timeline" else _sorted(v) for k, v in value.items()}
    if isinstance(value, list):
        return sorted((_sorted(v) for v in value), key=_canonical)
    return value


def _timeline(steps: list[dict[str, Any]]) -> list[Any]:
    ordered = [_sorted(step) for step in steps]
    assert [s["at"] for s in ordered] == sorted(s["at"] for s in ordered)
    return sorted(ordered, key=lambda step: (step["at"], _canonical(step)))


def _canonical(value: Any) -> str:
    return json.dumps(value, sort_keys=True, ensure_ascii=False)


def test_the_retail_lot_captured_on_a_second_platform_tells_the_buyer_the_same_story(
    make_fresh_database: Callable[[], str],
) -> None:
    with a_chain_exported(make_fresh_database) as x:
        jobs = [
            (who, _capture(x.b, x.b.token(x.world_b, who), [e for _, e in run]))
            for who, run in groupby(x.sent, key=lambda pair: pair[0])
        ]
        x.b.project()

        assert len(x.sent) < len(x.exported)  # the recall's reach was left to B
        # Runs of one organisation's events, in the order they happened (the two cooperatives'
        # harvests interleave): each sent by that organisation with its own token on B.
        senders = {organisation for organisation, _ in jobs}
        assert senders == {"cooperative_a", "cooperative_b", "miller", "retailer", PROVINCE}
        for organisation, job in jobs:
            assert job["success"] is True, (organisation, job.get("errors"))
            assert job["running"] is False
        document_a, document_b = x.a.provenance(), x.b.provenance()
        assert document_b["recall"]["recalled"] is document_a["recall"]["recalled"] is True
        assert document_b["quantity"] == document_a["quantity"]
        assert _without_codes_and_ids(document_b) == _without_codes_and_ids(document_a)


def test_capturing_the_same_export_twice_stores_nothing_twice(
    make_fresh_database: Callable[[], str],
) -> None:
    with a_chain_exported(make_fresh_database) as x:
        who, run = next(groupby(x.sent, key=lambda pair: pair[0]))
        first_run = [e for _, e in run]
        token = x.b.token(x.world_b, who)

        first = _capture(x.b, token, first_run)
        stored = x.b.records.position()
        again = _capture(x.b, token, first_run)

        assert first["success"] is True
        assert again["success"] is True
        assert x.b.records.position() == stored
        statuses = {e["status"] for e in again["nguon:events"]}
        assert statuses == {"duplicate"}, again

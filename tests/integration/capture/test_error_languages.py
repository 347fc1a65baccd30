"""Refusals speak the client's language: Vietnamese when asked, English otherwise, one code.

Real refusals of the real app on real PostgreSQL, each answered twice: the ``code`` and the
``params`` do not change with the language, the message is the catalogue's ``error_<code>``
formatted with those params (so a message speaking of a param the raise does not pass would
fail here with the KeyError it raises), and the hint is translated too.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import httpx
import pytest

from shared.i18n import Translator
from tests.builders import a_gtin, after_harvest
from tests.integration.capture.capture_api import CaptureApi, Party, error_of

VIETNAMESE = {"Accept-Language": "vi-VN,vi;q=0.9,en;q=0.5"}


def _label(api: CaptureApi, code: str, gtin: str, lot: str, by: Party) -> dict[str, Any]:
    body = {"gtin": gtin, "lot": lot, "labels_issued": 50, "at": after_harvest(2).isoformat()}
    return {"path": f"/api/v1/batches/{code}/labels", "json": body, "headers": by.auth}


def _unregistered_gtin(api: CaptureApi) -> dict[str, Any]:
    return _label(api, api.harvest(), a_gtin(), "L1", api.cooperative)


def _wrong_check_digit(api: CaptureApi) -> dict[str, Any]:
    gtin = a_gtin()
    wrong = gtin[:-1] + str((int(gtin[-1]) + 1) % 10)
    return _label(api, api.harvest(), wrong, "L1", api.cooperative)


def _lot_with_spaces(api: CaptureApi) -> dict[str, Any]:
    return _label(api, api.harvest(), a_gtin(), "LÔ 1", api.cooperative)


def _someone_elses_batch(api: CaptureApi) -> dict[str, Any]:
    return _label(api, api.harvest(), a_gtin(), "L1", api.other_cooperative)


def _no_such_batch(api: CaptureApi) -> dict[str, Any]:
    return {"path": "/api/v1/batches/TH-2026-999999", "headers": api.cooperative.auth}


def _no_token(api: CaptureApi) -> dict[str, Any]:
    return {"path": "/api/v1/batches/TH-2026-000001", "headers": {}}


Refusal = Callable[[CaptureApi], dict[str, Any]]
REFUSALS: dict[str, tuple[Refusal, str]] = {
    "an unregistered GTIN": (_unregistered_gtin, "gtin_not_registered"),
    "a wrong check digit": (_wrong_check_digit, "gtin_check_digit"),
    "a lot with a space and an accent": (_lot_with_spaces, "lot_characters"),
    "another cooperative's batch": (_someone_elses_batch, "not_custodian"),
    "a batch no one harvested": (_no_such_batch, "not_found"),
    "no token": (_no_token, "unauthenticated"),
}


def _send(api: CaptureApi, request: dict[str, Any], extra: dict[str, str]) -> httpx.Response:
    headers = request["headers"] | extra
    answer: httpx.Response
    if "json" in request:
        answer = api.client.post(request["path"], json=request["json"], headers=headers)
    else:
        answer = api.client.get(request["path"], headers=headers)
    return answer


@pytest.mark.parametrize("refusal", REFUSALS, ids=list(REFUSALS))
def test_a_refusal_keeps_its_code_and_params_in_vietnamese_and_english(
    api: CaptureApi, refusal: str
) -> None:
    make, code = REFUSALS[refusal]
    request = make(api)

    english = _send(api, request, {})
    vietnamese = _send(api, request, VIETNAMESE)

    assert english.status_code == vietnamese.status_code >= 400, english.text
    en, vi = error_of(english), error_of(vietnamese)
    assert en["code"] == vi["code"] == code
    assert en["params"] == vi["params"]
    assert en["message"] == Translator("en")(f"error_{code}", **en["params"])
    assert vi["message"] == Translator("vi")(f"error_{code}", **vi["params"])
    assert vi["message"] != en["message"]
    assert vi["hint"] != en["hint"]
    assert "{" not in vi["message"] + en["message"], "every placeholder was filled"


def test_the_vietnamese_message_names_what_was_wrong(api: CaptureApi) -> None:
    request = _wrong_check_digit(api)

    answer = error_of(_send(api, request, VIETNAMESE))

    gtin = request["json"]["gtin"]
    assert answer["params"]["gtin"] == gtin
    assert f"Mã GTIN “{gtin}” không hợp lệ: số kiểm tra phải là" in answer["message"]


def test_without_accept_language_the_api_answers_in_english(api: CaptureApi) -> None:
    answer = error_of(_send(api, _no_such_batch(api), {}))

    assert answer["message"].startswith("nothing carries TH-2026-999999")
    assert answer["hint"] == "Check the id or code: nothing carries it."

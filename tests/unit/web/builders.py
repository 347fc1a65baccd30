"""Provenance documents with realistic Thanh Hóa data, for the web tests.

``a_provenance_document(**overrides)`` is a labelled, inspected, certified batch of sticky rice
from a fictional cooperative in Xã Thiệu Trung; override any field to make the case at hand.
"""

from __future__ import annotations

from typing import Any, cast

from shared.readmodels.documents import (
    Certification,
    Inspection,
    OrganisationRef,
    OriginPlot,
    ProvenanceDocument,
    Recall,
    TimelineStep,
)

CODE = "TH-2026-000123"
GTIN14 = "08934563123451"
GTIN13 = "8934563123451"
LOT = "NCHV-2026-01"
FINGERPRINT = "3f9a1c0e7b2d4a6f8e1c3b5d7f9a0c2e4b6d8f0a1c3e5b7d9f1a3c5e7b9d0f2a"


def a_cooperative(**overrides: Any) -> OrganisationRef:
    organisation: dict[str, Any] = {
        "id": "0f6c1a52-3d7e-4b8a-9c21-5e4f6a7b8c90",
        "kind": "cooperative",
        "name": "HTX Nông nghiệp Thiệu Trung",
        "address": "Xã Thiệu Trung (huyện Thiệu Hóa cũ), tỉnh Thanh Hóa",
    }
    return cast(OrganisationRef, organisation | overrides)


def an_enterprise(**overrides: Any) -> OrganisationRef:
    organisation: dict[str, Any] = {
        "id": "7a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d",
        "kind": "enterprise",
        "name": "Công ty TNHH Nông sản Xứ Thanh",
        "address": "Phường Hạc Thành, tỉnh Thanh Hóa",
    }
    return cast(OrganisationRef, organisation | overrides)


def a_plot(**overrides: Any) -> OriginPlot:
    plot: dict[str, Any] = {
        "id": "5b8e2f10-6a3c-4d9e-8f21-0c7b6a5d4e3f",
        "planting_area_code": "VN-THH-0381-NCHV",
        "crop": "Lúa nếp cái hoa vàng",
        "area_ha": "2.40",
        "commune": "Xã Thiệu Trung",
        "cooperative": a_cooperative(),
        "location": {"type": "Point", "coordinates": [105.687421, 19.893512]},
    }
    return cast(OriginPlot, plot | overrides)


def a_polygon_plot(**overrides: Any) -> OriginPlot:
    ring = [
        [105.901112, 19.860021],
        [105.904873, 19.860134],
        [105.905011, 19.857702],
        [105.901254, 19.857518],
        [105.901112, 19.860021],
    ]
    return a_plot(
        id="9d3e4f50-1a2b-4c3d-8e4f-5a6b7c8d9e0f",
        planting_area_code="VN-THH-0412-BLV",
        crop="Bưởi Luận Văn",
        area_ha="7.15",
        commune="Xã Hoằng Đạo",
        location={"type": "Polygon", "coordinates": [ring]},
        **overrides,
    )


def a_step(kind: str, at: str, **overrides: Any) -> TimelineStep:
    step: dict[str, Any] = {
        "at": at,
        "kind": kind,
        "batch_code": CODE,
        "organisation": a_cooperative(),
        "summary": {},
    }
    return cast(TimelineStep, step | overrides)


def a_journey() -> list[TimelineStep]:
    return [
        a_step(
            "harvested",
            "2026-05-20T06:30:00+07:00",
            batch_code="TH-2026-000101",
            summary={"variety": "Nếp cái hoa vàng", "harvested_on": "2026-05-20"},
        ),
        a_step("processed", "2026-05-22T08:00:00+07:00", summary={"step": "drying"}),
        a_step(
            "processed",
            "2026-05-27T14:15:00+07:00",
            summary={"step": "milling", "facility": "Xưởng xay xát Thiệu Trung"},
        ),
        a_step(
            "inspected",
            "2026-05-28T10:00:00+07:00",
            summary={"lab": "Trung tâm Kiểm nghiệm Thanh Hóa", "result": "pass"},
        ),
        a_step("labelled", "2026-05-29T09:00:00+07:00", summary={"gtin": GTIN14, "lot": LOT}),
        a_step(
            "shipped",
            "2026-05-30T07:45:00+07:00",
            summary={"to": "Công ty TNHH Nông sản Xứ Thanh"},
        ),
        a_step(
            "received",
            "2026-05-30T16:20:00+07:00",
            organisation=an_enterprise(),
        ),
    ]


def an_inspection(**overrides: Any) -> Inspection:
    inspection: dict[str, Any] = {
        "at": "2026-05-28T10:00:00+07:00",
        "lab": "Trung tâm Kiểm nghiệm Thanh Hóa",
        "result": "pass",
        "parameters": {"Dư lượng thuốc BVTV": "không phát hiện", "Độ ẩm": "13,5 %"},
        "document": "KN-2026-0528-17",
        "batch_code": CODE,
    }
    return cast(Inspection, inspection | overrides)


def a_certification(**overrides: Any) -> Certification:
    certification: dict[str, Any] = {
        "scheme": "VietGAP",
        "holder": "HTX Nông nghiệp Thiệu Trung",
        "certificate": "VietGAP-TT-38-0219",
        "valid_from": "2025-03-01",
        "valid_until": "2099-02-28",
        "valid_now": True,
    }
    return cast(Certification, certification | overrides)


def a_value_chain() -> dict[str, object]:
    return {
        "id": "c4a1e2b3-5d6f-4e7a-8b9c-0d1e2f3a4b5c",
        "name": "Chuỗi gạo nếp cái hoa vàng Thiệu Hóa",
        "commodity": "Gạo nếp",
        "partners": [
            {**an_enterprise(), "role": "processor"},
            {**a_cooperative(), "role": "producer"},
        ],
    }


def not_recalled() -> Recall:
    return {"recalled": False, "at": None, "reason": None, "origin_batch_code": None}


def recalled(**overrides: Any) -> Recall:
    recall: dict[str, Any] = {
        "recalled": True,
        "at": "2026-06-02T15:00:00+07:00",
        "reason": "Phát hiện nấm mốc trong kho",
        "origin_batch_code": "TH-2026-000101",
    }
    return cast(Recall, recall | overrides)


def a_provenance_document(**overrides: Any) -> ProvenanceDocument:
    document: dict[str, Any] = {
        "batch_id": "2e7d9c1b-4a3f-4b6e-9d8c-7a6b5c4d3e2f",
        "code": CODE,
        "gtin": GTIN14,
        "lot": LOT,
        "product": "Gạo nếp cái hoa vàng Thiệu Trung",
        "commodity": "Gạo",
        "variety": "Nếp cái hoa vàng",
        "quantity": "25 kg",
        "status": "active",
        "holder": an_enterprise(),
        "harvest_dates": ["2026-05-20"],
        "origin_plots": [a_plot(), a_polygon_plot()],
        "cooperatives": [a_cooperative()],
        "value_chains": [a_value_chain()],
        "timeline": a_journey(),
        "inspections": [an_inspection()],
        "certifications": [a_certification()],
        "recall": not_recalled(),
        "fingerprint": FINGERPRINT,
        "last_position": 4182,
    }
    return cast(ProvenanceDocument, document | overrides)


def a_big_document() -> ProvenanceDocument:
    """Thirty steps, several plots and certifications: the heaviest page we expect."""
    steps = [
        a_step(
            "processed",
            f"2026-06-{1 + day // 2:02d}T{8 + day % 8:02d}:00:00+07:00",
            summary={"step": "sorting", "facility": f"Kho sơ chế số {day} Xã Quảng Phú"},
        )
        for day in range(30)
    ]
    return a_provenance_document(
        timeline=steps,
        origin_plots=[a_plot(), a_polygon_plot(), a_plot(commune="Xã Quảng Phú")] * 2,
        certifications=[a_certification(), a_certification(scheme="OCOP 4 sao")],
        inspections=[an_inspection(), an_inspection(result="fail")],
    )

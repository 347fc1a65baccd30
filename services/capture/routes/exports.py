"""Exports for a lot or a date range: FSMA 204's sortable spreadsheet and EUDR's GeoJSON.

Who may export follows the trace's rule (ARCHITECTURE.md, "Who may read what"): provincial
staff any lot; an organisation a lot it holds or held (or was sent), and, for a date range
alone, the batches it was party to. Another organisation's quantities appear only where that
organisation publishes them. The facts come from the provenance projection
(:class:`~shared.readmodels.exports.ExportReader`) over the event store's own connections.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query
from starlette.concurrency import run_in_threadpool
from starlette.responses import Response

from services.capture.auth import CurrentActor
from services.capture.context import CaptureDep
from shared.domain.errors import InvalidValue
from shared.exports import eudr, fsma204
from shared.exports.workbooks import CSV_TYPE, XLSX_TYPE
from shared.readmodels.exports import ExportReader, LotFacts
from shared.readmodels.rebuild import connections_of
from shared.records.actors import Actor

router = APIRouter(prefix="/exports", tags=["exports"])
Lot = Annotated[
    str | None,
    Query(
        min_length=1,
        max_length=100,
        description="batch code (TH-2026-000123) or id; with gtin, the GS1 lot number",
    ),
]
Gtin = Annotated[str | None, Query(pattern=r"^\d{8,14}$", description="GTIN of a labelled lot")]
From = Annotated[date | None, Query(alias="from", description="first event date (Vietnam)")]
To = Annotated[date | None, Query(alias="to", description="last event date (Vietnam)")]
RESPONSES: dict[int | str, dict[str, Any]] = {
    200: {"content": {XLSX_TYPE: {}, "text/csv": {}}, "description": "the spreadsheet"},
    403: {"description": "the lot is not one the organisation holds or held"},
    404: {"description": "no such lot"},
}


@router.get(
    "/fsma204",
    summary="FSMA 204's electronic sortable spreadsheet for a lot and/or a date range",
    response_class=Response,
    responses=RESPONSES,
)
async def fsma204_export(
    capture: CaptureDep,
    actor: CurrentActor,
    lot: Lot = None,
    gtin: Gtin = None,
    first: From = None,
    last: To = None,
    format: Literal["xlsx", "csv"] = "xlsx",
) -> Response:
    if first is not None and last is not None and first > last:
        msg = f"from ({first}) is after to ({last}): give the earlier date first"
        raise InvalidValue("from", msg, code="date_range_reversed")
    if lot is None and (first is None or last is None):
        msg = "name a lot (?lot=TH-2026-000123), or a date range with both from and to"
        raise InvalidValue("lot", msg, code="export_scope_needed")
    reader = ExportReader(connections_of(capture.records))
    if lot is not None:
        facts = await run_in_threadpool(_lineage_for, reader, actor, lot, gtin)
        parties_only = False
    elif first is not None and last is not None:
        facts = await run_in_threadpool(reader.active_between, first, last)
        parties_only = not actor.is_staff
    request = fsma204.Request(first, last, _reader_of(actor), parties_only)
    table = fsma204.rows(facts, request)
    name = _file_name("fsma204", lot, gtin, first, last)
    if format == "csv":
        return _download(fsma204.to_csv(table), CSV_TYPE, f"{name}.csv")
    title = f"FSMA 204 — {_scope_words(lot, gtin, first, last)}"
    return _download(fsma204.to_xlsx(table, title), XLSX_TYPE, f"{name}.xlsx")


@router.get(
    "/eudr",
    summary="EUDR: the GeoJSON of the plots a lot came from",
    response_class=Response,
    responses={
        200: {"content": {eudr.GEOJSON_TYPE: {}}, "description": "a FeatureCollection"},
        403: RESPONSES[403],
        404: RESPONSES[404],
    },
)
async def eudr_export(
    capture: CaptureDep, actor: CurrentActor, lot: Lot = None, gtin: Gtin = None
) -> Response:
    if lot is None:
        msg = "name the lot whose plots you want (?lot=TH-2026-000123)"
        raise InvalidValue("lot", msg, code="export_lot_needed")
    reader = ExportReader(connections_of(capture.records))
    facts = await run_in_threadpool(_lineage_for, reader, actor, lot, gtin)
    collection = eudr.feature_collection(facts)
    name = _file_name("eudr", lot, gtin, None, None)
    return _download(eudr.to_bytes(collection), eudr.GEOJSON_TYPE, f"{name}.geojson")


def _lineage_for(reader: ExportReader, actor: Actor, lot: str, gtin: str | None) -> LotFacts:
    return reader.for_lot(lot, gtin, _reader_of(actor))


def _reader_of(actor: Actor) -> str | None:
    return None if actor.is_staff else str(actor.organisation("export records"))


def _scope_words(lot: str | None, gtin: str | None, first: date | None, last: date | None) -> str:
    words = []
    if lot is not None:
        words.append(f"GTIN {gtin}, lot {lot}" if gtin else lot)
    if first is not None or last is not None:
        words.append(f"{first or '…'} → {last or '…'}")
    return "; ".join(words)


def _file_name(
    kind: str, lot: str | None, gtin: str | None, first: date | None, last: date | None
) -> str:
    parts = [kind, *(p for p in (gtin, lot) if p), *(str(d) for d in (first, last) if d)]
    return "-".join("".join(ch if ch.isalnum() or ch in "-_" else "_" for ch in p) for p in parts)


def _download(body: bytes, media_type: str, file_name: str) -> Response:
    headers = {"Content-Disposition": f'attachment; filename="{file_name}"'}
    return Response(body, media_type=media_type, headers=headers)

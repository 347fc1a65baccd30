"""Which batch a label sheet is for, who may print it, and what its labels say.

Reads the batch's provenance document (the public read model: the labels say nothing the
buyer's page does not). Printing is for the organisation that holds the batch or labelled it
(the ``labelled`` step on its own timeline): a partner further down the chain prints its own.
"""

from __future__ import annotations

from datetime import date
from typing import cast
from uuid import UUID

from shared.domain import identifiers
from shared.gs1 import digital_link
from shared.gs1.label_pdf import LabelText
from shared.i18n.translator import Translator
from shared.readmodels.documents import ProvenanceDocument
from shared.readmodels.tracking import Connect, session

VIETNAMESE = Translator("vi")  # labels are printed for the Vietnamese market, whatever the UI


def canonical_code(raw: str) -> str | None:
    """A batch code as printed (upper case), or None if it is not one."""
    code = raw.strip().upper()
    return code if identifiers.is_batch_code(code) else None


def document_of(connect: Connect, raw_code: str) -> ProvenanceDocument | None:
    """The batch's provenance document, or None for a code that is malformed or unknown."""
    code = canonical_code(raw_code)
    if code is None:
        return None
    with session(connect) as conn:
        row = conn.execute("SELECT document FROM rm_provenance WHERE code = %s", (code,)).fetchone()
    return cast(ProvenanceDocument, row[0]) if row else None


def may_print(document: ProvenanceDocument, organisation_id: UUID) -> bool:
    """The holder, or the organisation that labelled this very batch."""
    mine = str(organisation_id)
    holder = document["holder"]
    if holder is not None and holder["id"] == mine:
        return True
    return any(
        step["kind"] == "labelled"
        and step["batch_code"] == document["code"]
        and step["organisation"] is not None
        and step["organisation"]["id"] == mine
        for step in document["timeline"]
    )


def link_of(document: ProvenanceDocument, public_base_url: str) -> str:
    """What the QR code says: the Digital Link once labelled, else the short link."""
    best_before = document.get("best_before")
    return digital_link.batch_link(
        public_base_url,
        code=document["code"],
        gtin=document["gtin"],
        lot=document["lot"],
        best_before=date.fromisoformat(best_before) if best_before else None,
    )


def text_of(document: ProvenanceDocument) -> LabelText:
    """The label's words, in Vietnamese."""
    lot = document["lot"]
    best_before = document.get("best_before")
    return LabelText(
        product=_product_name(document),
        code=document["code"],
        lot_line=f"{VIETNAMESE('labels_lot')}: {lot}" if lot else None,
        date_line=(
            f"{VIETNAMESE('labels_best_before')}: {VIETNAMESE.date(best_before)}"
            if best_before
            else None
        ),
    )


def _product_name(document: ProvenanceDocument) -> str:
    """The owner's Vietnamese name for the product, else the commodity and variety."""
    details = document.get("product_details")
    return details["name_vi"] if details else document["product"]

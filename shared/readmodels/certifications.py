"""Certifications on a page, and whether each holds today.

Validity ages while the stored document does not: ``valid_now`` is computed when a document is
materialized and computed again by the reader each time one is served (``refresh_validity``),
so a certificate that lapsed overnight is never shown as valid. Today is a calendar day in
Vietnam (UTC+7), as certificates are dated there.
"""

from __future__ import annotations

from datetime import date

from shared.readmodels.documents import Certification, ProvenanceDocument
from shared.readmodels.snapshot import Certificate


def holds_on(valid_from: str | None, valid_until: str | None, day: date) -> bool:
    if valid_from and date.fromisoformat(valid_from) > day:
        return False
    return not (valid_until and date.fromisoformat(valid_until) < day)


def certification(
    scheme: str,
    holder: str,
    certificate: str | None,
    valid_from: str | None,
    valid_until: str | None,
    today: date,
) -> Certification:
    return Certification(
        scheme=scheme,
        holder=holder,
        certificate=certificate,
        valid_from=valid_from,
        valid_until=valid_until,
        valid_now=holds_on(valid_from, valid_until, today),
    )


def from_certificate(found: Certificate, holder: str, today: date) -> Certification:
    return certification(
        found.scheme,
        holder,
        found.certificate,
        found.valid_from.isoformat() if found.valid_from else None,
        found.valid_until.isoformat() if found.valid_until else None,
        today,
    )


def refresh_validity(document: ProvenanceDocument, today: date) -> ProvenanceDocument:
    """The same document with ``valid_now`` recomputed for ``today``."""
    refreshed = []
    for found in document["certifications"]:
        copy = found.copy()
        copy["valid_now"] = holds_on(found["valid_from"], found["valid_until"], today)
        refreshed.append(copy)
    result = document.copy()
    result["certifications"] = refreshed
    return result

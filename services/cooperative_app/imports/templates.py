"""The CSV templates a person downloads: the Vietnamese header and one example row."""

from __future__ import annotations

import csv
import io

from services.cooperative_app.imports.columns import Kind


def template_csv(kind: Kind) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([column.vi for column in kind.columns])
    writer.writerow(kind.example)
    # A BOM: spreadsheet programs then open the Vietnamese header as UTF-8, not as Latin-1.
    return ("\ufeff" + out.getvalue()).encode("utf-8")

"""Indicators as files people take away: XLSX and CSV of a table, the yearly report workbook.

Generic over the shapes of ``shared.readmodels.monitoring.figures``: any indicator's tables,
headline figures and series export the same way, worded by the catalogues (``shared.i18n``).
"""

from shared.exports.cells import figures_table, series_tables, shown, word
from shared.exports.workbooks import (
    CSV_TYPE,
    XLSX_TYPE,
    Heading,
    indicator_to_xlsx,
    table_to_csv,
    table_to_xlsx,
    yearly_report,
)

__all__ = [
    "CSV_TYPE",
    "XLSX_TYPE",
    "Heading",
    "figures_table",
    "indicator_to_xlsx",
    "series_tables",
    "shown",
    "table_to_csv",
    "table_to_xlsx",
    "word",
    "yearly_report",
]

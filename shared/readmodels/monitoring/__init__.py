"""The province's monitoring figures: a projection of their own, and the indicators read from it.

``figures`` is the shape every indicator answers in (headline figures with their denominators,
monthly series, tables with drill-down), so that the dashboard pages, the XLSX and CSV exports
and the ``/api/v1/monitoring/…`` JSON render any indicator the same way.
"""

"""The traceability domain: cooperatives, enterprises, value chains, plots and batches.

Pure: imports only the standard library, ``eventsourcing.domain`` and ``biip`` (GS1 check-digit
arithmetic, no I/O). Every invariant of the handbook's DOMAIN.md is a guard here that raises a
:class:`~shared.domain.errors.RuleViolated` before any event is triggered, so a refused command
stores nothing.
"""

"""The traceability domain: cooperatives, enterprises, value chains, plots and batches.

Pure: imports only the standard library and ``eventsourcing.domain`` (GS1 check digits and
character sets are plain arithmetic in ``identifiers``; ``shared.gs1`` builds links on them).
Every invariant of the handbook's DOMAIN.md is a guard here that raises a
:class:`~shared.domain.errors.RuleViolated` before any event is triggered, so a refused command
stores nothing.
"""

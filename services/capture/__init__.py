"""The capture API: where cooperatives, enterprises and provincial staff record what happened.

Authenticated (bearer tokens) JSON under ``/api/v1``, one endpoint per command, plus bulk JSON
and CSV harvest uploads; every write answers with the event-store position of its last event.
``app.create_app`` builds it; ``server`` runs it alone, the platform mounts it with the others.
"""

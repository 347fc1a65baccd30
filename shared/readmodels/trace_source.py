"""The staff apps' trace pages' source over PostgreSQL: ``resolve``, ``build_trace``, ``balance``.

The pages ask in their own words (:class:`shared.trace.source.TraceQuery`); this answers from
the trace projection, with the rights ``build_trace`` applies. A batch that does not exist and
one the viewer may not trace are both ``None``, so an organisation does not learn which; a
question that cannot be asked as typed (a malformed code, an ambiguous GTIN and lot, a day
before the batch existed) is a refusal at its field.
"""

from __future__ import annotations

from shared.domain.errors import InvalidValue, NotFound
from shared.readmodels.trace import TraceNotPermitted, build_trace, resolve
from shared.readmodels.tracking import Connect, session
from shared.trace.balance import balance
from shared.trace.source import TraceAnswer, TraceQuery, TraceRefusal, TraceSource

_FIELDS = {"gtin": "ref", "lot": "lot", "ref": "ref"}


class PostgresTraceSource(TraceSource):
    def __init__(self, connect: Connect) -> None:
        self._connect = connect

    def answer(self, query: TraceQuery, viewer: str | None) -> TraceAnswer | TraceRefusal | None:
        gtin, lot = (query.ref, query.lot) if query.lot else (None, None)
        with session(self._connect) as conn:
            try:
                start = resolve(conn, None if query.lot else query.ref, gtin=gtin, lot=lot)
                graph = build_trace(conn, start, query.direction, as_of=query.as_of, viewer=viewer)
            except TraceNotPermitted:
                return None
            except NotFound as missing:
                if missing.code == "trace_before_batch":
                    return TraceRefusal("as_of", "trace_error_before_batch")
                return None
            except InvalidValue as invalid:
                field = _FIELDS.get(invalid.field, "ref")
                return TraceRefusal(field, f"error_{invalid.code}")
        return TraceAnswer(graph, balance(graph))

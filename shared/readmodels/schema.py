"""Tables of the read models (idempotent DDL, run by ``shared.database.prepare``)."""

DDL: list[str] = []

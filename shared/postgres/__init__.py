"""PostgreSQL adapters: the embedded server, connection settings, migrations and recorders."""

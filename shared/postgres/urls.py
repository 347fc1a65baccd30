"""Connection URLs, and the eventsourcing environment derived from them (never typed by hand)."""

from __future__ import annotations

from urllib.parse import parse_qs, unquote, urlsplit, urlunsplit

from psycopg.conninfo import conninfo_to_dict


def with_user(url: str, user: str, password: str | None = None) -> str:
    """The same server and database as ``url``, connecting as another role."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    netloc = user + (f":{password}" if password else "") + "@" + host
    if parts.port:
        netloc += f":{parts.port}"
    return urlunsplit((parts.scheme, netloc, parts.path, parts.query, parts.fragment))


def with_database(url: str, database: str) -> str:
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, "/" + database, parts.query, parts.fragment))


def user_of(url: str) -> str:
    return unquote(urlsplit(url).username or "postgres")


def password_of(url: str) -> str | None:
    password = urlsplit(url).password
    return unquote(password) if password else None


def database_of(url: str) -> str:
    return urlsplit(url).path.lstrip("/") or "postgres"


def eventsourcing_env(url: str, *, create_table: bool, pool_size: int = 10) -> dict[str, str]:
    """The ``POSTGRES_*`` environment eventsourcing reads, for the given connection URL."""
    info = conninfo_to_dict(url)
    query_host = parse_qs(urlsplit(url).query).get("host", [None])[0]
    return {
        "PERSISTENCE_MODULE": "eventsourcing.postgres",
        "APPLICATION_RECORDER_TOPIC": "shared.postgres.recorder:CaptureRecorder",
        "POSTGRES_DBNAME": str(info.get("dbname") or "postgres"),
        "POSTGRES_HOST": str(query_host or info.get("host") or "127.0.0.1"),
        "POSTGRES_PORT": str(info.get("port") or "5432"),
        "POSTGRES_USER": str(info.get("user") or "postgres"),
        "POSTGRES_PASSWORD": str(info.get("password") or ""),
        "POSTGRES_POOL_SIZE": str(pool_size),
        "POSTGRES_MAX_OVERFLOW": str(pool_size),
        "POSTGRES_CONNECT_TIMEOUT": "10",
        # Writers queue behind the table lock that keeps positions gap-free; give up after
        # a few seconds rather than hang a request.
        "POSTGRES_LOCK_TIMEOUT": "5",
        "POSTGRES_IDLE_IN_TRANSACTION_SESSION_TIMEOUT": "10",
        "CREATE_TABLE": "yes" if create_table else "no",
    }

"""Creates the platform's tables and the services' role, and makes the event store append-only.

Run as the owner (``NGUON_DATABASE_ADMIN_URL``), by ``nguon db migrate`` only. The services
connect as ``app_role``, which may read and append events but can neither UPDATE, DELETE nor
TRUNCATE them: the privileges are withheld, and a trigger refuses the statements even if someone
grants them later. Migrating ends by writing the schema's version (a digest of everything it
applied); a service reads it at start and refuses to run on a schema of another version.
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
from collections.abc import Sequence
from uuid import UUID

import psycopg
from eventsourcing.application import Application
from psycopg import sql

from shared.errors import NguonError
from shared.postgres.capture_jobs import CAPTURE_JOBS_DDL
from shared.postgres.token_cache import TOKENS_DDL
from shared.postgres.urls import eventsourcing_env, password_of, user_of
from shared.privacy.keys import KEYS_DDL

log = logging.getLogger(__name__)

EVENTS_TABLE = "nguon_events"
SCHEMA_VERSION_TABLE = "nguon_schema_version"
MIGRATION_REVISION = 1
"""Bump when what ``migrate`` does changes outside the DDL (grants, roles): the DDL's own
changes change the schema version by themselves (it is their digest)."""
PAGE_SCANS_TABLE = "nguon_page_scans"
MIGRATION_LOCK = 0x6E67756F6E  # "nguon": one migration at a time per database

PLATFORM_DDL = [
    """CREATE TABLE IF NOT EXISTS nguon_idempotency (
        scope text NOT NULL,
        key text NOT NULL,
        request_hash text NOT NULL,
        answer text NOT NULL,
        position bigint NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (scope, key))""",
    """CREATE TABLE IF NOT EXISTS nguon_tokens (
        id uuid PRIMARY KEY,
        token_hash text NOT NULL UNIQUE,
        role text NOT NULL,
        organisation_id uuid,
        label text,
        created_at timestamptz NOT NULL DEFAULT now(),
        revoked_at timestamptz)""",
    *TOKENS_DDL,
    "CREATE SEQUENCE IF NOT EXISTS nguon_batch_code_seq",
    # One row: the version of the schema the last migration left (see schema_version).
    f"""CREATE TABLE IF NOT EXISTS {SCHEMA_VERSION_TABLE} (
        only_row boolean PRIMARY KEY DEFAULT true CHECK (only_row),
        version text NOT NULL,
        migrated_at timestamptz NOT NULL DEFAULT now())""",
    # The relay's progress: the last position Kafka acknowledged, and the end offset of each
    # partition at that moment (so a reader can tell when projectors have caught up with it).
    """CREATE TABLE IF NOT EXISTS nguon_relay_checkpoint (
        topic text PRIMARY KEY,
        position bigint NOT NULL,
        offsets jsonb NOT NULL DEFAULT '{}',
        updated_at timestamptz NOT NULL DEFAULT now())""",
    """CREATE OR REPLACE FUNCTION nguon_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
       BEGIN
         RAISE EXCEPTION 'stored events are append-only: % is refused on %', TG_OP, TG_TABLE_NAME
           USING ERRCODE = 'insufficient_privilege';
       END $$""",
    # Appending in one round trip: the table lock is held from LOCK to COMMIT, so every round
    # trip inside it would hold up every other writer. An autocommit call of this function is
    # one statement, one implicit transaction, one trip. The lock keeps positions in commit
    # order (readers never skip a gap); the idempotent answer commits with the events.
    # Who recorded each event (the account's or token's id), beside the events rather than in
    # them: the stored events and the envelopes published on Kafka stay as they are, and staff
    # pages join on the position. Written by nguon_append in the events' own transaction.
    """CREATE TABLE IF NOT EXISTS nguon_event_actors (
        position bigint PRIMARY KEY,
        actor_id uuid NOT NULL)""",
    # The appending function takes a group of requests (group commit, shared.postgres.
    # group_commit): per event, the index of its request (``members``); per request, its
    # idempotent claim and its actor. One request is a group of one. Older signatures are
    # dropped, not overloaded.
    """DROP FUNCTION IF EXISTS nguon_append(
           uuid[], bigint[], text[], bytea[], text, text, text, text)""",
    """DROP FUNCTION IF EXISTS nguon_append(
           uuid[], bigint[], text[], bytea[], text, text, text, text, uuid)""",
    # ``read_ids`` at ``read_versions``: aggregates the requests read from what their process
    # kept (shared.records.warm); if any has a later event, nothing is stored (STALE_READ).
    f"""CREATE OR REPLACE FUNCTION nguon_append(
           ids uuid[], versions bigint[], topics text[], states bytea[], members integer[],
           claim_scopes text[], claim_keys text[], claim_hashes text[], claim_answers text[],
           actors uuid[], read_ids uuid[], read_versions bigint[])
       RETURNS SETOF bigint LANGUAGE plpgsql AS $$
       DECLARE
         positions bigint[];
       BEGIN
         PERFORM set_config('lock_timeout', '5s', true);
         LOCK TABLE {EVENTS_TABLE} IN EXCLUSIVE MODE;
         IF EXISTS (SELECT 1 FROM unnest(read_ids, read_versions) AS r(id, v)
                      JOIN {EVENTS_TABLE} e
                        ON e.originator_id = r.id AND e.originator_version > r.v) THEN
           RAISE EXCEPTION 'a record the request read has changed since' USING ERRCODE = '23N01';
         END IF;
         NOTIFY {EVENTS_TABLE};
         -- Rows are numbered in the arrays' order, so the sorted positions are the events'
         -- positions in that order, and requests' events follow each other unmixed.
         WITH appended AS (
           INSERT INTO {EVENTS_TABLE} (originator_id, originator_version, topic, state)
           SELECT i, v, t, s FROM unnest(ids, versions, topics, states)
             WITH ORDINALITY AS e(i, v, t, s, n) ORDER BY n
           RETURNING notification_id)
         SELECT array_agg(notification_id ORDER BY notification_id) INTO positions FROM appended;
         INSERT INTO nguon_idempotency (scope, key, request_hash, answer, position)
           SELECT c.scope, c.key, c.hash, c.answer,
                  (SELECT max(positions[e]) FROM generate_subscripts(members, 1) AS e
                    WHERE members[e] = c.m)
             FROM unnest(claim_scopes, claim_keys, claim_hashes, claim_answers)
               WITH ORDINALITY AS c(scope, key, hash, answer, m)
            WHERE c.key IS NOT NULL;
         INSERT INTO nguon_event_actors (position, actor_id)
           SELECT positions[e], actors[members[e]] FROM generate_subscripts(members, 1) AS e
            WHERE actors[members[e]] IS NOT NULL;
         RETURN QUERY SELECT unnest(positions);
       END $$""",
    f"""DO $$ BEGIN
         IF NOT EXISTS (SELECT 1 FROM pg_trigger WHERE tgname = 'nguon_events_append_only') THEN
           CREATE TRIGGER nguon_events_append_only BEFORE UPDATE OR DELETE ON {EVENTS_TABLE}
             FOR EACH ROW EXECUTE FUNCTION nguon_refuse_change();
           CREATE TRIGGER nguon_events_no_truncate BEFORE TRUNCATE ON {EVENTS_TABLE}
             FOR EACH STATEMENT EXECUTE FUNCTION nguon_refuse_change();
         END IF;
       END $$""",
    # People's accounts (shared.accounts): a username is a normalised phone number or a
    # lower-cased e-mail; password_hash is Argon2id, of the one-time code while
    # must_set_password (NULL once that code is used: it is single use).
    """CREATE TABLE IF NOT EXISTS nguon_accounts (
        id uuid PRIMARY KEY,
        username text NOT NULL UNIQUE,
        display_name text NOT NULL,
        role text NOT NULL,
        organisation_id uuid,
        household_ref text,
        password_hash text,
        must_set_password boolean NOT NULL DEFAULT true,
        code_expires_at timestamptz,
        failed_attempts integer NOT NULL DEFAULT 0,
        locked_until timestamptz,
        disabled_at timestamptz,
        created_by uuid,
        created_at timestamptz NOT NULL DEFAULT now(),
        password_changed_at timestamptz)""",
    "CREATE INDEX IF NOT EXISTS nguon_accounts_organisation ON nguon_accounts (organisation_id)",
    # Sessions: only the SHA-256 of the cookie's random token is stored. A 'new_password'
    # session may only set the password (after signing in with a one-time code).
    """CREATE TABLE IF NOT EXISTS nguon_sessions (
        token_hash text PRIMARY KEY,
        account_id uuid NOT NULL REFERENCES nguon_accounts (id) ON DELETE CASCADE,
        csrf_token text NOT NULL,
        purpose text NOT NULL,
        created_at timestamptz NOT NULL,
        last_seen_at timestamptz NOT NULL)""",
    "CREATE INDEX IF NOT EXISTS nguon_sessions_account ON nguon_sessions (account_id)",
    # Failed sign-ins per client address in the current window: throttled, never locked.
    """CREATE TABLE IF NOT EXISTS nguon_sign_in_throttle (
        address text PRIMARY KEY,
        window_started_at timestamptz NOT NULL,
        failures integer NOT NULL)""",
    # QR scans counted by the web service (shared.readmodels.page_scans): not an event, so no
    # rebuild touches it; a batch, a Vietnam day and a count, nothing about who scanned.
    f"""CREATE TABLE IF NOT EXISTS {PAGE_SCANS_TABLE} (
        batch_id uuid NOT NULL,
        day date NOT NULL,
        scans bigint NOT NULL,
        PRIMARY KEY (batch_id, day))""",
    # Product photos (shared.products.photos), content-addressed: the SHA-256 of the largest
    # variant names every variant; events carry the digest, never the bytes. Re-encoded
    # JPEGs without EXIF (no GPS position of the farm leaks from a phone's picture).
    """CREATE TABLE IF NOT EXISTS nguon_product_photos (
        digest text NOT NULL,
        width integer NOT NULL,
        pixel_width integer NOT NULL,
        pixel_height integer NOT NULL,
        content_type text NOT NULL,
        image bytea NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (digest, width))""",
    # Personal data's keys (shared.privacy.keys): outside the event store, so that deleting
    # one forgets its person; the services may insert, read and delete them (never update).
    *KEYS_DDL,
    # EPCIS capture jobs (shared.postgres.capture_jobs): what became of each document sent.
    *CAPTURE_JOBS_DDL,
]


class SchemaNotReady(SystemExit, NguonError):
    """The database is not at the schema this code needs: a service must not start on it.

    A ``SystemExit``, so that every entry point stops with this message and no traceback.
    """


def schema_version(extra_ddl: Sequence[str] = ()) -> str:
    """The version a database migrated by this code is at: a digest of what migrating applies.

    Derived, not typed by hand, so that no change of a table can forget to bump it.
    """
    digest = hashlib.sha256(f"revision {MIGRATION_REVISION}".encode())
    for statement in [*PLATFORM_DDL, *extra_ddl]:
        digest.update(b"\0" + statement.encode())
    return digest.hexdigest()[:16]


def check_schema(app_url: str, extra_ddl: Sequence[str] = ()) -> None:
    """Raises :class:`SchemaNotReady` unless the database is at this code's schema version.

    Needs only the services' role: it reads the version row ``migrate`` wrote.
    """
    needed = schema_version(extra_ddl)
    found: str | None = None
    try:
        with psycopg.connect(app_url, autocommit=True, connect_timeout=10) as conn:
            row = conn.execute(f"SELECT version FROM {SCHEMA_VERSION_TABLE}").fetchone()
            found = str(row[0]) if row else None
    except (psycopg.errors.UndefinedTable, psycopg.errors.InsufficientPrivilege):
        found = None
    except psycopg.OperationalError as error:
        msg = (
            f"Cannot connect to the database as {user_of(app_url)!r}: {error}".strip()
            + "\nCheck NGUON_DATABASE_URL (the services' role), and that `nguon db migrate`"
            " has created that role."
        )
        raise SchemaNotReady(msg) from None
    if found == needed:
        return
    state = "is not migrated" if found is None else f"is at schema version {found}"
    msg = (
        f"The database {state}; this version of Nguồn needs schema version {needed}."
        " Run `nguon db migrate` with NGUON_DATABASE_ADMIN_URL set to the database owner's"
        " connection, then start the service again."
    )
    raise SchemaNotReady(msg)


class _EventStoreTables(Application[UUID]):
    name = "nguon"


def migrate(
    admin_url: str,
    app_role: str,
    app_password: str | None = None,
    extra_ddl: Sequence[str] = (),
) -> None:
    """Idempotent: safe to run at every start. ``extra_ddl``: the read models' tables."""
    with psycopg.connect(admin_url, autocommit=True) as conn:
        # Services starting together would otherwise race on CREATE ... IF NOT EXISTS and
        # GRANT ("tuple concurrently updated"): one migrates, the others wait and find it done.
        conn.execute("SELECT pg_advisory_lock(%s)", (MIGRATION_LOCK,))
        env = eventsourcing_env(admin_url, create_table=True, pool_size=1)
        _EventStoreTables(env=env).close()  # creates nguon_events the way eventsourcing wants
        _ensure_role(conn, app_role, app_password)
        for statement in PLATFORM_DDL:
            conn.execute(statement)
        for statement in extra_ddl:
            conn.execute(statement)
        _grant(conn, app_role)
        conn.execute(
            f"INSERT INTO {SCHEMA_VERSION_TABLE} (version) VALUES (%s) ON CONFLICT (only_row)"
            " DO UPDATE SET version = excluded.version, migrated_at = now()",
            (schema_version(extra_ddl),),
        )
    log.info("database ready for role %s", app_role)


def _ensure_role(
    conn: psycopg.Connection[tuple[object, ...]], role: str, password: str | None
) -> None:
    exists = conn.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", (role,)).fetchone()
    if exists is None:
        # Another process may create it between our check and our create: roles belong to
        # the cluster, so the migration lock (an advisory lock of this database) does not
        # serialise migrations of two databases. Two CREATE ROLEs at once fail the loser with
        # a unique violation on the catalogue rather than DuplicateObject. Autocommit: the
        # failed statement leaves no transaction behind.
        with contextlib.suppress(psycopg.errors.DuplicateObject, psycopg.errors.UniqueViolation):
            conn.execute(sql.SQL("CREATE ROLE {} LOGIN").format(sql.Identifier(role)))
    if password:
        conn.execute(
            sql.SQL("ALTER ROLE {} PASSWORD {}").format(sql.Identifier(role), sql.Literal(password))
        )


def _grant(conn: psycopg.Connection[tuple[object, ...]], role: str) -> None:
    r = sql.Identifier(role)
    database = conn.info.dbname
    statements = [
        sql.SQL("GRANT CONNECT ON DATABASE {} TO {}").format(sql.Identifier(database), r),
        sql.SQL("GRANT USAGE ON SCHEMA public TO {}").format(r),
        # Every other table is the services' to change (read models, tokens, tracking)...
        sql.SQL(
            "GRANT SELECT, INSERT, UPDATE, DELETE, TRUNCATE ON ALL TABLES IN SCHEMA public TO {}"
        ).format(r),
        sql.SQL("GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA public TO {}").format(r),
        # ...but the events may only be read and appended.
        sql.SQL("REVOKE UPDATE, DELETE, TRUNCATE ON {} FROM {}").format(
            sql.Identifier(EVENTS_TABLE), r
        ),
        sql.SQL("GRANT SELECT, INSERT ON {} TO {}").format(sql.Identifier(EVENTS_TABLE), r),
        sql.SQL("REVOKE UPDATE, DELETE ON nguon_idempotency FROM {}").format(r),
        sql.SQL("REVOKE UPDATE, DELETE ON nguon_event_actors FROM {}").format(r),
        # Scans are only ever added to (INSERT ... ON CONFLICT DO UPDATE) and read.
        sql.SQL("REVOKE DELETE, TRUNCATE ON {} FROM {}").format(
            sql.Identifier(PAGE_SCANS_TABLE), r
        ),
        # A key is made once and deleted once (forgetting); the record of who was forgotten
        # is only added to.
        sql.SQL("REVOKE UPDATE ON nguon_person_keys FROM {}").format(r),
        sql.SQL("REVOKE UPDATE, DELETE, TRUNCATE ON nguon_forgotten_people FROM {}").format(r),
        # Only the owner says which version the schema is at.
        sql.SQL("REVOKE INSERT, UPDATE, DELETE, TRUNCATE ON {} FROM {}").format(
            sql.Identifier(SCHEMA_VERSION_TABLE), r
        ),
    ]
    for statement in statements:
        conn.execute(statement)
    # Appending takes "LOCK ... IN EXCLUSIVE MODE" so positions are gap-free in commit order.
    # PostgreSQL 17+ allows that lock through MAINTAIN, which grants no right to change rows;
    # older servers need TRUNCATE for it, and then only the trigger refuses a truncation.
    if conn.info.server_version >= 170000:
        conn.execute(sql.SQL("GRANT MAINTAIN ON {} TO {}").format(sql.Identifier(EVENTS_TABLE), r))
    else:
        conn.execute(sql.SQL("GRANT TRUNCATE ON {} TO {}").format(sql.Identifier(EVENTS_TABLE), r))


def password_for_app(database_url: str | None) -> str | None:
    return password_of(database_url) if database_url else None

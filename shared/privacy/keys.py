"""The person keys: AES-256-GCM, one key per person, in their own table outside the event store.

``PostgresPersonalData`` implements :class:`shared.privacy.PersonalData` on the same database
the events are in (embedded mode included: it is one more table, ``nguon_person_keys``), yet
apart from them: the events are append-only, the keys may be deleted, and deleting a person's key
is what forgetting them is. What remains of a forgotten person is a row in
``nguon_forgotten_people`` saying when and by whom — the person's id, nothing personal.

Each value gets a fresh random 96-bit nonce (never reused under one key, which GCM needs), and
the person's id is the associated data, so a ciphertext copied under another person's id does
not open.
"""

from __future__ import annotations

import base64
import os
from collections.abc import Callable
from contextlib import AbstractContextManager
from typing import Any
from uuid import UUID

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from psycopg.rows import tuple_row

from shared.domain.errors import RuleViolated
from shared.privacy import Sealed

KEYS_TABLE = "nguon_person_keys"
FORGOTTEN_TABLE = "nguon_forgotten_people"
NONCE_BYTES = 12  # 96 bits: GCM's own nonce size

KEYS_DDL = [
    # A key per person (a member household's id): deleted when the person is forgotten.
    f"""CREATE TABLE IF NOT EXISTS {KEYS_TABLE} (
        person_id uuid PRIMARY KEY,
        key bytea NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now())""",
    # Who was forgotten, when, by whom (an account or token id): no personal data.
    f"""CREATE TABLE IF NOT EXISTS {FORGOTTEN_TABLE} (
        person_id uuid PRIMARY KEY,
        forgotten_at timestamptz NOT NULL DEFAULT now(),
        forgotten_by uuid)""",
]

Connect = Callable[[], AbstractContextManager[Any]]
"""A psycopg connection for one unit of work (the records' pool, or a read side's)."""


def _rows(conn: Any, statement: str, params: tuple[Any, ...]) -> list[tuple[Any, ...]]:
    # Tuples whatever the connection's own row factory (the records' pool gives dicts).
    with conn.cursor(row_factory=tuple_row) as cursor:
        cursor.execute(statement, params)
        return list(cursor.fetchall()) if cursor.description else []


class PersonForgotten(RuleViolated):
    """Nothing new is sealed for a forgotten person: their key must never come back."""

    code = "person_forgotten"


class PostgresPersonalData:
    """Seals with a person's key, made on first use; forgetting deletes it."""

    def __init__(self, connect: Connect) -> None:
        self._connect = connect

    def seal(self, person_id: UUID, value: str) -> Sealed:
        key = self._key(person_id, create=True)
        assert key is not None  # made above, or PersonForgotten raised
        nonce = os.urandom(NONCE_BYTES)
        sealed = AESGCM(key).encrypt(nonce, value.encode(), person_id.bytes)
        return Sealed(person_id, base64.urlsafe_b64encode(nonce + sealed).decode())

    def open(self, sealed: Sealed) -> str | None:
        return _decrypt(self._key(sealed.person_id, create=False), sealed)

    def open_many(self, values: list[Sealed]) -> list[str | None]:
        """Opens a page's worth of values with one query for their keys."""
        people = list({v.person_id for v in values})
        if not people:
            return []
        with self._connect() as conn:
            rows = _rows(
                conn,
                f"SELECT person_id, key FROM {KEYS_TABLE} WHERE person_id = ANY(%s)",
                (people,),
            )
        keys = {person_id: bytes(key) for person_id, key in rows}
        return [_decrypt(keys.get(v.person_id), v) for v in values]

    def forget(self, person_id: UUID, by: UUID | None = None) -> None:
        with self._connect() as conn, conn.transaction():
            conn.execute(f"DELETE FROM {KEYS_TABLE} WHERE person_id = %s", (person_id,))
            conn.execute(
                f"INSERT INTO {FORGOTTEN_TABLE} (person_id, forgotten_by) VALUES (%s, %s)"
                " ON CONFLICT (person_id) DO NOTHING",
                (person_id, by),
            )

    def is_forgotten(self, person_id: UUID) -> bool:
        with self._connect() as conn:
            rows = _rows(
                conn, f"SELECT 1 FROM {FORGOTTEN_TABLE} WHERE person_id = %s", (person_id,)
            )
        return bool(rows)

    def _key(self, person_id: UUID, *, create: bool) -> bytes | None:
        select = f"SELECT key FROM {KEYS_TABLE} WHERE person_id = %s"
        with self._connect() as conn, conn.transaction():
            found = _rows(conn, select, (person_id,))
            if found:
                return bytes(found[0][0])
            if not create:
                return None
            forgotten = f"SELECT 1 FROM {FORGOTTEN_TABLE} WHERE person_id = %s"
            if _rows(conn, forgotten, (person_id,)):
                msg = "this person was forgotten at their request: nothing new is kept about them"
                raise PersonForgotten(msg)
            # Two first seals at once: one key wins, and both use the stored one.
            _rows(
                conn,
                f"INSERT INTO {KEYS_TABLE} (person_id, key) VALUES (%s, %s)"
                " ON CONFLICT (person_id) DO NOTHING",
                (person_id, AESGCM.generate_key(bit_length=256)),
            )
            return bytes(_rows(conn, select, (person_id,))[0][0])


def _decrypt(key: bytes | None, sealed: Sealed) -> str | None:
    if key is None:
        return None
    raw = base64.urlsafe_b64decode(sealed.ciphertext)
    try:
        plain = AESGCM(key).decrypt(raw[:NONCE_BYTES], raw[NONCE_BYTES:], sealed.person_id.bytes)
    except InvalidTag:
        return None  # not sealed with this person's key (or altered): unreadable
    return plain.decode()

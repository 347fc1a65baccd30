"""Where each person lands after signing in, and which ``?next=`` addresses may be followed.

Province staff and admins go to the dashboard; people of a cooperative or a partner enterprise
to the cooperative app (``/app/``). ``?next=`` is followed only to a path of this site, never
to another host (``//evil.example``, ``https://…``) nor back to signing in.
"""

from __future__ import annotations

from shared.accounts.gate import SIGN_IN_PATH
from shared.records.actors import STAFF, Role

PROVINCE_HOME = "/province/dashboard"
APP_HOME = "/app/"


def home_of(role: Role) -> str:
    return PROVINCE_HOME if role in STAFF else APP_HOME


def safe_next(requested: str | None) -> str | None:
    """``requested`` if it is a local path worth going back to; None otherwise."""
    if not requested or len(requested) > 2000:
        return None
    if not requested.startswith("/") or requested.startswith(("//", "/\\")):
        return None
    if any(ch in requested for ch in "\\\r\n\t") or requested.startswith(SIGN_IN_PATH):
        return None
    return requested

"""Desk sessions: a staff token exchanged once for a cookie, checked on every request.

- ``open_session``: the token is checked as the staff API checks it (``Issuer.staff``); a new
  session row is stored under the SHA-256 of a 256-bit secret, which only the cookie holds.
- ``current``: the session behind a cookie, or why there is none (``missing``, ``ended``,
  ``expired``: idle longer than ``DESK_IDLE_MINUTES`` or older than ``DESK_SESSION_HOURS``,
  ``token``: the staff token was revoked or has expired since). The staff member is rebuilt
  from the token on every request, so what the token may do is never cached in the cookie.
- ``csrf_of``: the CSRF token of a session, HMAC-SHA256 of its secret: nothing more to store,
  and a page without the cookie cannot compute it.
- ``close``: sign out (``ended_at``); the row stays for the record.

The cookie is HttpOnly, SameSite=Strict and, behind an ``https`` base URL, Secure with the
``__Host-`` prefix (no Domain, path /). Every sign-in and sign-out is in the audit log.
"""
from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Mapping

from sqlalchemy import select, update

from ..auth import Staff
from ..errors import Forbidden
from ..oid4vci.exchange import staff_by_id
from ..status import utc
from .audit import record
from .models import DeskSession

IDLE_MINUTES = 30
SESSION_HOURS = 8
LANGUAGES = ("nl", "en")


@dataclass(frozen=True)
class Signed:
    """The signed-in session of this request."""

    secret: str
    staff: Staff
    lang: str

    @property
    def csrf(self) -> str:
        return csrf_of(self.secret)


def digest(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def csrf_of(secret: str) -> str:
    return hmac.new(secret.encode("utf-8"), b"paspoort-desk-csrf", hashlib.sha256).hexdigest()


def same(given: Any, expected: str | None) -> bool:
    return isinstance(given, str) and bool(given) and bool(expected) and \
        hmac.compare_digest(given.encode("utf-8"), expected.encode("utf-8"))


def secure(config: Mapping[str, Any]) -> bool:
    return str(config.get("BASE_URL", "")).startswith("https://")


def cookie_name(config: Mapping[str, Any]) -> str:
    return "__Host-paspoort_desk" if secure(config) else "paspoort_desk"


def idle(config: Mapping[str, Any]) -> timedelta:
    return timedelta(minutes=int(config.get("DESK_IDLE_MINUTES", IDLE_MINUTES)))


def longest(config: Mapping[str, Any]) -> timedelta:
    return timedelta(hours=int(config.get("DESK_SESSION_HOURS", SESSION_HOURS)))


def open_session(issuer, token: str, lang: str, now: datetime) -> tuple[str, Staff]:
    """Check the staff token and open a session: ``(cookie secret, staff)``; ``Unauthorized`` if not."""
    staff = issuer.staff("Bearer " + token.strip(), now)
    secret = secrets.token_urlsafe(32)
    with issuer.db.transaction() as session:
        session.add(DeskSession(id_hash=digest(secret), token_id=staff.token_id, staff_name=staff.name,
                                lang=lang if lang in LANGUAGES else "nl", created_at=now, seen_at=now,
                                expires_at=now + longest(issuer.config), ended_at=None))
        record(session, staff, "desk-sign-in", now)
    return secret, staff


def current(issuer, secret: str | None, now: datetime) -> Signed | str:
    """The session behind the cookie (its last use set to ``now``), or why there is none."""
    if not secret or len(secret) > 128:
        return "missing"
    with issuer.db.transaction() as session:
        row = session.get(DeskSession, digest(secret))
        if row is None:
            return "missing"
        if row.ended_at is not None:
            return "ended"
        if utc(row.expires_at) <= now or utc(row.seen_at) + idle(issuer.config) <= now:
            row.ended_at = now
            return "expired"
        try:
            staff = staff_by_id(session.connection(), row.token_id, now)
        except Forbidden:
            row.ended_at = now
            return "token"
        row.seen_at = now
        return Signed(secret=secret, staff=staff, lang=row.lang)


def set_language(issuer, signed: Signed, lang: str) -> None:
    if lang in LANGUAGES:
        with issuer.db.transaction() as session:
            session.execute(update(DeskSession).where(DeskSession.id_hash == digest(signed.secret)).values(lang=lang))


def close(issuer, signed: Signed, now: datetime) -> None:
    """Sign out: the session ends now, and the audit log says who signed out."""
    with issuer.db.transaction() as session:
        session.execute(update(DeskSession).where(DeskSession.id_hash == digest(signed.secret),
                                                  DeskSession.ended_at.is_(None)).values(ended_at=now))
        record(session, signed.staff, "desk-sign-out", now)


def sessions_of(issuer, token_id: int) -> list[DeskSession]:
    """A token's sessions, newest first (for tests and the admin's eye)."""
    with issuer.db.reading() as session:
        return list(session.scalars(select(DeskSession).where(DeskSession.token_id == token_id)
                                    .order_by(DeskSession.created_at.desc())))

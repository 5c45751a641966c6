"""Staff API tokens: ``Authorization: Bearer <token>``, stored as SHA-256, with role and limits.

Roles: ``admin`` (every type, revoke/suspend, lookups), ``examinator`` (AantoonbaarBekwaam for
the procedures its scope patterns allow), ``administratie`` (certificates, work experience,
assessment results, profile endorsements). A token may narrow its role's types (``types``)
and the scope values it may issue for (``scopes``: exact values or prefixes ending in ``*``).
Missing, unknown, expired or revoked token: 401. Wrong role, type or scope: 403.

A token found valid is remembered in the process (``TokenCache``, keyed by its SHA-256) for at
most ``TOKEN_CACHE_SECONDS`` of the request clock: a token revoked by another process is refused
by every worker within that bound; ``revoke-token`` clears the cache of its own process at once.
Expiry is checked on every request, cached or not.

A token stays inside its types and scope for everything it does with a credential: issuing
(decided on the submitted body, before any schema check, so a token without rights learns
nothing about the schema), reading a stored credential, revoking and suspending it. A token
with scope patterns only reaches credentials that have scope values, all inside them.

General credentials (any VCDM 2.0 type without a Paspoort type) need an admin token made with
``--types any`` (no scopes); every other token gets 403 for them, whatever its role.
"""
from __future__ import annotations

import hashlib
import secrets
import threading
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Mapping

from sqlalchemy import select

from passport.format.documents import (
    AANTOONBAAR_BEKWAAM_TYPE,
    ASSESSMENT_TYPE,
    CERTIFICAAT_TYPE,
    ENDORSEMENT_TYPE,
    WERKERVARING_TYPE,
    paspoort_type,
    scope_values_of,
)
from passport.errors import PassportError
from passport.roles.issuing import ISSUABLE_TYPES, in_scope

from .errors import Forbidden, Unauthorized
from .models import Token
from .status import utc

ROLE_TYPES: dict[str, frozenset[str]] = {
    "admin": frozenset(ISSUABLE_TYPES),
    "examinator": frozenset({AANTOONBAAR_BEKWAAM_TYPE}),
    "administratie": frozenset({CERTIFICAAT_TYPE, WERKERVARING_TYPE, ASSESSMENT_TYPE, ENDORSEMENT_TYPE}),
}
GENERAL = "any"  # a token setting (create-token --types any): also general VCDM 2.0 credentials
GENERAL_ROLES = frozenset({"admin"})  # the only role that may hold it
GENERAL_TYPE = "VerifiableCredential"  # how a general credential's kind is stored and checked
TOKEN_PREFIX = "psi_"
TOKEN_COLUMNS = (Token.id, Token.name, Token.role, Token.types, Token.scopes, Token.expires_at, Token.revoked_at)


@dataclass(frozen=True)
class Staff:
    token_id: int
    name: str
    role: str
    types: frozenset[str]
    scopes: tuple[str, ...] | None
    general: bool = False  # may issue (and read, change) credentials of any VCDM 2.0 type

    def require_role(self, *roles: str) -> None:
        if self.role not in roles:
            raise Forbidden(f"this needs the role {' or '.join(roles)}; the token of {self.name} has role {self.role}",
                            role=self.role)

    @property
    def narrowed(self) -> bool:
        """True when the token may not issue every issuable type for every scope value."""
        return self.scopes is not None or self.types != frozenset(ISSUABLE_TYPES)

    def may_issue(self, credential: Any) -> None:
        """403 unless this token may issue this type for these scope values.

        Works on the submitted body as it is (unchecked): a narrowed token gets 403 for anything
        it cannot show to be inside its types and scope; only an unrestricted token goes on to
        the checks that say what is wrong with a document."""
        kind = _kind(credential)
        if kind is None and _general(credential):
            if self.general:
                return
            raise Forbidden(f"the token of {self.name} ({self.role}) may not issue general credentials (types "
                            f"{_types_of(credential)}); it may issue {', '.join(sorted(self.types)) or 'nothing'}. "
                            "A token made with --types any may", credentialType=None)
        if kind not in self.types:
            if not self.narrowed:
                return  # not an issuable type at all: prepare() explains what is wrong with it
            raise Forbidden(f"the token of {self.name} ({self.role}) may not issue {kind or 'this credential'}; "
                            f"it may issue {', '.join(sorted(self.types)) or 'nothing'}", credentialType=kind)
        values = _scope_values(kind, credential)
        if self.scopes is not None and (not values or not in_scope(values, self.scopes)):
            shown = ", ".join(values) if values else "no readable scope value"
            raise Forbidden(f"the token of {self.name} may issue {kind} only for {', '.join(self.scopes)}; "
                            f"not for {shown}", scope=list(values or ()))

    def may_use(self, kind: str, document: Mapping[str, Any] | None) -> None:
        """403 unless a stored credential of ``kind`` lies inside this token's types and scope.

        The answer names neither the credential's type nor its scope: a token learns nothing
        about credentials it may not see."""
        inside = kind in self.types or (kind == GENERAL_TYPE and self.general)
        if inside and kind != GENERAL_TYPE and self.scopes is not None:
            values = _scope_values(kind, document) if document is not None else None
            inside = bool(values) and in_scope(values, self.scopes)
        if not inside:
            raise Forbidden(f"the token of {self.name} may not read or change this credential: it is outside the "
                            "token's credential types or scope")


def _kind(credential: Any) -> str | None:
    """The submitted credential's Paspoort type, or None when it has no readable one."""
    if not isinstance(credential, Mapping):
        return None
    try:
        return paspoort_type(credential)
    except PassportError:
        return None


def _general(credential: Any) -> bool:
    """A readable ``type`` with ``VerifiableCredential`` and no Paspoort type: a general credential."""
    types = _types_of(credential)
    return "VerifiableCredential" in types


def _types_of(credential: Any) -> list[str]:
    types = credential.get("type") if isinstance(credential, Mapping) else None
    types = [types] if isinstance(types, str) else types
    return [item for item in types if isinstance(item, str)] if isinstance(types, list) else []


def _scope_values(kind: str, credential: Any) -> list[str] | None:
    """The scope values, or None when the (unchecked or reduced) document has none readable."""
    if not isinstance(credential, Mapping):
        return None
    try:
        return scope_values_of(kind, credential)
    except PassportError:
        return None


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def new_token() -> str:
    """256 random bits, URL-safe, with a recognisable prefix (secret scanners)."""
    return TOKEN_PREFIX + secrets.token_urlsafe(32)


def create_token(session, *, name: str, role: str, types: list[str] | None, scopes: list[str] | None,
                 expires_days: int | None, now: datetime) -> tuple[Token, str]:
    if role not in ROLE_TYPES:
        raise ValueError(f"role must be one of {sorted(ROLE_TYPES)}")
    if types and GENERAL in types:
        if role not in GENERAL_ROLES or len(types) != 1 or scopes:
            raise ValueError(f"--types {GENERAL} is for the role {' or '.join(sorted(GENERAL_ROLES))} only, and alone: "
                             "without --scope: it keeps every type of the role and adds general VCDM 2.0 credentials")
    elif types:
        extra = sorted(set(types) - ROLE_TYPES[role])
        if extra:
            raise ValueError(f"role {role} cannot issue {extra}; it issues {sorted(ROLE_TYPES[role])}")
    if scopes is not None and any(not item or "*" in item[:-1] for item in scopes):
        raise ValueError("a scope pattern is an exact value or a prefix ending in '*'")
    token = new_token()
    row = Token(name=name, token_hash=token_hash(token), role=role, types=sorted(types) if types else None,
                scopes=list(scopes) if scopes else None, created_at=now,
                expires_at=now + timedelta(days=expires_days) if expires_days else None)
    session.add(row)
    session.flush()
    return row, token


def bearer_digest(header: str | None) -> str:
    """The SHA-256 of the token in an ``Authorization: Bearer`` header, or ``Unauthorized``."""
    if not header:
        raise Unauthorized("this needs a staff token: send Authorization: Bearer <token>")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise Unauthorized("the Authorization header must be 'Bearer <token>'")
    return token_hash(token.strip())


def load_staff(session, digest: str) -> tuple[Staff, datetime | None]:
    """``(staff member, expiry)`` of the token with this SHA-256; ``Unauthorized`` if unknown or revoked."""
    row = session.execute(select(*TOKEN_COLUMNS).where(Token.token_hash == digest)).first()
    if row is None:
        raise Unauthorized("the token is not valid")
    if row.revoked_at is not None:
        raise Unauthorized("the token has been revoked")
    types = ROLE_TYPES.get(row.role, frozenset())
    general = bool(row.types) and GENERAL in row.types and row.role in GENERAL_ROLES and not row.scopes
    if row.types and not general:
        types = types & frozenset(row.types)
    staff = Staff(token_id=row.id, name=row.name, role=row.role, types=types,
                  scopes=tuple(row.scopes) if row.scopes else None, general=general)
    return staff, utc(row.expires_at) if row.expires_at is not None else None


def _check_expiry(expires_at: datetime | None, now: datetime) -> None:
    if expires_at is not None and expires_at <= now:
        raise Unauthorized("the token has expired")


class TokenCache:
    """Valid tokens remembered per SHA-256 for at most ``seconds`` of the request clock (``now``).

    Only tokens found valid are kept (an unknown or revoked token asks the database every time).
    An entry older than ``seconds``, or dated after ``now`` (a clock set back), is read again;
    ``seconds=0`` keeps nothing. ``clear()`` forgets every entry (a revocation in this process).
    """

    def __init__(self, seconds: float, max_entries: int = 1024) -> None:
        self.ttl = timedelta(seconds=seconds)
        self.max_entries = max_entries
        self._entries: dict[str, tuple[datetime, Staff, datetime | None]] = {}
        self._lock = threading.Lock()

    def staff(self, read, header: str | None, now: datetime) -> Staff:
        """The staff member behind ``header``; ``read(digest)`` gives ``load_staff``'s answer on a miss."""
        digest = bearer_digest(header)
        found = self._entries.get(digest)
        if found is not None and found[0] <= now < found[0] + self.ttl:
            _check_expiry(found[2], now)
            return found[1]
        staff, expires_at = read(digest)
        _check_expiry(expires_at, now)
        if self.ttl:
            with self._lock:
                if len(self._entries) >= self.max_entries:
                    self._entries.clear()
                self._entries[digest] = (now, staff, expires_at)
        return staff

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()

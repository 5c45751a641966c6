"""Challenges: handed out for one presentation request, single-use, with an expiry.

Consuming a challenge is one ``UPDATE ... WHERE used_at IS NULL AND expires > now``: the
database decides which of several verifier instances (or concurrent requests) wins, so a
challenge can be answered exactly once. When the update touches no row, a second read says
why: never issued here (``CHALLENGE_UNKNOWN``), already used (``CHALLENGE_REPLAYED``) or
expired (``CHALLENGE_EXPIRED``).

The challenge is no secret (it is in the QR code on the recruiter's screen), so the answer is
read with a second token that only the page which asked holds: ``POST /challenges`` hands it out
once and the database keeps only its SHA-256. An answer is deleted when the page reads it, and
by ``housekeeping.py`` when nobody does within ``ANSWER_TTL``.
"""
from __future__ import annotations

import hashlib
import hmac
import json
import re
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Engine, delete, insert, select, update

from passport.errors import ChallengeExpired, ChallengeReplayed, ChallengeUnknown

from .models import answers, challenges, from_millis, millis

MAX_CHALLENGE_CHARS = 64  # the challenges this verifier issues are 32 characters
MAX_CALLER_CHALLENGE_CHARS = 1_024  # a VC API caller's own challenge: only compared, never stored
ISSUED_FORM = re.compile(r"[A-Za-z0-9_-]{32}")  # what new_token() makes: 24 random bytes, base64url


@dataclass(frozen=True)
class Challenge:
    challenge: str
    domain: str
    created: datetime
    expires: datetime
    used_at: datetime | None
    request: dict[str, Any]
    read_token_hash: str | None = None

    def readable_with(self, read_token: str | None) -> bool:
        """Whether ``read_token`` is the one handed out with this challenge (constant time)."""
        if not self.read_token_hash or not isinstance(read_token, str) or not read_token:
            return False
        return hmac.compare_digest(token_hash(read_token), self.read_token_hash)


def _row(row: Any) -> Challenge:
    return Challenge(row.challenge, row.domain, from_millis(row.created), from_millis(row.expires),
                     from_millis(row.used_at) if row.used_at is not None else None, json.loads(row.request),
                     row.read_token_hash)


def new_token() -> str:
    return secrets.token_urlsafe(24)


def could_be_issued(token: Any) -> bool:
    """Whether ``token`` has the form of the challenges this verifier issues (``new_token``): one
    that has not can never be in the database, so a caller's own challenge costs no lookup."""
    return isinstance(token, str) and ISSUED_FORM.fullmatch(token) is not None


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def issue(engine: Engine, *, token: str, domain: str, now: datetime, ttl: timedelta,
          request: dict[str, Any], read_token: str) -> Challenge:
    """Store a new challenge; only the SHA-256 of ``read_token`` is kept."""
    digest = token_hash(read_token)
    with engine.begin() as conn:
        conn.execute(insert(challenges).values(
            challenge=token, domain=domain, created=millis(now), expires=millis(now + ttl), used_at=None,
            request=json.dumps(request, ensure_ascii=False), read_token_hash=digest))
    return Challenge(token, domain, now, now + ttl, None, request, digest)


def find(engine: Engine, token: str) -> Challenge | None:
    if not isinstance(token, str) or not token or len(token) > MAX_CHALLENGE_CHARS:
        return None
    with engine.connect() as conn:
        row = conn.execute(select(challenges).where(challenges.c.challenge == token)).first()
    return _row(row) if row is not None else None


def consume(engine: Engine, token: Any, *, now: datetime) -> Challenge:
    """Mark the challenge used, atomically; raise the reason when it cannot be used."""
    if not isinstance(token, str) or not token:
        raise ChallengeUnknown("the presentation request has no challenge; ask this verifier for one first")
    if len(token) > MAX_CHALLENGE_CHARS:
        raise ChallengeUnknown("this verifier did not issue that challenge")
    stamp = millis(now)
    with engine.begin() as conn:
        changed = conn.execute(
            update(challenges)
            .where(challenges.c.challenge == token, challenges.c.used_at.is_(None), challenges.c.expires > stamp)
            .values(used_at=stamp)
        ).rowcount
    found = find(engine, token)
    if found is None:
        raise ChallengeUnknown("this verifier did not issue that challenge", challenge=token)
    if changed == 1:
        return found
    if found.used_at is not None:
        raise ChallengeReplayed(
            f"the challenge was already answered at {found.used_at.isoformat()}; ask for a new one",
            challenge=token)
    raise ChallengeExpired(f"the challenge expired at {found.expires.isoformat()}; ask for a new one",
                           challenge=token)


def check_open(record: Challenge, *, now: datetime) -> None:
    """Raise why ``record`` can no longer be answered (used, expired); nothing is changed."""
    if record.used_at is not None:
        raise ChallengeReplayed(f"the request was already answered at {record.used_at.isoformat()}; ask for a new one",
                                challenge=record.challenge)
    if record.expires <= now:
        raise ChallengeExpired(f"the request expired at {record.expires.isoformat()}; ask for a new one",
                               challenge=record.challenge)


def answer_once(engine: Engine, token: str, *, now: datetime, verified: bool, result: dict[str, Any],
                request: dict[str, Any]) -> None:
    """Use the challenge and store its answer in one transaction (one commit): the conditional
    update decides, as in ``consume``, and nothing is stored when it was already used or expired.
    The stored request is replaced by ``request`` (the caller leaves out what is no longer needed,
    such as the response decryption key)."""
    stamp = millis(now)
    with engine.begin() as conn:
        changed = conn.execute(
            update(challenges)
            .where(challenges.c.challenge == token, challenges.c.used_at.is_(None), challenges.c.expires > stamp)
            .values(used_at=stamp, request=json.dumps(request, ensure_ascii=False))
        ).rowcount
        if changed == 1:
            conn.execute(insert(answers).values(challenge=token, received=stamp, verified=verified,
                                                result=json.dumps(result, ensure_ascii=False)))
    if changed != 1:
        found = find(engine, token)
        if found is None:
            raise ChallengeUnknown("this verifier did not issue that challenge", challenge=token)
        check_open(found, now=now)
        raise ChallengeExpired("the request could not be used; ask for a new one", challenge=token)


def store_answer(engine: Engine, token: str, *, now: datetime, verified: bool, result: dict[str, Any]) -> None:
    with engine.begin() as conn:
        conn.execute(insert(answers).values(challenge=token, received=millis(now), verified=verified,
                                            result=json.dumps(result, ensure_ascii=False)))


def take_answer(engine: Engine, token: str) -> dict[str, Any] | None:
    """The stored answer, deleted as it is read: only one reader ever gets it."""
    with engine.begin() as conn:
        row = conn.execute(select(answers).where(answers.c.challenge == token)).first()
        if row is None or conn.execute(delete(answers).where(answers.c.challenge == token)).rowcount != 1:
            return None
    return {"received": from_millis(row.received), "verified": row.verified, "result": json.loads(row.result)}

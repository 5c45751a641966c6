"""What the organisation issued and offered, as this staff member may see it; status changes.

- ``issued``: the newest credentials (at most ``SCANNED`` rows are looked at), only those inside
  the token's types and scope (``Staff.may_use``), matching a search text in id, worker DID,
  staff name, type, name or procedure; each with its state (valid, suspended, revoked, expired).
- ``offers``: the newest offers made with tokens of this organisation that this token may see,
  with their state (open, collected, expired, blocked).
- ``change_status``: revoke, suspend or unsuspend with a reason, through the service's own
  ``Issuer.update_status`` (one transaction: the status list entry and the audit entry with the
  staff name). At the desk every role may do this for credentials inside its token's types and
  scope (decision 0210); ``update_status`` checks that scope itself (``may_use``).
"""
from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from sqlalchemy import select

from passport.encoding.timeutil import format_datetime

from ..auth import Staff
from ..errors import Forbidden
from ..models import IssuedCredential
from ..oid4vci.models import DEAD, ISSUED, OFFERED, REDEEMED, Offer
from ..oid4vci.offers import STAND_IN_DID, with_subject
from ..status import utc

SCANNED = 500
SHOWN = 50


def _visible(staff: Staff, kind: str, document: Any) -> bool:
    try:
        staff.may_use(kind, document)
    except Forbidden:
        return False
    return True


def _state(row: IssuedCredential, document: dict[str, Any], now: datetime) -> str:
    if row.revoked:
        return "revoked"
    if row.suspended:
        return "suspended"
    until = document.get("validUntil")
    if isinstance(until, str) and until < format_datetime(now):
        return "expired"
    return "valid"


def _words(document: dict[str, Any]) -> tuple[str, str]:
    name = document.get("name") if isinstance(document.get("name"), str) else ""
    subject = document.get("credentialSubject")
    procedure = subject.get("procedure") if isinstance(subject, dict) else None
    code = procedure.get("code", "") if isinstance(procedure, dict) else ""
    return name, code if isinstance(code, str) else ""


def issued(issuer, staff: Staff, text: str, now: datetime) -> list[dict[str, Any]]:
    needle = text.strip().lower()[:200]
    with issuer.db.reading() as session:
        rows = session.scalars(select(IssuedCredential).order_by(IssuedCredential.issued_at.desc(),
                                                                 IssuedCredential.id).limit(SCANNED)).all()
        found = []
        for row in rows:
            document = json.loads(row.document)
            if not _visible(staff, row.type, document):
                continue
            name, code = _words(document)
            haystack = " ".join((row.id, row.subject_did, row.issued_by, row.type, name, code)).lower()
            if needle and needle not in haystack:
                continue
            found.append({"id": row.id, "type": row.type, "name": name or row.type, "procedure": code,
                          "subject": row.subject_did, "issuedAt": format_datetime(utc(row.issued_at)),
                          "issuedBy": row.issued_by, "validUntil": document.get("validUntil"),
                          "state": _state(row, document, now)})
            if len(found) >= SHOWN:
                break
        return found


def offers(issuer, staff: Staff, now: datetime) -> list[dict[str, Any]]:
    with issuer.db.reading_connection() as connection:
        rows = connection.execute(select(Offer.id, Offer.configuration_id, Offer.credential, Offer.created_by,
                                         Offer.created_at, Offer.expires_at, Offer.state, Offer.credential_id)
                                  .order_by(Offer.created_at.desc(), Offer.id.desc()).limit(SCANNED)).all()
    found = []
    for row in rows:
        body = with_subject(json.loads(row.credential), STAND_IN_DID)
        if not _visible(staff, row.configuration_id, body):
            continue
        if row.state == OFFERED:
            state = "expired" if utc(row.expires_at) <= now else "open"
        else:
            state = {REDEEMED: "collecting", ISSUED: "collected", DEAD: "blocked"}.get(row.state, row.state)
        name, code = _words(body)
        found.append({"type": row.configuration_id, "name": name or row.configuration_id, "procedure": code,
                      "createdBy": row.created_by, "createdAt": format_datetime(utc(row.created_at)),
                      "expires": format_datetime(utc(row.expires_at)), "state": state,
                      "credentialId": row.credential_id})
        if len(found) >= SHOWN:
            break
    return found


def change_status(issuer, staff: Staff, credential_id: str, action: str, reason: str,
                  now: datetime) -> dict[str, Any]:
    return issuer.update_status_in_scope(staff, credential_id, action, reason, now)

"""Every desk action in the service's audit log, with the staff member's name (``actor``).

The service itself records issuing and status changes; the desk adds what only it does:
``desk-sign-in``, ``desk-sign-out`` and ``desk-offer`` (an offer made for a worker, with its
type and scope value, so the log shows who offered what before the wallet collected it).
"""
from __future__ import annotations

from datetime import datetime
from typing import Any

from ..auth import Staff
from ..models import AuditEntry


def record(session, staff: Staff, action: str, now: datetime, *, credential_id: str | None = None,
           reason: str | None = None, **details: Any) -> None:
    session.add(AuditEntry(at=now, actor=staff.name, action=action, credential_id=credential_id, reason=reason,
                           details={"role": staff.role, "desk": True, **details}))


def add(issuer, staff: Staff, action: str, now: datetime, **details: Any) -> None:
    """One audit entry in its own transaction."""
    with issuer.db.transaction() as session:
        record(session, staff, action, now, **details)

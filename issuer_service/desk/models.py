"""The desk's one table (migration 0007): signed-in browser sessions of staff.

A session is found by the SHA-256 of the secret in its cookie (256 random bits), never by the
secret itself; it names the staff token it was opened with (checked again on every request, so
a revoked or expired token ends its sessions at once), when it was last used (idle expiry) and
when it ends at the latest (absolute expiry). Signing out sets ``ended_at``.
"""
from __future__ import annotations

from datetime import datetime
from typing import Optional

from sqlalchemy import DateTime, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from ..models import Base


class DeskSession(Base):
    __tablename__ = "desk_sessions"
    id_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    token_id: Mapped[int] = mapped_column(Integer, index=True)
    staff_name: Mapped[str] = mapped_column(String(200))
    lang: Mapped[str] = mapped_column(String(2))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    seen_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)
    ended_at: Mapped[Optional[datetime]] = mapped_column(DateTime(timezone=True), nullable=True)

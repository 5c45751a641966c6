"""The issuer's tables (SQLAlchemy 2 typed models); migrations/ creates and upgrades them.

- ``org_keys``: public keys only (the private key lives in a 0600 file); one is active.
- ``tokens``: staff API tokens, stored as SHA-256 of a 256-bit random token, with role,
  allowed types and scope patterns, expiry and revocation.
- ``credentials``: every issued credential (the signed JSON; personal free text may be dropped
  after the retention period) with its status position: one entry in a ``message`` list
  (statusSize 2: 0 valid, 1 suspended, 2 revoked); credentials issued before migration 0004 keep
  their revocation and suspension positions (one bit each).
- ``status_lists`` / ``status_allocations``: the bitstrings and the indexes reserved; the
  primary key ``(list_id, idx)`` makes an index impossible to reserve twice. Since migration
  0005 a process reserves indexes in blocks (``credential_id`` empty) and the credential row
  holds its position, unique per list (``uq_credentials_status_position``).
- ``audit_log``: append-only: who, what, when, which credential, why.
"""
from __future__ import annotations

from datetime import datetime
from typing import Any, Optional

from sqlalchemy import JSON, Boolean, DateTime, ForeignKey, Index, Integer, LargeBinary, String, Text
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class Base(DeclarativeBase):
    pass


class OrgKey(Base):
    __tablename__ = "org_keys"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    public_key_multibase: Mapped[str] = mapped_column(String(64), unique=True)
    did: Mapped[str] = mapped_column(String(255))
    verification_method: Mapped[str] = mapped_column(String(512))
    active: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    retired_at: Mapped[Optional[datetime]] = mapped_column(DateTime(timezone=True), nullable=True)


class Token(Base):
    __tablename__ = "tokens"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    role: Mapped[str] = mapped_column(String(32))
    types: Mapped[Optional[list[str]]] = mapped_column(JSON, nullable=True)
    scopes: Mapped[Optional[list[str]]] = mapped_column(JSON, nullable=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    expires_at: Mapped[Optional[datetime]] = mapped_column(DateTime(timezone=True), nullable=True)
    revoked_at: Mapped[Optional[datetime]] = mapped_column(DateTime(timezone=True), nullable=True)


class StatusList(Base):
    __tablename__ = "status_lists"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    purpose: Mapped[str] = mapped_column(String(16))
    issuer_did: Mapped[str] = mapped_column(String(255))
    size: Mapped[int] = mapped_column(Integer)
    capacity: Mapped[int] = mapped_column(Integer)
    bits: Mapped[bytes] = mapped_column(LargeBinary)
    version: Mapped[int] = mapped_column(Integer, default=1)
    full: Mapped[bool] = mapped_column(Boolean, default=False)
    next_list_id: Mapped[Optional[int]] = mapped_column(ForeignKey("status_lists.id"), nullable=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    __table_args__ = (Index("ix_status_lists_open", "issuer_did", "purpose", "full"),)


class StatusAllocation(Base):
    __tablename__ = "status_allocations"
    list_id: Mapped[int] = mapped_column(ForeignKey("status_lists.id"), primary_key=True)
    idx: Mapped[int] = mapped_column(Integer, primary_key=True)
    credential_id: Mapped[Optional[str]] = mapped_column(String(64), nullable=True)  # None: reserved in a block


class IssuedCredential(Base):
    __tablename__ = "credentials"
    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    type: Mapped[str] = mapped_column(String(64))
    subject_did: Mapped[str] = mapped_column(String(255), index=True)
    issuer_did: Mapped[str] = mapped_column(String(255))
    issued_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)
    issued_by: Mapped[str] = mapped_column(String(200))
    status_list_id: Mapped[Optional[int]] = mapped_column(ForeignKey("status_lists.id"), nullable=True)
    status_index: Mapped[Optional[int]] = mapped_column(Integer, nullable=True)
    revocation_list_id: Mapped[Optional[int]] = mapped_column(ForeignKey("status_lists.id"), nullable=True)
    revocation_index: Mapped[Optional[int]] = mapped_column(Integer, nullable=True)
    suspension_list_id: Mapped[Optional[int]] = mapped_column(ForeignKey("status_lists.id"), nullable=True)
    suspension_index: Mapped[Optional[int]] = mapped_column(Integer, nullable=True)
    revoked: Mapped[bool] = mapped_column(Boolean, default=False)
    suspended: Mapped[bool] = mapped_column(Boolean, default=False)
    document: Mapped[str] = mapped_column(Text)
    text_dropped_at: Mapped[Optional[datetime]] = mapped_column(DateTime(timezone=True), nullable=True)
    __table_args__ = (Index("uq_credentials_status_position", "status_list_id", "status_index", unique=True),)


class AuditEntry(Base):
    __tablename__ = "audit_log"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)
    actor: Mapped[str] = mapped_column(String(200))
    action: Mapped[str] = mapped_column(String(32))
    credential_id: Mapped[Optional[str]] = mapped_column(String(64), nullable=True, index=True)
    reason: Mapped[Optional[str]] = mapped_column(Text, nullable=True)
    details: Mapped[Optional[dict[str, Any]]] = mapped_column(JSON, nullable=True)

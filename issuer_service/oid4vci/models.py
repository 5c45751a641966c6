"""The OpenID4VCI tables: offers, access tokens and c_nonces (migration 0006).

Secrets are never stored as they are: an offer is found by the SHA-256 of the reference in its
``credential_offer_uri`` and of its pre-authorized code; its transaction code is stored as
SHA-256(pre-authorized code, NUL, tx_code), which cannot be guessed from the table alone (the
code is 256 bits and stored only hashed); access tokens and used c_nonces are stored as SHA-256.

- ``oid4vci_offers``: one credential for one person: the body staff submitted (without the
  subject's DID), who made it (the staff token, checked again at issuance), its expiry, the
  tx_code tries and its ``state``: ``offered`` -> ``redeemed`` (token issued) -> ``issued``, or
  ``dead`` after too many wrong transaction codes;
- ``oid4vci_access_tokens``: bound to one offer, short-lived, deleted when used;
- ``oid4vci_nonces``: the c_nonces proofs have used (``nonces``: a nonce is MACed, not stored, until
  used), kept until they expire, so a second use is refused by the primary key.
"""
from __future__ import annotations

from datetime import datetime
from typing import Any, Optional

from sqlalchemy import JSON, DateTime, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from ..models import Base

OFFERED, REDEEMED, ISSUED, DEAD = "offered", "redeemed", "issued", "dead"


class Offer(Base):
    __tablename__ = "oid4vci_offers"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    reference_hash: Mapped[str] = mapped_column(String(64), unique=True)
    code_hash: Mapped[str] = mapped_column(String(64), unique=True)
    tx_code_hash: Mapped[str] = mapped_column(String(64))
    configuration_id: Mapped[str] = mapped_column(String(64))
    credential: Mapped[str] = mapped_column(Text)
    options: Mapped[Optional[dict[str, Any]]] = mapped_column(JSON, nullable=True)
    staff_token_id: Mapped[int] = mapped_column(Integer)
    created_by: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)
    tx_tries: Mapped[int] = mapped_column(Integer, default=0)
    state: Mapped[str] = mapped_column(String(16))
    credential_id: Mapped[Optional[str]] = mapped_column(String(64), nullable=True)


class AccessToken(Base):
    __tablename__ = "oid4vci_access_tokens"
    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    offer_id: Mapped[int] = mapped_column(ForeignKey("oid4vci_offers.id"), index=True)
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class Nonce(Base):
    __tablename__ = "oid4vci_nonces"
    nonce_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)

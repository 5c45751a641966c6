"""Status lists in the database: random, never-reused indexes; bits; the signed list documents.

- ``allocate``: a random index in the open list for (issuer, purpose). The primary key
  ``(list_id, idx)`` refuses a second use of an index, so a collision (another request, another
  process) is retried with a fresh random index inside a savepoint. When random tries keep
  colliding the free indexes are listed once and one is picked at random; when none is left
  the list is marked full and chained to a new one (``next_list_id``).
- ``set_bit``: flip one bit under a row lock (``FOR NO KEY UPDATE`` on PostgreSQL, the single
  writer lock on SQLite): a revoke touches one row whatever the number of credentials;
  ``set_value``: the same for a 2-bit entry of a ``message`` list (0 valid, 1 suspended, 2 revoked),
  whose bitstring holds ``size`` entries of ``MESSAGE_STATUS_SIZE`` bits.
- ``ListDocuments``: the signed ``BitstringStatusListCredential`` per list version, signed once
  per version per process; the ETag names list, version and signing key.
"""
from __future__ import annotations

import secrets
import threading
from datetime import datetime, timezone

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from passport import sign
from passport.encoding.jcs import canonicalize
from passport.format.status_list import (
    MESSAGE_PURPOSE, MESSAGE_STATUS_SIZE, BitstringStatusList, status_list_credential,
)
from passport.encoding.timeutil import format_datetime

from .errors import NotFound
from .models import StatusAllocation, StatusList

ALLOCATIONS = StatusAllocation.__table__

RANDOM_TRIES = 8
MAX_ROUNDS = 16


def list_url(base_url: str, list_id: int) -> str:
    return f"{base_url}/status-lists/{list_id}"


def utc(moment: datetime) -> datetime:
    """SQLite gives naive datetimes back: they are UTC."""
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)


def _new_list(session: Session, issuer_did: str, purpose: str, size: int, capacity: int, now: datetime) -> StatusList:
    bits = size * (MESSAGE_STATUS_SIZE if purpose == MESSAGE_PURPOSE else 1)
    status_list = StatusList(purpose=purpose, issuer_did=issuer_did, size=size, capacity=capacity,
                             bits=BitstringStatusList(bits).to_bytes(), version=1, full=False,
                             created_at=now, updated_at=now)
    session.add(status_list)
    session.flush()
    return status_list


def _open_list(session: Session, issuer_did: str, purpose: str, size: int, capacity: int,
               now: datetime) -> tuple[int, int]:
    found = session.execute(
        select(StatusList.id, StatusList.capacity).where(
            StatusList.issuer_did == issuer_did, StatusList.purpose == purpose, StatusList.full.is_(False)
        ).order_by(StatusList.id).limit(1)
    ).first()
    if found is not None:
        return found.id, found.capacity
    created = _new_list(session, issuer_did, purpose, size, capacity, now)
    return created.id, created.capacity


_CLAIM = {"postgresql": postgresql_insert(ALLOCATIONS).on_conflict_do_nothing().returning(ALLOCATIONS.c.idx),
          "sqlite": sqlite_insert(ALLOCATIONS).on_conflict_do_nothing().returning(ALLOCATIONS.c.idx)}


def _claim(session: Session, list_id: int, index: int, credential_id: str) -> bool:
    """Insert the allocation unless the index is taken (``ON CONFLICT DO NOTHING``; no savepoint)."""
    connection = session.connection()
    statement = _CLAIM["postgresql" if connection.dialect.name == "postgresql" else "sqlite"]
    result = connection.execute(statement, {"list_id": list_id, "idx": index, "credential_id": credential_id})
    return result.first() is not None  # (rowcount is -1 with psycopg here)


def allocate(session: Session, *, issuer_did: str, purpose: str, credential_id: str, size: int, capacity: int,
             now: datetime, open_lists: dict | None = None) -> tuple[int, int]:
    """Hand out a random unused index: ``(list_id, index)``.

    ``open_lists`` caches the open list per (issuer, purpose) between calls in one process; a
    list another process has filled is noticed by failing claims and the cache entry dropped.
    """
    open_lists = {} if open_lists is None else open_lists
    for _round in range(MAX_ROUNDS):
        key = (issuer_did, purpose)
        if key not in open_lists:
            open_lists[key] = _open_list(session, issuer_did, purpose, size, capacity, now)
        list_id, capacity_here = open_lists[key]
        for _ in range(RANDOM_TRIES):
            index = secrets.randbelow(capacity_here)
            if _claim(session, list_id, index, credential_id):
                return list_id, index
        open_lists.pop(key, None)
        used = set(session.scalars(select(StatusAllocation.idx).where(StatusAllocation.list_id == list_id)))
        free = [index for index in range(capacity_here) if index not in used]
        while free:
            index = free.pop(secrets.randbelow(len(free)))
            if _claim(session, list_id, index, credential_id):
                return list_id, index
        _close(session, list_id, issuer_did, purpose, size, capacity, now)
    raise RuntimeError(f"no free {purpose} status index after {MAX_ROUNDS} lists; is the capacity 0?")


def _close(session: Session, list_id: int, issuer_did: str, purpose: str, size: int, capacity: int,
           now: datetime) -> None:
    """Mark a full list full and chain it to a fresh one (once, even under concurrency)."""
    locked = session.scalars(select(StatusList).where(StatusList.id == list_id).with_for_update(key_share=True)
                             .execution_options(populate_existing=True)).one()
    if locked.full:
        return
    fresh = _new_list(session, issuer_did, purpose, size, capacity, now)
    locked.full, locked.next_list_id = True, fresh.id
    session.flush()


def set_bit(session: Session, list_id: int, index: int, value: bool, now: datetime) -> bool:
    """Set one status bit; True when it changed (then the list's version goes up)."""
    row = session.scalars(select(StatusList).where(StatusList.id == list_id).with_for_update(key_share=True)
                          .execution_options(populate_existing=True)).one()
    bits = BitstringStatusList.from_bytes(row.bits)
    if bits.get(index) == value:
        return False
    bits.set(index, value)
    row.bits, row.version, row.updated_at = bits.to_bytes(), row.version + 1, now
    session.flush()
    return True


def set_value(session: Session, list_id: int, index: int, value: int, now: datetime) -> bool:
    """Set one 2-bit entry of a ``message`` list; True when it changed (then the version goes up)."""
    row = session.scalars(select(StatusList).where(StatusList.id == list_id).with_for_update(key_share=True)
                          .execution_options(populate_existing=True)).one()
    bits = BitstringStatusList.from_bytes(row.bits)
    if bits.get_value(index, MESSAGE_STATUS_SIZE) == value:
        return False
    bits.set_value(index, MESSAGE_STATUS_SIZE, value)
    row.bits, row.version, row.updated_at = bits.to_bytes(), row.version + 1, now
    session.flush()
    return True


class ListDocuments:
    """Signed status list documents, cached per (list, version) in this process."""

    def __init__(self, keyring, base_url: str) -> None:
        self.keyring, self.base_url = keyring, base_url
        self._cache: dict[int, tuple[int, str, bytes]] = {}
        self._lock = threading.Lock()

    def etag(self, list_id: int, version: int, issuer_did: str) -> str:
        signer = self.keyring.signer_for(issuer_did)
        fingerprint = signer.public_key_multibase[-8:] if signer is not None else "nokey"
        return f'"{list_id}-{version}-{fingerprint}"'

    def current(self, session: Session, list_id: int) -> tuple[int, str, str]:
        """``(version, issuer_did, etag)`` of a list: one small query."""
        row = session.execute(select(StatusList.version, StatusList.issuer_did)
                              .where(StatusList.id == list_id)).first()
        if row is None:
            raise NotFound(f"there is no status list {list_id}")
        return row.version, row.issuer_did, self.etag(list_id, row.version, row.issuer_did)

    def body(self, session: Session, list_id: int, etag: str) -> tuple[str, bytes]:
        """``(etag, JSON bytes)`` of the signed list (signed at most once per version here)."""
        cached = self._cache.get(list_id)
        if cached is not None and cached[1] == etag:
            return etag, cached[2]
        row = session.get(StatusList, list_id)
        signer = self.keyring.signer_for(row.issuer_did)
        if signer is None:
            raise NotFound(f"status list {list_id} belongs to {row.issuer_did}, whose key this service no longer holds")
        url = list_url(self.base_url, list_id)
        unsigned = status_list_credential(issuer=row.issuer_did, list_id=url, purpose=row.purpose,
                                          status_list=BitstringStatusList.from_bytes(row.bits),
                                          valid_from=format_datetime(utc(row.created_at)))
        signed = sign(unsigned, signer, created=utc(row.updated_at))
        data = canonicalize(signed)
        etag = self.etag(list_id, row.version, row.issuer_did)
        with self._lock:
            self._cache[list_id] = (row.version, etag, data)
        return etag, data

"""Status lists in the database: random, never-reused indexes; bits; the signed list documents.

- ``reserve``: random indexes in the open list for (issuer, purpose). The primary key
  ``(list_id, idx)`` refuses a second use of an index, so a collision (another request, another
  process) is retried with fresh random indexes (``ON CONFLICT DO NOTHING``). When random tries
  keep colliding the free indexes are listed once and picked at random; when none is left the
  list is marked full and chained to a new one (``next_list_id``).
- ``IndexBlocks``: a process reserves a block of indexes in one short transaction and hands them
  out from memory, so issuing itself only inserts the credential and its audit entry.
- ``set_bit``: flip one bit under a row lock (``FOR NO KEY UPDATE`` on PostgreSQL, the single
  writer lock on SQLite): a revoke touches one row whatever the number of credentials;
  ``set_value``: the same for a 2-bit entry of a ``message`` list (0 valid, 1 suspended, 2 revoked),
  whose bitstring holds ``size`` entries of ``MESSAGE_STATUS_SIZE`` bits.
- ``ListDocuments``: the signed ``BitstringStatusListCredential`` per list version, signed once
  per version per process and kept in memory with its gzip form; the ETag names list, version
  and signing key (``-gzip`` added for the gzip form). A version is trusted from memory for at
  most ``MEMORY_SECONDS`` (and never longer than the lists' ``max-age``) before the database is
  asked again; a change made in this process drops it at once.
"""
from __future__ import annotations

import gzip
import random
import threading
from datetime import datetime, timedelta, timezone
from typing import NamedTuple

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
BLOCK = 32  # indexes a process reserves at a time
BLOCK_SHARE = 1024  # ... and never more than this share of a list's capacity
GZIP_LEVEL = 6
MEMORY_SECONDS = 5  # a list's version kept in memory at most this long (and at most max-age)
MAX_ROUNDS = 16


def list_url(base_url: str, list_id: int) -> str:
    return f"{base_url}/status-lists/{list_id}"


def gzip_etag(etag: str) -> str:
    """The ETag of the gzip form of a list version: a different representation, a different tag."""
    return etag[:-1] + '-gzip"'


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
_RANDOM = random.SystemRandom()


def _claim(session: Session, list_id: int, indexes: list[int]) -> list[int]:
    """Reserve those of ``indexes`` nobody holds yet (one ``INSERT ... ON CONFLICT DO NOTHING``)."""
    if not indexes:
        return []
    connection = session.connection()
    statement = _CLAIM["postgresql" if connection.dialect.name == "postgresql" else "sqlite"]
    rows = [{"list_id": list_id, "idx": index, "credential_id": None} for index in indexes]
    return list(connection.execute(statement.values(rows)).scalars())


def reserve(session: Session, *, issuer_did: str, purpose: str, count: int, size: int, capacity: int,
            now: datetime, open_lists: dict | None = None) -> list[tuple[int, int]]:
    """Reserve ``count`` random unused indexes: ``[(list_id, index), ...]``, never one held before.

    Random indexes of the open list are claimed together; when random tries keep colliding, the
    free indexes are listed once and picked at random; a list with none left is marked full and
    chained to a new one. ``open_lists`` caches the open list per (issuer, purpose) between
    calls in one process; a list another process has filled is noticed by failing claims.
    """
    open_lists = {} if open_lists is None else open_lists
    key, got = (issuer_did, purpose), []
    for _round in range(MAX_ROUNDS + count):
        if key not in open_lists:
            open_lists[key] = _open_list(session, issuer_did, purpose, size, capacity, now)
        list_id, capacity_here = open_lists[key]
        for _ in range(RANDOM_TRIES):
            wanted = _RANDOM.sample(range(capacity_here), min(count - len(got), capacity_here))
            got += [(list_id, index) for index in _claim(session, list_id, wanted)]
            if len(got) == count:
                return got
        open_lists.pop(key, None)
        used = set(session.scalars(select(StatusAllocation.idx).where(StatusAllocation.list_id == list_id)))
        free = [index for index in range(capacity_here) if index not in used]
        wanted = _RANDOM.sample(free, min(count - len(got), len(free)))
        got += [(list_id, index) for index in _claim(session, list_id, wanted)]
        if len(got) == count:
            return got
        if len(wanted) == len(free):  # every free index tried: the list is full
            _close(session, list_id, issuer_did, purpose, size, capacity, now)
    raise RuntimeError(f"no free {purpose} status index after {MAX_ROUNDS + count} rounds; is the capacity 0?")


class IndexBlocks:
    """Status indexes reserved in the database a block at a time, handed out from this process's memory.

    A reservation is a short transaction of its own (rows in ``status_allocations`` without a
    credential); the credential row then holds its position, under a unique index. An index is
    handed out once: ``give_back`` takes back only indexes no transaction has used. A process that
    ends loses at most its unused block: those indexes stay reserved and are never handed out.
    """

    def __init__(self, db, *, issuer_did: str, purpose: str, size: int, capacity: int) -> None:
        self.db, self.issuer_did, self.purpose, self.size, self.capacity = db, issuer_did, purpose, size, capacity
        self.block = max(1, min(BLOCK, capacity // BLOCK_SHARE))  # small (test) lists: one at a time
        self._free: list[tuple[int, int]] = []
        self._open_lists: dict = {}
        self._lock = threading.Lock()

    def take(self, count: int, now: datetime) -> list[tuple[int, int]]:
        with self._lock:
            if len(self._free) < count:
                try:
                    with self.db.transaction() as session:
                        self._free += reserve(session, issuer_did=self.issuer_did, purpose=self.purpose,
                                              count=max(self.block, count - len(self._free)), size=self.size,
                                              capacity=self.capacity, now=now, open_lists=self._open_lists)
                except BaseException:
                    self._open_lists.clear()  # a list created in the rolled-back transaction does not exist
                    raise
            taken, self._free = self._free[:count], self._free[count:]
            return taken

    def give_back(self, positions: list[tuple[int, int]]) -> None:
        """Positions taken but used by no transaction (the request failed before storing anything)."""
        with self._lock:
            self._free = positions + self._free


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


class Served(NamedTuple):
    """One signed list version as served: its ETag, its JSON and (made once, when asked) its gzip form."""

    version: int
    etag: str
    body: bytes
    gzipped: bytes | None
    checked_at: datetime  # when the database last said this is the current version


class ListDocuments:
    """Signed status list documents, kept per list in this process (signed once per version).

    ``served`` answers from memory while the kept version was confirmed by the database less than
    ``fresh_seconds`` ago (by the request clock); after that one small query (the version) checks
    it. ``forget`` drops a list at once (a change made in this process). So a change made by
    another process shows within ``fresh_seconds``, and a 304 within that time needs no database.
    """

    def __init__(self, keyring, base_url: str, fresh_seconds: float = 0) -> None:
        self.keyring, self.base_url = keyring, base_url
        self.fresh = timedelta(seconds=fresh_seconds)
        self._cache: dict[int, Served] = {}
        self._lock = threading.Lock()

    def etag(self, list_id: int, version: int, issuer_did: str) -> str:
        signer = self.keyring.signer_for(issuer_did)
        fingerprint = signer.public_key_multibase[-8:] if signer is not None else "nokey"
        return f'"{list_id}-{version}-{fingerprint}"'

    def served(self, db, list_id: int, now: datetime, *, gzipped: bool = False) -> Served:
        """The current signed version of a list (``NotFound`` when there is none), from memory when fresh."""
        cached = self._cache.get(list_id)
        if cached is None or not cached.checked_at <= now < cached.checked_at + self.fresh:
            with db.reading() as session:
                cached = self._confirmed(session, list_id, cached, now)
        if gzipped and cached.gzipped is None:
            cached = cached._replace(gzipped=gzip.compress(cached.body, GZIP_LEVEL, mtime=0))
            self._keep(list_id, cached)
        return cached

    def forget(self, list_id: int) -> None:
        with self._lock:
            self._cache.pop(list_id, None)

    def _confirmed(self, session: Session, list_id: int, cached: Served | None, now: datetime) -> Served:
        row = session.execute(select(StatusList.version, StatusList.issuer_did)
                              .where(StatusList.id == list_id)).first()
        if row is None:
            raise NotFound(f"there is no status list {list_id}")
        etag = self.etag(list_id, row.version, row.issuer_did)
        if cached is not None and cached.etag == etag:
            served = cached._replace(checked_at=now)
        else:
            served = self._signed(session, list_id, now)
        self._keep(list_id, served)
        return served

    def _keep(self, list_id: int, served: Served) -> None:
        with self._lock:
            held = self._cache.get(list_id)
            if held is None or held.version <= served.version:  # never step back to an older version
                self._cache[list_id] = served

    def _signed(self, session: Session, list_id: int, now: datetime) -> Served:
        row = session.get(StatusList, list_id)
        signer = self.keyring.signer_for(row.issuer_did)
        if signer is None:
            raise NotFound(f"status list {list_id} belongs to {row.issuer_did}, whose key this service no longer holds")
        url = list_url(self.base_url, list_id)
        unsigned = status_list_credential(issuer=row.issuer_did, list_id=url, purpose=row.purpose,
                                          status_list=BitstringStatusList.from_bytes(row.bits),
                                          valid_from=format_datetime(utc(row.created_at)))
        signed = sign(unsigned, signer, created=utc(row.updated_at))
        return Served(row.version, self.etag(list_id, row.version, row.issuer_did), canonicalize(signed), None, now)

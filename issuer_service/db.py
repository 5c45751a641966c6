"""The database engine: SQLite (WAL, one writer at a time) or PostgreSQL, and transactions.

SQLite write transactions start with ``BEGIN IMMEDIATE`` so concurrent writers (several
workers or processes on one file) queue on the lock instead of failing half-way. Writers of
this service queue before that, on ``WriterQueue``: a thread lock, then an ``flock`` on
``<database>.writer`` shared by every worker on the file, which the kernel hands to the next
waiter as soon as it is released (and releases when a worker dies). SQLite's busy handler,
which waits in growing sleeps (1, 2, 5, 10... ms) instead of a queue, is then met only by other
programs writing to the file (the CLI);
readers use plain ``BEGIN`` and never block writers (WAL). PostgreSQL runs READ COMMITTED
and the code takes row locks where it updates shared rows (status bits).

A new SQLite file is created empty with mode 0600 before SQLite opens it; SQLite gives its
``-wal`` and ``-shm`` files the database file's mode, so all three are 0600.
"""
from __future__ import annotations

import fcntl
import os
import threading
from contextlib import contextmanager, nullcontext
from typing import Iterator

from sqlalchemy import create_engine, event, inspect
from sqlalchemy.engine import Connection, Engine, make_url
from sqlalchemy.orm import Session, sessionmaker


CONNECT_TIMEOUT = 5  # seconds for a new PostgreSQL connection


def make_engine(url: str, *, schema: str | None = None) -> Engine:
    """An engine for ``url``; ``schema`` puts every table in that PostgreSQL schema (tests)."""
    if url.startswith("sqlite"):
        create_private_sqlite_file(url)
        engine = create_engine(url, connect_args={"timeout": 60, "check_same_thread": False})
        event.listen(engine, "connect", _sqlite_connect)
        event.listen(engine, "begin", _sqlite_begin)
        return engine
    connect_args: dict = {"connect_timeout": CONNECT_TIMEOUT}  # a database that hangs: 503, not a stuck worker
    if schema:
        connect_args["options"] = f"-csearch_path={schema}"
    return create_engine(url, connect_args=connect_args, pool_pre_ping=True, pool_size=5, max_overflow=5)


def create_private_sqlite_file(url: str) -> None:
    """Create the database file of a SQLite ``url`` empty with mode 0600 unless it exists."""
    path = sqlite_path(url)
    if path is None:
        return
    try:
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
    except (FileExistsError, FileNotFoundError):  # kept as it is / no folder: SQLite says so on first use
        return
    os.chmod(path, 0o600)  # whatever the umask


def sqlite_path(url: str) -> str | None:
    """The file of a SQLite ``url`` (None in memory)."""
    path = make_url(url).database
    return None if not path or path == ":memory:" or path.startswith("file:") else path


class WriterQueue:
    """One writer at a time on a SQLite file: across threads (a lock) and across the processes of
    this service (``flock`` on ``<path>.writer``, opened in each process: a descriptor inherited
    through fork would share its lock). Re-entrant within a thread. ``path`` None: threads only."""

    def __init__(self, path: str | None) -> None:
        self._path = None if path is None else path + ".writer"
        self._lock = threading.RLock()
        self._depth = 0
        self._fd: int | None = None
        self._pid = 0

    def __enter__(self) -> None:
        self._lock.acquire()
        if self._depth == 0 and self._path is not None:
            try:
                fcntl.flock(self._descriptor(), fcntl.LOCK_EX)  # waits in the kernel, without the GIL
            except BaseException:
                self._lock.release()
                raise
        self._depth += 1

    def __exit__(self, *exc: object) -> None:
        self._depth -= 1
        try:
            if self._depth == 0 and self._fd is not None:
                fcntl.flock(self._fd, fcntl.LOCK_UN)
        finally:
            self._lock.release()

    def _descriptor(self) -> int:
        if self._fd is None or self._pid != os.getpid():
            self._fd = os.open(self._path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o600)
            self._pid = os.getpid()
        return self._fd


def _sqlite_connect(connection, _record) -> None:
    connection.isolation_level = None  # we issue BEGIN ourselves
    cursor = connection.cursor()
    for pragma in ("journal_mode=WAL", "synchronous=NORMAL", "busy_timeout=60000", "foreign_keys=ON"):
        cursor.execute(f"PRAGMA {pragma}")
    cursor.close()


def _sqlite_begin(connection) -> None:
    mode = connection.get_execution_options().get("sqlite_begin", "IMMEDIATE")
    connection.exec_driver_sql(f"BEGIN {mode}")


class Database:
    """Sessions for writing (one transaction each) and for reading."""

    def __init__(self, url: str, *, schema: str | None = None) -> None:
        self.url = url
        self.engine = make_engine(url, schema=schema)
        self._write = sessionmaker(self.engine, expire_on_commit=False)
        self._reader = self.engine.execution_options(sqlite_begin="DEFERRED")
        self._read = sessionmaker(self._reader, expire_on_commit=False)
        self._writer = WriterQueue(sqlite_path(url)) if self.is_sqlite else nullcontext()

    @property
    def is_sqlite(self) -> bool:
        return self.url.startswith("sqlite")

    @contextmanager
    def transaction(self) -> Iterator[Session]:
        """One write transaction: committed when the block ends, rolled back on any error."""
        with self._writer, self._write() as session, session.begin():
            yield session

    @contextmanager
    def writing(self) -> Iterator[Connection]:
        """``transaction`` as a plain connection (no ORM session): for the issuing inserts."""
        with self._writer, self.engine.begin() as connection:
            yield connection

    @contextmanager
    def reading(self) -> Iterator[Session]:
        with self._read() as session, session.begin():
            yield session

    @contextmanager
    def reading_connection(self) -> Iterator[Connection]:
        """A plain connection for one small read (no ORM session)."""
        with self._reader.connect() as connection, connection.begin():
            yield connection

    def has_tables(self) -> bool:
        return inspect(self.engine).has_table("credentials")

    def dispose(self) -> None:
        self.engine.dispose()

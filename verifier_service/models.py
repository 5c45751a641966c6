"""The verifier's tables (SQLAlchemy 2 Core): challenges, answers to them, uploaded job profiles.

Nothing is kept without bounds (``housekeeping.py`` purges by the indexed time columns), and
no long-lived secret is stored in the clear: a challenge keeps only the SHA-256 of the page's read
token, an upload only the SHA-256 of its page session. The one secret kept is an open OpenID4VP
request's own decryption key (it must be shared by the workers), removed when the request is
used and gone with the request. A SQLite file is created mode 0600.

Times are integer milliseconds since the epoch (UTC), so SQLite and PostgreSQL compare them
the same way in SQL. SQLite runs in WAL mode with a busy timeout so several worker processes
can share one file; PostgreSQL tables can live in their own schema (``DATABASE_SCHEMA``).
"""
from __future__ import annotations

import os
import random
import time

from datetime import datetime, timezone
from typing import Any

from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError
from sqlalchemy import (
    BigInteger, Boolean, Column, Engine, Index, MetaData, String, Table, Text, create_engine, event, inspect, text,
)

metadata = MetaData()

challenges = Table(
    "verifier_challenge", metadata,
    Column("challenge", String(64), primary_key=True),
    Column("domain", String(255), nullable=False),
    Column("created", BigInteger, nullable=False),
    Column("expires", BigInteger, nullable=False),
    Column("used_at", BigInteger, nullable=True),
    # the request (JSON): the request object and its signed form, the job profile, and for
    # direct_post.jwt the request's own P-256 decryption key, removed when the request is used
    Column("request", Text, nullable=False),
    Column("read_token_hash", String(64), nullable=True),  # SHA-256 (hex) of the page's read token
    Index("ix_verifier_challenge_expires", "expires"),
)

answers = Table(
    "verifier_answer", metadata,
    Column("challenge", String(64), primary_key=True),
    Column("received", BigInteger, nullable=False),
    Column("verified", Boolean, nullable=False),
    Column("result", Text, nullable=False),  # the response body (JSON) shown on the page
    Index("ix_verifier_answer_received", "received"),
)

job_profiles = Table(
    "verifier_job_profile", metadata,
    Column("id", String(80), primary_key=True),
    Column("created", BigInteger, nullable=False),
    Column("document", Text, nullable=False),
    Column("owner", String(64), nullable=True),  # SHA-256 (hex) of the page session that uploaded it
    Column("name", Text, nullable=True),  # the profile's title (JSON), so listing never parses documents
    Index("ix_verifier_job_profile_created", "created"),
    Index("ix_verifier_job_profile_owner", "owner"),
)


def millis(moment: datetime) -> int:
    return int(moment.timestamp() * 1000)


def from_millis(value: int) -> datetime:
    return datetime.fromtimestamp(value / 1000, tz=timezone.utc)


def make_engine(url: str, schema: str | None = None) -> Engine:
    options: dict[str, Any] = {"future": True, "pool_pre_ping": True}
    if url.startswith("sqlite"):
        options["connect_args"] = {"timeout": 15, "check_same_thread": False}
    elif url.startswith("postgresql"):
        options["connect_args"] = {"connect_timeout": 5}  # a database that hangs must not hang the verifier
    if url.startswith("sqlite"):
        private_sqlite_file(url)
    engine = create_engine(url, **options)
    if url.startswith("sqlite"):
        @event.listens_for(engine, "connect")
        def _wal(dbapi_connection: Any, _record: Any) -> None:
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA busy_timeout=15000")
            cursor.close()
    if schema:
        engine = engine.execution_options(schema_translate_map={None: schema})
    _create_tables(engine)
    _add_missing_columns(engine)
    return engine


def private_sqlite_file(url: str) -> None:
    """Create the SQLite file (and its WAL and shared-memory files) readable by the owner only:
    it holds answers with people's profiles. An existing file open to others is closed to them."""
    path = make_url(url).database
    if not path or path == ":memory:" or path.startswith("file:"):
        return
    for name in (path, path + "-wal", path + "-shm"):
        if name == path or os.path.exists(name):
            os.close(os.open(name, os.O_RDWR | os.O_CREAT, 0o600))
            if os.stat(name).st_mode & 0o077:
                os.chmod(name, 0o600)


def _add_missing_columns(engine: Any) -> None:
    """A database made by an older version lacks the newer nullable columns and indexes: add them."""
    found = inspect(engine)
    schema = (engine.get_execution_options().get("schema_translate_map") or {}).get(None)
    for table in metadata.sorted_tables:
        have = {column["name"] for column in found.get_columns(table.name, schema=schema)}
        for column in table.columns:
            if column.name not in have:
                kind = column.type.compile(engine.dialect)
                name = f"{schema}.{table.name}" if schema else table.name
                try:
                    with engine.begin() as conn:
                        conn.execute(text(f"ALTER TABLE {name} ADD COLUMN {column.name} {kind}"))
                except DBAPIError:  # another worker added it at the same moment
                    pass
        for index in table.indexes:
            try:
                index.create(engine, checkfirst=True)
            except DBAPIError:
                pass


def _create_tables(engine: Any, attempts: int = 10) -> None:
    """``create_all`` that survives the other workers doing the same at the same moment: gunicorn
    starts them together on a fresh database, and ``checkfirst`` checks table by table, so two
    workers can collide on several tables in a row. Retry with a growing pause, then give up."""
    for attempt in range(1, attempts + 1):
        try:
            metadata.create_all(engine, checkfirst=True)
            return
        except DBAPIError:
            if attempt == attempts:
                raise
            time.sleep(0.05 * attempt + random.random() * 0.05)

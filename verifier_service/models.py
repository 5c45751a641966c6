"""The verifier's tables (SQLAlchemy 2 Core): challenges, answers to them, uploaded job profiles.

Times are integer milliseconds since the epoch (UTC), so SQLite and PostgreSQL compare them
the same way in SQL. SQLite runs in WAL mode with a busy timeout so several worker processes
can share one file; PostgreSQL tables can live in their own schema (``DATABASE_SCHEMA``).
"""
from __future__ import annotations

import random
import time

from datetime import datetime, timezone
from typing import Any

from sqlalchemy.exc import DBAPIError
from sqlalchemy import (
    BigInteger, Boolean, Column, Engine, MetaData, String, Table, Text, create_engine, event,
)

metadata = MetaData()

challenges = Table(
    "verifier_challenge", metadata,
    Column("challenge", String(64), primary_key=True),
    Column("domain", String(255), nullable=False),
    Column("created", BigInteger, nullable=False),
    Column("expires", BigInteger, nullable=False),
    Column("used_at", BigInteger, nullable=True),
    Column("request", Text, nullable=False),  # the request object (JSON), what is asked for
)

answers = Table(
    "verifier_answer", metadata,
    Column("challenge", String(64), primary_key=True),
    Column("received", BigInteger, nullable=False),
    Column("verified", Boolean, nullable=False),
    Column("result", Text, nullable=False),  # the response body (JSON) shown on the page
)

job_profiles = Table(
    "verifier_job_profile", metadata,
    Column("id", String(80), primary_key=True),
    Column("created", BigInteger, nullable=False),
    Column("document", Text, nullable=False),
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
    return engine


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

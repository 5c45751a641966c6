"""Fixtures for the verifier service: Ria's demo world, a trust registry file, an offline
bundle, a database (SQLite and PostgreSQL, schema ``verifier_test``), ``app`` and ``client``,
and a real HTTP server on 127.0.0.1 that serves status lists and DID documents.

PostgreSQL runs at 127.0.0.1:5432 (user postgres, database ``test``). Without it the
PostgreSQL half of the tests is skipped, except under CI (``CI=true``), where it is required.
"""
from __future__ import annotations

import json
import os
import sys
from datetime import timedelta
from pathlib import Path
from typing import Any, Iterator

import pytest

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:  # verifier_service/ is not an installed package; run from the repo
    sys.path.insert(0, str(ROOT))

from passport.demo.world import World, build_world
from passport.encoding.timeutil import format_datetime
from verifier_helpers import NOW, LocalServer, base_config
from verifier_service import create_app

PG_URL = os.environ.get("PASPOORT_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
# verifier_test, plus the process id: two test runs at once (a developer's and CI's) must not
# drop each other's tables.
PG_SCHEMA = f"verifier_test_{os.getpid()}"


# --- the demo world ------------------------------------------------------------------------
@pytest.fixture(scope="session")
def world() -> World:
    return build_world("ria", NOW)


@pytest.fixture(scope="session")
def trust_files(world: World, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    folder = tmp_path_factory.mktemp("trust")
    registry = folder / "registry.json"
    registry.write_text(json.dumps(world.registry), encoding="utf-8")
    bundle = folder / "bundle.json"
    bundle.write_text(json.dumps({"created": format_datetime(NOW - timedelta(hours=2)),
                                  "statusLists": world.status_documents, "didDocuments": {}}), encoding="utf-8")
    return {"registry": str(registry), "bundle": str(bundle), "signer": world.keys["registry"].did}


# --- databases -----------------------------------------------------------------------------
def _postgres_available() -> str | None:
    try:
        import sqlalchemy

        engine = sqlalchemy.create_engine(PG_URL)
        with engine.begin() as conn:
            conn.execute(sqlalchemy.text(f"DROP SCHEMA IF EXISTS {PG_SCHEMA} CASCADE"))
            conn.execute(sqlalchemy.text(f"CREATE SCHEMA {PG_SCHEMA}"))
        engine.dispose()
        return None
    except Exception as exc:  # noqa: BLE001 - any failure means "not available"
        return f"{type(exc).__name__}: {exc}"


@pytest.fixture(scope="session")
def postgres_schema() -> Iterator[str]:
    problem = _postgres_available()
    if problem is not None:
        if os.environ.get("CI") == "true":
            pytest.fail(f"PostgreSQL is required under CI and not reachable at {PG_URL}: {problem}")
        pytest.skip(f"PostgreSQL not reachable at {PG_URL} ({problem})")
    yield PG_SCHEMA
    import sqlalchemy

    engine = sqlalchemy.create_engine(PG_URL)
    with engine.begin() as conn:
        conn.execute(sqlalchemy.text(f"DROP SCHEMA IF EXISTS {PG_SCHEMA} CASCADE"))
    engine.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def database(request: pytest.FixtureRequest, tmp_path: Path) -> dict[str, Any]:
    if request.param == "sqlite":
        return {"DATABASE_URL": f"sqlite:///{tmp_path / 'verifier.sqlite3'}", "DATABASE_SCHEMA": None}
    schema = request.getfixturevalue("postgres_schema")
    return {"DATABASE_URL": PG_URL, "DATABASE_SCHEMA": schema}


@pytest.fixture
def sqlite_database(tmp_path: Path) -> dict[str, Any]:
    return {"DATABASE_URL": f"sqlite:///{tmp_path / 'verifier.sqlite3'}", "DATABASE_SCHEMA": None}


# --- the app -------------------------------------------------------------------------------
@pytest.fixture
def app(trust_files: dict[str, Any], database: dict[str, Any]):
    return create_app(base_config(trust_files, database))


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def make_app(trust_files: dict[str, Any], sqlite_database: dict[str, Any]):
    """``make_app(**overrides)``: an app on SQLite with some settings changed."""
    def make(**extra: Any):
        return create_app(base_config(trust_files, sqlite_database, **extra))
    return make


@pytest.fixture
def server() -> Iterator[LocalServer]:
    local = LocalServer()
    yield local
    local.close()

"""Fixtures for the issuer service: ``app``, ``client``, ``runner``, staff ``tokens``.

The ``backend`` fixture runs every test against SQLite and against PostgreSQL (127.0.0.1:5432,
database ``test``, a private schema ``issuer_test_<pid>_<name>`` created here and dropped after
the test). PostgreSQL is required when ``CI=true``: an unreachable server then fails the run.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from issuer_helpers import base_config, drop_database, make_database, make_tokens
from issuer_service import create_app
from issuer_service.cli import init_db


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def backend(request) -> str:
    return request.param


@pytest.fixture(scope="module")
def shared_app(backend: str, tmp_path_factory):
    """One app per test module and backend, for tests that only read or add independent rows."""
    folder = tmp_path_factory.mktemp("shared")
    settings = make_database(backend, folder, name="shared")
    application = create_app(base_config(folder, settings))
    init_db(application)
    yield application
    application.extensions["paspoort_issuer_db"].dispose()
    drop_database(settings)


@pytest.fixture
def database(backend: str, tmp_path: Path):
    settings = make_database(backend, tmp_path)
    yield settings
    drop_database(settings)


@pytest.fixture
def app_config() -> dict[str, Any]:
    """Extra settings for ``app``; tests override this fixture (e.g. a small list capacity)."""
    return {}


@pytest.fixture
def app(tmp_path: Path, database: dict[str, Any], app_config: dict[str, Any]):
    application = create_app(base_config(tmp_path, database, **app_config))
    init_db(application)
    yield application
    application.extensions["paspoort_issuer_db"].dispose()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def tokens(app) -> dict[str, str]:
    return make_tokens(app)

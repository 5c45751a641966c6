"""The database out of reach: 503 Problem Details with Retry-After, so a client retries the same
request; once it is back, requests work again, also on pooled connections the server dropped."""
from __future__ import annotations

import socket
import uuid
from contextlib import ExitStack

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.exc import DisconnectionError, ProgrammingError

from issuer_helpers import PG_URL, bearer, example
from issuer_service.db import Database

PROBLEM = "application/problem+json"


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def unreachable(backend, tmp_path):
    """A database that cannot be opened: a SQLite file in a missing folder, a PostgreSQL port nobody serves."""
    if backend == "sqlite":
        url = f"sqlite:///{tmp_path / 'missing-folder' / 'issuer.sqlite3'}"
    else:
        url = f"postgresql+psycopg://postgres@127.0.0.1:{closed_port()}/test"
    database = Database(url)
    yield database
    database.dispose()


def issue(client, token, credential_id):
    credential = {**example("ria/endorsements/bhv-certificaat.json"), "id": credential_id}
    return client.post("/credentials/issue", json={"credential": credential}, headers=bearer(token))


def assert_unavailable(response):
    assert response.status_code == 503, response.get_data(as_text=True)
    assert response.mimetype == PROBLEM
    assert response.headers["Retry-After"] == "1"
    body = response.get_json()
    assert body["code"] == "SERVICE_UNAVAILABLE" and body["status"] == 503 and "retry" in body["detail"]
    assert "Traceback" not in response.get_data(as_text=True) and "127.0.0.1" not in body["detail"]


def test_unreachable_database_is_503_and_the_same_request_succeeds_later(app, client, tokens, unreachable):
    issuer = app.extensions["paspoort_issuer"]
    credential_id = f"urn:uuid:{uuid.uuid4()}"
    with ExitStack() as restore:
        reachable, issuer.db = issuer.db, unreachable
        restore.callback(setattr, issuer, "db", reachable)
        assert_unavailable(issue(client, tokens["admin"], credential_id))
        assert_unavailable(client.get("/status-lists/1"))
    retried = issue(client, tokens["admin"], credential_id)
    assert retried.status_code == 201
    again = issue(client, tokens["admin"], credential_id)  # a retry after a lost answer: stored once
    assert again.status_code == 409 and again.get_json()["credentialId"] == credential_id
    stored = client.get(f"/credentials/{credential_id}", headers=bearer(tokens["admin"])).get_json()
    assert stored["verifiableCredential"]["proof"] == retried.get_json()["verifiableCredential"]["proof"]


@pytest.mark.parametrize("error, status", [
    (DisconnectionError("pre-ping failed"), 503),  # the pool gave up reconnecting
    (ProgrammingError("SELECT", {}, Exception("no such column")), 500),  # a bug stays a 500
], ids=["disconnection-503", "programming-error-500"])
def test_only_database_availability_errors_are_503(app, client, tokens, monkeypatch, error, status):
    def failing(*_args, **_kwargs):
        raise error
    monkeypatch.setattr(app.extensions["paspoort_issuer"], "staff", failing)
    response = issue(client, tokens["admin"], f"urn:uuid:{uuid.uuid4()}")
    assert response.status_code == status and response.mimetype == PROBLEM
    assert ("Retry-After" in response.headers) == (status == 503)


@pytest.mark.parametrize("backend", ["postgresql"])  # SQLite has no server that drops connections
def test_connections_the_server_dropped_are_replaced(app, client, tokens, backend):
    database = app.extensions["paspoort_issuer_db"]
    assert issue(client, tokens["admin"], f"urn:uuid:{uuid.uuid4()}").status_code == 201
    idle = database.engine.pool.checkedin()
    assert idle >= 1
    with ExitStack() as held:  # check out every idle pooled connection to learn its server process
        pids = [held.enter_context(database.engine.connect()).exec_driver_sql("SELECT pg_backend_pid()").scalar()
                for _ in range(idle)]
    admin = create_engine(PG_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        for pid in pids:
            assert connection.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": pid}).scalar()
    admin.dispose()
    assert issue(client, tokens["admin"], f"urn:uuid:{uuid.uuid4()}").status_code == 201  # pre-ping reconnects


def test_a_worker_started_while_the_database_is_down_still_boots(tmp_path, backend):
    """A worker restarted during an outage must boot (gunicorn stops the whole server when one
    fails to): it answers 503 until the database is back, and records its key at a later start."""
    from issuer_helpers import base_config
    from issuer_service import create_app
    if backend == "sqlite":
        url = f"sqlite:///{tmp_path / 'missing-folder' / 'issuer.sqlite3'}"
    else:
        url = f"postgresql+psycopg://postgres@127.0.0.1:{closed_port()}/test"
    application = create_app(base_config(tmp_path, {"DATABASE_URL": url}))
    try:
        assert_unavailable(issue(application.test_client(), "some-staff-token", f"urn:uuid:{uuid.uuid4()}"))
    finally:
        application.extensions["paspoort_issuer_db"].dispose()

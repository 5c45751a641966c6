"""Helpers for the issuer service tests (databases, keys, tokens, verification against the service).

The database fixture runs every test against SQLite and against PostgreSQL (127.0.0.1:5432,
database ``test``, a private schema ``issuer_test_<pid>`` created here and dropped afterwards).
PostgreSQL is required when ``CI=true``: then an unreachable server fails the run instead of
skipping.
"""
from __future__ import annotations

import json
import os
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import create_engine, text

from issuer_service.auth import create_token
from passport import TrustRegistry, TrustStore, check, sign
from passport.crypto.keys import Ed25519Key
from passport.format.trust import trust_registry_credential

PG_URL = os.environ.get("PASPOORT_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
BASE_URL = "https://issuer.example"
EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
ISSUER_KEY_SEED = bytes([21]) * 32
REGISTRY_KEY = Ed25519Key(bytes([22]) * 32)
_pg_state: dict[str, Any] = {}


def pg_schema_name() -> str:
    return f"issuer_test_{os.getpid()}"


def postgres_available() -> bool:
    if "ok" not in _pg_state:
        try:
            engine = create_engine(PG_URL, connect_args={"connect_timeout": 3})
            with engine.connect() as connection:
                connection.execute(text("select 1"))
            engine.dispose()
            _pg_state["ok"] = True
        except Exception as exc:  # noqa: BLE001 - any failure means "not reachable"
            _pg_state["ok"], _pg_state["why"] = False, str(exc).splitlines()[0]
    return _pg_state["ok"]


def require_postgres() -> None:
    if not postgres_available():
        message = f"PostgreSQL at {PG_URL} is not reachable: {_pg_state.get('why')}"
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(message + " (required in CI)")
        pytest.skip(message)


def _admin_engine():
    return create_engine(PG_URL, isolation_level="AUTOCOMMIT")


def make_database(backend: str, tmp_path: Path, name: str = "db") -> dict[str, Any]:
    """Database settings for a fresh, empty database of ``backend``; ``drop()`` cleans up."""
    if backend == "sqlite":
        return {"DATABASE_URL": f"sqlite:///{tmp_path / (name + '.sqlite3')}"}
    require_postgres()
    schema = f"{pg_schema_name()}_{name}"
    engine = _admin_engine()
    with engine.connect() as connection:
        connection.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    engine.dispose()
    return {"DATABASE_URL": PG_URL, "DB_SCHEMA": schema}


def drop_database(settings: dict[str, Any]) -> None:
    schema = settings.get("DB_SCHEMA")
    if schema:
        engine = _admin_engine()
        with engine.connect() as connection:
            connection.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
        engine.dispose()


def write_key(path: Path, seed: bytes = ISSUER_KEY_SEED) -> Ed25519Key:
    key = Ed25519Key(seed)
    key.save(str(path))
    return key


def base_config(tmp_path: Path, database: dict[str, Any], **extra: Any) -> dict[str, Any]:
    key_file = tmp_path / "issuer-key.json"
    if not key_file.exists():
        write_key(key_file)
    return {"TESTING": True, "KEY_FILE": str(key_file), "BASE_URL": BASE_URL, "NAME": "ROC Testland",
            "URL": "https://roc.example", **database, **extra}


def make_tokens(app) -> dict[str, str]:
    now = datetime.now(timezone.utc)
    specs = {
        "admin": dict(role="admin", types=None, scopes=None, expires_days=30),
        "examinator": dict(role="examinator", types=None, scopes=["vrh:*"], expires_days=30),
        "administratie": dict(role="administratie", types=None, scopes=None, expires_days=30),
        "expired": dict(role="admin", types=None, scopes=None, expires_days=1),
        "revoked": dict(role="admin", types=None, scopes=None, expires_days=30),
    }
    tokens = {}
    database = app.extensions["paspoort_issuer_db"]
    with database.transaction() as session:
        for name, spec in specs.items():
            created = now - timedelta(days=3) if name == "expired" else now
            row, token = create_token(session, name=f"{name}-staff", now=created, **spec)
            if name == "revoked":
                row.revoked_at = now
            tokens[name] = token
    return tokens


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def example(path: Path | str) -> dict[str, Any]:
    """An example endorsement as a staff member would submit it: without issuer and id."""
    credential = json.loads((EXAMPLES / path).read_text(encoding="utf-8")) if not isinstance(path, Path) \
        else json.loads(path.read_text(encoding="utf-8"))
    credential.pop("issuer", None)
    credential.pop("id", None)
    return credential


def example_paths() -> list[Path]:
    return sorted(EXAMPLES.glob("*/endorsements/*.json"))


def status_loader(client):
    """A status loader for ``passport.check`` that fetches lists from the service."""
    def load(url: str) -> dict[str, Any]:
        assert url.startswith(BASE_URL)
        response = client.get(url[len(BASE_URL):])
        assert response.status_code == 200
        return response.get_json()
    return load


def trust_for(issuer_did: str, now: datetime) -> TrustStore:
    unsigned = trust_registry_credential(
        issuer=REGISTRY_KEY.did, registry_id="urn:uuid:0b7c3c8e-5f7e-4a53-9d43-3f1d35a3f7a1", name="Testregister",
        issuers=[{"id": issuer_did, "name": "ROC Testland", "role": "opleider",
                  "credentialTypes": ["AantoonbaarBekwaamCredential", "CertificaatCredential",
                                      "AssessmentResultaatCredential", "WerkervaringCredential",
                                      "ProfielEndorsementCredential"], "scope": None,
                  "statusLists": [BASE_URL + "/status-lists/"]}],
        valid_from="2026-01-01T00:00:00Z")
    signed = sign(unsigned, REGISTRY_KEY, created="2026-01-01T00:00:00Z")
    return TrustStore([TrustRegistry.from_credential(signed, trusted_signers={REGISTRY_KEY.did}, now=now)])


def verify_with_service(client, credential: dict[str, Any], issuer_did: str, **options: Any):
    now = datetime.now(timezone.utc) + timedelta(seconds=1)
    return check(credential, now=now, trust=trust_for(issuer_did, now), status=status_loader(client), **options)


def issuer_did(app) -> str:
    return app.extensions["paspoort_issuer"].keyring.did


# --- worker processes (spawned: picklable top-level functions) --------------------------------
def concurrent_worker(config: dict[str, Any], token: str, count: int, revoke_every: int) -> tuple[list[str], list[str]]:
    """Issue ``count`` credentials over the WSGI app and revoke every ``revoke_every``-th one."""
    from issuer_service import create_app
    app = create_app(config)
    client = app.test_client()
    issued, revoked = [], []
    deadline = time.monotonic() + 120
    for number in range(count):
        assert time.monotonic() < deadline, "worker took too long"
        body = {"credential": example("ria/endorsements/bhv-certificaat.json")}
        response = client.post("/credentials/issue", json=body, headers=bearer(token))
        assert response.status_code == 201, response.get_data(as_text=True)
        credential_id = response.get_json()["verifiableCredential"]["id"]
        issued.append(credential_id)
        if number % revoke_every == 0:
            response = client.post("/credentials/status", headers=bearer(token), json={
                "credentialId": credential_id, "action": "revoke", "reason": "concurrency test"})
            assert response.status_code == 200, response.get_data(as_text=True)
            revoked.append(credential_id)
    app.extensions["paspoort_issuer_db"].dispose()
    return issued, revoked


def issue_forever(config: dict[str, Any], token: str, started) -> None:
    """Issue until killed (the kill test)."""
    from issuer_service import create_app
    app = create_app(config)
    client = app.test_client()
    deadline = time.monotonic() + 60  # never outlive a crashed test run
    while time.monotonic() < deadline:
        body = {"credential": example("ria/endorsements/bhv-certificaat.json")}
        response = client.post("/credentials/issue", json=body, headers=bearer(token))
        assert response.status_code == 201
        started.set()

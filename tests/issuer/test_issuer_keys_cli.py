"""Start-up without a key, the admin commands, key rotation (did:key and did:web), migrations."""
from __future__ import annotations

import os
import stat

import pytest
from sqlalchemy import func, select, text

from issuer_helpers import base_config, bearer, example, issuer_did, status_loader, verify_with_service

from issuer_service import create_app
from issuer_service.cli import init_db
from issuer_service.config import ConfigError
from issuer_service.migrations import current_revision, migrate
from issuer_service.models import AuditEntry, StatusAllocation, Token
from passport import check
from passport.roles.issuing import document_resolver
from passport.proofs.proof import verify_proof
from passport.format.status_list import read_status, status_entries
from passport.crypto.keys import Ed25519Key


def issue(client, token):
    response = client.post("/credentials/issue", json={"credential": example("ria/endorsements/bhv-certificaat.json")},
                           headers=bearer(token))
    assert response.status_code == 201, response.get_json()
    return response.get_json()["verifiableCredential"]


# --- start-up ----------------------------------------------------------------------------------
def test_refuses_to_start_without_a_key(tmp_path):
    database = {"DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}"}
    with pytest.raises(ConfigError, match="PASPOORT_ISSUER_KEY_FILE is not set"):
        create_app({**database, "KEY_FILE": None})
    with pytest.raises(ConfigError, match="does not exist"):
        create_app({**database, "KEY_FILE": str(tmp_path / "missing.json")})
    loose = tmp_path / "loose.json"
    Ed25519Key(b"\x05" * 32).save(str(loose))
    os.chmod(loose, 0o644)
    with pytest.raises(ConfigError, match="readable by group or others"):
        create_app({**database, "KEY_FILE": str(loose)})


def test_refuses_a_bad_setting(tmp_path):
    with pytest.raises(ConfigError, match="STATUS_LIST_SIZE"):
        create_app(base_config(tmp_path, {}, STATUS_LIST_SIZE=1024))
    with pytest.raises(ConfigError, match="must be a whole number"):
        from issuer_service.config import load
        load(str(tmp_path), None, {"PASPOORT_ISSUER_MAX_BATCH": "many"})


# --- CLI ---------------------------------------------------------------------------------------
def test_create_key_writes_0600_and_never_overwrites(tmp_path):
    key_file = tmp_path / "org-key.json"
    app = create_app({"DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}", "KEY_FILE": str(key_file)},
                     require_key=False)
    runner = app.test_cli_runner()
    result = runner.invoke(args=["create-key"])
    assert result.exit_code == 0, result.output
    assert stat.S_IMODE(os.stat(key_file).st_mode) == 0o600
    before = key_file.read_bytes()
    again = runner.invoke(args=["create-key"])
    assert again.exit_code != 0 and "refusing to overwrite" in again.output
    assert key_file.read_bytes() == before
    imported = tmp_path / "imported.json"
    source = tmp_path / "from-hsm-export.json"
    Ed25519Key(b"\x0c" * 32).save(str(source))
    app.config["KEY_FILE"] = str(imported)
    result = runner.invoke(args=["create-key", "--import", str(source)])
    assert result.exit_code == 0, result.output
    assert Ed25519Key.load(str(imported)).did == Ed25519Key(b"\x0c" * 32).did
    assert stat.S_IMODE(os.stat(imported).st_mode) == 0o600


def test_init_db_is_repeatable(runner, app, client, tokens):
    issue(client, tokens["admin"])
    for _ in range(2):
        result = runner.invoke(args=["init-db"])
        assert result.exit_code == 0 and "database ready" in result.output
    assert current_revision(app.extensions["paspoort_issuer_db"]) == "0007_desk_sessions"


def test_tokens_from_the_command_line(app, client, runner):
    result = runner.invoke(args=["create-token", "--role", "examinator", "--name", "Marleen Kuipers",
                                 "--scope", "vrh:*", "--expires-days", "30"])
    assert result.exit_code == 0, result.output
    token = result.output.strip().splitlines()[-1]
    assert token.startswith("psi_") and len(token) > 40
    with app.extensions["paspoort_issuer_db"].reading() as session:
        row = session.scalars(select(Token).where(Token.name == "Marleen Kuipers")).one()
        assert token not in row.token_hash and len(row.token_hash) == 64  # only the hash is stored
    credential = example("ria/endorsements/aantoonbaar-bekwaam-tillift.json")
    response = client.post("/credentials/issue", json={"credential": credential}, headers=bearer(token))
    assert response.status_code == 201
    bad = runner.invoke(args=["create-token", "--role", "examinator", "--name", "x",
                              "--types", "CertificaatCredential"])
    assert bad.exit_code != 0 and "cannot issue" in bad.output
    assert runner.invoke(args=["revoke-token", str(row.id)]).exit_code == 0
    response = client.post("/credentials/issue", json={"credential": credential}, headers=bearer(token))
    assert response.status_code == 401
    with app.extensions["paspoort_issuer_db"].reading() as session:
        actions = [row.action for row in session.scalars(select(AuditEntry).order_by(AuditEntry.id))]
    assert actions[0] == "create-token" and actions[-1] == "revoke-token"


# --- key rotation --------------------------------------------------------------------------------
def test_rotation_with_did_key_keeps_old_credentials_verifiable(tmp_path, database, app, client, tokens, runner):
    old_did = issuer_did(app)
    old = issue(client, tokens["admin"])
    result = runner.invoke(args=["create-key", "--rotate"])
    assert result.exit_code == 0, result.output
    assert "the issuer DID changes" in result.output
    rotated = create_app(base_config(tmp_path, database))
    new_client = rotated.test_client()
    new_did = issuer_did(rotated)
    assert new_did != old_did
    new = issue(new_client, tokens["admin"])
    assert new["proof"]["verificationMethod"].startswith(new_did)
    assert verify_with_service(new_client, old, old_did).verified  # old list still signed by the old key
    assert verify_with_service(new_client, new, new_did).verified
    assert new_client.post("/credentials/status", json={"credentialId": old["id"], "action": "revoke", "reason": "x"},
                           headers=bearer(tokens["admin"])).status_code == 200
    assert verify_with_service(new_client, old, old_did).first_error().code == "REVOKED"
    rotated.extensions["paspoort_issuer_db"].dispose()


def test_rotation_with_did_web_keeps_the_did(tmp_path, database):
    did = "did:web:roc.example"
    app = create_app(base_config(tmp_path, database, DID=did))
    init_db(app)
    from issuer_helpers import make_tokens
    tokens = make_tokens(app)
    old = issue(app.test_client(), tokens["admin"])
    assert old["proof"]["verificationMethod"].startswith(did + "#z6Mk")
    assert app.test_cli_runner().invoke(args=["create-key", "--rotate"]).exit_code == 0
    app.extensions["paspoort_issuer_db"].dispose()
    rotated = create_app(base_config(tmp_path, database, DID=did))
    client = rotated.test_client()
    new = issue(client, tokens["admin"])
    assert new["issuer"]["id"] == old["issuer"]["id"] == did
    assert new["proof"]["verificationMethod"] != old["proof"]["verificationMethod"]
    document = client.get("/.well-known/did.json").get_json()
    assert document["id"] == did
    methods = {method["id"] for method in document["verificationMethod"]}
    assert {old["proof"]["verificationMethod"], new["proof"]["verificationMethod"]} <= methods
    assert all(method["type"] == "Multikey" for method in document["verificationMethod"])
    resolver = document_resolver(document)
    from datetime import datetime, timedelta, timezone
    now = datetime.now(timezone.utc) + timedelta(seconds=1)
    for credential in (old, new):
        report = check(credential, now=now, status=status_loader(client), resolver=resolver)
        assert [c.status for c in report.checks][:4] == ["passed"] * 4, report.to_dict()
        # StatusSource verifies lists without the caller's resolver (did:key only), so the status
        # step says "unknown" for did:web; the list itself verifies with the DID document:
        for item in status_entries(credential):
            listed = status_loader(client)(item["statusListCredential"])
            assert verify_proof(listed, expected_purpose="assertionMethod", resolver=resolver)
            assert read_status(item, listed) is False
    rotated.extensions["paspoort_issuer_db"].dispose()


def test_did_document_for_did_key(client, app):
    document = client.get("/.well-known/did.json").get_json()
    assert document["id"] == issuer_did(app)
    assert document["verificationMethod"][0]["publicKeyMultibase"] == app.extensions[
        "paspoort_issuer"].keyring.active.public_key_multibase


# --- migrations ------------------------------------------------------------------------------------
def test_upgrade_of_an_existing_database_keeps_its_data(tmp_path, database):
    app = create_app(base_config(tmp_path, database))
    db = app.extensions["paspoort_issuer_db"]
    migrate(db, "0001")
    assert current_revision(db) == "0001"
    with db.engine.begin() as connection:
        connection.execute(text(
            "INSERT INTO audit_log (at, actor, action, credential_id) VALUES "
            "('2026-01-02 03:04:05+00:00', 'someone', 'issue', 'urn:uuid:1')"))
    init_db(app)  # alembic upgrade head
    assert current_revision(db) == "0007_desk_sessions"
    with db.reading() as session:
        rows = session.scalars(select(AuditEntry)).all()
    assert [(row.actor, row.credential_id) for row in rows] == [("someone", "urn:uuid:1")]
    db.dispose()


def test_the_audit_log_is_append_only(app, client, tokens):
    from sqlalchemy.exc import DBAPIError
    issue(client, tokens["admin"])
    db = app.extensions["paspoort_issuer_db"]
    for statement in ("UPDATE audit_log SET actor = 'someone else'", "DELETE FROM audit_log"):
        with pytest.raises(DBAPIError, match="append-only"):
            with db.engine.begin() as connection:
                connection.execute(text(statement))


def test_migrations_match_the_models(app):
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext
    from issuer_service.models import Base
    db = app.extensions["paspoort_issuer_db"]
    with db.engine.connect() as connection:
        differences = compare_metadata(MigrationContext.configure(connection), Base.metadata)
    assert differences == []


# --- retention of personal free text -----------------------------------------------------------------
class TestRetention:
    @pytest.fixture
    def app_config(self):
        return {"TEXT_RETENTION_DAYS": 30}

    def test_purge_text_keeps_the_record_but_drops_the_details(self, app, client, tokens):
        from datetime import datetime, timedelta, timezone
        credential = issue(client, tokens["admin"])
        issuer = app.extensions["paspoort_issuer"]
        assert issuer.purge_text(datetime.now(timezone.utc)) == 0  # too recent
        assert issuer.purge_text(datetime.now(timezone.utc) + timedelta(days=31)) == 1
        record = client.get(f"/credentials/{credential['id']}", headers=bearer(tokens["admin"])).get_json()
        kept = record["verifiableCredential"]
        assert kept["credentialSubject"] == {"id": credential["credentialSubject"]["id"]}
        assert kept["credentialStatus"] == credential["credentialStatus"] and kept["id"] == credential["id"]
        assert [entry["action"] for entry in record["audit"]] == ["issue", "purge-text"]


def test_migration_0005_keeps_positions_taken_both_ways(app, client, tokens):
    """Down to 0004 every reserved index keeps a name (its credential's id, or empty: still taken); up again."""
    issue(client, tokens["admin"])
    db = app.extensions["paspoort_issuer_db"]
    with db.reading() as session:
        reserved = session.scalar(select(func.count()).select_from(StatusAllocation))
    migrate_down(db, "0004")
    with db.engine.connect() as connection:
        names = [row[0] for row in connection.execute(text("SELECT credential_id FROM status_allocations"))]
    assert len(names) == reserved and None not in names
    assert sum(1 for name in names if name.startswith("urn:uuid:")) == 1
    init_db(app)
    assert current_revision(db) == "0007_desk_sessions"  # the head, through 0005 again
    issue(client, tokens["admin"])


def migrate_down(database, revision: str) -> None:
    from alembic import command

    from issuer_service.migrations import alembic_config
    with database.engine.connect() as connection:
        command.downgrade(alembic_config(connection), revision)
        connection.commit()

"""The issuer's public base URL, its files and its logs (issue #11 items 10 and 17).

Item 17: ``PASPOORT_ISSUER_BASE_URL`` is required to serve (no baked-in default), an absolute
https URL (http only for loopback hosts); admin commands run without it.
Item 10: SQLite files (with -wal/-shm) and key files are mode 0600 whatever the umask; no log
line holds a bearer token.
"""
from __future__ import annotations

import logging
import os
import stat
import subprocess
import sys
import threading
import urllib.error
import urllib.request
from contextlib import contextmanager
from pathlib import Path

import pytest
from werkzeug.serving import make_server

from issuer_helpers import base_config, bearer, example, make_tokens, write_key

from issuer_service import create_app
from issuer_service.cli import init_db
from issuer_service.config import ConfigError, load
from issuer_service.logs import redact

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent


def mode(path: Path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


@contextmanager
def umask(value: int):
    old = os.umask(value)
    try:
        yield
    finally:
        os.umask(old)


def sqlite(tmp_path: Path) -> dict:
    return {"DATABASE_URL": f"sqlite:///{tmp_path / 'issuer.sqlite3'}"}


# --- item 17: the public base URL --------------------------------------------------------------
def test_the_service_refuses_to_start_without_its_base_url(tmp_path):
    config = base_config(tmp_path, sqlite(tmp_path))
    del config["BASE_URL"]
    with pytest.raises(ConfigError, match="PASPOORT_ISSUER_BASE_URL is not set"):
        create_app(config)
    with pytest.raises(ConfigError, match="PASPOORT_ISSUER_BASE_URL is not set"):
        create_app({**config, "BASE_URL": ""})


@pytest.mark.parametrize("url", [
    "http://issuer.example", "http://10.0.0.8:5000", "ftp://issuer.example", "javascript:alert(1)",
    "issuer.example", "/status", "https://", "https://issuer.example/?x=1", "https://issuer.example/#top",
    "https://user:pw@issuer.example", "https://issuer.example:99999", " https://issuer.example",
    "https://issuer.example/a b", "HTTPS://issuer.example",
])
def test_a_base_url_that_is_not_https_is_refused(tmp_path, url):
    with pytest.raises(ConfigError, match="PASPOORT_ISSUER_BASE_URL must be"):
        load(str(tmp_path), None, {"PASPOORT_ISSUER_BASE_URL": url})


@pytest.mark.parametrize("url, kept", [
    ("https://roc.example", "https://roc.example"), ("https://roc.example/paspoort/", "https://roc.example/paspoort"),
    ("http://127.0.0.1:5000", "http://127.0.0.1:5000"), ("http://localhost:8000/", "http://localhost:8000"),
    ("http://[::1]:8000", "http://[::1]:8000"),
])
def test_https_and_loopback_base_urls_are_kept(tmp_path, url, kept):
    assert load(str(tmp_path), None, {"PASPOORT_ISSUER_BASE_URL": url})["BASE_URL"] == kept


def test_signed_status_entries_point_at_the_configured_base_url(tmp_path):
    app = create_app(base_config(tmp_path, sqlite(tmp_path), BASE_URL="https://roc.example/paspoort/"))
    init_db(app)
    client = app.test_client()
    response = client.post("/credentials/issue", json={"credential": example("ria/endorsements/bhv-certificaat.json")},
                           headers=bearer(make_tokens(app)["admin"]))
    assert response.status_code == 201, response.get_json()
    entries = [response.get_json()["verifiableCredential"]["credentialStatus"]]  # one entry (OB 3.0)
    assert [entry["statusListCredential"].rsplit("/", 1)[0] for entry in entries] == \
        ["https://roc.example/paspoort/status-lists"]
    listed = client.get("/status-lists/" + entries[0]["statusListCredential"].rsplit("/", 1)[1]).get_json()
    assert listed["id"] == entries[0]["statusListCredential"]
    app.extensions["paspoort_issuer_db"].dispose()


def _run(args: list[str], tmp_path: Path, **extra: str) -> subprocess.CompletedProcess:
    env = {name: value for name, value in os.environ.items() if not name.startswith(("PASPOORT_", "FLASK_"))}
    env.update({"PASPOORT_ISSUER_KEY_FILE": str(tmp_path / "issuer-key.json"),
                "PASPOORT_ISSUER_DATABASE_URL": sqlite(tmp_path)["DATABASE_URL"], **extra})
    return subprocess.run(args, cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)


def test_admin_commands_run_without_the_base_url_and_servers_do_not(tmp_path):
    write_key(tmp_path / "issuer-key.json")
    flask = [str(BIN / "flask"), "--app", "issuer_service"]
    for args in ([*flask, "init-db"], [sys.executable, "-m", "issuer_service", "init-db"],
                 [*flask, "create-token", "--role", "admin", "--name", "Beheer"]):
        done = _run(args, tmp_path)
        assert done.returncode == 0, (args, done.stderr[-2000:])
    assert done.stdout.strip().splitlines()[-1].startswith("psi_")
    for command in (["routes"], ["run", "--host", "127.0.0.1", "--port", "0"]):
        done = _run([*flask, *command], tmp_path)
        assert done.returncode != 0 and "PASPOORT_ISSUER_BASE_URL is not set" in done.stderr, done.stderr[-2000:]
    done = _run([*flask, "routes"], tmp_path, PASPOORT_ISSUER_BASE_URL="https://roc.example")
    assert done.returncode == 0 and "/status-lists/" in done.stdout, done.stderr[-2000:]


# --- item 10: file modes -------------------------------------------------------------------------
def test_attack_the_database_files_are_readable_by_others(tmp_path):
    with umask(0o022):
        app = create_app(base_config(tmp_path, sqlite(tmp_path)))
        init_db(app)
        response = app.test_client().post(
            "/credentials/issue", json={"credential": example("ria/endorsements/bhv-certificaat.json")},
            headers=bearer(make_tokens(app)["admin"]))
        assert response.status_code == 201
        names = sorted(path.name for path in tmp_path.glob("issuer.sqlite3*"))
        assert names == ["issuer.sqlite3", "issuer.sqlite3-shm", "issuer.sqlite3-wal", "issuer.sqlite3.writer"]
        assert {name: mode(tmp_path / name) for name in names} == {name: 0o600 for name in names}
        app.extensions["paspoort_issuer_db"].dispose()


def test_key_files_are_0600_when_created_rotated_retired_and_imported(tmp_path):
    key_file = tmp_path / "org-key.json"
    with umask(0o022):
        app = create_app({**sqlite(tmp_path), "KEY_FILE": str(key_file)}, require_key=False)
        runner = app.test_cli_runner()
        assert runner.invoke(args=["init-db"]).exit_code == 0
        assert runner.invoke(args=["create-key"]).exit_code == 0
        assert mode(key_file) == 0o600
        result = runner.invoke(args=["create-key", "--rotate"])
        assert result.exit_code == 0, result.output
        retired = list((tmp_path / "org-key.json.retired").iterdir())
        assert len(retired) == 1 and mode(retired[0]) == 0o600 and mode(retired[0].parent) == 0o700
        assert mode(key_file) == 0o600
        imported = tmp_path / "imported.json"
        write_key(tmp_path / "source.json", bytes([9]) * 32)
        app = create_app({**sqlite(tmp_path), "KEY_FILE": str(imported)}, require_key=False)
        assert app.test_cli_runner().invoke(args=["create-key", "--import", str(tmp_path / "source.json")]).exit_code == 0
        assert mode(imported) == 0o600


# --- item 10: no bearer token in any log line -----------------------------------------------------
@pytest.fixture
def served(tmp_path):
    """The issuer served by werkzeug on 127.0.0.1 (an OS-chosen port), with its access log."""
    app = create_app(base_config(tmp_path, sqlite(tmp_path)))
    init_db(app)
    tokens = make_tokens(app)
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield app, f"http://127.0.0.1:{server.server_port}", tokens
    finally:
        server.shutdown()
        thread.join(timeout=10)
        app.extensions["paspoort_issuer_db"].dispose()


def _request(url: str, header: str | None, data: bytes | None = None) -> int:
    request = urllib.request.Request(url, data=data, headers={"Content-Type": "application/json"})
    if header is not None:
        request.add_header("Authorization", header)
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def test_attack_a_bearer_token_is_written_to_the_log(served, caplog, monkeypatch):
    app, base, tokens = served
    secret = tokens["admin"]
    wrong = "psi_" + "x" * 43
    body = b'{"credential": {"type": "x"}}'
    caplog.set_level(logging.DEBUG)
    assert _request(f"{base}/credentials/issue", f"Bearer {secret}", body) == 422
    assert _request(f"{base}/credentials/issue", f"Bearer {wrong}", body) == 401
    assert _request(f"{base}/credentials/issue", f"bearer  {tokens['expired']}", body) == 401
    assert _request(f"{base}/credentials/issue", f"Basic {secret}", body) == 401
    assert _request(f"{base}/credentials/urn:x?access_token={secret}", f"Bearer {secret}") == 404

    def failing(header, now):  # a failure deep in authentication that quotes its input
        raise RuntimeError(f"token store unreachable while checking {header!r}")
    monkeypatch.setattr(app.extensions["paspoort_issuer"], "staff", failing)
    assert _request(f"{base}/credentials/issue", f"Bearer {secret}", body) == 500
    lines = [caplog.text] + [record.getMessage() + str(record.exc_text) for record in caplog.records]
    assert any("unexpected error" in line for line in lines) and any("/credentials/issue" in line for line in lines)
    for token in (secret, wrong, tokens["expired"], secret[len("psi_"):]):
        assert all(token not in line for line in lines)
    assert "token store unreachable" in caplog.text and "[redacted]" in caplog.text  # the line itself stays


@pytest.mark.parametrize("text", [
    "Authorization: Bearer abc.def.ghi", "GET /x?access_token=psi_abcDEF-_123 HTTP/1.1", "BEARER%20abc",
    "'Bearer psi_q'",
])
def test_redact_blanks_every_token_form(text):
    assert "abc" not in redact(text).replace("access_token", "") and "psi_q" not in redact(text)

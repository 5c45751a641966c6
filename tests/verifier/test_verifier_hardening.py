"""Named attacks on the verifier service's own surface (issue #11): who may read an answer, which
domain a challenge is bound to, what is stored and for how long, image bombs, response headers,
empty presentations, the database file's mode, and the request link the wallet must accept.
Each test fails on the service as it was before the fix it names."""
from __future__ import annotations

import hashlib
import json
import logging
import os
import stat
import struct
import threading
import zlib
from datetime import timedelta
from typing import Any

import pytest
import requests
from urllib.parse import urlsplit
from sqlalchemy import func, select
from werkzeug.serving import make_server

from passport import present
from passport.roles.oid4vp import parse_authorization_link, verify_request
from verifier_helpers import DOMAIN, NOW, base_config, client_answer, oid4vp_answer
from verifier_service import ConfigError, create_app, housekeeping, jobs
from verifier_service.models import answers, challenges


class Clock:
    """A clock the test moves by hand (no sleeping)."""

    def __init__(self) -> None:
        self.now = NOW

    def __call__(self):
        return self.now


def engine_of(app):
    return app.extensions["paspoort_verifier"].engine


def rows(app, table) -> int:
    with engine_of(app).connect() as conn:
        return conn.execute(select(func.count()).select_from(table)).scalar_one()


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def answered(client, world, *, credentials=None) -> tuple[dict[str, Any], Any]:
    """A request, and the wallet's OpenID4VP answer to it (Ria's profile and endorsements by default)."""
    created = client.post("/challenges", json={}).get_json()
    chosen = [world.profile, *world.endorsements] if credentials is None else credentials
    return created, client_answer(client, created, world, chosen)


def request_object(client, created: dict[str, Any]):
    client_id, request_uri = parse_authorization_link(created["requestUrl"])
    token = client.get(urlsplit(request_uri).path).get_data(as_text=True)
    return verify_request(token, client_id=client_id, now=NOW)


# --- item 2: no answer for sale --------------------------------------------------------------
def test_the_challenge_alone_does_not_read_the_answer(client, world):
    created, response = answered(client, world)
    assert response.status_code == 200, response.get_json()
    path = created["statusUrl"]
    for headers in ({}, bearer(created["challenge"]), bearer("x" * 32), {"Authorization": created["readToken"]}):
        refused = client.get(path, headers=headers)
        assert refused.status_code == 401 and refused.content_type == "application/problem+json"
        assert refused.get_json()["code"] == "READ_TOKEN_INVALID" and "answer" not in refused.get_json()
        assert refused.headers["WWW-Authenticate"].startswith("Bearer")
    # never in what the candidate sees: the QR code, the link and the request object
    assert created["readToken"] not in created["qr"]["text"] + created["requestUrl"]
    fresh = client.post("/challenges", json={}).get_json()  # (an answered request's object is no longer served)
    assert fresh["readToken"] not in json.dumps(request_object(client, fresh).claims)
    shown = client.get(path, headers=bearer(created["readToken"])).get_json()
    assert shown["status"] == "answered" and shown["answer"]["verified"] is True


def test_an_answer_is_read_once_then_deleted(app, client, world):
    before = rows(app, answers)  # PostgreSQL's schema is shared by the tests of one run
    created, _ = answered(client, world)
    assert rows(app, answers) == before + 1
    first = client.get(created["statusUrl"], headers=bearer(created["readToken"])).get_json()
    assert first["status"] == "answered" and first["answer"]["summary"]["person"]["name"] == "Ria de Vries"
    assert rows(app, answers) == before
    again = client.get(created["statusUrl"], headers=bearer(created["readToken"])).get_json()
    assert again["status"] == "used" and again["answer"] is None


def test_only_the_hash_of_the_read_token_is_stored(app, client):
    created = client.post("/challenges", json={}).get_json()
    with engine_of(app).connect() as conn:
        row = conn.execute(select(challenges).where(challenges.c.challenge == created["challenge"])).one()
    assert row.read_token_hash == hashlib.sha256(created["readToken"].encode()).hexdigest()
    assert created["readToken"] not in json.dumps(row._asdict())


def test_an_unread_answer_is_deleted_after_answer_ttl(make_app, world):
    clock = Clock()
    app = make_app(CLOCK=clock, ANSWER_TTL=300)
    client = app.test_client()
    created, _ = answered(client, world)
    clock.now += timedelta(seconds=299)
    client.post("/challenges", json={})  # a request that stores something runs the purge
    assert rows(app, answers) == 1
    clock.now += timedelta(seconds=2 + housekeeping.PURGE_EVERY.total_seconds())
    client.post("/challenges", json={})
    assert rows(app, answers) == 0
    late = client.get(created["statusUrl"], headers=bearer(created["readToken"])).get_json()
    assert late["status"] == "used" and late["answer"] is None


# --- item 3: the domain never follows the Host header -----------------------------------------
def test_refuses_to_start_without_domain_or_public_url(make_app):
    with pytest.raises(ConfigError, match="PASPOORT_VERIFIER_DOMAIN .* or PASPOORT_VERIFIER_PUBLIC_URL"):
        make_app(DOMAIN=None, PUBLIC_URL=None)


def test_domain_comes_from_public_url_and_must_fit_it(make_app):
    app = make_app(DOMAIN=None, PUBLIC_URL="https://werving.example/paspoort/")
    assert (app.config["DOMAIN"], app.config["PUBLIC_URL"]) == ("werving.example", "https://werving.example/paspoort")
    with pytest.raises(ConfigError, match="do not fit together"):
        make_app(DOMAIN="werkgever.example", PUBLIC_URL="https://evil.example")
    with pytest.raises(ConfigError, match="cannot receive answers"):
        make_app(DOMAIN="werkgever.example", PUBLIC_URL="http://werkgever.example")  # http only on loopback
    with pytest.raises(ConfigError, match="not a host name"):
        make_app(DOMAIN="https://werkgever.example", PUBLIC_URL=None)


@pytest.mark.parametrize("public_url", [None, "https://werkgever.example"])
def test_host_header_never_binds_a_challenge(make_app, public_url):
    client = make_app(PUBLIC_URL=public_url).test_client()
    response = client.post("/challenges", json={}, headers={"Host": "evil.example"},
                           base_url="http://evil.example")
    assert response.status_code == 201, response.get_json()
    created = response.get_json()
    request = request_object(client, created)
    assert "evil" not in json.dumps(created) + json.dumps(request.claims)
    assert request.response_uri == f"https://{DOMAIN}/oid4vp/response"
    assert parse_authorization_link(created["requestUrl"])[1].startswith(f"https://{DOMAIN}/oid4vp/requests/")


def example_job() -> dict[str, Any]:
    from pathlib import Path
    return json.loads((Path(jobs.EXAMPLES) / "servicemonteur.json").read_text(encoding="utf-8"))


# --- item 5: images ----------------------------------------------------------------------------
def png_header(width: int, height: int) -> bytes:
    """A tiny PNG whose header claims ``width`` x ``height`` pixels (a decompression bomb's shape)."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    ihdr = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(b"")) + chunk(b"IEND", b"")


@pytest.mark.parametrize("size", [(7_000, 6_000), (50_000, 50_000), (200_000, 200_000)])
def test_inspect_refuses_an_image_bomb_before_decoding_it(client, monkeypatch, size):
    import passport.qr

    def never(*_args, **_kwargs):
        raise AssertionError("the image was decoded")
    monkeypatch.setattr(passport.qr, "read_documents", never)
    data = png_header(*size)
    assert len(data) < 100
    response = client.post("/inspect", data={"file": (__import__("io").BytesIO(data), "scan.png")},
                           content_type="multipart/form-data")
    assert response.status_code == 413 and response.content_type == "application/problem+json"
    body = response.get_json()
    assert body["code"] == "INPUT_TOO_LARGE" and "40 MP" in body["detail"]


# --- item 6: headers ---------------------------------------------------------------------------
@pytest.mark.parametrize("method,path", [("GET", "/"), ("GET", "/openapi.json"), ("GET", "/static/verifier.js"),
                                         ("GET", "/nothing"), ("POST", "/credentials/verify"),
                                         ("GET", "/requests/nobody-asked"), ("POST", "/scan"),
                                         ("GET", "/static/camera.js")])
def test_security_headers_on_every_answer(client, method, path):
    response = client.open(path, method=method, data=b"{", content_type="application/json")
    csp = response.headers.get("Content-Security-Policy", "")
    assert "frame-ancestors 'none'" in csp and "script-src 'self'" in csp and "'unsafe-inline'" not in csp
    assert "default-src 'none'" in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "no-referrer"
    policy = response.headers["Permissions-Policy"]  # the camera for this origin only (scanning QR codes)
    assert "camera=(self)" in policy and "microphone=()" in policy and "geolocation=()" in policy


def test_the_page_has_no_inline_script_handler_or_style(client):
    import re

    html = client.get("/").get_data(as_text=True)
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html), "inline <script>"
    assert not re.search(r"\son[a-z]+\s*=", html, re.I), "inline event handler"
    assert not re.search(r"\sstyle\s*=|<style", html, re.I), "inline style"
    for name in ("verifier.js", "result.js", "camera.js"):
        script = client.get(f"/static/{name}").get_data(as_text=True)
        assert script and ".style" not in script and "innerHTML" not in script and "eval(" not in script, name


# --- item 7: an empty presentation ---------------------------------------------------------------
def test_an_empty_presentation_is_not_verified_when_credentials_were_asked(client, world):
    created, response = answered(client, world, credentials=[])  # an empty vp_token: nothing answered
    assert response.status_code == 400 and response.get_json()["code"] == "RESPONSE_INVALID"
    polled = client.get(created["statusUrl"], headers=bearer(created["readToken"])).get_json()
    assert polled["status"] == "pending"

    asked = client.post("/challenges", json={}).get_json()
    challenge = asked["challenge"]
    vp = present([], world.holder, now=NOW, challenge=challenge, domain=DOMAIN)
    verify = client.post("/presentations/verify", json={"verifiablePresentation": vp,
                                                        "options": {"challenge": challenge}})
    assert verify.status_code == 422 and verify.get_json()["verified"] is False


def test_an_empty_presentation_shown_on_the_page_is_not_verified(client, world):
    asked = client.post("/challenges", json={}).get_json()
    vp = present([], world.holder, now=NOW, challenge=asked["challenge"], domain=DOMAIN)
    body = client.post("/inspect", data={"text": json.dumps(vp)}).get_json()
    assert body["binding"] == "challenge" and body["verified"] is False
    assert [p["check"] for p in body["summary"]["presentationProblems"]] == ["request"]


# --- item 10 (verifier part): the database file and the logs -------------------------------------
def test_the_sqlite_database_is_created_mode_0600(trust_files, tmp_path):
    path = tmp_path / "private" / "verifier.sqlite3"
    path.parent.mkdir()
    old = os.umask(0o022)
    try:
        app = create_app(base_config(trust_files, {"DATABASE_URL": f"sqlite:///{path}", "DATABASE_SCHEMA": None}))
        app.test_client().post("/challenges", json={})
    finally:
        os.umask(old)
    for name in (path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
        if name.exists():
            assert stat.S_IMODE(name.stat().st_mode) == 0o600, name


def test_a_readable_database_file_is_closed_to_others(trust_files, tmp_path):
    path = tmp_path / "verifier.sqlite3"
    path.write_bytes(b"")
    path.chmod(0o644)
    create_app(base_config(trust_files, {"DATABASE_URL": f"sqlite:///{path}", "DATABASE_SCHEMA": None}))
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_no_log_line_holds_a_read_token_or_session(trust_files, sqlite_database, world, caplog):
    """A real server (werkzeug's access log too), every kind of request the page makes."""
    app = create_app(base_config(trust_files, sqlite_database, DOMAIN="127.0.0.1", PUBLIC_URL=None))
    server = make_server("127.0.0.1", 0, app, threaded=True)
    base = f"http://127.0.0.1:{server.server_port}"
    app.config["PUBLIC_URL"] = base  # known once the port is
    threading.Thread(target=server.serve_forever, daemon=True).start()
    caplog.set_level(logging.DEBUG)
    try:
        with requests.Session() as http:
            http.get(base + "/", timeout=10)
            http.post(base + "/job-profiles", json=example_job(), timeout=10)
            created = http.post(base + "/challenges", json={}, timeout=10).json()
            oid4vp_answer(lambda url: http.get(url, timeout=10).text,
                          lambda url, form: http.post(url, data=form, timeout=10), created, world, [world.profile])
            http.get(base + created["statusUrl"], headers=bearer("wrong-token-" + "y" * 20), timeout=10)
            assert http.get(base + created["statusUrl"], headers=bearer(created["readToken"]),
                            timeout=10).json()["status"] == "answered"
            session = http.cookies["paspoort_page"]
    finally:
        server.shutdown()
    logged = "\n".join(record.getMessage() for record in caplog.records)
    assert "/requests/" in logged  # the access log was captured
    for secret in (created["readToken"], session, "wrong-token-"):
        assert secret not in logged


# --- item 15 (page part): the link the page shows is one the wallet accepts ----------------------
def test_the_request_link_is_one_the_wallet_accepts(make_app):
    """README settings: only PASPOORT_VERIFIER_DOMAIN is set."""
    client = make_app(DOMAIN="werkgever.example", PUBLIC_URL=None).test_client()
    created = client.post("/challenges", json={"jobProfile": "begeleider-gehandicaptenzorg"}).get_json()
    request = request_object(client, created)
    assert request.client_id == created["clientId"] and request.nonce == request.state == created["challenge"]
    assert request.response_uri == "https://werkgever.example/oid4vp/response"
    profile = request.query.find("persoonlijk_profiel")
    assert profile is not None and set(profile.blocks) == {"skills", "talenten", "werkEnDenkniveau", "doelEnMotivatie"}
    assert request.query.find("aantoonbaar_bekwaam").multiple  # the job's procedures want AantoonbaarBekwaam
    assert created["qr"]["text"] == created["requestUrl"]  # the QR code and the link say the same


def test_a_request_the_wallet_would_refuse_is_not_made(app, client):
    before = rows(app, challenges)
    response = client.post("/challenges", json={"query": {"credentialTypes": ["NoSuchCredential"]}})
    assert response.status_code == 400 and "wallet would refuse" in response.get_json()["detail"]
    assert rows(app, challenges) == before


def test_the_page_names_the_ways_a_paspoort_wallet_answers(client):
    """The wallet app (``passport app``) by the screen that answers a request, and the command."""
    html = client.get("/").get_data(as_text=True)
    script = client.get("/static/verifier.js").get_data(as_text=True)
    assert "Paspoort-app (Delen, dan Verzoek van een werkgever beantwoorden)" in html
    assert "Paspoort app (Share, then Answer an employer's request)" in script
    assert "passport respond '" in script



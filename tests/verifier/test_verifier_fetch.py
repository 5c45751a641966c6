"""Outbound fetches: only registry hosts, no private addresses, HTTPS, size cap, timeout, no
redirects, cache headers; and did:web resolution through the same limits. Why a fetch failed is
logged; the exception (which ends up in an answer) says only that it could not be fetched."""
from __future__ import annotations

import contextlib
import json
import logging
import re
import time

import pytest

from passport import sign
from passport.errors import DIDInvalid, DIDUnsupported, StatusUnknown
from passport.crypto.keys import Ed25519Key
from passport.format.trust import trust_registry_credential
from verifier_helpers import (
    NOW, NOW_TEXT, LocalServer, base_config, endorsement, issue_with_status, self_signed_tls, unsigned,
)
from verifier_service import create_app
from verifier_service.did_web import DidWebResolver, did_web_url
from passport.verification.fetch import Fetcher

LOCAL = {"127.0.0.1"}


def fetcher(**options) -> Fetcher:
    return Fetcher(**{"timeout": 2.0, "max_bytes": 16 * 1024, "test_hosts": ["127.0.0.1"], **options})


@contextlib.contextmanager
def fails_quietly(caplog, reason: str):
    """The fetch raises ``StatusUnknown`` saying only "could not be fetched"; ``reason`` is logged."""
    caplog.clear()
    with caplog.at_level(logging.WARNING, logger="passport.verification.fetch"):
        with pytest.raises(StatusUnknown) as caught:
            yield
    assert caught.value.message.endswith("could not be fetched"), caught.value.message
    assert not re.search(reason, caught.value.message)
    assert any(re.search(reason, record.getMessage()) for record in caplog.records), caplog.text


def test_private_address_refused_when_not_allowed(server, caplog):
    url = server.serve("/lists/1", {"ok": True})
    plain = Fetcher(timeout=1.0)  # no test hosts: http and private addresses both refused
    with pytest.raises(StatusUnknown, match="only https"):
        plain.get_json(url, allowed_hosts=LOCAL)
    with fails_quietly(caplog, "non-public address"):
        plain.get_json(f"https://localhost:{server.port}/lists/1", allowed_hosts={"localhost"})
    assert server.hits == {}


def test_https_fetch_checks_the_certificate(tmp_path, caplog):
    server_tls, client_tls = self_signed_tls(tmp_path)
    server = LocalServer(tls=server_tls)
    try:
        server.serve("/lists/1", {"ok": True})
        url = f"https://localhost:{server.port}/lists/1"
        trusting = Fetcher(timeout=2.0, test_hosts=["localhost"], ssl_context=client_tls)
        assert trusting.get_json(url, allowed_hosts={"localhost"}) == {"ok": True}
        with fails_quietly(caplog, "CERTIFICATE_VERIFY_FAILED"):  # default trust store: self-signed refused
            Fetcher(timeout=2.0, test_hosts=["localhost"]).get_json(url, allowed_hosts={"localhost"})
    finally:
        server.close()


def test_non_registry_host_refused(server):
    url = server.serve("/lists/1", {"ok": True})
    with pytest.raises(StatusUnknown, match="not the host of an issuer in the trust registry"):
        fetcher().get_json(url, allowed_hosts={"status.zorg-examinator.example"})
    assert server.hits == {}


def test_size_cap_with_and_without_content_length(server, caplog):
    big = {"padding": "x" * 40_000}
    with fails_quietly(caplog, "limit"):
        fetcher().get_json(server.serve("/big", big), allowed_hosts=LOCAL)
    with fails_quietly(caplog, "limit"):
        fetcher().get_json(server.serve("/big-streamed", big, send_length=False), allowed_hosts=LOCAL)
    assert fetcher().get_json(server.serve("/small", {"ok": True}, send_length=False), allowed_hosts=LOCAL) == {"ok": True}


def test_timeout(server, caplog):
    url = server.serve("/slow", {"ok": True}, delay=2.0)
    start = time.monotonic()
    with fails_quietly(caplog, "timed out"):
        fetcher(timeout=0.3).get_json(url, allowed_hosts=LOCAL)
    assert time.monotonic() - start < 1.5


def test_redirects_are_not_followed(server, caplog):
    server.serve("/target", {"ok": True})
    url = server.serve("/moved", b"", status=302, headers={"Location": server.url("/target")})
    with fails_quietly(caplog, "redirects"):
        fetcher().get_json(url, allowed_hosts=LOCAL)
    assert "/target" not in server.hits


def test_not_json_is_unknown(server, caplog):
    with fails_quietly(caplog, "not a usable JSON"):
        fetcher().get_json(server.serve("/html", b"<html>"), allowed_hosts=LOCAL)


def test_cache_headers_honoured(server):
    f = fetcher()
    cached = server.serve("/cached", {"n": 1}, headers={"Cache-Control": "max-age=60"})
    assert f.get_json(cached, allowed_hosts=LOCAL) == f.get_json(cached, allowed_hosts=LOCAL) == {"n": 1}
    assert len(server.hits["/cached"]) == 1

    never = server.serve("/never", {"n": 2}, headers={"Cache-Control": "no-store"})
    f.get_json(never, allowed_hosts=LOCAL)
    f.get_json(never, allowed_hosts=LOCAL)
    assert len(server.hits["/never"]) == 2

    tagged = server.serve("/tagged", {"n": 3}, headers={"Cache-Control": "max-age=0"}, etag='"v1"')
    assert f.get_json(tagged, allowed_hosts=LOCAL) == {"n": 3}
    assert f.get_json(tagged, allowed_hosts=LOCAL) == {"n": 3}  # 304 Not Modified: the cached copy
    assert [h.get("If-None-Match") for h in server.hits["/tagged"]] == [None, '"v1"']


def test_cache_ttl_caps_max_age(server):
    now = [0.0]
    f = fetcher(cache_ttl=10, clock=lambda: now[0])
    url = server.serve("/long", {"n": 1}, headers={"Cache-Control": "max-age=86400"})
    f.get_json(url, allowed_hosts=LOCAL)
    now[0] = 11.0
    f.get_json(url, allowed_hosts=LOCAL)
    assert len(server.hits["/long"]) == 2


def test_status_of_an_unlisted_issuer_is_never_fetched(make_app, world, server):
    stranger = Ed25519Key(b"\x07" * 32)
    url = server.url("/lists/stranger")
    credential = unsigned(issue_with_status(world, url))
    credential["issuer"] = {**credential["issuer"], "id": stranger.did}
    response = make_app().test_client().post(
        "/credentials/verify", json={"verifiableCredential": sign(credential, stranger, created=NOW)})
    body = response.get_json()
    assert response.status_code == 422 and body["code"] == "ISSUER_UNKNOWN"
    status = next(c for c in body["checks"] if c["name"] == "status")
    assert status["status"] == "skipped" and "not trusted" in status["message"]
    assert server.hits == {}


# --- did:web --------------------------------------------------------------------------------
def test_did_web_urls():
    assert did_web_url("did:web:example.org") == ("https://example.org/.well-known/did.json", "example.org")
    assert did_web_url("did:web:example.org:staff:anna")[0] == "https://example.org/staff/anna/did.json"
    assert did_web_url("did:web:127.0.0.1%3A8443", http_hosts=LOCAL) == (
        "http://127.0.0.1:8443/.well-known/did.json", "127.0.0.1")
    with pytest.raises(DIDInvalid):
        did_web_url("did:web:")


def web_key(server, seed: int = 21) -> Ed25519Key:
    key = Ed25519Key(bytes([seed]) * 32)
    key.did = f"did:web:127.0.0.1%3A{server.port}"
    key.verification_method = f"{key.did}#key-1"
    return key


def did_document(key: Ed25519Key) -> dict:
    method = {"id": key.verification_method, "type": "Multikey", "controller": key.did,
              "publicKeyMultibase": key.public_key_multibase}
    return {"@context": ["https://www.w3.org/ns/did/v1"], "id": key.did, "verificationMethod": [method],
            "assertionMethod": [key.verification_method]}


def test_did_web_resolver_fetches_only_registry_dids(server):
    key = web_key(server)
    server.serve("/.well-known/did.json", did_document(key))
    resolver = DidWebResolver(fetcher(), allowed_dids={key.did})
    assert resolver(key.verification_method) == key.public_key
    with pytest.raises(DIDUnsupported, match="not an issuer in the trust registry"):
        DidWebResolver(fetcher(), allowed_dids=set())(key.verification_method)
    with pytest.raises(DIDInvalid, match="no verification method"):
        resolver(key.did + "#key-2")


def test_did_web_issuer_verifies_end_to_end(trust_files, sqlite_database, world, server, tmp_path):
    key = web_key(server)
    server.serve("/.well-known/did.json", did_document(key))
    registry = trust_registry_credential(
        issuer=world.keys["registry"].did, registry_id="urn:uuid:9d1c7d8e-2a55-4c1e-8a3e-0d6f1f0f2a11",
        name="did:web test register", valid_from="2026-01-01T00:00:00Z",
        issuers=[{"id": key.did, "name": "Zorg op het Web", "role": "examinator",
                  "credentialTypes": ["AantoonbaarBekwaamCredential"], "scope": ["vrh:*"]}])
    path = tmp_path / "web-registry.json"
    path.write_text(json.dumps(sign(registry, world.keys["registry"], created=NOW)))
    app = create_app(base_config(trust_files, sqlite_database,
                                 TRUST_REGISTRIES=[trust_files["registry"], str(path)]))
    credential = unsigned(endorsement(world))
    credential.pop("credentialStatus")
    credential["issuer"] = {**credential["issuer"], "id": key.did}
    credential["credentialSubject"]["assessment"]["institution"]["id"] = key.did
    signed = sign(credential, key, created=NOW_TEXT)
    response = app.test_client().post("/credentials/verify", json={"verifiableCredential": signed})
    assert response.status_code == 200, response.get_json()
    assert response.get_json()["trust"]["issuerName"] == "Zorg op het Web"


def test_a_failed_fetch_closes_its_connection_at_once(caplog):
    """A non-200 answer with ``Connection: close`` is raised as unknown and the socket closed then,
    not when the garbage collector gets to the response (a server lingering on that socket for a
    graceful close, as gunicorn does, would otherwise be held up)."""
    import gc
    import socket
    import threading

    listener = socket.create_server(("127.0.0.1", 0))
    seen: list[bytes] = []

    def serve() -> None:
        connection, _ = listener.accept()
        with connection:
            connection.recv(65536)
            connection.sendall(b"HTTP/1.1 503 Service Unavailable\r\nConnection: close\r\n"
                               b"Content-Type: application/json\r\nContent-Length: 2\r\n\r\n{}")
            connection.shutdown(socket.SHUT_WR)
            connection.settimeout(10)
            try:
                seen.append(connection.recv(1))  # b"" once the client has closed
            except OSError:
                seen.append(b"still open")

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    failure = None
    gc.disable()
    try:
        try:
            fetcher().get_json(f"http://127.0.0.1:{listener.getsockname()[1]}/lists/1", allowed_hosts=LOCAL)
        except StatusUnknown as exc:
            failure = exc  # kept alive, as a verification report keeps it until the answer is sent
        thread.join(15)
    finally:
        gc.enable()
        listener.close()
    assert failure is not None and "HTTP 503" not in failure.message and "HTTP 503" in caplog.text
    assert seen == [b""]


# --- the per-fetch deadline and the per-request budget (issue #11 item 1) -----------------------
def test_a_server_dripping_bytes_cannot_stretch_the_deadline(caplog):
    """Headers arrive one byte every 0.1 s, so no single read ever waits the full timeout: the
    watchdog still ends the fetch at its deadline."""
    import socket
    import threading

    listener = socket.create_server(("127.0.0.1", 0))

    def drip() -> None:
        connection, _ = listener.accept()
        with connection:
            connection.recv(65536)
            try:
                connection.sendall(b"HTTP/1.1 200 OK\r\n")
                for _ in range(50):  # 5 s of "X-Slow: aaaa..."
                    connection.sendall(b"X-Slow: a\r\n")
                    time.sleep(0.1)
            except OSError:
                pass

    thread = threading.Thread(target=drip, daemon=True)
    thread.start()
    started = time.monotonic()
    try:
        with fails_quietly(caplog, "timed out"):
            fetcher(timeout=0.5).get_json(f"http://127.0.0.1:{listener.getsockname()[1]}/lists/1",
                                          allowed_hosts=LOCAL)
    finally:
        listener.close()
    assert time.monotonic() - started < 1.5


def test_budget_caps_distinct_urls_and_time(server):
    from passport.verification.fetch import FetchBudget

    urls = [server.serve(f"/lists/{n}", {"n": n}, headers={"Cache-Control": "no-store"}) for n in range(3)]
    f, budget = fetcher(), FetchBudget(max_fetches=2, seconds=5.0)
    assert f.get_json(urls[0], allowed_hosts=LOCAL, budget=budget) == {"n": 0}
    assert f.get_json(urls[1], allowed_hosts=LOCAL, budget=budget) == {"n": 1}
    assert f.get_json(urls[0], allowed_hosts=LOCAL, budget=budget) == {"n": 0}  # the same URL again: no new slot
    with pytest.raises(StatusUnknown, match="already fetched 2 documents"):
        f.get_json(urls[2], allowed_hosts=LOCAL, budget=budget)
    assert "/lists/2" not in server.hits
    spent = FetchBudget(seconds=1.0)
    spent.spent = 1.0
    with pytest.raises(StatusUnknown, match="1 s for fetching are used up"):
        f.get_json(urls[2], allowed_hosts=LOCAL, budget=spent)
    assert "/lists/2" not in server.hits
    with pytest.raises(ValueError):
        FetchBudget(max_fetches=-1)


def test_a_slow_resolver_cannot_stretch_the_deadline(monkeypatch, caplog):
    """getaddrinfo has no timeout of its own: a resolver that takes 3 s still ends the fetch at its deadline."""
    import passport.verification.fetch as fetch_module

    real = fetch_module.socket.getaddrinfo

    def slow(*args, **kwargs):
        time.sleep(3)
        return real(*args, **kwargs)

    monkeypatch.setattr(fetch_module.socket, "getaddrinfo", slow)
    started = time.monotonic()
    with fails_quietly(caplog, "resolving 127.0.0.1 timed out"):
        fetcher(timeout=0.3).get_json("http://127.0.0.1:9/lists/1", allowed_hosts=LOCAL)
    assert time.monotonic() - started < 1.0

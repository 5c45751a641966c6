"""Helpers for the verifier tests: documents built from Ria's demo world and a local HTTP server."""
from __future__ import annotations

import copy
import json
import ssl
import threading
import time
from datetime import datetime, timezone
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from passport import sign
from passport.demo.world import World
from passport.format.documents import AANTOONBAAR_BEKWAAM_TYPE, new_credential_id, paspoort_type
from passport.format.status_list import BitstringStatusList, status_entry, status_list_credential

NOW = datetime(2026, 11, 23, 12, 0, tzinfo=timezone.utc)  # as tests/conftest.py
NOW_TEXT = "2026-11-23T12:00:00Z"
DOMAIN = "werkgever.example"
PUBLIC_URL = "https://werkgever.example"


def base_config(trust_files: dict[str, Any], database: dict[str, Any], **extra: Any) -> dict[str, Any]:
    config = {
        "ENV": {}, "CLOCK": lambda: NOW, "TESTING": True,
        "TRUST_REGISTRIES": [trust_files["registry"]], "TRUST_SIGNERS": [trust_files["signer"]],
        "DOMAIN": DOMAIN, "PUBLIC_URL": PUBLIC_URL, "OFFLINE_BUNDLE": trust_files["bundle"],
        "ALLOW_HTTP_HOSTS": ["127.0.0.1"], "FETCH_TIMEOUT": 2.0, "FETCH_MAX_BYTES": 64 * 1024,
        **database,
    }
    config.update(extra)
    return config


def endorsement(world: World, kind: str = AANTOONBAAR_BEKWAAM_TYPE) -> dict[str, Any]:
    return copy.deepcopy(next(c for c in world.endorsements if paspoort_type(c) == kind))


def unsigned(credential: dict[str, Any]) -> dict[str, Any]:
    return {k: copy.deepcopy(v) for k, v in credential.items() if k != "proof"}


def issue_with_status(world: World, url: str, *, index: int = 7, purpose: str = "revocation",
                      role: str = "zorg-examinator") -> dict[str, Any]:
    """The AantoonbaarBekwaam endorsement again, with a status entry pointing at ``url``."""
    doc = unsigned(endorsement(world))
    doc["id"] = new_credential_id()
    doc["credentialStatus"] = status_entry(url, index, purpose)
    return sign(doc, world.keys[role], created=NOW)


def status_list_doc(world: World, url: str, *, set_bits: tuple[int, ...] = (), purpose: str = "revocation",
                    role: str = "zorg-examinator") -> dict[str, Any]:
    bits = BitstringStatusList()
    for bit in set_bits:
        bits.set(bit, True)
    doc = status_list_credential(issuer=world.keys[role].did, list_id=url, purpose=purpose, status_list=bits,
                                 valid_from=NOW_TEXT)
    return sign(doc, world.keys[role], created=NOW)


# --- a real local HTTP server --------------------------------------------------------------
class Route:
    def __init__(self, body: bytes = b"", status: int = 200, headers: dict[str, str] | None = None,
                 delay: float = 0.0, etag: str | None = None, send_length: bool = True) -> None:
        self.body, self.status, self.headers, self.delay, self.etag = body, status, headers or {}, delay, etag
        self.send_length = send_length


class LocalServer:
    """``server.serve(path, document_or_bytes, ...)``; ``server.url(path)``; ``server.hits[path]``."""

    def __init__(self, tls: "ssl.SSLContext | None" = None) -> None:
        self.routes: dict[str, Route] = {}
        self.hits: dict[str, list[dict[str, str]]] = {}
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802
                outer.hits.setdefault(self.path, []).append(dict(self.headers))
                route = outer.routes.get(self.path)
                if route is None:
                    self.send_response(404)
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
                if route.delay:
                    time.sleep(route.delay)
                if route.etag and self.headers.get("If-None-Match") == route.etag:
                    self.send_response(304)
                    self.send_header("ETag", route.etag)
                    for name, value in route.headers.items():
                        self.send_header(name, value)
                    self.end_headers()
                    return
                self.send_response(route.status)
                self.send_header("Content-Type", "application/json")
                if route.send_length:
                    self.send_header("Content-Length", str(len(route.body)))
                if route.etag:
                    self.send_header("ETag", route.etag)
                for name, value in route.headers.items():
                    self.send_header(name, value)
                self.end_headers()
                try:
                    self.wfile.write(route.body)
                except (BrokenPipeError, ConnectionResetError):
                    pass

            def log_message(self, *args: Any) -> None:
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        if tls is not None:
            self.httpd.socket = tls.wrap_socket(self.httpd.socket, server_side=True)
        self.port = self.httpd.server_address[1]
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def url(self, path: str, host: str = "127.0.0.1") -> str:
        return f"http://{host}:{self.port}{path}"

    def serve(self, path: str, document: Any, **options: Any) -> str:
        body = document if isinstance(document, bytes) else json.dumps(document).encode()
        self.routes[path] = Route(body, **options)
        return self.url(path)

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()




def self_signed_tls(folder) -> tuple["ssl.SSLContext", "ssl.SSLContext"]:
    """(server context, client context trusting it) for a certificate naming localhost."""
    from datetime import timedelta

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "localhost")])
    start = datetime.now(timezone.utc) - timedelta(days=1)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
            .serial_number(x509.random_serial_number()).not_valid_before(start)
            .not_valid_after(start + timedelta(days=7))
            .add_extension(x509.SubjectAlternativeName([x509.DNSName("localhost")]), critical=False)
            .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
            .sign(key, hashes.SHA256()))
    cert_path, key_path = folder / "cert.pem", folder / "key.pem"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                           serialization.NoEncryption()))
    server = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    server.load_cert_chain(cert_path, key_path)
    client = ssl.create_default_context(cafile=str(cert_path))
    return server, client


def oid4vp_answer(get, post, created: dict[str, Any], world: World, credentials: list[dict[str, Any]], *,
                  key=None, now: datetime = NOW):
    """Play the wallet for an OpenID4VP request ``POST /challenges`` made: fetch the request object
    with ``get(url) -> text``, sign one presentation per credential (each under the first DCQL
    query it matches) and send the form with ``post(url, form)``; returns what ``post`` returns."""
    from passport.roles.holder import present
    from passport.roles.oid4vp import parse_authorization_link, response_form, verify_request

    client_id, request_uri = parse_authorization_link(created["requestUrl"])
    request = verify_request(get(request_uri), client_id=client_id, now=now)
    vp_token: dict[str, list[dict[str, Any]]] = {}
    for credential in credentials:
        asked = next(item for item in request.query.credentials if item.matches(credential))
        vp_token.setdefault(asked.id, []).append(present([credential], key or world.holder, now=now,
                                                         challenge=request.nonce, domain=request.client_id))
    return post(request.response_uri, response_form(request, vp_token))


def client_answer(client, created: dict[str, Any], world: World, credentials: list[dict[str, Any]], **options):
    """``oid4vp_answer`` through a Flask test client (the URLs' scheme and host are dropped)."""
    from urllib.parse import urlsplit

    def path(url: str) -> str:
        parts = urlsplit(url)
        return parts.path + (f"?{parts.query}" if parts.query else "")

    return oid4vp_answer(lambda url: client.get(path(url)).get_data(as_text=True),
                         lambda url, form: client.post(path(url), data=form,
                                                       content_type="application/x-www-form-urlencoded"),
                         created, world, credentials, **options)

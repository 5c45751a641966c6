"""The wallet's side of OpenID4VCI without an issuer: offer links, offer documents, metadata, and
the bounded HTTP client (size, time, count, redirects) against a small local server."""
from __future__ import annotations

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import quote

import pytest

from passport.roles.oid4vci import (
    PRE_AUTHORIZED_GRANT, issuer_metadata, offer_document, offer_uri, parse_offer_uri, read_issuer_metadata,
    read_offer,
)
from passport.protocol_errors import CredentialOfferInvalid, IssuanceFailed
from passport.wallet.receive import registered_issuer
from passport.wallet.transport import Transport

ISSUER = "https://roc.example"
CODE = "A" * 43


def test_an_offer_link_by_reference_round_trips():
    link = offer_uri(ISSUER + "/oid4vci/offers/abc")
    assert link == "openid-credential-offer://?credential_offer_uri=https%3A%2F%2Froc.example%2Foid4vci%2Foffers%2Fabc"
    assert parse_offer_uri(link) == (ISSUER + "/oid4vci/offers/abc", None)


def test_an_offer_by_value_is_read_too():
    document = offer_document(ISSUER, "CertificaatCredential", CODE)
    reference, offer = parse_offer_uri("openid-credential-offer://?credential_offer=" + quote(json.dumps(document)))
    assert reference is None
    read = read_offer(offer)
    assert (read.credential_issuer, read.configuration_ids, read.code) == (ISSUER, ("CertificaatCredential",), CODE)
    assert read.tx_code == {"input_mode": "numeric", "length": 6, "description": "De code die u van de uitgever kreeg"}


@pytest.mark.parametrize("link", [
    "https://roc.example/offer",  # neither parameter
    "openid-credential-offer://?credential_offer_uri=a&credential_offer=%7B%7D",  # both
    "openid-credential-offer://?credential_offer_uri=https%3A%2F%2Fa&credential_offer_uri=https%3A%2F%2Fb",
    "openid-credential-offer://?credential_offer_uri=http%3A%2F%2Fevil.example%2Fo",  # http to a public host
    "openid-credential-offer://?credential_offer_uri=https%3A%2F%2Fuser%40roc.example%2Fo",  # user info
    "openid4vp://?request_uri=https%3A%2F%2Froc.example",  # another protocol
    "openid-credential-offer://?credential_offer=%7Bnot%20json",
    "openid-credential-offer://?credential_offer_uri=" + "a" * 5000,
])
def test_links_that_cannot_be_followed_safely(link):
    with pytest.raises(CredentialOfferInvalid):
        parse_offer_uri(link)


@pytest.mark.parametrize("change", [
    lambda d: d.update(credential_issuer="ftp://roc.example"),
    lambda d: d.update(credential_configuration_ids=[]),
    lambda d: d.update(grants={"authorization_code": {"issuer_state": "x"}}),
    lambda d: d["grants"][PRE_AUTHORIZED_GRANT].update({"pre-authorized_code": "short"}),
    lambda d: d["grants"][PRE_AUTHORIZED_GRANT].update({"pre-authorized_code": "bad code with spaces" * 2}),
    lambda d: d["grants"][PRE_AUTHORIZED_GRANT].update({"tx_code": "123456"}),
])
def test_offer_documents_that_are_refused(change):
    document = offer_document(ISSUER, "CertificaatCredential", CODE)
    change(document)
    with pytest.raises(CredentialOfferInvalid):
        read_offer(document)


def test_metadata_must_be_about_the_issuer_that_made_the_offer():
    metadata = issuer_metadata(ISSUER, "ROC")
    assert read_issuer_metadata(metadata, ISSUER)["nonce_endpoint"] == ISSUER + "/oid4vci/nonce"
    with pytest.raises(CredentialOfferInvalid):
        read_issuer_metadata(metadata, "https://other.example")
    metadata["credential_endpoint"] = "http://roc.example/credential"
    with pytest.raises(CredentialOfferInvalid):
        read_issuer_metadata(metadata, ISSUER)


def test_the_registered_issuer_is_found_by_did_web_or_status_lists():
    class Entry:
        def __init__(self, id_, lists):
            self.id, self.status_lists, self.name = id_, lists, id_

    class Registry:
        entries = {"a": Entry("did:web:roc.example", ()), "b": Entry("did:key:z6Mk", ("https://b.example/lists/",))}

    assert registered_issuer(Registry(), "https://roc.example").id == "did:web:roc.example"
    assert registered_issuer(Registry(), "https://b.example/lists").id == "did:key:z6Mk"
    assert registered_issuer(Registry(), "https://c.example") is None
    assert registered_issuer(None, "https://roc.example") is None


# --- the bounded client ----------------------------------------------------------------------
class _Handler(BaseHTTPRequestHandler):
    def log_message(self, *args):  # quiet
        pass

    def do_GET(self):
        if self.path == "/big":
            self._send(200, b"[" + b"0," * 400_000 + b"0]")
        elif self.path == "/redirect":
            self.send_response(302)
            self.send_header("Location", "https://evil.example/")
            self.send_header("Content-Length", "0")
            self.end_headers()
        elif self.path == "/drip":
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.end_headers()
            try:
                for _ in range(40):
                    self.wfile.write(b" ")
                    self.wfile.flush()
                    time.sleep(0.1)
            except OSError:  # the client gave up: as it should
                pass
        elif self.path == "/error":
            self._send(400, json.dumps({"error": "invalid_grant", "error_description": "no"}).encode())
        else:
            self._send(200, b'{"ok": true}')

    def _send(self, status, body):
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


@pytest.fixture(scope="module")
def local():
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()


def test_an_answer_larger_than_the_cap_is_refused(local):
    with pytest.raises(IssuanceFailed, match="limit"):
        Transport(max_bytes=64 * 1024).get(local + "/big")


def test_redirects_are_not_followed(local):
    with pytest.raises(IssuanceFailed, match="redirects"):
        Transport().get(local + "/redirect")


def test_a_dripping_server_is_cut_off_at_the_deadline(local):
    with pytest.raises(IssuanceFailed, match="no answer within"):
        Transport(timeout=0.5).get(local + "/drip")


def test_a_session_makes_a_bounded_number_of_requests(local):
    transport = Transport(max_requests=2)
    assert transport.get(local + "/").document == {"ok": True}
    assert transport.get(local + "/").ok
    with pytest.raises(IssuanceFailed, match="more than 2 requests"):
        transport.get(local + "/")


def test_an_oauth_error_answer_is_handed_back_with_its_code(local):
    answer = Transport().get(local + "/error")
    assert not answer.ok and answer.error() == ("invalid_grant", "no")


def test_plain_http_only_to_a_loopback_host():
    with pytest.raises(CredentialOfferInvalid):
        Transport().get("http://roc.example/x")

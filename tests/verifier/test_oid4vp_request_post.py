"""``request_uri_method=post`` (OpenID4VP 1.0, 5.10): the wallet POSTs a ``wallet_nonce`` to the
request URI and the request object must carry it back.

The verifier's side runs on the Flask test client; the wallet's (``fetch_request``) against the
real verifier on a local HTTP server, and against a server that ignores the nonce. A link with
another method is refused before anything is fetched.
"""
from __future__ import annotations

import io
import threading
from urllib.parse import parse_qsl, urlencode

import pytest
from werkzeug.serving import make_server
from werkzeug.wrappers import Response

from passport.errors import RequestInvalid
from passport.roles.oid4vp import (REQUEST_MEDIA_TYPE, parse_authorization_link, read_authorization_link,
                                   verify_request, wallet_request_form)
from passport.wallet.oid4vp import fetch_request
from verifier_helpers import NOW
from verifier_service import create_app
from verifier_helpers import base_config

FORM = "application/x-www-form-urlencoded"
WALLET_NONCE = "n0nce-of-the-wallet_0123456789"


@pytest.fixture
def client(make_app):
    return make_app().test_client()


def open_request(client) -> tuple[dict, str, str]:
    created = client.post("/challenges", json={}).get_json()
    client_id, request_uri = parse_authorization_link(created["requestUrl"])
    return created, client_id, request_uri.replace("https://werkgever.example", "")


def pending(client, created) -> bool:
    answer = client.get(created["statusUrl"], headers={"Authorization": f"Bearer {created['readToken']}"})
    return answer.get_json()["status"] == "pending"


def test_a_post_gets_the_request_object_signed_with_the_wallet_nonce(client):
    created, client_id, path = open_request(client)
    answer = client.post(path, data=wallet_request_form(WALLET_NONCE), content_type=FORM)
    assert answer.status_code == 200 and answer.mimetype == REQUEST_MEDIA_TYPE
    assert answer.headers["Cache-Control"] == "no-store"
    request = verify_request(answer.get_data(as_text=True), client_id=client_id, now=NOW, wallet_nonce=WALLET_NONCE)
    assert request.claims["wallet_nonce"] == WALLET_NONCE and path.endswith("/" + request.state)

    plain = client.get(path).get_data(as_text=True)  # GET: the stored object, which no wallet_nonce fits
    assert "wallet_nonce" not in verify_request(plain, client_id=client_id, now=NOW).claims
    with pytest.raises(RequestInvalid, match="wallet_nonce"):
        verify_request(plain, client_id=client_id, now=NOW, wallet_nonce=WALLET_NONCE)
    other = client.post(path, data=wallet_request_form("another-nonce-of-the-wallet"), content_type=FORM)
    with pytest.raises(RequestInvalid, match="wallet_nonce"):
        verify_request(other.get_data(as_text=True), client_id=client_id, now=NOW, wallet_nonce=WALLET_NONCE)
    assert pending(client, created)


def test_a_post_without_a_wallet_nonce_gets_the_stored_request_object(client):
    _created, client_id, path = open_request(client)
    answer = client.post(path, data={"wallet_metadata": "{}"}, content_type=FORM)
    assert answer.status_code == 200
    assert answer.get_data(as_text=True) == client.get(path).get_data(as_text=True)
    assert verify_request(answer.get_data(as_text=True), client_id=client_id, now=NOW).nonce


@pytest.mark.parametrize("body, content_type, words", [
    ({"wallet_nonce": "short"}, FORM, "16 to 256 base64url"),
    ({"wallet_nonce": "not base64url because of spaces"}, FORM, "16 to 256 base64url"),
    ({"wallet_nonce": "x" * 257}, FORM, "16 to 256 base64url"),
    ("wallet_nonce=" + WALLET_NONCE + "&wallet_nonce=" + WALLET_NONCE, FORM, "more than once"),
    ({"wallet_nonce": WALLET_NONCE, "wallet_metadata": "{not json"}, FORM, "wallet_metadata is not usable JSON"),
    ({"wallet_nonce": WALLET_NONCE, "wallet_metadata": "[1, 2]"}, FORM, "must be a JSON object"),
    ('{"wallet_nonce": "' + WALLET_NONCE + '"}', "application/json", "x-www-form-urlencoded"),
])
def test_a_bad_post_is_refused_and_changes_nothing(client, body, content_type, words):
    created, _client_id, path = open_request(client)
    answer = client.post(path, data=body, content_type=content_type)
    assert answer.status_code == 400, answer.get_data(as_text=True)
    problem = answer.get_json()
    assert problem["code"] == "REQUEST_INVALID" and words in problem["detail"]
    assert pending(client, created)


def test_an_oversized_post_is_refused(client):
    created, _client_id, path = open_request(client)
    answer = client.post(path, data={"wallet_nonce": WALLET_NONCE, "wallet_metadata": "{" + " " * 17000 + "}"},
                         content_type=FORM)
    assert answer.status_code == 413
    assert pending(client, created)


def test_a_post_for_an_unknown_request_is_answered_as_a_get(client):
    path = "/oid4vp/requests/no-such-request-made-here"
    answer = client.post(path, data=wallet_request_form(WALLET_NONCE), content_type=FORM)
    assert answer.get_json()["code"] == "CHALLENGE_UNKNOWN"
    assert answer.status_code == client.get(path).status_code >= 400


def test_the_link_names_the_method():
    link = "openid4vp://?" + urlencode({"client_id": "decentralized_identifier:did:key:z6MkhaXgBZDvotDkL5257faiztiGi"
                                                     "C2QtKLGpbnnEGta2doK", "request_uri": "https://v.example/r/1"})
    assert read_authorization_link(link).method == "get"
    assert read_authorization_link(link + "&request_uri_method=get").method == "get"
    assert read_authorization_link(link + "&request_uri_method=post").method == "post"
    for method in ("POST", "put", ""):
        with pytest.raises(RequestInvalid, match="request_uri_method must be get or post"):
            read_authorization_link(link + "&request_uri_method=" + method)


class Served:
    """A WSGI app on 127.0.0.1 in a thread; ``seen`` records each request's method and form."""

    def __init__(self, app) -> None:
        self.seen: list[tuple[str, dict]] = []

        def recording(environ, start_response):
            body = environ["wsgi.input"].read(int(environ.get("CONTENT_LENGTH") or 0))
            environ["wsgi.input"] = io.BytesIO(body)  # the app reads the same bytes again
            self.seen.append((environ["REQUEST_METHOD"], dict(parse_qsl(body.decode()))))
            return app(environ, start_response)
        self.server = make_server("127.0.0.1", 0, recording, threaded=True)
        self.url = f"http://127.0.0.1:{self.server.server_port}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()


@pytest.fixture
def live_verifier(trust_files, sqlite_database):
    app = create_app(base_config(trust_files, sqlite_database, DOMAIN="127.0.0.1", PUBLIC_URL=None))
    served = Served(app)
    app.config["PUBLIC_URL"] = served.url
    yield served
    served.close()


def test_the_wallet_posts_its_nonce_when_the_link_asks(live_verifier):
    import requests

    created = requests.post(live_verifier.url + "/challenges", json={}, timeout=10).json()
    request = fetch_request(created["requestUrl"] + "&request_uri_method=post", now=NOW)
    method, form = live_verifier.seen[-1]
    assert method == "POST" and request.claims["wallet_nonce"] == form["wallet_nonce"]
    assert len(form["wallet_nonce"]) >= 32 and '"ldp_vc"' in form["wallet_metadata"]
    again = fetch_request(created["requestUrl"], now=NOW)  # the link as made: GET, no nonce
    assert live_verifier.seen[-1] == ("GET", {}) and "wallet_nonce" not in again.claims


def test_the_wallet_refuses_a_request_object_without_its_nonce(live_verifier):
    """A verifier (or someone replaying its answer) that hands out an object made before the wallet asked."""
    import requests

    created = requests.post(live_verifier.url + "/challenges", json={}, timeout=10).json()
    client_id, request_uri = parse_authorization_link(created["requestUrl"])
    stored = requests.get(request_uri, timeout=10).text
    replaying = Served(lambda environ, start_response: Response(stored, mimetype=REQUEST_MEDIA_TYPE)(
        environ, start_response))
    try:
        link = "openid4vp://?" + urlencode({"client_id": client_id, "request_uri": replaying.url + "/r",
                                            "request_uri_method": "post"})
        with pytest.raises(RequestInvalid, match="does not carry the wallet_nonce"):
            fetch_request(link, now=NOW)
        assert replaying.seen[-1][0] == "POST"
    finally:
        replaying.close()

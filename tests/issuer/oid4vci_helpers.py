"""The wallet's side of OpenID4VCI over the issuer's test client: offer, token, nonce, credential."""
from __future__ import annotations

import json
import threading
import urllib.request
from contextlib import contextmanager
from datetime import datetime, timezone
from typing import Any
from urllib.parse import unquote

from werkzeug.serving import make_server

from issuer_helpers import base_config, bearer, example, make_tokens
from issuer_service import create_app
from issuer_service.cli import init_db
from passport.crypto.keys import Ed25519Key
from passport.roles.oid4vci import PRE_AUTHORIZED_GRANT
from passport.roles.oid4vci_proofs import make_di_vp_proof, make_jwt_proof

WALLET_KEY = Ed25519Key(bytes([31]) * 32)
AUDIENCE = "https://issuer.example"
TX_FORM = "application/x-www-form-urlencoded"


def offered_body() -> dict[str, Any]:
    """A BHV certificate as staff offer it: without the subject's DID."""
    credential = example("ria/endorsements/bhv-certificaat.json")
    credential["credentialSubject"].pop("id")
    return credential


def make_offer(client, token: str, credential: dict[str, Any] | None = None) -> dict[str, Any]:
    response = client.post("/oid4vci/offers", json={"credential": credential or offered_body()},
                           headers=bearer(token))
    assert response.status_code == 201, response.get_data(as_text=True)
    return response.get_json()


def offer_path(created: dict[str, Any]) -> str:
    return created["credential_offer_uri"].removeprefix(AUDIENCE)


def fetch_offer(client, created: dict[str, Any]) -> dict[str, Any]:
    assert unquote(created["offer"].split("credential_offer_uri=")[1]) == created["credential_offer_uri"]
    response = client.get(offer_path(created))
    assert response.status_code == 200, response.get_data(as_text=True)
    return response.get_json()


def code_of(document: dict[str, Any]) -> str:
    return document["grants"][PRE_AUTHORIZED_GRANT]["pre-authorized_code"]


def token_request(client, code: str, tx_code: str | None):
    form = {"grant_type": PRE_AUTHORIZED_GRANT, "pre-authorized_code": code}
    if tx_code is not None:
        form["tx_code"] = tx_code
    return client.post("/oid4vci/token", data=form, content_type=TX_FORM)


def nonce(client) -> str:
    response = client.post("/oid4vci/nonce")
    assert response.status_code == 200
    return response.get_json()["c_nonce"]


def jwt_proof(c_nonce: str, *, key: Ed25519Key = WALLET_KEY, audience: str = AUDIENCE,
              now: datetime | None = None) -> dict[str, Any]:
    return {"jwt": [make_jwt_proof(key, audience=audience, nonce=c_nonce, now=now or datetime.now(timezone.utc))]}


def di_vp_proof(c_nonce: str, *, key: Ed25519Key = WALLET_KEY, audience: str = AUDIENCE) -> dict[str, Any]:
    return {"di_vp": [make_di_vp_proof(key, audience=audience, nonce=c_nonce, now=datetime.now(timezone.utc))]}


def credential_request(client, access_token: str, proofs: dict[str, Any],
                       configuration: str = "CertificaatCredential"):
    return client.post("/oid4vci/credential", json={"credential_configuration_id": configuration, "proofs": proofs},
                       headers=bearer(access_token))


def redeemed(client, token: str) -> tuple[dict[str, Any], str]:
    """An offer made and exchanged for an access token: (the offer's 201 body, the access token)."""
    created = make_offer(client, token)
    response = token_request(client, code_of(fetch_offer(client, created)), created["tx_code"])
    assert response.status_code == 200, response.get_data(as_text=True)
    return created, response.get_json()["access_token"]


class _Later:
    """A WSGI app set once the server's port (and so the issuer's base URL) is known."""
    app = None

    def __call__(self, environ, start_response):
        return self.app(environ, start_response)


@contextmanager
def served_issuer(tmp_path, **config: Any):
    """The issuer on SQLite, served by werkzeug on 127.0.0.1 (an OS-chosen port): (base URL, app, tokens)."""
    later = _Later()
    server = make_server("127.0.0.1", 0, later, threaded=True)
    base = f"http://127.0.0.1:{server.server_port}"
    app = create_app(base_config(tmp_path, {"DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}"},
                                 BASE_URL=base, **config))
    init_db(app)
    later.app = app
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield base, app, make_tokens(app)
    finally:
        server.shutdown()
        thread.join(timeout=10)
        app.extensions["paspoort_issuer_db"].dispose()


def new_offer(base: str, token: str, query: str = "") -> dict[str, Any]:
    """An offer made by staff over HTTP."""
    request = urllib.request.Request(base + "/oid4vci/offers" + query, data=json.dumps({"credential": offered_body()}).encode(),
                                     headers={"Content-Type": "application/json", "Authorization": f"Bearer {token}"})
    with urllib.request.urlopen(request, timeout=30) as response:
        return json.loads(response.read())

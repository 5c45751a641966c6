"""OpenID4VP against an implementation nobody here wrote (issue 15, item 11): the OpenWallet
Foundation's ``@openid4vc/openid4vp`` (npm, pinned in ``tests/interop/package-lock.json``, with
``jose`` for EdDSA and JWE) plays the wallet against our verifier over HTTP, and reads our
wallet's response as a verifier would. The ldp_vc presentations themselves are signed by our
Python code (the library signs none). Without ``npm ci --prefix tests/interop`` the tests are
skipped, except under CI (``CI=true``), where they must run."""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import threading
from pathlib import Path

import pytest
import requests
from werkzeug.serving import make_server

from passport.crypto.jwe import EphemeralKey
from passport.crypto.keys import Ed25519Key
from passport.format.documents import AANTOONBAAR_BEKWAAM_TYPE, paspoort_type
from passport.roles import dcql
from passport.roles.holder import present
from passport.roles.oid4vp import (DIRECT_POST, DIRECT_POST_JWT, client_id_for, request_claims, response_form,
                                   sign_request, verify_request)
from verifier_helpers import NOW, base_config
from verifier_service import create_app

INTEROP = Path(__file__).resolve().parents[1] / "interop"


def _node_ready() -> str | None:
    if shutil.which("node") is None:
        return "node is not installed"
    if not (INTEROP / "node_modules" / "@openid4vc" / "openid4vp").is_dir():
        return "tests/interop/node_modules is missing: run npm ci --prefix tests/interop"
    return None


@pytest.fixture(scope="module")
def node():
    problem = _node_ready()
    if problem:
        if os.environ.get("CI") == "true":
            pytest.fail(f"the OpenID4VP interop tests must run under CI: {problem}")
        pytest.skip(problem)

    def run(script: str, *args: str) -> dict:
        done = subprocess.run(["node", str(INTEROP / script), *args], capture_output=True, text=True, timeout=60,
                              cwd=INTEROP, env={**os.environ, "PASPOORT_INTEROP_ALLOW_HTTP": "1"})
        assert done.returncode == 0, done.stderr
        return json.loads(done.stdout)
    return run


@pytest.fixture
def live_server(trust_files, sqlite_database):
    app = create_app(base_config(trust_files, sqlite_database, DOMAIN="127.0.0.1", PUBLIC_URL=None,
                                 CLOCK=None))  # the library checks exp against the real clock
    server = make_server("127.0.0.1", 0, app, threaded=True)
    app.config["PUBLIC_URL"] = f"http://127.0.0.1:{server.server_port}"
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield app.config["PUBLIC_URL"]
    server.shutdown()


def _presentations(world, nonce: str, client_id: str, now) -> dict:
    token: dict = {}
    for credential in [world.profile, *world.endorsements]:
        query_id = "persoonlijk_profiel" if credential is world.profile else dcql.query_id_for(paspoort_type(credential))
        token.setdefault(query_id, []).append(present([credential], world.holder, now=now, challenge=nonce,
                                                      domain=client_id))
    return token


@pytest.mark.parametrize("mode", [DIRECT_POST_JWT, DIRECT_POST])
def test_the_library_as_wallet_answers_our_verifier(node, live_server, world, tmp_path, mode):
    from datetime import datetime, timezone

    created = requests.post(live_server + "/challenges", json={"responseMode": mode}, timeout=10).json()
    resolved = node("oid4vp-wallet.mjs", "resolve", created["requestUrl"])
    payload = resolved["payload"]
    assert resolved["type"] == "jar" and resolved["version"] == 100  # 1.0 final
    assert resolved["client"]["prefix"] == "decentralized_identifier"
    assert resolved["signer"].startswith(created["clientId"].removeprefix("decentralized_identifier:"))
    assert payload["nonce"] == created["challenge"] and payload["response_mode"] == mode
    now = datetime.now(timezone.utc)  # (the service's credentials are valid around NOW and today alike)
    (tmp_path / "resolved.json").write_text(json.dumps(resolved), encoding="utf-8")
    (tmp_path / "vp_token.json").write_text(json.dumps(_presentations(world, payload["nonce"], payload["client_id"],
                                                                      now)), encoding="utf-8")
    answered = node("oid4vp-wallet.mjs", "respond", str(tmp_path / "resolved.json"), str(tmp_path / "vp_token.json"))
    assert answered["status"] == 200, answered
    state = requests.get(live_server + created["statusUrl"], timeout=10,
                         headers={"Authorization": f"Bearer {created['readToken']}"}).json()
    assert state["status"] == "answered" and state["answer"]["verified"] is True, state["answer"]["report"]


@pytest.mark.parametrize("mode", [DIRECT_POST_JWT, DIRECT_POST])
def test_the_library_as_verifier_reads_our_wallets_response(node, world, tmp_path, mode):
    verifier, sealed = Ed25519Key.generate(), EphemeralKey.generate(kid="state-0123456789")
    claims = request_claims(client_id=client_id_for(verifier.did), response_uri="https://werkgever.example/oid4vp/response",
                            nonce="nonce-0123456789abcdef", state="state-0123456789",
                            dcql_query=dcql.build_query(blocks=["skills"], types=[AANTOONBAAR_BEKWAAM_TYPE]),
                            response_mode=mode, now=NOW, lifetime=__import__("datetime").timedelta(minutes=10),
                            encryption_jwk=sealed.public_jwk())
    request = verify_request(sign_request(claims, verifier), client_id=claims["client_id"], now=NOW)
    ab = next(c for c in world.endorsements if paspoort_type(c) == AANTOONBAAR_BEKWAAM_TYPE)
    vp_token = {"persoonlijk_profiel": [present([world.profile], world.holder, now=NOW, challenge=request.nonce,
                                                domain=request.client_id)],
                "aantoonbaar_bekwaam": [present([ab], world.holder, now=NOW, challenge=request.nonce,
                                                domain=request.client_id)]}
    case = {"request": claims, "response": response_form(request, vp_token), "decryptionJwk": sealed.private_jwk()}
    (tmp_path / "case.json").write_text(json.dumps(case), encoding="utf-8")
    read = node("oid4vp-verifier.mjs", str(tmp_path / "case.json"))
    assert read["state"] == "state-0123456789" and read["expectedNonce"] == "nonce-0123456789abcdef"
    assert read["encrypted"] is (mode == DIRECT_POST_JWT)
    assert read["queries"] == {"persoonlijk_profiel": 1, "aantoonbaar_bekwaam": 1}
    assert read["vpToken"] == json.loads(json.dumps(vp_token))

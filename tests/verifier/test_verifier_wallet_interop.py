"""The worker's wallet answers this verifier's OpenID4VP request: its QR code (an image) or its
``openid4vp://`` link, as ``passport respond`` reads them, over real HTTP on 127.0.0.1. Both sides
were built apart; this test keeps them speaking the same profile (SPEC.md section 11)."""
from __future__ import annotations

import base64
import json
import threading

import pytest
import requests
from werkzeug.serving import make_server

from passport import sign
from passport.crypto.keys import Ed25519Key
from test_wallet_support import NOW_TEXT, ria_wallet, run, wallet_env  # noqa: F401 (fixtures)
from verifier_helpers import NOW, base_config
from verifier_service import create_app

VERIFIER_KEY = Ed25519Key(bytes(range(32)))


@pytest.fixture
def live_server(trust_files, sqlite_database, tmp_path):
    key_file = tmp_path / "verifier.key.json"
    VERIFIER_KEY.save(str(key_file))
    app = create_app(base_config(trust_files, sqlite_database, DOMAIN="127.0.0.1", PUBLIC_URL=None,
                                 KEY_FILE=str(key_file)))
    server = make_server("127.0.0.1", 0, app, threaded=True)
    app.config["PUBLIC_URL"] = f"http://127.0.0.1:{server.server_port}"  # known once the port is
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield app.config["PUBLIC_URL"]
    server.shutdown()


def request_qr(base: str, tmp_path, **body) -> tuple[dict, str]:
    created = requests.post(base + "/challenges", json=body, timeout=10).json()
    path = tmp_path / "request-qr.png"
    path.write_bytes(base64.b64decode(created["qr"]["png"].split(",", 1)[1]))
    return created, str(path)


def answered(base: str, created: dict) -> dict:
    return requests.get(base + created["statusUrl"], timeout=10,
                        headers={"Authorization": f"Bearer {created['readToken']}"}).json()


def test_wallet_answers_the_verifiers_request_qr(live_server, ria_wallet, tmp_path, capsys):
    created, image = request_qr(live_server, tmp_path, jobProfile="begeleider-gehandicaptenzorg")
    assert created["requestUrl"].startswith("openid4vp://?client_id=decentralized_identifier%3Adid%3Akey%3A")
    ria_wallet.close()
    code, out, err = run(capsys, "respond", image, "--yes", "--now", NOW_TEXT, "--lang", "en")
    assert code == 0, err
    assert f"not in a trust registry you gave: {VERIFIER_KEY.did}" in out
    assert "(encrypted, only this verifier can read it)" in out
    assert "The verifier reports: verified" in out
    state = answered(live_server, created)
    assert state["status"] == "answered" and state["answer"]["verified"] is True
    assert state["answer"]["match"]["jobProfile"]


def test_wallet_answers_a_plain_direct_post_link(live_server, ria_wallet, capsys):
    created = requests.post(live_server + "/challenges", json={"responseMode": "direct_post"}, timeout=10).json()
    ria_wallet.close()
    code, out, err = run(capsys, "respond", created["requestUrl"], "--yes", "--now", NOW_TEXT)
    assert code == 0, err
    assert "versleuteld" not in out and "jouw profiel, de blokken skills" in out
    assert answered(live_server, created)["answer"]["verified"] is True


def test_the_wallet_names_a_verifier_its_registry_lists(live_server, ria_wallet, world, tmp_path, capsys):
    registry = json.loads(json.dumps(world.registry))
    registry.pop("proof")
    registry["credentialSubject"]["issuers"].append({"id": VERIFIER_KEY.did, "name": "Zorggroep De Brug",
                                                     "role": "werkgever", "credentialTypes": []})
    path = tmp_path / "registry.json"
    path.write_text(json.dumps(sign(registry, world.keys["registry"], created=NOW)), encoding="utf-8")
    created, image = request_qr(live_server, tmp_path)
    ria_wallet.close()
    code, out, err = run(capsys, "respond", image, "--out", str(tmp_path / "answer.json"), "--now", NOW_TEXT,
                         "--lang", "en", "--trust-registry", str(path), "--trust-signer", world.keys["registry"].did)
    assert code == 0, err
    assert "Request from Zorggroep De Brug (werkgever)" in out
    vp_token = json.loads((tmp_path / "answer.json").read_text(encoding="utf-8"))
    assert set(vp_token) >= {"persoonlijk_profiel", "aantoonbaar_bekwaam"}
    assert all(len(vp["verifiableCredential"]) == 1 for vps in vp_token.values() for vp in vps)
    assert answered(live_server, created)["status"] == "pending"  # --out sends nothing


def test_an_answered_request_cannot_be_answered_again(live_server, ria_wallet, tmp_path, capsys):
    _, image = request_qr(live_server, tmp_path)
    ria_wallet.close()
    assert run(capsys, "respond", image, "--yes", "--now", NOW_TEXT)[0] == 0
    code, _out, err = run(capsys, "respond", image, "--yes", "--now", NOW_TEXT)
    assert code != 0 and "409" in err


def test_the_wallet_declines_and_the_page_sees_it(live_server, ria_wallet, tmp_path, capsys):
    created, image = request_qr(live_server, tmp_path)
    ria_wallet.close()
    code, out, err = run(capsys, "respond", image, "--decline", "--now", NOW_TEXT, "--lang", "en")
    assert code == 0, err
    assert "Declined:" in out and "access_denied" in out and "presentation(s)" not in out
    state = answered(live_server, created)
    assert state["status"] == "declined" and state["answer"]["declined"] is True
    code, _out, err = run(capsys, "respond", image, "--yes", "--now", NOW_TEXT)  # too late: the request is used
    assert code != 0 and "409" in err


def test_no_at_the_confirmation_sends_the_refusal(live_server, ria_wallet, monkeypatch, capsys):
    created = requests.post(live_server + "/challenges", json={"responseMode": "direct_post"}, timeout=10).json()
    ria_wallet.close()
    monkeypatch.setattr("sys.stdin.isatty", lambda: True)
    monkeypatch.setattr("builtins.input", lambda _prompt: "nee")
    code, out, err = run(capsys, "respond", created["requestUrl"], "--now", NOW_TEXT, "--lang", "nl")
    assert code == 0, err
    assert "Geweigerd:" in out
    state = answered(live_server, created)
    assert state["status"] == "declined" and state["answer"]["error"] == "access_denied"


def test_without_a_terminal_nothing_is_sent_and_decline_is_named(live_server, ria_wallet, capsys):
    created = requests.post(live_server + "/challenges", json={"responseMode": "direct_post"}, timeout=10).json()
    ria_wallet.close()
    code, out, _err = run(capsys, "respond", created["requestUrl"], "--now", NOW_TEXT, "--lang", "en")
    assert code == 1 and "Nothing was sent." in out and "--decline" in out
    assert answered(live_server, created)["status"] == "pending"


def test_a_request_that_cannot_be_fetched_is_not_called_a_failed_send(live_server, ria_wallet, tmp_path, capsys):
    created = requests.post(live_server + "/challenges", json={}, timeout=10).json()
    port = live_server.rsplit(":", 1)[1]
    gone = created["requestUrl"].replace(f"127.0.0.1%3A{port}", "127.0.0.1%3A9").replace(f"127.0.0.1:{port}",
                                                                                      "127.0.0.1:9")
    assert gone != created["requestUrl"]  # the request_uri now points at a port where nobody listens
    ria_wallet.close()
    code, _out, err = run(capsys, "respond", gone, "--yes", "--now", NOW_TEXT, "--lang", "en")
    assert code == 2 and "REQUEST_INVALID" in err and "nothing was sent" in err and "SEND_FAILED" not in err

"""The worker's wallet answers this verifier's own request: its QR code (an image), as
``passport respond`` reads it, over real HTTP on 127.0.0.1. Both sides were built apart; this
test keeps them speaking the same request format (SPEC.md section 11, "Presentation requests":
the URL form and the object form)."""
from __future__ import annotations

import base64
import threading

import pytest
import requests
from werkzeug.serving import make_server

from test_wallet_support import NOW_TEXT, ria_wallet, run, wallet_env  # noqa: F401 (fixtures)
from verifier_helpers import base_config
from verifier_service import create_app


@pytest.fixture
def live_server(trust_files, sqlite_database):
    app = create_app(base_config(trust_files, sqlite_database, DOMAIN="127.0.0.1", PUBLIC_URL=None))
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


def test_wallet_answers_the_verifiers_request_qr(live_server, ria_wallet, tmp_path, capsys):
    created, image = request_qr(live_server, tmp_path, jobProfile="begeleider-gehandicaptenzorg")
    ria_wallet.close()
    code, out, err = run(capsys, "respond", image, "--yes", "--now", NOW_TEXT, "--lang", "en")
    assert code == 0, err
    assert f"Request from {live_server} (unverified name) at 127.0.0.1" in out
    assert "The verifier reports: verified" in out
    state = requests.get(live_server + created["statusUrl"], timeout=10,
                         headers={"Authorization": f"Bearer {created['readToken']}"}).json()
    assert state["status"] == "answered" and state["answer"]["verified"] is True
    assert state["answer"]["match"]["jobProfile"]


def test_an_answered_request_cannot_be_answered_again(live_server, ria_wallet, tmp_path, capsys):
    _, image = request_qr(live_server, tmp_path)
    ria_wallet.close()
    assert run(capsys, "respond", image, "--yes", "--now", NOW_TEXT)[0] == 0
    code, out, _ = run(capsys, "respond", image, "--yes", "--now", NOW_TEXT)
    assert code == 1 and "HTTP 409" in out

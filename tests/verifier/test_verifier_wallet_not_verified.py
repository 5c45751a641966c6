"""``passport respond`` against the real verifier service, which does not verify the answer: the
worker sees which item failed and why, read from the verifier's problem report (issue #11, item 11)."""
from __future__ import annotations

import json
import threading
from datetime import timedelta

import pytest
import requests
from werkzeug.serving import make_server

from passport import sign
from passport.format.documents import AANTOONBAAR_BEKWAAM_TYPE, paspoort_type
from passport.format.status_list import (
    MESSAGE_STATUS_SIZE, MESSAGE_VALUES, MIN_LIST_SIZE, BitstringStatusList, status_list_credential,
)
from passport.encoding.timeutil import format_datetime
from test_wallet_support import NOW_TEXT, ria_wallet, ria_world, run, wallet_env  # noqa: F401 (fixtures)
from verifier_helpers import NOW, base_config
from verifier_service import create_app


@pytest.fixture
def revoked_files(tmp_path):
    """Trust registry and an offline bundle in which the wallet's first AantoonbaarBekwaam is revoked."""
    world = ria_world()
    revoked = next(c for c in world.endorsements if paspoort_type(c) == AANTOONBAAR_BEKWAAM_TYPE)
    entry = revoked["credentialStatus"]
    url, index = entry["statusListCredential"], int(entry["statusListIndex"])
    bits = BitstringStatusList(MIN_LIST_SIZE * MESSAGE_STATUS_SIZE)  # every other credential stays valid
    bits.set_value(index, MESSAGE_STATUS_SIZE, MESSAGE_VALUES["revoked"])  # the demo's one message entry
    issuer = world.keys["zorg-examinator"]
    unsigned = status_list_credential(issuer=issuer.did, list_id=url, purpose="message", status_list=bits,
                                      valid_from=format_datetime(NOW))
    lists = {**world.status_documents, url: sign(unsigned, issuer, created=NOW)}
    registry, bundle = tmp_path / "registry.json", tmp_path / "bundle.json"
    registry.write_text(json.dumps(world.registry), encoding="utf-8")
    bundle.write_text(json.dumps({"created": format_datetime(NOW - timedelta(hours=1)), "statusLists": lists,
                                  "didDocuments": {}}), encoding="utf-8")
    return {"registry": str(registry), "bundle": str(bundle), "signer": world.keys["registry"].did}, revoked


@pytest.fixture
def live_server(revoked_files, sqlite_database):
    trust_files, _ = revoked_files
    app = create_app(base_config(trust_files, sqlite_database, DOMAIN="127.0.0.1", PUBLIC_URL=None))
    server = make_server("127.0.0.1", 0, app, threaded=True)
    app.config["PUBLIC_URL"] = f"http://127.0.0.1:{server.server_port}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield app.config["PUBLIC_URL"]
    server.shutdown()


def test_respond_names_the_item_the_verifier_failed_and_why(live_server, revoked_files, ria_wallet, capsys):
    _, revoked = revoked_files
    created = requests.post(live_server + "/challenges", json={}, timeout=10).json()
    request = created["requestUrl"]
    ria_wallet.close()
    code, out, err = run(capsys, "--lang", "en", "respond", request, "--yes", "--now", NOW_TEXT)
    assert code == 1, err
    assert "HTTP 200" in out and "The verifier reports: NOT verified. What failed:" in out
    failing = [line for line in out.splitlines() if line.startswith("  item ")]
    assert failing and all("[REVOKED]" in line and "status failed" in line for line in failing)
    assert len(failing) == 1

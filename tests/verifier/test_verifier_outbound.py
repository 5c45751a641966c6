"""Named attacks on the verifier's outbound requests (issue #11 item 1): a document earns a fetch
only with a verified proof, by an issuer the registry trusts, at a location the registry lists
for it; a request fetches a bounded number of lists in a bounded time; network errors are logged,
never echoed. Connections are counted on real sockets."""
from __future__ import annotations

import copy
import io
import json
import logging
import socket
import threading
import time
from typing import Any, Iterator

import pytest

from passport import present, sign
from passport.format.status_list import status_entry
from registry_helpers import registry_file
from verifier_helpers import DOMAIN, NOW, LocalServer, base_config, issue_with_status, status_list_doc
from verifier_service import create_app


class Listener:
    """A TCP listener on 127.0.0.1 that counts the connections it accepts, and closes each at once."""

    def __init__(self) -> None:
        self.socket = socket.create_server(("127.0.0.1", 0))
        self.socket.settimeout(0.05)
        self.port = self.socket.getsockname()[1]
        self.accepted = 0
        self._open = True
        self._thread = threading.Thread(target=self._accept, daemon=True)
        self._thread.start()

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def _accept(self) -> None:
        while self._open:
            try:
                connection, _ = self.socket.accept()
            except (TimeoutError, OSError):
                continue
            self.accepted += 1
            connection.close()

    def close(self) -> None:
        self._open = False
        self._thread.join(2)
        self.socket.close()


@pytest.fixture
def listener() -> Iterator[Listener]:
    local = Listener()
    yield local
    local.close()


@pytest.fixture
def app_listing(trust_files, sqlite_database, world, tmp_path):
    """``app_listing(location, **settings)``: an app whose registry places the examiner's lists there."""
    def make(*locations: str, **settings: Any):
        registry = registry_file(world, tmp_path, list(locations))
        return create_app(base_config(trust_files, sqlite_database, TRUST_REGISTRIES=[registry], **settings))
    return make


def forged(credential: dict[str, Any], url: str) -> dict[str, Any]:
    """The examiner's genuine credential with its status entry moved to ``url``: the proof no longer verifies."""
    copied = copy.deepcopy(credential)
    copied["credentialStatus"]["statusListCredential"] = url
    copied["credentialStatus"]["id"] = url + "#7"
    return copied


def small(world, url: str, *, genuine: bool = True) -> dict[str, Any]:
    """A minimal credential of the examiner about Ria with a status entry at ``url`` (about 600
    bytes, as in the reported attack: 1,000 of them in 515 KB). ``genuine=False``: the entry is
    changed after signing."""
    examiner = world.keys["zorg-examinator"]
    credential = {"@context": ["https://www.w3.org/ns/credentials/v2"], "type": ["VerifiableCredential"],
                  "issuer": examiner.did, "validFrom": "2026-11-01T00:00:00Z",
                  "credentialSubject": {"id": world.holder.did},
                  "credentialStatus": status_entry(url if genuine else url + "x", 7, "revocation")}
    signed = sign(credential, examiner, created=NOW)
    if not genuine:
        signed["credentialStatus"] = status_entry(url, 7, "revocation")
    return signed


def inspect(client, document: Any):
    data = {"file": (io.BytesIO(json.dumps(document).encode()), "document.json")}
    return client.post("/inspect", data=data, content_type="multipart/form-data")


def check_of(report: dict[str, Any], name: str) -> dict[str, Any]:
    return next(check for check in report["checks"] if check["name"] == name)


# --- no fetch for a document that has not earned it ---------------------------------------------
def test_forged_credential_makes_no_connection(app_listing, world, listener):
    """The issuer is registered and the URL is at its registered location: only the broken proof
    stands between the document and a fetch, and it is enough."""
    client = app_listing(listener.url("/lists/")).test_client()
    genuine = issue_with_status(world, listener.url("/lists/1"))
    response = client.post("/credentials/verify", json={"verifiableCredential": forged(genuine, listener.url("/lists/2"))})
    body = response.get_json()
    assert response.status_code == 422 and body["code"] == "SIGNATURE_INVALID"
    status = check_of(body, "status")
    assert status["status"] == "skipped" and "proof did not verify" in status["message"]
    assert listener.accepted == 0


def test_inspect_of_1000_forged_credentials_makes_no_connection(app_listing, world, listener):
    """The reported attack: 1,000 forged credentials naming a registered issuer in one /inspect."""
    client = app_listing(listener.url("/lists/")).test_client()
    credentials = [small(world, listener.url(f"/lists/{n}"), genuine=False) for n in range(1000)]
    vp = present(credentials, world.holder, now=world.now, domain=DOMAIN)
    body = json.dumps(vp).encode()
    assert len(body) < 1024 * 1024
    response = inspect(client, vp)
    assert response.status_code == 200, response.get_data(as_text=True)[:500]
    reports = response.get_json()["documents"][0]["report"]["credentials"]
    assert len(reports) == 1000 and {check_of(r, "proof")["code"] for r in reports} == {"SIGNATURE_INVALID"}
    assert listener.accepted == 0


def test_status_list_outside_the_registered_location_is_not_fetched(app_listing, world, server):
    """Valid proof, trusted issuer, but the list is on another path and on another port than the
    registry lists: status unknown, and no request at all."""
    client = app_listing(server.url("/lists/")).test_client()
    other = LocalServer()
    try:
        for url in (server.url("/elsewhere/1"), server.url("/lists/../elsewhere/1"), other.url("/lists/1")):
            response = client.post("/credentials/verify", json={"verifiableCredential": issue_with_status(world, url)})
            body = response.get_json()
            assert response.status_code == 422 and body["code"] == "STATUS_UNKNOWN", body
            status = check_of(body, "status")
            assert status["status"] == "unknown" and "not at a location the trust registry lists" in status["message"]
        assert server.hits == {} and other.hits == {}
    finally:
        other.close()


def test_status_list_at_the_registered_location_is_fetched(app_listing, world, server):
    """The control: the same credential with its list where the registry says verifies."""
    url = server.serve("/lists/1", status_list_doc(world, server.url("/lists/1")))
    client = app_listing(server.url("/lists/")).test_client()
    response = client.post("/credentials/verify", json={"verifiableCredential": issue_with_status(world, url)})
    assert response.status_code == 200, response.get_json()
    assert len(server.hits["/lists/1"]) == 1


# --- bounded fetching per request ---------------------------------------------------------------
def test_eight_lists_at_a_slow_listener_answer_within_the_budget(app_listing, world, server):
    """A presentation of 8 genuine, trusted credentials whose 8 status lists answer after 3 s: the
    request spends at most its fetch budget (here 1 s, each fetch at most 2 s), all 8 statuses are
    unknown, and the answer is a 422, not a 500."""
    urls = [server.serve(f"/lists/{n}", {"late": True}, delay=3.0) for n in range(8)]
    app = app_listing(server.url("/lists/"), FETCH_TIMEOUT=2.0, FETCH_BUDGET=1.0)
    client = app.test_client()
    challenge = client.post("/challenges", json={}).get_json()["challenge"]
    vp = present([issue_with_status(world, url) for url in urls], world.holder, now=world.now,
                 challenge=challenge, domain=DOMAIN)
    started = time.monotonic()
    response = client.post("/presentations/verify",
                           json={"verifiablePresentation": vp, "options": {"challenge": challenge, "domain": DOMAIN}})
    elapsed = time.monotonic() - started
    body = response.get_json()
    assert response.status_code == 422 and body["code"] == "STATUS_UNKNOWN", body
    statuses = [check_of(report, "status") for report in body["credentials"]]
    assert [s["status"] for s in statuses] == ["unknown"] * 8
    assert elapsed < 2.0, f"{elapsed:.2f} s for a 1 s fetch budget"
    assert sum(len(hits) for hits in server.hits.values()) <= 2
    assert any("used up" in s["message"] for s in statuses)


def test_inspect_of_1000_genuine_credentials_fetches_at_most_the_cap(app_listing, world, listener):
    """1,000 genuine credentials of a trusted issuer, each naming its own list at the registered
    location (all of which fail): at most MAX_FETCHES_PER_REQUEST connections, here 16 (the default)."""
    client = app_listing(listener.url("/lists/")).test_client()
    credentials = [small(world, listener.url(f"/lists/{n}")) for n in range(1000)]
    vp = present(credentials, world.holder, now=world.now, domain=DOMAIN)
    response = inspect(client, vp)
    assert response.status_code == 200, response.get_data(as_text=True)[:500]
    assert listener.accepted == 16
    reports = response.get_json()["documents"][0]["report"]["credentials"]
    assert {check_of(r, "proof")["status"] for r in reports} == {"passed"}
    assert {check_of(r, "status")["status"] for r in reports} == {"unknown"}
    assert sum("already fetched 16" in check_of(r, "status")["message"] for r in reports) == 1000 - 16


def test_a_failed_list_is_not_fetched_again_for_a_while(app_listing, world, listener):
    """Negative cache: the same failing URL in the next request makes no new connection."""
    client = app_listing(listener.url("/lists/")).test_client()
    credential = issue_with_status(world, listener.url("/lists/1"))
    for _ in range(3):
        response = client.post("/credentials/verify", json={"verifiableCredential": credential})
        assert response.status_code == 422 and response.get_json()["code"] == "STATUS_UNKNOWN"
    assert listener.accepted == 1


# --- nothing about the network in the answer ----------------------------------------------------
def test_connection_errors_are_logged_not_answered(app_listing, world, caplog):
    with socket.socket() as probe:  # a port nobody listens on: "Connection refused"
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    url = f"http://127.0.0.1:{port}/lists/1"
    client = app_listing(f"http://127.0.0.1:{port}/lists/").test_client()
    with caplog.at_level(logging.WARNING, logger="passport.verification.fetch"):
        response = client.post("/credentials/verify", json={"verifiableCredential": issue_with_status(world, url)})
    text = response.get_data(as_text=True)
    assert response.status_code == 422 and response.get_json()["code"] == "STATUS_UNKNOWN"
    assert "could not be fetched" in check_of(response.get_json(), "status")["message"]
    for detail in ("refused", "Errno", "111", "timed out"):
        assert detail not in text
    assert "Connection refused" in caplog.text

"""Status refresh (issue #11, item 11): ``passport status`` / ``list --refresh`` fetch the signed
status lists of the wallet's endorsements from a real local HTTP server, remember the outcome,
and ``share``/``export --pdf``/``respond`` leave out what is known to be revoked."""
from __future__ import annotations

import copy
import json
import threading
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

from support import NOW
from passport import check, sign
from passport.format.documents import new_credential_id
from passport.errors import StatusUnknown
from passport.verification.fetch import Fetcher
from passport.format.status_list import MIN_LIST_SIZE, BitstringStatusList, status_entry, status_list_credential
from passport.encoding.timeutil import format_datetime
from passport.wallet import inbox
from passport.wallet import status as statuses
from passport.wallet.store import Wallet
from test_wallet_support import NOW_TEXT, PASSPHRASE, ria_world, run, wallet_env  # noqa: F401 (fixtures)

SIGNED_AT = NOW - timedelta(hours=2)
REVOKED_INDEX, VALID_INDEX, SUSPENDED_INDEX = 7, 9, 11


class StatusServer:
    """GET serves the routes; POST /response answers like the verifier service (report, 422 when not verified)."""

    def __init__(self) -> None:
        self.routes: dict[str, bytes] = {}
        self.hits: list[str] = []
        self.lists: dict[str, Any] = {}
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802
                outer.hits.append(self.path)
                body = outer.routes.get(self.path)
                self.send_response(200 if body is not None else 404)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body or b"")))
                self.end_headers()
                self.wfile.write(body or b"")

            def do_POST(self) -> None:  # noqa: N802
                presentation = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                report = check(presentation, now=NOW, status=outer.lists)
                body = report.to_dict()
                if not report.verified:
                    body["errors"] = _failed_checks(report)
                raw = json.dumps(body).encode()
                self.send_response(200 if report.verified else 422)
                self.send_header("Content-Type", "application/problem+json" if not report.verified
                                 else "application/json")
                self.send_header("Content-Length", str(len(raw)))
                self.end_headers()
                self.wfile.write(raw)

            def log_message(self, *args: Any) -> None:
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.port = self.httpd.server_address[1]
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def publish(self, path: str, document: dict) -> None:
        self.routes[path] = json.dumps(document).encode()
        self.lists[self.url(path)] = document

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


def _failed_checks(report) -> list[dict]:
    """As verifier_service.errors.failed_checks."""
    found = [{"check": r.name, "status": r.status, "code": r.code, "message": r.message} for r in report.checks
             if not r.ok]
    for index, inner in enumerate(report.credentials):
        found += [{**item, "credentialIndex": index} for item in _failed_checks(inner)]
    return found


@pytest.fixture
def server():
    local = StatusServer()
    yield local
    local.close()


def _reissue(kind: str, *, number: int = 0, status: dict | None = None, **changes) -> dict:
    world = ria_world()
    original = [e for e in world.endorsements if e["type"][-1] == kind][number]
    document = {k: copy.deepcopy(v) for k, v in original.items() if k not in ("proof", "credentialStatus")}
    document.update(id=new_credential_id(), **changes)
    if status is not None:
        document["credentialStatus"] = status
    issuer = document["issuer"]["id"] if isinstance(document["issuer"], dict) else document["issuer"]
    return sign(document, world.keys[world.role_of(issuer)], created=SIGNED_AT)


def _status_list(role: str, url: str, purpose: str, values: dict[int, int]) -> dict:
    """A signed list; ``message`` lists hold 2-bit values (1 suspended, 2 revoked), others one bit."""
    world = ria_world()
    size = 2 if purpose == "message" else 1
    status_list = BitstringStatusList(MIN_LIST_SIZE * size)
    for index, value in values.items():
        status_list.set_value(index, size, value)
    unsigned = status_list_credential(issuer=world.keys[role].did, list_id=url, purpose=purpose,
                                      status_list=status_list, valid_from=format_datetime(SIGNED_AT))
    return sign(unsigned, world.keys[role], created=SIGNED_AT)


@pytest.fixture
def status_wallet(wallet_env, server) -> dict[str, dict]:
    """Ria's wallet with one endorsement in each state, the lists on the local server: one message
    list (statusSize 2) per issuer, as issuers write them, and one one-bit list of an older issue."""
    zorg, spoor = server.url("/zorg/1"), server.url("/spoor/1")
    server.publish("/zorg/1", _status_list("zorg-examinator", zorg, "message", {REVOKED_INDEX: 2, VALID_INDEX: 0}))
    server.publish("/spoor/1", _status_list("spoor-werkgever", spoor, "message", {SUSPENDED_INDEX: 1}))
    credentials = {
        "revoked": _reissue("AantoonbaarBekwaamCredential", status=status_entry(zorg, REVOKED_INDEX, "message")),
        "valid": _reissue("AantoonbaarBekwaamCredential", number=1,
                          status=status_entry(zorg, VALID_INDEX, "message")),
        "suspended": _reissue("CertificaatCredential", status=status_entry(spoor, SUSPENDED_INDEX, "message")),
        "unknown": _reissue("CertificaatCredential", number=1,
                            status=status_entry(server.url("/gone/1"), 3, "revocation")),
        "expired": _reissue("AssessmentResultaatCredential", validUntil=format_datetime(NOW - timedelta(hours=1))),
    }
    wallet = Wallet.create(str(wallet_env), PASSPHRASE, holder_key=ria_world().holder, now=NOW)
    for credential in credentials.values():
        inbox.import_credential(wallet, credential, now=SIGNED_AT, source="test")
    wallet.save()
    wallet.close()
    return credentials


def _state_of(wallet_env) -> dict[str, dict]:
    with Wallet.open(str(wallet_env), PASSPHRASE) as wallet:
        return {item["credential"]["id"]: item.get("statusCheck") for item in wallet.credentials}


def test_status_fetches_verifies_shows_and_remembers_every_state(capsys, status_wallet, wallet_env, server):
    code, out, err = run(capsys, "status", "--allow-http-host", "127.0.0.1", "--now", NOW_TEXT, "--lang", "en")
    assert code == 1, err  # something needs attention
    lines = out.splitlines()
    assert "REVOKED" in lines[0] and "has revoked" in lines[1]
    assert lines[2].endswith(": valid")
    assert "SUSPENDED" in lines[3]
    assert "status unknown" in lines[5] and "/gone/1 could not be" in lines[6]
    assert "EXPIRED" in lines[7]
    assert lines[-1] == f"Checked at {NOW_TEXT}: 1 revoked, 1 suspended, 1 expired, 1 unknown, 1 valid."
    assert sorted(set(server.hits)) == ["/gone/1", "/spoor/1", "/zorg/1"]  # each list fetched once
    remembered = _state_of(wallet_env)
    for state, credential in status_wallet.items():
        assert remembered[credential["id"]]["status"] == state
        assert remembered[credential["id"]]["checkedAt"] == NOW_TEXT


def test_status_fetches_https_only_unless_the_worker_names_a_host(capsys, status_wallet, wallet_env, server):
    code, out, _ = run(capsys, "status", "--now", NOW_TEXT)
    assert code == 1 and server.hits == []
    assert "only https" in out and "REVOKED" not in out
    assert "allow its host with --allow-http-host 127.0.0.1" in out  # says how to reach a test server
    assert {check["status"] for check in _state_of(wallet_env).values()} == {"unknown", "expired"}


def test_a_forged_status_list_is_unknown_not_valid(capsys, status_wallet, wallet_env, server):
    forged = json.loads(server.routes["/zorg/1"])
    forged["credentialSubject"]["encodedList"] = _status_list("zorg-examinator", server.url("/zorg/1"), "message",
                                                               {})["credentialSubject"]["encodedList"]
    server.routes["/zorg/1"] = json.dumps(forged).encode()  # bit cleared, signature kept: does not verify
    code, out, _ = run(capsys, "status", "--allow-http-host", "127.0.0.1", "--now", NOW_TEXT)
    remembered = _state_of(wallet_env)
    assert remembered[status_wallet["revoked"]["id"]]["status"] == "unknown"
    assert remembered[status_wallet["valid"]["id"]]["status"] == "unknown"
    assert "failed verification" in remembered[status_wallet["valid"]["id"]]["reason"]


def test_list_refresh_shows_the_status_lines(capsys, status_wallet, server):
    code, out, err = run(capsys, "list", "--refresh", "--allow-http-host", "127.0.0.1", "--now", NOW_TEXT,
                         "--lang", "en")
    assert code == 0, err
    assert f"status: REVOKED (checked {NOW_TEXT})" in out and f"status: valid (checked {NOW_TEXT})" in out
    lines = out.splitlines()
    revoked = lines.index(f"      status: REVOKED (checked {NOW_TEXT})")
    assert "has revoked" in lines[revoked + 1]  # and why, as passport status says it
    assert "/gone/1 could not be" in out  # the unknown one: why it is unknown
    code, out, _ = run(capsys, "list", "--now", NOW_TEXT, "--lang", "nl")  # remembered without fetching again
    assert out.count("status: ") == 5 and len(server.hits) == 3
    assert "ingetrokken" in out.lower()


def test_a_known_revocation_survives_a_refresh_that_cannot_reach_the_issuer(status_wallet, wallet_env, server):
    with Wallet.open(str(wallet_env), PASSPHRASE) as wallet:
        statuses.refresh(wallet, now=NOW, load=server.lists.get)
        later = NOW + timedelta(days=1)
        outcomes = statuses.refresh(wallet, now=later, load=None)  # offline
        by_id = {outcome.item["credential"]["id"]: outcome for outcome in outcomes}
        revoked = by_id[status_wallet["revoked"]["id"]]
        assert revoked.status == "revoked" and revoked.checked_at == NOW_TEXT
        assert "could not be checked again" in revoked.reason
        assert by_id[status_wallet["valid"]["id"]].status == "unknown"


def test_share_leaves_out_a_known_revoked_endorsement_unless_asked(capsys, status_wallet, tmp_path, server):
    run(capsys, "status", "--allow-http-host", "127.0.0.1", "--now", NOW_TEXT)
    out_file = tmp_path / "vp.json"
    code, out, err = run(capsys, "share", "--all-endorsements", "--out", str(out_file), "--now", NOW_TEXT,
                         "--lang", "en")
    assert code == 0, err
    shared = {c["id"] for c in json.loads(out_file.read_text())["verifiableCredential"]}
    assert status_wallet["revoked"]["id"] not in shared and status_wallet["valid"]["id"] in shared
    assert "warning" in err and "left out because its issuer revoked it" in err and "--include-revoked" in err
    code, out, err = run(capsys, "share", "--all-endorsements", "--include-revoked", "--out", str(out_file),
                         "--now", NOW_TEXT, "--lang", "en")
    assert code == 0 and status_wallet["revoked"]["id"] in {
        c["id"] for c in json.loads(out_file.read_text())["verifiableCredential"]}
    assert "included although its issuer revoked it" in err


def test_share_of_only_a_revoked_endorsement_says_why_nothing_is_shared(capsys, status_wallet, server):
    run(capsys, "status", "--allow-http-host", "127.0.0.1", "--now", NOW_TEXT)
    code, out, err = run(capsys, "share", "--endorsement", "1", "--now", NOW_TEXT)
    assert code == 2 and "every endorsement chosen is revoked" in err and out == ""


def test_export_pdf_leaves_out_a_known_revoked_endorsement(capsys, status_wallet, tmp_path, server):
    pytest.importorskip("fpdf")
    run(capsys, "status", "--allow-http-host", "127.0.0.1", "--now", NOW_TEXT)
    code, out, err = run(capsys, "export", "--pdf", str(tmp_path / "p.pdf"), "--no-profile", "--now", NOW_TEXT,
                         "--lang", "en")
    assert code == 0, err
    assert out.count("\n  + ") == 4 and "left out because its issuer revoked it" in err


def test_bounded_loader_stops_at_the_list_limit_and_the_time_budget(server):
    server.publish("/a", {"n": 1})
    server.publish("/b", {"n": 2})
    hosts = {"127.0.0.1"}
    loader = statuses.BoundedLoader(Fetcher(timeout=2, test_hosts=hosts, cache_ttl=0), hosts, max_lists=1)
    assert loader(server.url("/a")) == {"n": 1}
    with pytest.raises(StatusUnknown, match="already fetched 1"):
        loader(server.url("/b"))
    loader = statuses.BoundedLoader(Fetcher(timeout=2, test_hosts=hosts, cache_ttl=0), hosts, budget=5)
    loader(server.url("/a"))
    loader.budget.spent = 5.0  # as if the fetches so far had taken the whole budget
    with pytest.raises(StatusUnknown, match="5 s for fetching"):
        loader(server.url("/b"))
    assert server.hits == ["/a", "/a"]


def test_bounded_loader_fetches_only_the_wallets_own_status_hosts(status_wallet, wallet_env, server):
    server.publish("/elsewhere", {"n": 1})
    with Wallet.open(str(wallet_env), PASSPHRASE) as wallet:
        loader = statuses.bounded_loader(wallet, http_hosts=["127.0.0.1"])
        assert loader.hosts == {"127.0.0.1"}
        with pytest.raises(StatusUnknown, match="not the host"):
            loader(f"https://localhost:{server.port}/elsewhere")


def test_status_speaks_dutch_without_a_locale(capsys, monkeypatch, status_wallet, server):
    """The same states with the words of passport.terms; a status that could not be checked is
    "status onbekend" with the plain sentence for STATUS_UNKNOWN and the check's own words."""
    from passport import terms

    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        monkeypatch.delenv(name, raising=False)
    code, out, err = run(capsys, "status", "--allow-http-host", "127.0.0.1", "--now", NOW_TEXT)
    assert code == 1, err
    lines = out.splitlines()
    assert lines[0].endswith(": INGETROKKEN") and lines[1].startswith(f"      {terms.problem('REVOKED', 'nl')} (")
    assert lines[2].endswith(": geldig") and lines[3].endswith(": GESCHORST")
    assert lines[5].endswith(": status onbekend") and terms.problem("STATUS_UNKNOWN", "nl") in lines[6]
    assert "/gone/1 could not be" in lines[6]  # the detail stays
    assert lines[7].endswith(": VERLOPEN")
    assert lines[-1] == (f"Gecontroleerd op {NOW_TEXT}: 1 ingetrokken, 1 geschorst, 1 verlopen, 1 onbekend, "
                         "1 geldig.")
    code, out, _ = run(capsys, "list", "--now", NOW_TEXT)
    assert f"status: INGETROKKEN (gecontroleerd op {NOW_TEXT})" in out
    assert f"status: geldig (gecontroleerd op {NOW_TEXT})" in out

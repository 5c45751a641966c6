"""``python -m passport.demo``: Ria's route with real issuer and verifier services, run as a process.

The demo runs twice in a row into one folder that also holds someone else's files. Its
artifacts are then checked as a reader of the README would: the reports, the match, the QR
codes, the wallet (opened with the passphrase the demo showed once), and the presentation and
endorsements with the ``passport`` CLI against the status lists the issuers served at the end.
Every endorsement reached her wallet by OpenID4VCI (an offer QR image read by the wallet), and
both of the employer's requests were read from their QR images and answered once by OpenID4VP:
the services' own databases and logs, left in the folder, say so.
Failure paths: a step that does not get what the story needs (the issuers' default status
list cache time hides the revocation) and Ctrl-C; both must stop every server the demo started.
"""
from __future__ import annotations

import hashlib
import json
import os
import re
import shlex
import signal
import socket
import stat
import subprocess
import sqlite3
import sys
from contextlib import closing
from datetime import date
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import yaml

from passport import qr
from passport.cli import main as passport
from passport.demo import issuers
from passport.demo.__main__ import main as demo_main
from passport.demo.output import Output
from passport.demo.story import ISSUERS, rebase, shift_days, trust_registry
from passport.roles.oid4vci import parse_offer_uri
from passport.roles.oid4vp import parse_authorization_link
from passport.terms import problem, term
from passport.wallet import Wallet

REPO = Path(__file__).resolve().parents[1]
STEPS = ("Paspoort demo: Ria de Vries", "\n1. ", "\n2. ", "\n3. ", "\n4. ", "\n5. ", "\n6. ", "\n7. ", "\n8. ",
         "Artifacts in", "Done in")
REVOKED = "endorsements/aantoonbaar-bekwaam-medicatie-aanreiken.json"
FOREIGN = ("my-notes.json", "notes/keep.json", "logs/mine.txt", "endorsements/from-elsewhere.json")
REGISTRY_SIGNER = "did:key:z6Mki8PYnU7NSJ7wQVwA7yH1g7gT4LQd1Zax4wypiHCgYC99"
PORT = re.compile(r"http://127\.0\.0\.1:(\d+)")


def demo_env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PASPOORT_", "PASSPORT_"))}
    return {**env, "PASSPORT_KDF_PROFILE": "test"}  # a cheap Argon2id: the wallet format is the same


def run_demo(out: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "passport.demo", "--out", str(out)], capture_output=True,
                          text=True, cwd=REPO, env=demo_env(), timeout=120)


def ports_in(text: str) -> set[int]:
    return {int(port) for port in PORT.findall(text)}


def listening(port: int) -> bool:
    with socket.socket() as probe:
        return probe.connect_ex(("127.0.0.1", port)) == 0


def read(out: Path, name: str):
    return json.loads((out / name).read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def demo(tmp_path_factory) -> tuple[Path, list[subprocess.CompletedProcess]]:
    """The demo run twice in a row into one folder holding other people's files."""
    out = tmp_path_factory.mktemp("demo-out")
    for name in FOREIGN:
        (out / name).parent.mkdir(parents=True, exist_ok=True)
        (out / name).write_text('{"mine": true}')
    return out, [run_demo(out), run_demo(out)]


def test_demo_exits_0_and_tells_each_step(demo):
    _, runs = demo
    for result in runs:
        assert result.returncode == 0, result.stdout + result.stderr
        assert result.stderr == ""
        positions = [result.stdout.index(step) for step in STEPS]
        assert positions == sorted(positions)
        assert "DEMO FAILED" not in result.stdout
        assert "answers VERIFIED" in result.stdout and "answers NOT VERIFIED" in result.stdout
        assert "[REVOKED]" in result.stdout


def test_every_server_is_stopped_after_the_run(demo):
    _, runs = demo
    for result in runs:
        story = result.stdout[:result.stdout.index("Use the artifacts yourself")]  # not the commands it suggests
        ports = ports_in(story)
        assert len(ports) == 5  # four issuers and the verifier
        assert not [port for port in ports if listening(port)]


def test_it_says_how_to_open_each_screen_and_the_desk_commands_work(demo, tmp_path, monkeypatch):
    """The wallet app, the examiner's desk and the recruiter page; the desk's three commands, run
    on a copy of the examiner's key and database: a staff token, and with it the desk's pages."""
    out, runs = demo
    said = runs[-1].stdout[runs[-1].stdout.index("Open the screens:"):]
    assert f".venv/bin/passport app --wallet {out}/ria.wallet" in said
    assert "then open http://127.0.0.1:5000/" in said  # the recruiter page
    assert "open http://127.0.0.1:5001/desk/ and sign in with the token" in said
    export = re.search(r"^\s+export (.+)$", said, re.MULTILINE).group(1)
    settings = dict(pair.split("=", 1) for pair in shlex.split(export))
    assert settings["PASPOORT_ISSUER_NAME"] == "Stichting De Wilgenhoeve"
    key, database = Path(settings["PASPOORT_ISSUER_KEY_FILE"]), Path(settings["PASPOORT_ISSUER_DATABASE_URL"][10:])
    assert key.is_file() and database.is_file() and settings["PASPOORT_ISSUER_BASE_URL"] == "http://127.0.0.1:5001"
    token_command = re.search(r"flask --app issuer_service (create-token .+)$", said, re.MULTILINE).group(1)
    assert "--role examinator --scope 'vrh:*'" in token_command
    assert "flask --app issuer_service run --port 5001" in said

    from issuer_service import create_app as create_issuer
    (tmp_path / "key.json").write_bytes(key.read_bytes())
    (tmp_path / "key.json").chmod(0o600)
    (tmp_path / "issuer.sqlite3").write_bytes(database.read_bytes())
    for name, value in settings.items():
        monkeypatch.setenv(name, value)
    monkeypatch.setenv("PASPOORT_ISSUER_KEY_FILE", str(tmp_path / "key.json"))
    monkeypatch.setenv("PASPOORT_ISSUER_DATABASE_URL", f"sqlite:///{tmp_path / 'issuer.sqlite3'}")
    app = create_issuer()
    made = app.test_cli_runner().invoke(args=shlex.split(token_command))
    assert made.exit_code == 0, made.output
    token = re.search(r"^(psi_\S+)$", made.output, re.MULTILINE).group(1)
    client, base = app.test_client(), {"base_url": settings["PASPOORT_ISSUER_BASE_URL"]}
    page = client.get("/desk/sign-in", **base).get_data(as_text=True)
    login = re.search(r'name="login" value="([^"]*)"', page).group(1)
    signed_in = client.post("/desk/sign-in", data={"login": login, "token": token, "lang": "nl"}, **base)
    assert signed_in.status_code == 303 and signed_in.headers["Location"].endswith("/desk/new")
    new = client.get("/desk/new", **base).get_data(as_text=True)
    assert "Stichting De Wilgenhoeve" in new and 'id="procedure-vrh-medicatie-aanreiken"' in new
    app.extensions["paspoort_issuer_db"].dispose()


def test_logs_are_private_and_hold_no_staff_token(demo):
    out, _ = demo
    logs = sorted((out / "logs").glob("*.log"))
    assert logs, "the demo writes one log per server"
    for log in logs:
        assert stat.S_IMODE(log.stat().st_mode) == 0o600, log
        text = log.read_text(encoding="utf-8")
        assert not re.search(r"psi_(?!\[redacted\])[A-Za-z0-9_-]{8,}", text), f"a staff token in {log.name}"
    assert any("create-token" in log.read_text(encoding="utf-8") for log in logs)  # the admin steps are logged


def test_report_says_verified_before_and_revoked_after(demo):
    out, _ = demo
    before, after = read(out, "report.json"), read(out, "report-after-revocation.json")
    assert before["verified"] is True and after["verified"] is False
    assert all(c["status"] in ("passed", "skipped") for c in after["checks"])  # the presentation itself is fine
    failed = [(nested["id"], c["name"], c["code"]) for nested in after["credentials"]
              for c in nested["checks"] if c["status"] not in ("passed", "skipped")]
    assert failed == [(read(out, REVOKED)["id"], "status", "REVOKED")]
    assert term("verdict.all_verified") in (out / "report.html").read_text(encoding="utf-8")
    html = (out / "report-after-revocation.html").read_text(encoding="utf-8")
    assert term("verdict.not_verified") in html and term("outcome.revoked") in html and "Klopt niet: 1" in html
    assert problem("REVOKED") in html and "van 9 eisen aangetoond" in html  # Dutch, not the library's English


def test_match_loses_the_revoked_procedure(demo):
    out, _ = demo
    before, after = read(out, "match.json"), read(out, "match-after-revocation.json")
    assert before["jobProfile"]["id"].endswith("begeleider-gehandicaptenzorg-de-linde")
    shown = {item["requirementId"] for item in before["demonstrated"]}
    assert {"medicatie-aanreiken", "tillift-gebruiken", "bhv"} <= shown
    assert "medicatie-aanreiken" not in {item["requirementId"] for item in after["demonstrated"]}
    assert "medicatie-aanreiken" in {item["requirementId"] for item in after["learningPath"]}


def test_sensitive_entries_stay_out_of_what_she_shares(demo):
    out, _ = demo
    profile = yaml.safe_load((REPO / "examples/ria/profile.yaml").read_text(encoding="utf-8"))
    sensitive = [entry for block in profile.values() if isinstance(block, list) for entry in block
                 if isinstance(entry, dict) and entry.get("sensitive")]
    assert sensitive  # the example has them, so leaving them out means something
    request = read(out, "request.json")
    for name in ("presentation.json", "presentation-after-revocation.json"):
        presentation = read(out, name)
        shared = presentation["verifiableCredential"][0]
        assert "PersoonlijkProfielCredential" in shared["type"]
        ids = {entry["id"] for block in shared["credentialSubject"].values() if isinstance(block, list)
               for entry in block}
        assert ids and not ids & {entry["id"] for entry in sensitive}
        text = (out / name).read_text(encoding="utf-8")
        assert not [entry for entry in sensitive if entry["description"][:40] in text]
        assert presentation["proof"]["domain"] == request["clientId"]  # OpenID4VP: the domain is the client_id
    assert read(out, "presentation.json")["proof"]["challenge"] == request["challenge"]


def test_qr_codes_decode_to_what_was_shared(demo):
    out, _ = demo
    assert qr.read_document(out / "presentation-qr.png") == read(out, "presentation-qr.json")
    assert qr.decode_image(out / "request-qr.png") == [read(out, "request.json")["requestUrl"]]  # openid4vp://
    inspected = read(out, "inspect.json")
    assert inspected["verified"] is True and inspected["binding"] == "challenge"


def query(database: Path, sql: str) -> list[tuple]:
    with closing(sqlite3.connect(f"file:{database}?mode=ro", uri=True)) as db:
        return db.execute(sql).fetchall()


def endorsement_ids(out: Path) -> set[str]:
    return {read(out, f"endorsements/{path.name}")["id"] for path in (out / "endorsements").glob("*.json")
            if path.name != "from-elsewhere.json"}


def test_every_endorsement_was_issued_through_the_openid4vci_credential_endpoint(demo):
    """Each issuer's records: one offer per credential, redeemed at the first transaction code and
    issued; its audit log names the staff member who made the offer; its access log shows the
    wallet's protocol steps and no staff issuing."""
    out, _ = demo
    issued = set()
    for part in ISSUERS:
        database = out / "services" / part.role / "issuer.sqlite3"
        offers = query(database, "SELECT state, credential_id, created_by, tx_tries FROM oid4vci_offers")
        credentials = {row[0] for row in query(database, "SELECT id FROM credentials")}
        audited = query(database, "SELECT credential_id, actor FROM audit_log WHERE action = 'issue'")
        assert offers and {(state, tries) for state, _, _, tries in offers} == {("issued", 0)}, offers
        assert {row[1] for row in offers} == credentials == {row[0] for row in audited}
        assert {row[2] for row in offers} == {actor for _, actor in audited} == {part.issue_token.name}
        log = (out / "logs" / f"issuer-{part.role}.log").read_text(encoding="utf-8")
        assert "/credentials/issue" not in log
        for step in ('"POST /oid4vci/offers HTTP/1.1" 201', '"POST /oid4vci/token HTTP/1.1" 200',
                     '"POST /oid4vci/nonce HTTP/1.1" 200', '"POST /oid4vci/credential HTTP/1.1" 200'):
            assert log.count(step) == len(offers), step
        issued |= credentials
    assert issued == endorsement_ids(out) and len(issued) == 7


def test_each_offer_qr_image_holds_an_offer_that_was_used(demo):
    out, _ = demo
    images = sorted((out / "offers").glob("*.png"))
    assert [image.stem for image in images] == sorted(path.stem for path in (out / "endorsements").glob("*.json")
                                                     if path.name != "from-elsewhere.json")
    used = {}
    for part in ISSUERS:
        database = out / "services" / part.role / "issuer.sqlite3"
        used.update(dict(query(database, "SELECT reference_hash, credential_id FROM oid4vci_offers "
                                         "WHERE state = 'issued'")))
    for image in images:
        [link] = qr.decode_image(image)
        assert link.startswith("openid-credential-offer://?credential_offer_uri=")
        reference_url, _ = parse_offer_uri(link)
        reference = urlsplit(reference_url).path.rsplit("/", 1)[1]
        credential = read(out, f"endorsements/{image.stem}.json")
        assert used[hashlib.sha256(reference.encode()).hexdigest()] == credential["id"]


def test_each_request_was_read_from_its_qr_image_and_answered_once(demo):
    """Two requests (steps 5 and 7), each fetched once, answered once (direct_post.jwt: the
    request's decryption key is gone once used) and its result read once by the page."""
    out, _ = demo
    first = qr.decode_image(out / "request-qr.png")
    second = qr.decode_image(out / "request-after-revocation-qr.png")
    assert first == [read(out, "request.json")["requestUrl"]] and second[0].startswith("openid4vp://")
    log = (out / "logs" / "verifier.log").read_text(encoding="utf-8")
    assert log.count('"POST /oid4vp/response HTTP/1.1" 200') == 2
    database = out / "services" / "verifier" / "verifier.sqlite3"
    for [link] in (first, second):
        _client_id, request_uri = parse_authorization_link(link)
        challenge = urlsplit(request_uri).path.rsplit("/", 1)[1]
        assert log.count(f'"GET {urlsplit(request_uri).path} HTTP/1.1" 200') == 1
        assert log.count(f'"GET /requests/{challenge} HTTP/1.1" 200') == 1  # the page's read token
        [(used_at, request)] = query(database, f"SELECT used_at, request FROM verifier_challenge "
                                               f"WHERE challenge = '{challenge}'")
        assert used_at is not None and "decryptionKey" not in json.loads(request)
    assert query(database, "SELECT challenge FROM verifier_answer") == []  # each result was read, and then gone


def artifacts_args(out: Path) -> list[str]:
    args = ["--trust", str(out / "trust-registry.json"), "--trust-signer", REGISTRY_SIGNER]
    for path in sorted((out / "status-lists").glob("*.json")):
        args += ["--status", str(path)]
    return args


def test_cli_finds_exactly_the_revoked_endorsement(demo, capsys):
    """The status lists left in the folder are the issuers' signed lists after the revocation."""
    out, _ = demo
    outcomes = {}
    for path in sorted((out / "endorsements").glob("*.json")):
        if path.name == "from-elsewhere.json":
            continue
        code = passport(["verify", str(path), *artifacts_args(out), "--json"])
        report = json.loads(capsys.readouterr().out)
        outcomes[f"endorsements/{path.name}"] = (code, [c["code"] for c in report["checks"] if c["code"]])
    assert len(outcomes) == 7
    assert {name: o for name, o in outcomes.items() if o != (0, [])} == {REVOKED: (1, ["REVOKED"])}
    code = passport(["verify", str(out / "presentation.json"), *artifacts_args(out), "--lang", "en"])
    text = capsys.readouterr().out
    assert code == 1 and text.startswith("NOT VERIFIED: presentation") and text.count("[REVOKED]") == 1


def test_wallet_opens_with_the_passphrase_the_demo_showed_once(demo):
    out, runs = demo
    for name in ("ria.wallet", *(f"services/{r}/key.json" for r in
                                 ("spoor-werkgever", "roc", "zorg-examinator", "loopbaancoach"))):
        assert stat.S_IMODE((out / name).stat().st_mode) == 0o600, name
    secret = re.search(r"passphrase, shown once and not stored: (\S+)\)", runs[-1].stdout).group(1)
    assert not [path for path in out.rglob("*") if path.is_file() and secret.encode() in path.read_bytes()]
    with Wallet.open(str(out / "ria.wallet"), secret) as wallet:
        assert len(wallet.credentials) == 7
        assert all(item["source"].startswith("oid4vci:127.0.0.1:") for item in wallet.credentials)
        states = {item["credential"]["id"]: item["statusCheck"]["status"] for item in wallet.credentials}
        revoked = read(out, REVOKED)["id"]  # her wallet checked again after the revocation (`passport status`)
        assert states.pop(revoked) == "revoked" and set(states.values()) == {"valid"}
        assert wallet.data["profile"]["credentialSubject"]["name"] == "Ria de Vries"


def test_second_run_replaces_the_first_and_leaves_other_files_alone(demo):
    out, _ = demo
    for name in FOREIGN:
        assert (out / name).read_text() == '{"mine": true}', name
    assert len(list((out / "endorsements").glob("*.json"))) == 7 + 1  # + the foreign one
    assert len(list((out / "status-lists").glob("*.json"))) == 4  # one message list (statusSize 2) per issuer
    assert not list(out.rglob("*.part"))
    log = (out / "logs" / "verifier.log").read_text(encoding="utf-8")
    assert log.count("$ gunicorn") == 1  # the first run's log went with the first run


def test_a_failed_step_is_named_and_the_servers_are_stopped(tmp_path, monkeypatch, capsys):
    """With the issuers' default status cache time the verifier keeps its cached list, so the
    second check misses the revocation: step 7 fails, and the demo says so."""
    monkeypatch.setenv("PASSPORT_KDF_PROFILE", "test")
    monkeypatch.setattr(issuers, "STATUS_MAX_AGE", "300")
    assert demo_main(["--out", str(tmp_path)]) == 1
    printed = capsys.readouterr().out
    assert "DEMO FAILED in step 7 (the employer checks again and sees REVOKED)" in printed
    assert "got no failures" in printed
    assert "--- last lines of" in printed and "GET /status-lists/1" in printed  # the logs' tails
    ports = ports_in(printed)
    assert len(ports) == 5 and not [port for port in ports if listening(port)]


def test_ctrl_c_stops_the_servers(tmp_path):
    process = subprocess.Popen([sys.executable, "-m", "passport.demo", "--out", str(tmp_path)],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=REPO,
                               env=demo_env())
    seen = []
    try:
        for line in process.stdout:  # the servers are up once step 1 has printed its last line
            seen.append(line)
            if line.startswith("   The Loopbruggen registry operator"):
                break
        process.send_signal(signal.SIGINT)
        rest, errors = process.communicate(timeout=60)
    finally:
        if process.poll() is None:
            process.kill()
    printed = "".join(seen) + rest
    assert process.returncode == 130, printed + errors
    assert "Interrupted; the demo's servers are stopped." in printed
    ports = ports_in(printed)
    assert len(ports) == 5 and not [port for port in ports if listening(port)]


def test_offline_mode_runs_the_story_on_the_library(tmp_path, capsys):
    assert demo_main(["--offline", "--out", str(tmp_path)]) == 0
    assert "The employer checks again: NOT VERIFIED (status: REVOKED)" in capsys.readouterr().out
    assert read(tmp_path, "report.json")["verified"] is True
    assert read(tmp_path, "report-after-revocation.json")["verified"] is False
    assert len(list((tmp_path / "endorsements").glob("*.json"))) == 6


def test_clean_never_follows_a_symlinked_folder_out(tmp_path):
    """A demo sub-folder that is a symlink to somewhere else: the files there are not the demo's."""
    elsewhere = tmp_path / "elsewhere"
    (elsewhere / "roc").mkdir(parents=True)
    (elsewhere / "roc" / "key.json").write_text("not the demo's")
    (elsewhere / "verifier").mkdir()  # empty, but not the demo's either
    out = tmp_path / "out"
    out.mkdir()
    (out / "services").symlink_to(elsewhere)
    (out / "report.json").write_text("{}")
    assert Output(out).clean() == 1
    assert (elsewhere / "roc" / "key.json").read_text() == "not the demo's"
    assert (elsewhere / "verifier").is_dir() and (out / "services").is_symlink()
    assert not (out / "report.json").exists()


def test_rebase_moves_every_validity_date_by_whole_days():
    registry = rebase(trust_registry(), -30)
    assert registry["validFrom"] == "2025-12-02T00:00:00Z" and registry["validUntil"] == "2027-12-01T23:59:59Z"
    assert {entry["validFrom"] for entry in registry["credentialSubject"]["issuers"]} == {"2024-12-02T00:00:00Z"}
    assert shift_days(date(2026, 11, 23)) == 0 and shift_days(date(2027, 4, 1)) == 129

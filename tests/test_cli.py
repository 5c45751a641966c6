"""The ``passport`` console command, run in-process (``main(argv)``) and once as a real process.

Exit status: 0 verified, 1 not verified, 2 unusable input (with one plain line on stderr,
never a traceback).
"""
from __future__ import annotations

import io
import json
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from support import NOW, NOW_TEXT, fixed_key
from support import run_cli as run
from passport.demo.world import World, build_world
from passport.format.documents import paspoort_type
from passport.encoding.jsonio import dumps_pretty
from passport.crypto.keys import Ed25519Key

REPO = Path(__file__).resolve().parents[1]
CREDENTIAL_CHECKS = ["structure", "schema", "proof", "validity", "status", "trust"]


@pytest.fixture(scope="module")
def world() -> World:
    return build_world("ria", NOW)


def write(path: Path, document) -> str:
    path.write_text(dumps_pretty(document) if not isinstance(document, (str, bytes)) else document,
                    encoding="utf-8")
    return str(path)


@pytest.fixture
def files(tmp_path, world) -> dict[str, str]:
    """The examiner's credential, the signed registry and the examiner's status list as files."""
    credential = next(c for c in world.endorsements if paspoort_type(c) == "AantoonbaarBekwaamCredential")
    url = credential["credentialStatus"]["statusListCredential"]
    return {
        "credential": write(tmp_path / "ab.json", credential),
        "registry": write(tmp_path / "registry.json", world.registry),
        "status": write(tmp_path / "status.json", world.status_documents[url]),
        "profile": write(tmp_path / "profile.json", world.profile),
    }


@pytest.fixture(autouse=True)
def english(monkeypatch):
    """These tests read the English report and error lines: an English locale, as on most servers
    (the command speaks Dutch unless --lang or the locale says otherwise: tests/test_cli_language.py)."""
    monkeypatch.setenv("LANG", "en_US.UTF-8")
    for name in ("LC_ALL", "LC_MESSAGES"):
        monkeypatch.delenv(name, raising=False)




def stdin(monkeypatch, data: bytes) -> None:
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data), encoding="utf-8"))


# --- keys -----------------------------------------------------------------------------------
def test_key_new_writes_a_private_file_and_prints_the_did(capsys, tmp_path):
    path = tmp_path / "ria.key.json"
    code, out, err = run(capsys, "key", "new", "--out", str(path))
    assert code == 0 and err == ""
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    assert out.strip() == Ed25519Key.load(str(path)).did
    assert out.startswith("did:key:z6Mk")


def test_key_new_makes_a_missing_folder_private_to_its_owner(capsys, tmp_path):
    path = tmp_path / "keys" / "nested" / "me.json"
    code, out, err = run(capsys, "key", "new", "--out", str(path))
    assert code == 0, err
    assert out.strip() == Ed25519Key.load(str(path)).did
    assert stat.S_IMODE((tmp_path / "keys" / "nested").stat().st_mode) == 0o700
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_key_new_refuses_to_overwrite(capsys, tmp_path):
    path = tmp_path / "ria.key.json"
    path.write_text("mine")
    code, out, err = run(capsys, "key", "new", "--out", str(path))
    assert code == 2 and out == ""
    assert err.startswith("passport: error:") and "refusing to overwrite" in err and str(path) in err
    assert path.read_text() == "mine"


def test_key_did(capsys, tmp_path):
    key = fixed_key("worker")
    key.save(str(tmp_path / "k.json"))
    assert run(capsys, "key", "did", str(tmp_path / "k.json")) == (0, key.did + "\n", "")


def test_key_did_of_a_file_without_secret(capsys, tmp_path):
    public = fixed_key("worker").to_multikey(include_secret=False)
    code, _, err = run(capsys, "key", "did", write(tmp_path / "pub.json", public))
    assert code == 2 and "[KEY_INVALID]" in err


# --- sign ----------------------------------------------------------------------------------
UNSIGNED = {"@context": ["https://www.w3.org/ns/credentials/v2"], "id": "urn:uuid:6c1a1e9e-3c55-4d8b-9a0e-1f5e3c0b7a11",
            "type": ["VerifiableCredential"], "issuer": fixed_key("opleider").did, "validFrom": "2026-11-01T00:00:00Z",
            "credentialSubject": {"id": fixed_key("worker").did}}


@pytest.fixture
def opleider_key(tmp_path) -> str:
    path = tmp_path / "roc.key.json"
    fixed_key("opleider").save(str(path))
    return str(path)


def test_sign_a_file_then_verify_it(capsys, tmp_path, opleider_key):
    code, out, err = run(capsys, "sign", write(tmp_path / "u.json", UNSIGNED), "--key", opleider_key,
                         "--created", NOW_TEXT)
    assert code == 0 and err == ""
    signed = json.loads(out)
    assert signed["proof"]["created"] == NOW_TEXT
    assert signed["proof"]["cryptosuite"] == "eddsa-jcs-2022"
    assert signed["proof"]["verificationMethod"].startswith(fixed_key("opleider").did + "#")
    code, out, _ = run(capsys, "verify", write(tmp_path / "s.json", out), "--now", NOW_TEXT)
    assert code == 0 and out.startswith("VERIFIED")


def test_sign_reads_standard_input(capsys, monkeypatch, opleider_key):
    stdin(monkeypatch, json.dumps(UNSIGNED).encode())
    code, out, err = run(capsys, "sign", "-", "--key", opleider_key, "--created", NOW_TEXT)
    assert code == 0 and err == ""
    assert json.loads(out)["proof"]["proofPurpose"] == "assertionMethod"


def test_sign_with_a_bad_created_time(capsys, tmp_path, opleider_key):
    code, out, err = run(capsys, "sign", write(tmp_path / "u.json", UNSIGNED), "--key", opleider_key,
                         "--created", "23-11-2026")
    assert code == 2 and out == ""
    assert "--created" in err and err.count("\n") == 1


def test_sign_refuses_a_signed_document(capsys, tmp_path, opleider_key, world):
    code, _, err = run(capsys, "sign", write(tmp_path / "p.json", world.profile), "--key", opleider_key)
    assert code == 2 and "[PROOF_MALFORMED]" in err


# --- verify ----------------------------------------------------------------------------------
def test_verify_everything(capsys, files):
    code, out, err = run(capsys, "verify", files["credential"], "--trust", files["registry"],
                         "--status", files["status"], "--now", NOW_TEXT)
    assert code == 0
    assert "trusting the registry" in err and "--trust-signer" in err  # no pinned signer: say so
    assert out.startswith("VERIFIED: OpenBadgeCredential, AantoonbaarBekwaamCredential from did:key:")
    for name in CREDENTIAL_CHECKS:
        assert f"ok   {name}:" in out


def test_verify_without_status_is_not_verified(capsys, files):
    code, out, _ = run(capsys, "verify", files["credential"], "--now", NOW_TEXT)
    assert code == 1  # not verified, and not failed either: its status is not known
    assert out.startswith("STATUS UNKNOWN: ") and "NOT VERIFIED" not in out
    assert "??   status:" in out and "[STATUS_UNKNOWN]" in out
    assert "--   trust:" in out


def test_verify_tampered_exits_1(capsys, tmp_path, files):
    document = json.loads(Path(files["credential"]).read_text())
    document["name"] = "Aantoonbaar bekwaam: alles"
    code, out, err = run(capsys, "verify", write(tmp_path / "t.json", document), "--status", files["status"],
                         "--now", NOW_TEXT)
    assert code == 1 and err == ""
    assert "FAIL proof:" in out and "[SIGNATURE_INVALID]" in out


def test_verify_json_lists_every_check(capsys, files):
    code, out, _ = run(capsys, "verify", files["credential"], "--trust", files["registry"],
                       "--status", files["status"], "--now", NOW_TEXT, "--json")
    report = json.loads(out)
    assert code == 0 and report["verified"] is True
    assert [c["name"] for c in report["checks"]] == CREDENTIAL_CHECKS
    assert all({"name", "status", "code", "message"} <= set(c) for c in report["checks"])
    assert report["trust"]["outcome"] == "trusted"


def test_verify_json_of_a_failure(capsys, files):
    code, out, _ = run(capsys, "verify", files["credential"], "--now", "2027-06-01T00:00:00Z", "--json",
                       "--status", files["status"])
    report = json.loads(out)
    assert code == 1 and report["verified"] is False
    validity = next(c for c in report["checks"] if c["name"] == "validity")
    assert (validity["status"], validity["code"]) == ("failed", "EXPIRED")


@pytest.mark.parametrize("content, code_word", [
    pytest.param(b"{not json", "[MALFORMED_JSON]", id="malformed"),
    pytest.param(b'{"id": 1, "id": 2}', "[DUPLICATE_KEY]", id="duplicate-key"),
    pytest.param(b'{"n": 12345678901234567890}', "[NUMBER_NOT_CANONICAL]", id="big-integer"),
    pytest.param(b"\xff\xfe", "[MALFORMED_JSON]", id="not-utf8"),
])
def test_verify_unusable_input_exits_2(capsys, tmp_path, content, code_word):
    path = tmp_path / "bad.json"
    path.write_bytes(content)
    code, out, err = run(capsys, "verify", str(path), "--now", NOW_TEXT)
    assert code == 2 and out == ""
    assert err.startswith("passport: error ") and code_word in err and err.count("\n") == 1


def test_verify_missing_file_exits_2(capsys, tmp_path):
    missing = tmp_path / "nope.json"
    code, out, err = run(capsys, "verify", str(missing))
    assert code == 2 and out == ""
    assert err == f"passport: error: no such file or directory ({missing})\n"
    code, _, err = run(capsys, "verify", str(missing), "--lang", "nl")
    assert code == 2 and err == f"passport: fout: bestand of map bestaat niet ({missing})\n"  # not half English


def test_an_os_error_without_its_own_words_keeps_the_systems(capsys, tmp_path):
    from passport.cli.language import os_error_line

    error = OSError(5, "Input/output error", str(tmp_path / "x"))
    assert os_error_line(error, "nl") == f"passport: fout: Input/output error ({tmp_path / 'x'})"


def test_verify_bad_now_exits_2(capsys, files):
    code, _, err = run(capsys, "verify", files["credential"], "--now", "morgen")
    assert code == 2 and "--now" in err


def test_verify_reads_standard_input(capsys, monkeypatch, files):
    stdin(monkeypatch, Path(files["credential"]).read_bytes())
    code, out, _ = run(capsys, "verify", "-", "--status", files["status"], "--now", NOW_TEXT)
    assert code == 0 and out.startswith("VERIFIED")


def test_verify_trust_with_the_right_signer(capsys, files, world):
    code, out, _ = run(capsys, "verify", files["credential"], "--trust", files["registry"],
                       "--trust-signer", world.keys["registry"].did, "--status", files["status"], "--now", NOW_TEXT)
    assert code == 0 and "Stichting De Wilgenhoeve is listed" in out


def test_verify_trust_with_another_signer_is_unusable(capsys, files):
    code, out, err = run(capsys, "verify", files["credential"], "--trust", files["registry"],
                         "--trust-signer", fixed_key("registry").did, "--now", NOW_TEXT)
    assert code == 2 and out == ""
    assert "[TRUST_REGISTRY_INVALID]" in err and "not a trusted registry operator" in err


def test_verify_trust_unknown_issuer(capsys, tmp_path, files, opleider_key):
    code, out, _ = run(capsys, "sign", write(tmp_path / "u.json", UNSIGNED), "--key", opleider_key,
                       "--created", NOW_TEXT)
    code, out, _ = run(capsys, "verify", write(tmp_path / "s.json", out), "--trust", files["registry"],
                       "--now", NOW_TEXT)
    assert code == 1 and "FAIL trust:" in out and "[ISSUER_UNKNOWN]" in out


def test_verify_profile_is_self_asserted(capsys, files):
    code, out, _ = run(capsys, "verify", files["profile"], "--trust", files["registry"], "--now", NOW_TEXT)
    assert code == 0 and "(self-asserted)" in out.splitlines()[0]


def test_verify_presentation_with_challenge_and_domain(capsys, tmp_path, files, world):
    from passport import present

    vp = present([world.profile, *world.endorsements], world.holder, now=NOW, challenge="abc", domain="werk.example")
    path = write(tmp_path / "vp.json", vp)
    status = [arg for path_ in (write(tmp_path / f"s{n}.json", doc) for n, doc in
                                enumerate(world.status_documents.values())) for arg in ("--status", path_)]
    common = [path, "--trust", files["registry"], *status, "--now", NOW_TEXT]
    code, out, _ = run(capsys, "verify", *common, "--challenge", "abc", "--domain", "werk.example", "--max-age", "60")
    assert code == 0, out
    assert out.startswith(f"VERIFIED: presentation from {world.holder.did}")
    assert "ok   challenge:" in out and "ok   domain:" in out and "ok   freshness:" in out
    code, out, _ = run(capsys, "verify", *common, "--challenge", "other")
    assert code == 1 and "[CHALLENGE_MISMATCH]" in out
    code, out, _ = run(capsys, "verify", *common, "--challenge", "abc", "--domain", "elders.example")
    assert code == 1 and "[DOMAIN_MISMATCH]" in out


def test_verify_max_age_zero_is_a_limit_not_no_limit(capsys, tmp_path, world):
    from passport import present

    path = write(tmp_path / "vp.json", present([world.profile], world.holder, now=NOW))
    code, out, _ = run(capsys, "verify", path, "--now", "2026-11-23T12:00:01Z", "--max-age", "0")
    assert code == 1 and "FAIL freshness:" in out and "[PROOF_NOT_CURRENT]" in out
    code, out, _ = run(capsys, "verify", path, "--now", "2026-11-23T12:00:01Z", "--max-age", "1")
    assert code == 0 and "ok   freshness:" in out


def test_verify_oversized_standard_input_exits_2(capsys, monkeypatch):
    from passport.encoding.jsonio import MAX_DOCUMENT_BYTES

    stdin(monkeypatch, b'{"a": "' + b"x" * MAX_DOCUMENT_BYTES + b'"}')
    code, out, err = run(capsys, "verify", "-")
    assert code == 2 and out == "" and "[INPUT_TOO_LARGE]" in err


# --- help -----------------------------------------------------------------------------------
@pytest.mark.parametrize("command", [
    pytest.param(["key"], id="key"),
    pytest.param(["key", "new"], id="key-new"),
    pytest.param(["key", "did"], id="key-did"),
    pytest.param(["sign"], id="sign"),
    pytest.param(["verify"], id="verify"),
])
def test_help_shows_an_example(capsys, command):
    code, out, _ = run(capsys, *command, "--help")
    assert code == 0
    assert "example" in out and "passport " + command[0] in out.split("example", 1)[1]


def test_no_command_is_a_usage_error(capsys):
    code, _, err = run(capsys)
    assert code == 2 and "usage:" in err


# --- the real console entry ---------------------------------------------------------------
def test_console_entry_runs_as_a_process(tmp_path, files):
    def passport(*argv: str) -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, "-m", "passport.cli", *argv], capture_output=True, text=True,
                              cwd=REPO, timeout=60)

    ok = passport("verify", files["credential"], "--status", files["status"], "--now", NOW_TEXT)
    assert ok.returncode == 0 and ok.stdout.startswith("VERIFIED")
    bad = tmp_path / "dup.json"
    bad.write_text('{"a": 1, "a": 2}')
    unusable = passport("verify", str(bad))
    assert unusable.returncode == 2 and unusable.stdout == ""
    assert unusable.stderr.startswith("passport: error [DUPLICATE_KEY]") and "Traceback" not in unusable.stderr

"""``python -m passport.demo``: the end-to-end flow runs as a process and leaves usable artifacts.

The artifacts are checked with the ``passport`` CLI, as a reader of the README would: after the
demo revokes one credential, the status lists in the folder are the revoked versions, so the
presentation it leaves is NOT verified, with ``REVOKED`` for exactly that credential.
"""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from passport.cli import main as passport

REPO = Path(__file__).resolve().parents[1]
DEMO_NOW = "2026-11-23T12:00:00Z"
STEPS = ("Paspoort demo: Ria de Vries", "1. ", "2. ", "3. ", "4. ", "5. ", "6. ", "Artifacts in")
ARTIFACTS = ("profile.json", "profile-shared.json", "presentation.json", "trust-registry.json",
             "report.json", "report-after-revocation.json", "status-zorg-examinator.json")


def run_demo(out: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "passport.demo", "--out", str(out)], capture_output=True,
                          text=True, cwd=REPO, timeout=60)


@pytest.fixture(scope="module")
def demo(tmp_path_factory) -> tuple[Path, list[subprocess.CompletedProcess]]:
    """The demo run twice in a row into the same folder."""
    out = tmp_path_factory.mktemp("demo-out")
    return out, [run_demo(out), run_demo(out)]


def test_demo_exits_0_and_prints_the_steps(demo):
    _, runs = demo
    for result in runs:
        assert result.returncode == 0, result.stdout + result.stderr
        assert result.stderr == ""
        positions = [result.stdout.index(step) for step in STEPS]
        assert positions == sorted(positions)
        assert "DEMO FAILED" not in result.stdout
        assert "The employer checks again: NOT VERIFIED (status: REVOKED)" in result.stdout


def test_demo_leaves_the_artifacts(demo):
    out, _ = demo
    for name in ARTIFACTS:
        assert (out / name).is_file(), name
    endorsements = sorted((out / "endorsements").glob("*.json"))
    assert len(endorsements) == 6
    assert len(list(out.glob("status-*.json"))) == 4
    assert json.loads((out / "report.json").read_text())["verified"] is True
    after = json.loads((out / "report-after-revocation.json").read_text())
    assert after["verified"] is False


def test_second_run_replaces_the_first(demo):
    """Credential ids are fixed by the examples, so two runs leave one set of files, not two."""
    out, _ = demo
    assert len(list((out / "endorsements").glob("*.json"))) == 6
    assert not list(out.rglob("*.part"))


def test_shared_profile_leaves_out_sensitive_entries(demo):
    out, _ = demo
    presentation = json.loads((out / "presentation.json").read_text())
    shared = presentation["verifiableCredential"][0]
    assert "PersoonlijkProfielCredential" in shared["type"]
    ids = {entry["id"] for block in shared["credentialSubject"].values() if isinstance(block, list)
           for entry in block}
    assert "fysieke-belastbaarheid" not in ids
    full = json.loads((out / "profile.json").read_text())["credentialSubject"]
    assert "fysieke-belastbaarheid" in {entry["id"] for block in full.values() if isinstance(block, list)
                                        for entry in block}


def artifacts_args(out: Path) -> list[str]:
    args = ["--trust", str(out / "trust-registry.json"), "--now", DEMO_NOW]
    for path in sorted(out.glob("status-*.json")):
        args += ["--status", str(path)]
    return args


def test_presentation_is_not_verified_after_the_revocation(demo, capsys):
    out, _ = demo
    code = passport(["verify", str(out / "presentation.json"), *artifacts_args(out), "--json"])
    report = json.loads(capsys.readouterr().out)
    assert code == 1 and report["verified"] is False
    assert all(c["status"] in ("passed", "skipped") for c in report["checks"])  # the presentation itself is fine
    failed = [(nested["id"], c["name"], c["code"]) for nested in report["credentials"]
              for c in nested["checks"] if c["status"] not in ("passed", "skipped")]
    assert len(failed) == 1
    _, check_name, code_ = failed[0]
    assert (check_name, code_) == ("status", "REVOKED")
    revoked = next(n for n in report["credentials"] if n["id"] == failed[0][0])
    assert "AantoonbaarBekwaamCredential" in revoked["type"]


def test_presentation_text_report_names_the_revocation(demo, capsys):
    out, _ = demo
    code = passport(["verify", str(out / "presentation.json"), *artifacts_args(out)])
    text = capsys.readouterr().out
    assert code == 1
    assert text.startswith("NOT VERIFIED: presentation")
    assert text.count("[REVOKED]") == 1


def test_each_endorsement_file_verifies_except_the_revoked_one(demo, capsys):
    out, _ = demo
    outcomes = {}
    for path in sorted((out / "endorsements").glob("*.json")):
        code = passport(["verify", str(path), *artifacts_args(out), "--json"])
        report = json.loads(capsys.readouterr().out)
        outcomes[path.name] = (code, [c["code"] for c in report["checks"] if c["code"]])
    revoked = [name for name, (code, _) in outcomes.items() if code != 0]
    assert len(revoked) == 1 and outcomes[revoked[0]] == (1, ["REVOKED"])
    assert revoked[0].endswith("AantoonbaarBekwaamCredential.json")


def test_presentation_is_no_longer_current_after_its_lifetime(demo, capsys):
    out, _ = demo
    args = [a if a != DEMO_NOW else "2026-11-23T13:00:00Z" for a in artifacts_args(out)]
    code = passport(["verify", str(out / "presentation.json"), *args, "--json"])
    report = json.loads(capsys.readouterr().out)
    proof = next(c for c in report["checks"] if c["name"] == "proof")
    assert code == 1 and proof["code"] == "PROOF_NOT_CURRENT"


def test_demo_leaves_other_files_in_the_folder_alone(tmp_path, capsys):
    """``--out`` may be a folder with other work in it: only the demo's own artifacts are replaced."""
    from passport.demo.__main__ import main as demo_main

    (tmp_path / "notes").mkdir()
    mine = [tmp_path / "my-wallet.json", tmp_path / "notes" / "keep.json"]
    for path in mine:
        path.write_text('{"mine": true}')
    assert demo_main(["--out", str(tmp_path)]) == 0
    assert demo_main(["--out", str(tmp_path)]) == 0
    capsys.readouterr()
    assert all(path.read_text() == '{"mine": true}' for path in mine)
    assert len(list((tmp_path / "endorsements").glob("*.json"))) == 6

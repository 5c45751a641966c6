"""``passport sign`` refuses to sign for another DID; ``passport verify --status`` takes folders,
offline bundles and several files (issue #11, items 13 and 15)."""
from __future__ import annotations

import json
from datetime import timedelta

import pytest

from support import NOW, NOW_TEXT, fixed_key
from passport.cli import main
from passport.demo.world import World, build_world
from passport.documents import paspoort_type
from passport.holder import present
from passport.jsonio import dumps_pretty
from passport.timeutil import format_datetime

UNSIGNED = {"@context": ["https://www.w3.org/ns/credentials/v2"], "id": "urn:uuid:6c1a1e9e-3c55-4d8b-9a0e-1f5e3c0b7a11",
            "type": ["VerifiableCredential"], "issuer": fixed_key("opleider").did, "validFrom": "2026-11-01T00:00:00Z",
            "credentialSubject": {"id": fixed_key("worker").did}}


@pytest.fixture(scope="module")
def world() -> World:
    return build_world("ria", NOW)


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    assert "Traceback" not in err
    return code, out, err


def write(path, document) -> str:
    path.write_text(dumps_pretty(document), encoding="utf-8")
    return str(path)


@pytest.fixture
def stranger_key(tmp_path) -> str:
    path = tmp_path / "stranger.key.json"
    fixed_key("stranger").save(str(path))
    return str(path)


# --- item 13: sign for yourself only --------------------------------------------------------
@pytest.mark.parametrize("issuer", [fixed_key("opleider").did, {"id": fixed_key("opleider").did, "name": "ROC"}])
def test_sign_refuses_a_credential_of_another_issuer(capsys, tmp_path, stranger_key, issuer):
    document = {**UNSIGNED, "issuer": issuer}
    code, out, err = run(capsys, "sign", write(tmp_path / "u.json", document), "--key", stranger_key,
                         "--created", NOW_TEXT)
    assert code == 2 and out == ""
    assert "[PROOF_KEY_NOT_AUTHORIZED]" in err and "issuer" in err and "--force" in err
    assert fixed_key("opleider").did in err and fixed_key("stranger").did in err


def test_sign_refuses_a_presentation_of_another_holder(capsys, tmp_path, stranger_key, world):
    presentation = {"@context": ["https://www.w3.org/ns/credentials/v2"], "type": ["VerifiablePresentation"],
                    "holder": world.holder.did, "verifiableCredential": [world.profile]}
    code, out, err = run(capsys, "sign", write(tmp_path / "vp.json", presentation), "--key", stranger_key,
                         "--purpose", "authentication", "--created", NOW_TEXT)
    assert code == 2 and out == ""
    assert "[PROOF_KEY_NOT_AUTHORIZED]" in err and "holder" in err and world.holder.did in err


def test_sign_force_signs_for_another_issuer_and_the_proof_does_not_verify(capsys, tmp_path, stranger_key):
    code, out, err = run(capsys, "sign", write(tmp_path / "u.json", UNSIGNED), "--key", stranger_key,
                         "--created", NOW_TEXT, "--force")
    assert code == 0 and err == ""
    signed = json.loads(out)
    assert signed["proof"]["verificationMethod"].startswith(fixed_key("stranger").did)
    code, out, _ = run(capsys, "verify", write(tmp_path / "s.json", signed), "--now", NOW_TEXT)
    assert code == 1 and "PROOF_KEY_NOT_AUTHORIZED" in out


def test_sign_own_presentation_is_not_refused(capsys, tmp_path, world):
    key_path = tmp_path / "ria.key.json"
    world.holder.save(str(key_path))
    presentation = {"@context": ["https://www.w3.org/ns/credentials/v2"], "type": ["VerifiablePresentation"],
                    "holder": world.holder.did, "verifiableCredential": [world.profile]}
    code, out, err = run(capsys, "sign", write(tmp_path / "vp.json", presentation), "--key", str(key_path),
                         "--purpose", "authentication", "--created", NOW_TEXT)
    assert code == 0 and err == ""
    assert json.loads(out)["proof"]["proofPurpose"] == "authentication"

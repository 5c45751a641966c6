"""``passport sign`` refuses to sign for another DID; ``passport verify --status`` takes folders,
offline bundles and several files (issue #11, items 13 and 15)."""
from __future__ import annotations

import json
from datetime import timedelta

import pytest

from support import NOW, NOW_TEXT, fixed_key
from support import run_cli as run
from passport.demo.world import World, build_world
from passport.roles.holder import present
from passport.encoding.jsonio import dumps_pretty
from passport.encoding.timeutil import format_datetime

UNSIGNED = {"@context": ["https://www.w3.org/ns/credentials/v2"], "id": "urn:uuid:6c1a1e9e-3c55-4d8b-9a0e-1f5e3c0b7a11",
            "type": ["VerifiableCredential"], "issuer": fixed_key("opleider").did, "validFrom": "2026-11-01T00:00:00Z",
            "credentialSubject": {"id": fixed_key("worker").did}}


@pytest.fixture(scope="module")
def world() -> World:
    return build_world("ria", NOW)




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
    assert "[PROOF_KEY_NOT_AUTHORIZED]" in err and "--force" in err
    assert "de uitgever (issuer) van het document is" in err
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


# --- item 15: --status takes folders, offline bundles and several files ------------------
@pytest.fixture(scope="module")
def presentation(world) -> dict:
    """Every endorsement of Ria's, in one presentation: one status list per issuer."""
    return present(world.endorsements, world.holder, now=NOW)


def _status_paths(tmp_path, world) -> list[str]:
    folder = tmp_path / "lists"
    folder.mkdir()
    paths = []
    for number, document in enumerate(world.status_documents.values()):
        paths.append(write(folder / f"list-{number}.json", document))
    return paths


def _verify(capsys, tmp_path, presentation, *status_args: str) -> tuple[int, dict]:
    code, out, _ = run(capsys, "verify", write(tmp_path / "vp.json", presentation), "--now", NOW_TEXT, "--json",
                       *status_args)
    return code, json.loads(out)


def _status_of(report: dict) -> list[str]:
    return [next(c["status"] for c in nested["checks"] if c["name"] == "status") for nested in report["credentials"]
            if any(c["name"] == "status" and c["status"] != "skipped" for c in nested["checks"])]


def test_world_has_several_status_lists(world):
    assert len(world.status_documents) >= 3  # otherwise the tests below prove little


def test_verify_status_from_a_folder(capsys, tmp_path, world, presentation):
    _status_paths(tmp_path, world)
    code, report = _verify(capsys, tmp_path, presentation, "--status", str(tmp_path / "lists"))
    assert code == 0 and report["verified"] is True
    assert set(_status_of(report)) == {"passed"}


def test_verify_status_from_several_files_with_nargs_and_repeats(capsys, tmp_path, world, presentation):
    first, *rest = _status_paths(tmp_path, world)
    code, report = _verify(capsys, tmp_path, presentation, "--status", first, "--status", *rest)
    assert code == 0 and set(_status_of(report)) == {"passed"}
    code, report = _verify(capsys, tmp_path, presentation, "--status", *rest)  # one list missing
    assert code == 1 and "unknown" in _status_of(report)


def test_verify_status_from_an_offline_bundle(capsys, tmp_path, world, presentation):
    bundle = write(tmp_path / "bundle.json", {"created": format_datetime(NOW - timedelta(hours=2)),
                                              "statusLists": world.status_documents, "didDocuments": {}})
    code, report = _verify(capsys, tmp_path, presentation, "--status", bundle)
    assert code == 0 and set(_status_of(report)) == {"passed"}


def test_verify_status_folder_with_a_bundle_in_it(capsys, tmp_path, world, presentation):
    folder = tmp_path / "offline"
    folder.mkdir()
    write(folder / "bundle.json", {"statusLists": world.status_documents})
    code, report = _verify(capsys, tmp_path, presentation, "--status", str(folder))
    assert code == 0 and set(_status_of(report)) == {"passed"}


@pytest.mark.parametrize("content, fragment, dutch", [
    ({"statusLists": ["not", "a", "map"]}, "must map URLs", "moeten URL's koppelen"),
    ({"type": ["VerifiableCredential"]}, "has no id", "heeft geen id"),
    ([1, 2], "JSON object", "is een JSON-object"),
])
def test_verify_status_bad_files_are_named(capsys, tmp_path, presentation, content, fragment, dutch):
    bad = write(tmp_path / "bad.json", content)
    code, out, err = run(capsys, "verify", write(tmp_path / "vp.json", presentation), "--status", bad, "--lang", "en")
    assert code == 2 and out == ""
    assert fragment in err and "bad.json" in err
    code, out, err = run(capsys, "verify", write(tmp_path / "vp.json", presentation), "--status", bad)
    assert code == 2 and dutch in err and "bad.json" in err


def test_verify_status_empty_folder_is_an_error(capsys, tmp_path, presentation):
    (tmp_path / "empty").mkdir()
    code, _, err = run(capsys, "verify", write(tmp_path / "vp.json", presentation), "--status",
                       str(tmp_path / "empty"))
    assert code == 2 and "in de map staan geen .json-bestanden" in err
    code, _, err = run(capsys, "verify", write(tmp_path / "vp.json", presentation), "--status",
                       str(tmp_path / "empty"), "--lang", "en")
    assert code == 2 and "no .json files" in err


def test_verify_document_after_status_paths_is_not_swallowed(capsys, tmp_path, world, presentation):
    """``--status A B doc.json``: the greedy option took the document; it is given back."""
    paths = _status_paths(tmp_path, world)
    document = write(tmp_path / "vp.json", presentation)
    code, out, err = run(capsys, "verify", "--now", NOW_TEXT, "--json", "--status", *paths, document)
    assert code == 0, err
    assert set(_status_of(json.loads(out))) == {"passed"}
    code, out, err = run(capsys, "verify", "--now", NOW_TEXT, "--lang", "en", "--status", paths[0])
    assert code != 0 and "give the document to verify" in err

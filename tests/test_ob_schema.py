"""Every OB-shaped endorsement validates against the official Open Badges 3.0 JSON Schemas.

The examples, and every endorsement the offline demo issues (signed, with its one status entry),
give zero errors other than the known proof-array artefact. The issuer service's output is
checked in tests/issuer/test_issuer_ob_schema.py.
"""
from __future__ import annotations

import json

import pytest

from ob_schemas import is_proof_artefact, ob_errors, _validator
from support import NOW, ROOT
from passport.demo.world import build_world

EXAMPLES = sorted((ROOT / "examples").glob("*/endorsements/*.json"))
PERSONAS = sorted({path.parts[-3] for path in EXAMPLES})


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda path: f"{path.parts[-3]}/{path.stem}")
def test_every_example_is_ob_valid(path):
    assert ob_errors(json.loads(path.read_text(encoding="utf-8"))) == []


@pytest.mark.parametrize("persona", PERSONAS)
def test_every_offline_demo_endorsement_is_ob_valid(persona):
    world = build_world(persona, NOW)
    assert world.endorsements
    for credential in world.endorsements:
        assert isinstance(credential["credentialStatus"], dict)  # one entry: OB allows one
        assert credential["credentialStatus"]["statusSize"] == 2
        assert ob_errors(credential) == [], credential["id"]


def test_the_proof_artefact_is_the_only_error_ignored():
    credential = build_world("ria", NOW).endorsements[0]
    kind = "EndorsementCredential" if "EndorsementCredential" in credential["type"] else "OpenBadgeCredential"
    raw = list(_validator(kind).iter_errors(credential))
    assert [is_proof_artefact(error) for error in raw] == [True]  # the single proof object


@pytest.mark.parametrize("example, change, where", [
    ("endorsement-rustig-bij-conflicten", lambda c: c.pop("name"), ""),  # an EndorsementCredential needs a name
    ("bhv-certificaat", lambda c: c.update(credentialStatus=[c["credentialStatus"]] * 2), "credentialStatus"),
    ("bhv-certificaat", lambda c: c["credentialStatus"].pop("id"), "credentialStatus"),
])
def test_what_ob_refuses_is_caught(example, change, where):
    credential = json.loads((ROOT / f"examples/ria/endorsements/{example}.json").read_text(encoding="utf-8"))
    credential["credentialStatus"] = {"id": "https://x.example/status/1#5", "type": "BitstringStatusListEntry"}
    assert ob_errors(credential) == []
    change(credential)
    assert where in [path for path, _ in ob_errors(credential)]


def test_alignments_must_be_typed():
    credential = json.loads((ROOT / "examples/ria/endorsements/aantoonbaar-bekwaam-tillift.json").read_text())
    del credential["credentialSubject"]["achievement"]["alignment"][0]["type"]
    assert "credentialSubject/achievement/alignment/0" in [path for path, _ in ob_errors(credential)]


def _alignments(value):
    if isinstance(value, dict):
        for key, item in value.items():
            if key == "alignment" and isinstance(item, list):
                yield from item
            else:
                yield from _alignments(item)
    elif isinstance(value, list):
        for item in value:
            yield from _alignments(item)


@pytest.mark.parametrize("persona", PERSONAS)
def test_every_alignment_in_an_endorsement_is_typed(persona):
    """Also those in learningOutcomes and skills, which the OB schema does not reach."""
    found = [item for credential in build_world(persona, NOW).endorsements for item in _alignments(credential)]
    assert found and all(item.get("type") == ["Alignment"] for item in found)

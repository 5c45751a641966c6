"""Selective sharing and verifier requests."""
from __future__ import annotations


import pytest

from passport import check
from passport.format.documents import BLOCK_KEYS
from passport.errors import StructureInvalid
from passport.wallet import profile
from passport.wallet.share import Selection, build
from support import NOW
from test_wallet_support import RIA_PROFILE, ria_wallet, ria_world, wallet_env  # noqa: F401 (fixtures)

SENSITIVE = "fysieke-belastbaarheid"


def _entry_ids(presentation) -> set[str]:
    profiles = [c for c in presentation["verifiableCredential"] if c["type"][-1] == "PersoonlijkProfielCredential"]
    return {e["id"] for p in profiles for key in BLOCK_KEYS for e in p["credentialSubject"][key]}


def test_sensitive_entries_are_left_out_by_default(ria_wallet):
    shared = build(ria_wallet, Selection(), now=NOW)
    assert SENSITIVE not in _entry_ids(shared.presentation) and SENSITIVE in shared.left_out
    assert "doel-begeleider-gehandicaptenzorg" in _entry_ids(shared.presentation)
    block = build(ria_wallet, Selection(blocks=["doelEnMotivatie"]), now=NOW)
    assert _entry_ids(block.presentation) == {"doel-begeleider-gehandicaptenzorg"}


def test_sensitive_entry_is_shared_when_named(ria_wallet):
    shared = build(ria_wallet, Selection(blocks=["doelEnMotivatie"], include_sensitive=[SENSITIVE]), now=NOW)
    assert SENSITIVE in _entry_ids(shared.presentation)
    with pytest.raises(StructureInvalid, match="--include-sensitive"):
        build(ria_wallet, Selection(entries=[SENSITIVE]), now=NOW)
    only = build(ria_wallet, Selection(entries=[SENSITIVE], include_sensitive=[SENSITIVE]), now=NOW)
    assert _entry_ids(only.presentation) == {SENSITIVE}


def test_exactly_the_chosen_endorsements_and_a_verifying_presentation(ria_wallet):
    world = ria_world()
    selection = Selection(entries=["rustig-bij-conflicten", "klantcontact"], types=["AantoonbaarBekwaam"],
                          endorsements=["4"])
    shared = build(ria_wallet, selection, now=NOW, challenge="c-1234567", domain="werkgever.example")
    kinds = sorted(c["type"][-1] for c in shared.presentation["verifiableCredential"])
    assert kinds == ["AantoonbaarBekwaamCredential", "AantoonbaarBekwaamCredential", "PersoonlijkProfielCredential",
                     "ProfielEndorsementCredential"]
    report = check(shared.presentation, now=NOW, challenge="c-1234567", domain="werkgever.example",
                   status=world.status_documents, trust=world.trust())
    assert report.verified, [f.message for f in report.failures()]
    assert shared.presentation["proof"]["expires"] == "2026-11-23T12:15:00Z"


def test_endorsements_of_unshared_or_changed_entries_are_not_shared(ria_wallet):
    shared = build(ria_wallet, Selection(blocks=["skills"], all_endorsements=True), now=NOW)
    assert any("rustig-bij-conflicten" in reason for reason in shared.skipped)
    source = profile.load_source(str(RIA_PROFILE))
    source["talenten"][0]["description"] = "Nieuwe tekst."
    profile.set_profile(ria_wallet, source, now=NOW)
    everything = build(ria_wallet, Selection(all_endorsements=True), now=NOW)
    assert "ProfielEndorsementCredential" not in [c["type"][-1] for c in everything.presentation["verifiableCredential"]]
    assert check(everything.presentation, now=NOW, status=ria_world().status_documents).verified
    with pytest.raises(StructureInvalid, match="changed"):
        build(ria_wallet, Selection(endorsements=["4"]), now=NOW)


def test_nothing_chosen_is_an_error(ria_wallet):
    with pytest.raises(StructureInvalid):
        build(ria_wallet, Selection(profile=False), now=NOW)



"""Selective sharing and verifier requests."""
from __future__ import annotations

import json

import pytest

from passport import check
from passport.format.documents import BLOCK_KEYS, PROFILE_TYPE
from passport.errors import RequestInvalid, StructureInvalid
from passport.wallet import profile
from passport.qr.text import encode_text
from passport.wallet.request import parse_request
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


def test_request_url_is_parsed():
    request = parse_request("https://werkgever.example/paspoort/request?challenge=Zq3xK9a1b2&domain=werkgever.example"
                            "&ask=skills,doelEnMotivatie,AantoonbaarBekwaam"
                            "&respond=https://werkgever.example/paspoort/response&verifier=De%20Linde")
    assert request.blocks == ("skills", "doelEnMotivatie") and request.types == ("AantoonbaarBekwaamCredential",)
    assert request.verifier == "De Linde" and request.respond.endswith("/response")
    everything = parse_request("https://v.example/r?challenge=12345678&domain=v.example&ask=profile")
    assert everything.blocks == BLOCK_KEYS and everything.respond is None


VERIFIER_REQUEST = {  # what the verifier service's POST /challenges hands out
    "type": "PaspoortPresentationRequest", "version": 1, "verifier": "https://werkgever.example",
    "challenge": "Zq3xK9a1b2c3", "domain": "werkgever.example",
    "query": {"credentialTypes": ["PersoonlijkProfielCredential", "AantoonbaarBekwaamCredential"],
              "profileBlocks": ["skills", "talenten"], "description": {"nl": "Uw vaardigheden", "en": "Your skills"}},
    "responseUrl": "https://werkgever.example/presentations/submit/Zq3xK9a1b2c3", "expires": "2026-11-23T12:10:00Z",
    "jobProfile": "begeleider-gehandicaptenzorg",
}


@pytest.mark.parametrize("form", ["json", "qr-text"])
def test_the_verifier_services_request_object_is_read_too(form):
    text = json.dumps(VERIFIER_REQUEST) if form == "json" else encode_text(VERIFIER_REQUEST)
    request = parse_request(text)
    assert request.challenge == "Zq3xK9a1b2c3" and request.domain == "werkgever.example"
    assert request.blocks == ("skills", "talenten") and request.types == ("AantoonbaarBekwaamCredential",)
    assert request.respond == VERIFIER_REQUEST["responseUrl"] and request.verifier == "https://werkgever.example"
    whole_profile = parse_request(json.dumps({**VERIFIER_REQUEST, "query": {"credentialTypes": [PROFILE_TYPE]}}))
    assert whole_profile.blocks == BLOCK_KEYS and whole_profile.types == ()


@pytest.mark.parametrize("change", [
    {"type": "SomethingElse"}, {"version": 2}, {"challenge": "short"}, {"challenge": 12345678},
    {"responseUrl": "https://other.example/x"}, {"query": {"profileBlocks": ["hobbies"]}},
    {"query": {"profileBlocks": "skills"}}, {"query": {}},
], ids=["type", "version", "challenge", "challenge-type", "other-host", "unknown-block", "blocks-not-list", "nothing"])
def test_bad_request_objects_are_refused_with_the_same_rules(change):
    with pytest.raises(RequestInvalid):
        parse_request(json.dumps({**VERIFIER_REQUEST, **change}))


@pytest.mark.parametrize("url", [
    "ftp://v.example/r?challenge=12345678&domain=v.example&ask=skills",
    "https://v.example/r?challenge=short&domain=v.example&ask=skills",
    "https://v.example/r?challenge=12345678&domain=v.example&ask=hobbies",
    "https://v.example/r?challenge=12345678&domain=v.example",
    "https://v.example/r?challenge=12345678&domain=v.example&ask=skills&ask=talenten",
    "https://v.example/r?challenge=12345678&domain=v.example&ask=skills&respond=http://v.example/x",
    "https://v.example/r?challenge=12345678&domain=v.example&ask=skills&respond=https://other.example/x",
    "https://v.example/r?challenge=12345678&domain=bad_domain!&ask=skills",
    "https://v.example/r?challenge=12345678&domain=v.example&ask=skills&respond=https://u:p@v.example/x",
], ids=["scheme", "challenge", "ask-unknown", "ask-missing", "repeated", "plain-http", "other-host", "domain",
        "credentials"])
def test_bad_requests_are_refused(url):
    with pytest.raises(RequestInvalid):
        parse_request(url)

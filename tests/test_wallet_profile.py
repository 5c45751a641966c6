"""Profile set: schema errors with paths, stable entry ids across edits, re-signing, rendering."""
from __future__ import annotations

import pytest

from passport import check
from passport.errors import SchemaInvalid, StructureInvalid
from passport.wallet import profile, render
from passport.wallet.store import Wallet
from support import NOW
from test_wallet_support import PASSPHRASE, RIA_PROFILE, ria_world, wallet_env  # noqa: F401 (fixture)


@pytest.fixture
def wallet(wallet_env) -> Wallet:
    return Wallet.create(str(wallet_env), PASSPHRASE, holder_key=ria_world().holder, now=NOW)


def _ids(signed, block):
    return [entry["id"] for entry in signed["credentialSubject"][block]]


def test_entries_without_id_get_slugs(wallet):
    source = {"name": "Jan", "skills": [{"name": "Voetbaltraining geven"}, {"name": {"nl": "Één op één coachen",
                                                                                     "en": "Coaching"}}],
              "talenten": [{"name": "Voetbaltraining geven"}]}
    signed = profile.set_profile(wallet, source, now=NOW)["profile"]
    assert _ids(signed, "talenten") == ["voetbaltraining-geven"]  # blocks in their fixed order
    assert _ids(signed, "skills") == ["voetbaltraining-geven-2", "een-op-een-coachen"]
    assert check(signed, now=NOW).verified
    assert wallet.data["profileSource"]["skills"][0]["id"] == "voetbaltraining-geven-2"


def test_ids_are_kept_across_edits(wallet):
    profile.set_profile(wallet, {"name": "Jan", "skills": [{"name": "Slagen"}, {"name": "Coachen"}]}, now=NOW)
    # renamed in place (position rule), reordered (name rule), and a new one
    edited = {"name": "Jan", "skills": [{"name": "Vlees slagen"}, {"name": "Plannen"}, {"name": "Coachen"}]}
    outcome = profile.set_profile(wallet, edited, now=NOW)
    assert _ids(outcome["profile"], "skills") == ["slagen", "plannen", "coachen"]
    assert outcome["added"] == ["plannen"] and outcome["removed"] == []


def test_explicit_ids_win(wallet):
    source = {"name": "Jan", "skills": [{"id": "mijn-id", "name": "Slagen"}]}
    assert _ids(profile.set_profile(wallet, source, now=NOW)["profile"], "skills") == ["mijn-id"]


def test_schema_errors_name_the_fields(wallet):
    source = {"name": "Jan", "skills": [{"name": "ok"}, {"name": "x", "alignment": [{"targetUrl": "nope"}]}],
              "werkEnDenkniveau": [{"name": "n", "level": {"framework": "mbo", "level": "drie"}}]}
    with pytest.raises(SchemaInvalid) as caught:
        profile.set_profile(wallet, source, now=NOW)
    paths = [error["path"] for error in caught.value.details["errors"]]
    assert any(path.startswith("skills[1].alignment[0]") for path in paths), paths
    assert any(path.startswith("werkEnDenkniveau[0].level") for path in paths), paths
    assert wallet.data["profile"] is None  # nothing stored


def test_unknown_block_is_refused(wallet):
    with pytest.raises(StructureInvalid):
        profile.set_profile(wallet, {"name": "Jan", "hobbies": []}, now=NOW)


def test_ria_profile_matches_her_endorsements_and_renders(wallet):
    outcome = profile.set_profile(wallet, profile.load_source(str(RIA_PROFILE)), now=NOW)
    assert outcome["stale"] == []
    text_en = render.render_profile(outcome["profile"], "en", {"rustig-bij-conflicten": ["Lage Landen Spoor"]})
    assert "Work and thinking level" in text_en and "endorsed by Lage Landen Spoor" in text_en
    assert "sensitive: shared only when you name it" in text_en
    assert "Werk- en denkniveau" in render.render_profile(outcome["profile"], "nl")


def test_json_profile_file(wallet, tmp_path):
    path = tmp_path / "p.json"
    path.write_text('{"name": "Samira", "skills": [{"name": "Onderhoud"}]}')
    assert profile.load_source(str(path))["name"] == "Samira"
    path.write_text('{"name": "Samira", "name": "dup"}')
    with pytest.raises(Exception) as caught:
        profile.load_source(str(path))
    assert getattr(caught.value, "code", None) == "DUPLICATE_KEY"


def test_entry_details_one_fact_a_line_on_screen_and_one_line_on_paper():
    from passport.wallet.render import entry_details

    entry = {"id": "doel", "name": "Begeleider", "level": {"framework": "mbo", "level": 3},
             "targetRole": [{"@value": "Begeleider gehandicaptenzorg", "@language": "nl"},
                            {"@value": "Disability support worker", "@language": "en"}],
             "sectors": ["zorg", "welzijn"], "hoursPerWeek": 32, "startDate": "2027-03-01",
             "alignment": [{"targetFramework": "ESCO", "targetName": "support individuals with disabilities",
                            "targetUrl": "http://data.europa.eu/esco/skill/54543840"}]}
    screen = entry_details(entry, "en")
    assert screen == ["level: mbo 3", "target role: Disability support worker", "sectors: zorg, welzijn",
                      "32 hours per week", "from 1 March 2027",
                      "ESCO: support individuals with disabilities <http://data.europa.eu/esco/skill/54543840>"]
    paper = entry_details(entry, "nl", compact=True)
    assert paper[:2] == ["niveau: mbo 3", "doelfunctie: Begeleider gehandicaptenzorg"]
    assert paper[2] == "sectoren: zorg, welzijn; 32 uur per week; vanaf 1 maart 2027"
    assert paper[3] == "ESCO: support individuals with disabilities" and len(paper) == 4
    assert entry_details({"id": "x", "name": "Leeg"}, "nl") == []

"""The wallet app's screens behind the browser (Flask test client): each saves through the wallet
library, keeps what the form does not show, says in plain words what it refused, and changes
nothing when it refuses. The browser flows are in ``test_app_pages.py``."""
from __future__ import annotations

import io
import json
import re

import pytest

from app_support import kdf_test, make_client, ria_app, ria_wallet_file, text_of  # noqa: F401 (fixtures)
from support import NOW
from passport import check
from passport.demo.world import build_world
from passport.format.documents import find_entry
from passport.qr import encode_text
from passport.wallet import inbox
from test_wallet_support import PASSPHRASE, endorsement, ria_world


def source_entry(app, block: str, entry_id: str) -> dict:
    return next(e for e in app.state.wallet.data["profileSource"][block] if e["id"] == entry_id)


def test_changing_an_entry_keeps_what_the_form_does_not_show_and_signs_again(ria_app):
    before = ria_app.state.wallet.data["profile"]["id"]
    form = ria_app.get("/profiel/drijfveren/betekenisvol-werk")
    assert 'value="Betekenisvol werk met mensen"' in form.get_data(as_text=True)
    answer = ria_app.post("/profiel/drijfveren/opslaan", {
        "entry_id": "betekenisvol-werk", "name": "Betekenisvol werk met mensen",
        "name_en": "Meaningful work with people",
        "description": "Wil het verschil maken voor cliënten."})
    assert answer.status_code == 303 and answer.location.endswith("/profiel?vraag=wil")
    entry = source_entry(ria_app, "drijfveren", "betekenisvol-werk")
    assert entry["riasec"] == {"R": 35, "I": 30, "A": 25, "S": 85, "E": 40, "C": 55}  # not on the form: kept
    assert entry["source"] == "loopbaancoach" and entry["description"] == "Wil het verschil maken voor cliënten."
    signed = ria_app.state.wallet.data["profile"]
    assert signed["id"] != before and check(signed, now=NOW).verified
    assert find_entry(signed, "betekenisvol-werk")["riasec"]["S"] == 85
    assert "Opgeslagen" in text_of(ria_app.get(answer.location))


def test_changing_an_endorsed_entry_warns_first_and_after(ria_app):
    page = text_of(ria_app.get("/profiel/talenten/rustig-bij-conflicten"))
    assert "bevestigd (door Lage Landen Spoor B.V.)" in page and "geldt die bevestiging niet meer" in page
    ria_app.post("/profiel/talenten/opslaan", {"entry_id": "rustig-bij-conflicten", "name": "Rustig bij ruzie"})
    shown = text_of(ria_app.get("/profiel?vraag=wie"))
    assert "niet meer bij je profiel passen: 1" in shown
    assert "Bevestiging van Lage Landen Spoor B.V. geldt niet meer" in shown


def test_the_profile_shows_what_is_self_asserted_and_what_is_endorsed(ria_app):
    page = ria_app.get("/profiel?vraag=wie").get_data(as_text=True)
    endorsed = page.split('id="entry-rustig-bij-conflicten"')[1].split("</li>")[0]
    own = page.split('id="entry-mensen-op-hun-gemak"')[1].split("</li>")[0]
    assert "Bevestigd door Lage Landen Spoor B.V." in endorsed and "Zelf opgegeven" not in endorsed
    assert "Zelf opgegeven" in own
    wil = ria_app.get("/profiel?vraag=wil").get_data(as_text=True)
    assert "Gevoelig" in wil.split('id="entry-fysieke-belastbaarheid"')[1].split("</li>")[0]


@pytest.mark.parametrize(("form", "said"), [
    ({"name": ""}, "korte naam"),
    ({"name": "Tillen", "link_url": "https://example.com/skill/1", "link_name": "x"}, "geen begrip uit ESCO"),
    ({"name": "Tillen", "link_url": "http://data.europa.eu/esco/skill/abc"}, "Geef het begrip ook een naam"),
    ({"name": "Tillen", "experienceYears": "veel"}, "getal in van 0 tot en met 60"),
    ({"name": "Tillen", "link_url": "http://data.europa.eu/esco/not-a-concept/x", "link_name": "x"}, "schema"),
])
def test_a_bad_entry_is_refused_in_plain_words_and_nothing_changes(ria_app, form, said):
    before = json.dumps(ria_app.state.wallet.data, sort_keys=True)
    with open(ria_app.state.wallet_path, "rb") as handle:
        on_disk = handle.read()
    answer = ria_app.post("/profiel/skills/opslaan", form)
    assert answer.status_code == 400 and said in text_of(answer)
    assert 'role="alert"' in answer.get_data(as_text=True)
    assert json.dumps(ria_app.state.wallet.data, sort_keys=True) == before
    with open(ria_app.state.wallet_path, "rb") as handle:
        assert handle.read() == on_disk


def test_a_skill_links_to_esco_and_competentnl_by_uri(ria_app):
    ria_app.post("/profiel/skills/opslaan", {"name": "Tillen met hulpmiddelen",
                                             "link_url": "https://linkeddata.competentnl.nl/uwv/id/skill/KN-1",
                                             "link_name": "Tilhulpmiddelen gebruiken", "sensitive": "on"})
    entry = source_entry(ria_app, "skills", "tillen-met-hulpmiddelen")
    assert entry["alignment"] == [{"targetUrl": "https://linkeddata.competentnl.nl/uwv/id/skill/KN-1",
                                   "targetFramework": "CompetentNL", "targetName": "Tilhulpmiddelen gebruiken"}]
    assert entry["sensitive"] is True
    ria_app.post("/profiel/skills/opslaan", {"entry_id": "klantcontact", "name": "Klantcontact en service"})
    assert "alignment" not in source_entry(ria_app, "skills", "klantcontact")  # its link box left unticked


def test_removing_an_entry_asks_first(ria_app):
    page = text_of(ria_app.get("/profiel/wendbaarheid/onregelmatige-diensten/verwijderen"))
    assert "verwijderen?" in page
    assert ria_app.post("/profiel/wendbaarheid/onregelmatige-diensten/verwijderen").status_code == 303
    ids = [e["id"] for e in ria_app.state.wallet.data["profileSource"]["wendbaarheid"]]
    assert ids == ["zelf-de-overstap-maken"]


def test_share_starts_with_sensitive_entries_off_and_shares_exactly_what_is_ticked(ria_app):
    page = ria_app.get("/delen").get_data(as_text=True)
    sensitive = re.search(r'<input type="checkbox" id="entry-fysieke-belastbaarheid"[^>]*>', page, re.S).group(0)
    assert "checked" not in sensitive and "Gevoelig: staat uit" in page
    assert re.search(r'id="entry-klantcontact"[^>]*checked', page, re.S)
    bhv = endorsement("CertificaatCredential")
    answer = ria_app.post("/delen", {"entry": ["klantcontact", "fysieke-belastbaarheid"], "endorsement": bhv["id"]})
    assert answer.status_code == 200
    shared = next(iter(ria_app.state.shares.values()))
    assert shared.profile_entries == ["klantcontact", "fysieke-belastbaarheid"]
    assert [c["id"] for c in shared.endorsements] == [bhv["id"]]
    assert "data:image/png;base64," in answer.get_data(as_text=True)
    token = next(iter(ria_app.state.shares))
    file = ria_app.get(f"/delen/{token}/paspoort.json")
    assert file.headers["Content-Disposition"].startswith("attachment")
    report = check(json.loads(file.data), now=NOW, status=ria_world().status_documents)
    assert report.verified, [(c.name, c.message) for c in report.checks if not c.ok]
    pdf = ria_app.get(f"/delen/{token}/paspoort.pdf")
    assert pdf.data.startswith(b"%PDF-") and pdf.mimetype == "application/pdf"


def test_share_refuses_an_endorsement_without_its_entry_and_nothing_at_all(ria_app):
    endorsed = endorsement("ProfielEndorsementCredential")
    answer = ria_app.post("/delen", {"entry": ["klantcontact"], "endorsement": endorsed["id"]})
    assert answer.status_code == 400 and "hoort bij 'Rustig blijven bij conflicten'" in text_of(answer)
    assert ria_app.post("/delen", {}).status_code == 400 and not ria_app.state.shares
    ticked = ria_app.post("/delen", {"entry": ["klantcontact"], "endorsement": endorsed["id"]}).get_data(as_text=True)
    assert re.search(r'id="entry-klantcontact"[^>]*checked', ticked, re.S)  # the choice is shown again
    assert not re.search(r'id="entry-mensen-op-hun-gemak"[^>]*checked', ticked, re.S)


@pytest.fixture
def empty_app(tmp_path, kdf_test):
    app = make_client(ria_wallet_file(tmp_path / "ria.wallet", with_profile=True, endorsements=False))
    assert app.unlock().status_code == 303
    return app


def test_receive_a_file_a_photo_and_qr_text(empty_app, tmp_path):
    bhv, ab = endorsement("CertificaatCredential"), endorsement("AantoonbaarBekwaamCredential")
    answer = empty_app.post("/ontvangen/bestand", {"file": (io.BytesIO(json.dumps(bhv).encode()), "bhv.json")},
                            content_type="multipart/form-data")
    assert answer.status_code == 200 and "Bewaard:" in text_of(answer)
    assert [item["source"] for item in empty_app.state.wallet.credentials] == ["file:bhv.json"]
    again = empty_app.post("/ontvangen/tekst", {"text": encode_text(bhv)})
    assert "Dit had je al" in text_of(again) and len(empty_app.state.wallet.credentials) == 1
    from passport.qr import render_png
    photo = tmp_path / "ab.png"
    render_png(encode_text(ab), str(photo))
    answer = empty_app.post("/ontvangen/bestand", {"file": (photo.open("rb"), "foto van qr.png")},
                            content_type="multipart/form-data")
    assert "Bewaard:" in text_of(answer)
    assert empty_app.state.wallet.credentials[-1]["source"] == "qr-image:foto_van_qr.png"
    assert len(empty_app.state.wallet.credentials) == 2


def test_receive_refuses_what_is_not_about_the_holder_in_plain_words(empty_app):
    jan = build_world("jan", NOW).endorsements[0]
    answer = empty_app.post("/ontvangen/tekst", {"text": json.dumps(jan)})
    assert answer.status_code == 400 and "IMPORT_REFUSED" in answer.get_data(as_text=True)
    assert empty_app.state.wallet.credentials == []
    bad = empty_app.post("/ontvangen/tekst", {"text": "PP2:NOT-A-CODE"})
    assert bad.status_code == 400 and empty_app.state.wallet.credentials == []


def test_the_passport_shows_each_status_after_a_refresh(tmp_path, kdf_test):
    world = build_world("ria", NOW)
    wallet_path = ria_wallet_file(tmp_path / "ria.wallet", with_profile=True, endorsements=False)
    app = make_client(wallet_path, status_loader=lambda wallet: world.status_documents.__getitem__)
    app.unlock()
    for credential in world.endorsements:
        inbox.import_credential(app.state.wallet, credential, now=NOW, source="test")
    revoked = world.endorsements[0]
    world.revoke(revoked["id"])
    assert "Nog niet gecontroleerd" in text_of(app.get("/paspoort"))
    answer = app.post("/paspoort/verversen")
    page = text_of(app.get(answer.location))
    assert "bij 1 is iets aan de hand" in page
    assert page.count("Ingetrokken") == 1 and page.count("Geldig ") >= len(world.endorsements) - 1
    checks = [item["statusCheck"]["status"] for item in app.state.wallet.credentials]
    assert checks.count("revoked") == 1 and checks.count("valid") == len(world.endorsements) - 1


def test_backup_shows_the_code_once_and_restores_with_it(ria_app, tmp_path):
    assert ria_app.post("/backup/maken", {"passphrase": "wrong passphrase"}).status_code == 400
    made = ria_app.post("/backup/maken", {"passphrase": PASSPHRASE, "recovery": "on"})
    code = re.search(r'id="recovery-code">([A-Z2-7-]+)<', made.get_data(as_text=True)).group(1)
    assert code not in json.dumps(ria_app.state.wallet.data) and code not in repr(ria_app.state.backups)
    token = next(iter(ria_app.state.backups))
    backup = ria_app.get(f"/backup/{token}/download").data
    assert json.loads(backup)["format"] == "paspoort-wallet-backup"
    count = len(ria_app.state.wallet.credentials)
    ria_app.post("/profiel/naam", {"name": "Ria"})  # a change after the backup
    form = {"file": (io.BytesIO(backup), "backup.json"), "with": "code", "recovery_code": code,
            "new_passphrase": "een nieuwe zin", "new_passphrase_again": "een nieuwe zin"}
    refused = ria_app.post("/backup/terugzetten", dict(form), content_type="multipart/form-data")
    assert refused.status_code == 400 and "vervangt" in text_of(refused)  # the replace box was not ticked
    assert ria_app.state.wallet.data["profileSource"]["name"] == "Ria"
    form["file"] = (io.BytesIO(backup), "backup.json")
    answer = ria_app.post("/backup/terugzetten", {**form, "replace": "on"}, content_type="multipart/form-data")
    assert answer.status_code == 303
    assert ria_app.state.wallet.data["profileSource"]["name"] == "Ria de Vries"
    assert len(ria_app.state.wallet.credentials) == count
    ria_app.post("/vergrendelen")
    assert ria_app.unlock(PASSPHRASE).status_code == 400
    assert ria_app.unlock("een nieuwe zin").status_code == 303


def test_a_new_wallet_is_made_in_the_page(tmp_path, kdf_test):
    app = make_client(tmp_path / "nieuw" / "wallet.json")
    assert "Maak je wallet" in text_of(app.get("/"))
    assert app.post("/aanmaken", {"passphrase": "kort", "passphrase_again": "kort"}).status_code == 400
    assert app.post("/aanmaken", {"passphrase": "lang genoeg", "passphrase_again": "anders"}).status_code == 400
    assert not (tmp_path / "nieuw" / "wallet.json").exists()
    assert app.post("/aanmaken", {"passphrase": "lang genoeg", "passphrase_again": "lang genoeg"}).status_code == 303
    assert app.state.wallet is not None and (tmp_path / "nieuw" / "wallet.json").exists()
    assert "Vul eerst je naam in" in text_of(app.get("/profiel"))


def test_an_unknown_page_or_a_forgotten_share_says_so(ria_app):
    for path in ("/nergens", "/delen/not-a-token/paspoort.json", "/backup/not-a-token/download",
                 "/profiel/geen-blok/nieuw", "/profiel/skills/bestaat-niet"):
        answer = ria_app.get(path)
        assert answer.status_code == 404 and "bestaat niet" in text_of(answer), path


def test_the_language_switch(ria_app):
    ria_app.post("/taal", {"lang": "en", "next": "/paspoort"})
    page = ria_app.get("/paspoort").get_data(as_text=True)
    assert '<html lang="en">' in page and "My passport" in page
    assert ria_app.post("/taal", {"lang": "en", "next": "//evil.example/"}).location == "/"

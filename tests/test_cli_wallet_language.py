"""The worker's commands speak one language at a time (issue #11, item 20).

Every line ``list``, ``show``, ``share``, ``export``, ``status``, ``respond``, ``import``,
``backup``/``restore``, ``wallet``, ``profile`` and ``qr decode`` print to people comes from the
``cli`` section of ``passport.terms``: Dutch by default, English with ``--lang en`` or an English
locale. Prompts, progress lines and warnings on stderr follow the same language; JSON stays JSON.
"""
from __future__ import annotations

import getpass
import json
import re
import string
import sys
import types
from pathlib import Path

import pytest

from support import run_cli as run

from passport import terms
from passport.cli import language, progress
from passport.cli.wallet_share import skipped_text, warn_revoked
from passport.wallet import inbox
from passport.wallet.store import Wallet
from test_wallet_support import (  # noqa: F401 (fixtures)
    NOW_TEXT, PASSPHRASE, RIA_PROFILE, endorsement, ria_wallet, ria_world, wallet_env, write_json,
)

CLI_SOURCES = sorted((Path(__file__).parent.parent / "passport" / "cli").glob("*.py"))
ENGLISH = ("valid until", "Sharing", "written to", "Left out", "not shared", "Signed by", "bound to", "Imported",
           "flag:", "endorses", "entries", "checked", "Checked", "warning", "Wallet passphrase", "Backup",
           "Removed", "Presentation", "Request from", "Nothing was sent", "Profile set", "(EXPIRED)", "Printable")
SAME_IN_BOTH = {"show_id", "err_status_json"}  # no words of their own


def no_english(text: str) -> None:
    found = [word for word in ENGLISH if word in text]
    assert found == [], (found, text)


# --- the table -----------------------------------------------------------------------------------
def fields(sentence: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(sentence) if name}


def test_every_cli_sentence_in_both_languages_with_the_same_placeholders():
    dutch, english = terms.table("nl")["cli"], terms.table("en")["cli"]
    assert dutch.keys() == english.keys() and len(dutch) > 90
    for key, sentence in dutch.items():
        assert fields(sentence) == fields(english[key]), key
        assert sentence != english[key] or key in SAME_IN_BOTH, key


def test_every_sentence_the_commands_ask_for_is_in_the_table():
    asked = {key for path in CLI_SOURCES
             for key in re.findall(r"""\b(?:say|warn|note)\(\s*["']([a-z_]+)["']\s*[,)]""", path.read_text("utf-8"))}
    assert len(asked) > 50
    assert sorted(asked - set(terms.table("nl")["cli"])) == []
    for step in progress.STEPS:
        assert progress.message(step, "nl") and progress.message(step, "en")


def test_say_fills_in_and_refuses_an_unknown_key_or_language():
    assert language.say("presentation_written", "nl", path="vp.json") == "Presentatie opgeslagen in vp.json"
    assert language.say("presentation_written", "en", path="vp.json") == "Presentation written to vp.json"
    with pytest.raises(KeyError, match="cli.no_such_sentence"):
        language.say("no_such_sentence", "nl")
    with pytest.raises(Exception, match="unknown language 'fr'"):
        language.say("presentation_written", "fr", path="x")


def test_why_an_endorsement_was_not_shared_in_both_languages():
    stale = "urn:uuid:1: its profile entry changed since it was endorsed"
    not_shared = "urn:uuid:2: endorses entry 'rustig-bij-conflicten', which is not shared"
    assert skipped_text(stale, "nl") == "urn:uuid:1: het profielonderdeel is gewijzigd nadat het is aanbevolen"
    assert skipped_text(not_shared, "nl") == ("urn:uuid:2: hoort bij onderdeel 'rustig-bij-conflicten', "
                                              "en dat wordt niet gedeeld")
    assert skipped_text(stale, "en") == stale and skipped_text(not_shared, "en") == not_shared
    assert skipped_text("something new", "nl") == "something new"  # a sentence not known here: as it is


# --- each command, Dutch by default and English on request --------------------------------------
def test_list_show_and_remove(capsys, ria_wallet):
    code, out, err = run(capsys, "list", "--now", NOW_TEXT)
    assert code == 0 and err == "" and "; geldig tot 2027-" in out
    assert "; hoort bij onderdeel rustig-bij-conflicten" in out
    no_english(out)
    code, english, _ = run(capsys, "list", "--now", NOW_TEXT, "--lang", "en")
    assert "; valid until 2027-" in english and "; endorses entry rustig-bij-conflicten" in english
    code, out, _ = run(capsys, "show", "1")
    assert code == 0 and "  uitgever:" in out and "  geldig tot:" in out and "status bij importeren: " in out
    no_english(out)
    code, out, _ = run(capsys, "show", "1", "--lang", "en")
    assert "  issuer:      " in out and "  valid until: " in out and "status at import: " in out
    code, out, _ = run(capsys, "remove", "1")
    assert code == 0 and out.startswith("Verwijderd: Aantoonbaar bekwaam: ")


def test_share_summary_file_and_qr_in_dutch(capsys, ria_wallet, tmp_path):
    pytest.importorskip("qrcode")
    out_file, qr = tmp_path / "vp.json", tmp_path / "vp.png"
    code, out, err = run(capsys, "share", "--block", "skills", "--all-endorsements", "--challenge", "c-1",
                         "--domain", "werkgever.example", "--out", str(out_file), "--qr", str(qr), "--now", NOW_TEXT)
    assert code == 0 and err == ""
    lines = out.splitlines()
    assert lines[0].startswith("Gedeeld: 6 profielonderdelen: klantcontact, ")
    assert any(line.startswith("Niet gedeeld: rustig-bij-conflicten") for line in lines)
    assert "  niet gedeeld: urn:uuid:" in out and "en dat wordt niet gedeeld" in out
    assert any(line.startswith("Ondertekend door did:key:") and "; geldig tot 2026-11-23T12:15:00Z; gekoppeld aan "
               "verzoekcode c-1, domein werkgever.example" in line for line in lines)
    assert f"Presentatie opgeslagen in {out_file}" in lines
    assert "past niet in één QR-code" in out and "Scan ze allemaal." in out
    no_english(out)
    code, out, _ = run(capsys, "share", "--entry", "klantcontact", "--out", str(out_file), "--now", NOW_TEXT,
                       "--lang", "en")
    assert out.startswith("Sharing 1 profile entry: klantcontact\n") and f"Presentation written to {out_file}" in out


def test_share_without_a_file_keeps_the_json_and_says_the_summary_on_stderr(capsys, ria_wallet):
    code, out, err = run(capsys, "share", "--entry", "klantcontact", "--now", NOW_TEXT)
    assert code == 0 and json.loads(out)["type"] == ["VerifiablePresentation"]
    assert err.startswith("Gedeeld: 1 profielonderdeel: klantcontact\n")
    no_english(err)


def test_a_revoked_endorsement_is_warned_about_in_dutch(capsys, ria_wallet, wallet_env):
    wallet = Wallet.open(str(wallet_env), PASSPHRASE)
    short = inbox.short_id(wallet.credentials[0]["credential"])
    wallet.credentials[0]["statusCheck"] = {"status": "revoked", "checkedAt": NOW_TEXT, "reason": "revoked"}
    wallet.save()
    wallet.close()
    code, _, err = run(capsys, "share", "--all-endorsements", "--no-profile", "--now", NOW_TEXT)
    assert code == 0 and f"passport: waarschuwing: [{short}] Aantoonbaar bekwaam: " in err
    assert "is weggelaten, want de uitgever heeft het ingetrokken (gezien op 2026-11-23T12:00:00Z)" in err
    no_english(err)
    code, _, err = run(capsys, "share", "--all-endorsements", "--no-profile", "--include-revoked", "--now",
                       NOW_TEXT, "--lang", "en")
    assert f"passport: warning: [{short}] Demonstrably competent: " in err and "Verifiers will reject it." in err


def test_warn_revoked_says_included_or_left_out(capsys):
    credential = endorsement("AantoonbaarBekwaamCredential")
    item = {"credential": credential, "statusCheck": {"checkedAt": NOW_TEXT}}
    warn_revoked(types.SimpleNamespace(revoked=[item], endorsements=[credential]), "nl")
    assert "zit erbij, maar de uitgever heeft het ingetrokken" in capsys.readouterr().err


def test_export_in_dutch(capsys, ria_wallet, tmp_path):
    pytest.importorskip("fpdf")
    pdf = tmp_path / "p.pdf"
    code, out, err = run(capsys, "export", "--pdf", str(pdf), "--block", "skills", "--endorsement", "1",
                         "--now", NOW_TEXT)
    assert code == 0 and err == "" and pdf.exists()
    assert out.startswith(f"Afdrukbaar paspoort opgeslagen in {pdf}: ") and "taal nl" in out
    assert "  profiel: 6 onderdelen" in out and "Niet afgedrukt: rustig-bij-conflicten" in out
    no_english(out)


def test_status_in_dutch_without_the_library_log(capsys, ria_wallet):
    code, out, err = run(capsys, "status", "--now", NOW_TEXT)  # the demo lists' hosts do not resolve
    assert code == 1 and err == ""  # no English "fetching ..." log lines
    assert ": status onbekend" in out and "Gecontroleerd op 2026-11-23T12:00:00Z: 0 ingetrokken" in out
    no_english(out.split("(")[0])  # the library's detail in parentheses is kept, as in an error line
    code, out, _ = run(capsys, "status", "--now", NOW_TEXT, "--lang", "en")
    assert "Checked at 2026-11-23T12:00:00Z: 0 revoked" in out


def test_wallet_profile_import_backup_restore_in_dutch(capsys, wallet_env, tmp_path):
    key_file = write_json(tmp_path / "ria.key.json", ria_world().holder.to_multikey())
    code, out, _ = run(capsys, "wallet", "init", "--import-key", str(key_file))
    assert code == 0 and out.startswith(f"Wallet gemaakt: {wallet_env}\nJouw DID: did:key:")
    assert "Bewaar je wachtwoordzin goed" in out
    code, out, _ = run(capsys, "profile", "set", str(RIA_PROFILE), "--now", NOW_TEXT)
    assert code == 0 and out.startswith("Profiel ingesteld en ondertekend: 16 onderdelen.\n  nieuwe onderdelen: ")
    credential = write_json(tmp_path / "c.json", endorsement("AantoonbaarBekwaamCredential"))
    code, out, _ = run(capsys, "import", str(credential), "--now", NOW_TEXT)
    assert code == 0 and out.startswith("Geïmporteerd: Aantoonbaar bekwaam: ") and "\n  geldig tot " in out
    assert "  let op: niet gecontroleerd of het is ingetrokken" in out
    assert run(capsys, "import", str(credential), "--now", NOW_TEXT)[1].startswith("Staat al in de wallet: ")
    code, out, _ = run(capsys, "wallet", "info")
    assert "profiel:       ingesteld, " in out and "certificaten:  1" in out
    backup = tmp_path / "backup.json"
    code, out, _ = run(capsys, "backup", str(backup), "--recovery-code")
    assert code == 0 and out.startswith(f"Reservekopie opgeslagen in {backup} ") and "Herstelcode" in out
    no_english(out)
    code, out, _ = run(capsys, "restore", str(backup), "--wallet", str(tmp_path / "other.wallet"))
    assert code == 0 and out.startswith(f"Wallet teruggezet in {tmp_path / 'other.wallet'}\nDID: ")
    assert out.rstrip().endswith("; 1 certificaten en verklaringen")
    code, out, _ = run(capsys, "wallet", "accept-rollback")
    assert code == 0 and out.startswith("Het walletbestand in ")
    code, out, _ = run(capsys, "wallet", "info", "--lang", "en")
    assert "profile:     set, " in out and "credentials: 1" in out


def test_prompts_are_dutch_and_ja_means_yes(capsys, ria_wallet, tmp_path, monkeypatch):
    backup = tmp_path / "backup.json"
    assert run(capsys, "backup", str(backup))[0] == 0
    prompts, asked = [], []
    monkeypatch.delenv("PASSPORT_PASSPHRASE")
    monkeypatch.setattr(sys.stdin, "isatty", lambda: True)
    monkeypatch.setattr(getpass, "getpass", lambda prompt: prompts.append(prompt) or PASSPHRASE)
    monkeypatch.setattr("builtins.input", lambda prompt: asked.append(prompt) or "ja")
    code, out, _ = run(capsys, "restore", str(backup))  # the wallet exists: asked to replace it
    assert code == 0, out
    assert asked == [f"Er staat al een wallet in {ria_wallet.path}. Wil je die vervangen door de reservekopie? "
                     "[j/N] "]
    assert prompts == ["Wachtwoordzin van de wallet: "]
    prompts.clear()
    assert run(capsys, "list", "--lang", "en")[0] == 0 and prompts == ["Wallet passphrase: "]


def test_profile_show_and_qr_decode(capsys, ria_wallet, tmp_path):
    code, out, _ = run(capsys, "profile", "show")
    assert code == 0 and out.startswith("Persoonlijk Profiel van Ria de Vries  (zelf verklaard)")
    code, out, _ = run(capsys, "profile", "show", "--lang", "en")
    assert out.startswith("Personal Profile of Ria de Vries  (self-asserted)")
    pytest.importorskip("qrcode")
    png = tmp_path / "vp.png"
    assert run(capsys, "share", "--entry", "klantcontact", "--qr", str(png), "--now", NOW_TEXT)[0] == 0
    decoded = tmp_path / "vp.json"
    code, out, _ = run(capsys, "qr", "decode", str(png), "--out", str(decoded))
    assert code == 0 and out == f"Document opgeslagen in {decoded}\n" and json.loads(decoded.read_text())["proof"]


# --- the command's own errors --------------------------------------------------------------------
@pytest.mark.parametrize(("argv", "code", "dutch", "english"), [
    (["wallet", "init"], "WALLET_EXISTS", "er staat al een wallet in ", "a wallet already exists at "),
    (["share", "--all", "--lifetime", "0"], "INPUT_INVALID", "--lifetime is 1 tot 1440 minuten",
     "--lifetime is 1 to 1440 minutes"),
    (["share", "--all", "--qr", "x.jpg"], "INPUT_INVALID", "de bestandsnaam moet eindigen op .png of .svg",
     "the file name must end in .png or .svg"),
    (["import"], "INPUT_INVALID", "geef een BESTAND of --qr-text TEKST", "give either a FILE or --qr-text TEXT"),
])
def test_the_commands_own_errors_say_what_is_wrong_in_the_language(capsys, ria_wallet, argv, code, dutch, english):
    status, out, err = run(capsys, *argv)
    assert status == 2 and out == "" and err.startswith(f"passport: fout [{code}]: ") and dutch in err, err
    status, _, err = run(capsys, *argv, "--lang", "en")
    assert status == 2 and err.startswith(f"passport: error [{code}]: ") and english in err, err


def test_ctrl_d_at_a_question_stops_without_a_traceback(capsys, ria_wallet, tmp_path, monkeypatch):
    backup = tmp_path / "backup.json"
    assert run(capsys, "backup", str(backup))[0] == 0
    monkeypatch.setattr(sys.stdin, "isatty", lambda: True)

    def ended(prompt=""):
        raise EOFError

    monkeypatch.setattr("builtins.input", ended)  # the replace question of restore
    code, _, err = run(capsys, "restore", str(backup))
    assert code == 130 and "gestopt: de invoer eindigde (Ctrl-D)" in err and "Traceback" not in err
    monkeypatch.delenv("PASSPORT_PASSPHRASE")
    monkeypatch.setattr(getpass, "getpass", ended)  # the passphrase prompt: nothing given
    code, _, err = run(capsys, "list", "--lang", "en")
    assert code == 2 and "the passphrase is empty" in err and "Traceback" not in err


def test_passphrase_errors_in_dutch(capsys, wallet_env, monkeypatch, tmp_path):
    monkeypatch.setenv("PASSPORT_PASSPHRASE", "short")
    status, _, err = run(capsys, "wallet", "init")
    assert status == 2 and "een wachtwoordzin heeft minstens 8 tekens" in err
    monkeypatch.delenv("PASSPORT_PASSPHRASE")
    status, _, err = run(capsys, "wallet", "init")  # no terminal under pytest
    assert status == 2 and "geen wachtwoordzin: zet PASSPORT_PASSPHRASE, gebruik --passphrase-file" in err
    empty = tmp_path / "empty.txt"
    empty.write_text("", encoding="utf-8")
    status, _, err = run(capsys, "list", "--passphrase-file", str(empty), "--lang", "en")
    assert status == 2 and "the passphrase is empty" in err

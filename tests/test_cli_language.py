"""The ``passport`` command speaks Dutch unless something says otherwise (issue #11, item 20).

``--lang en`` (before or after the command) or a locale starting with "en" (``LC_ALL``, then
``LC_MESSAGES``, then ``LANG``) gives English; no locale, ``C``, ``POSIX`` or any other language
gives Dutch. The words are those of ``passport.terms``: an error line says the plain sentence for
its code (and keeps the code and the library's detail), a report names each check and its
status, and a status that could not be checked is "status onbekend", never "klopt niet".
"""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from support import NOW, NOW_TEXT
from support import run_cli as run
from passport import terms
from passport.cli import language, main
from passport.cli.verdict import explain
from passport.demo.world import build_world
from passport.format.documents import paspoort_type
from passport.errors import PassportError
from passport.wallet import render
from test_wallet_support import ria_wallet, wallet_env  # noqa: F401 (fixtures)

LOCALE = ("LC_ALL", "LC_MESSAGES", "LANG")


@pytest.fixture(scope="module")
def world():
    return build_world("ria", NOW)


@pytest.fixture
def locale(monkeypatch):
    """``locale(LANG="en_US.UTF-8")``: exactly these locale variables are set, no others."""
    def set_(**values: str) -> None:
        for name in LOCALE:
            monkeypatch.delenv(name, raising=False)
        for name, value in values.items():
            monkeypatch.setenv(name, value)
    set_()
    return set_


@pytest.fixture
def files(tmp_path, world) -> dict[str, str]:
    credential = next(c for c in world.endorsements if paspoort_type(c) == "AantoonbaarBekwaamCredential")
    tampered = {**credential, "name": "Aantoonbaar bekwaam: alles"}
    url = credential["credentialStatus"]["statusListCredential"]
    paths = {"credential": credential, "tampered": tampered, "status": world.status_documents[url],
             "profile": world.profile}
    for name, document in paths.items():
        (tmp_path / f"{name}.json").write_text(json.dumps(document), encoding="utf-8")
    (tmp_path / "dup.json").write_text('{"a": 1, "a": 2}', encoding="utf-8")
    return {name: str(tmp_path / f"{name}.json") for name in [*paths, "dup"]}




# --- which language ------------------------------------------------------------------------------
@pytest.mark.parametrize("values", [{}, {"LANG": "C.UTF-8"}, {"LANG": "POSIX"}, {"LANG": "nl_NL.UTF-8"},
                                    {"LANG": "de_DE.UTF-8"}, {"LC_ALL": "nl_BE.UTF-8", "LANG": "en_US.UTF-8"}])
def test_dutch_unless_something_says_otherwise(capsys, locale, files, values):
    locale(**values)
    code, out, err = run(capsys, "verify", files["tampered"], "--status", files["status"], "--now", NOW_TEXT)
    assert code == 1 and err == ""
    assert out.startswith("NIET GEVERIFIEERD: Aantoonbaar bekwaam van did:key:")
    assert (f"  FOUT Handtekening: klopt niet. {terms.problem('SIGNATURE_INVALID', 'nl')} [SIGNATURE_INVALID]"
            in out.splitlines())
    assert "  ok   Geldigheid: klopt" in out.splitlines()
    assert "signature" not in out.replace("[SIGNATURE_INVALID]", "").lower()  # none of the library's English


@pytest.mark.parametrize(("argv", "values"), [
    (["--lang", "en"], {}),                                     # after the command
    (["--lang", "en"], {"LANG": "nl_NL.UTF-8"}),                # the option beats the locale
    ([], {"LANG": "en_US.UTF-8"}), ([], {"LC_MESSAGES": "en_GB.UTF-8", "LANG": "nl_NL.UTF-8"}),
])
def test_english_by_option_or_locale(capsys, locale, files, argv, values):
    locale(**values)
    code, out, _ = run(capsys, "verify", files["tampered"], "--status", files["status"], "--now", NOW_TEXT, *argv)
    assert code == 1
    assert out.startswith("NOT VERIFIED: OpenBadgeCredential, AantoonbaarBekwaamCredential from did:key:")
    assert "FAIL proof:" in out and "[SIGNATURE_INVALID]" in out


def test_the_option_before_the_command_counts_too_and_the_one_after_it_wins(capsys, locale, files):
    code, out, _ = run(capsys, "--lang", "en", "verify", files["credential"], "--status", files["status"],
                       "--now", NOW_TEXT)
    assert code == 0 and out.startswith("VERIFIED: ")
    code, out, _ = run(capsys, "--lang", "en", "verify", files["credential"], "--status", files["status"],
                       "--now", NOW_TEXT, "--lang", "nl")
    assert code == 0 and out.startswith("GEVERIFIEERD: Aantoonbaar bekwaam van ")


def test_a_self_asserted_profile_says_so_in_both_languages(capsys, locale, files):
    code, out, _ = run(capsys, "verify", files["profile"], "--now", NOW_TEXT)
    assert code == 0 and out.splitlines()[0].endswith("(zelf opgegeven)") and "Persoonlijk profiel" in out
    code, out, _ = run(capsys, "verify", files["profile"], "--now", NOW_TEXT, "--lang", "en")
    assert code == 0 and out.splitlines()[0].endswith("(self-asserted)")


def test_a_language_not_offered_is_a_usage_error(capsys, locale, files):
    code, out, err = run(capsys, "verify", files["credential"], "--lang", "fr")
    assert code == 2 and out == "" and "invalid choice: 'fr'" in err and "'nl', 'en'" in err


# --- errors --------------------------------------------------------------------------------------
def test_an_error_says_the_dutch_sentence_with_its_code_and_detail(capsys, locale, files):
    code, out, err = run(capsys, "verify", files["dup"])
    assert code == 2 and out == "" and err.count("\n") == 1
    assert err.startswith(f"passport: fout [DUPLICATE_KEY]: {terms.problem('DUPLICATE_KEY', 'nl')} (")
    assert "'a'" in err  # the detail: which field


def test_an_error_in_english(capsys, locale, files):
    locale(LANG="en_GB.UTF-8")
    code, _, err = run(capsys, "verify", files["dup"])
    assert code == 2 and err.startswith(f"passport: error [DUPLICATE_KEY]: {terms.problem('DUPLICATE_KEY', 'en')} (")


def test_a_missing_file_in_dutch(capsys, locale, tmp_path):
    code, _, err = run(capsys, "verify", str(tmp_path / "nope.json"))
    assert code == 2 and err.startswith("passport: fout: ") and str(tmp_path / "nope.json") in err


def test_error_line_for_a_code_without_a_sentence_keeps_the_library_words():
    class Novel(PassportError):
        code = "SOMETHING_NEW"

    assert language.error_line(Novel("the thing is wrong"), "nl") == (
        "passport: fout [SOMETHING_NEW]: the thing is wrong")
    assert language.error_line(PassportError("x"), "en") == (
        f"passport: error [PASSPORT_ERROR]: {terms.problem('PASSPORT_ERROR', 'en')} (x)")


# --- a status that could not be checked ----------------------------------------------------------
@pytest.mark.parametrize(("lang", "head", "line"), [
    ("nl", "STATUS ONBEKEND: Aantoonbaar bekwaam", "  ??   Niet ingetrokken: onbekend."),
    ("en", "STATUS UNKNOWN: OpenBadgeCredential", "  ??   status: "),
])
def test_an_unknown_status_is_its_own_verdict_not_a_failure(capsys, locale, files, lang, head, line):
    code, out, _ = run(capsys, "verify", files["credential"], "--now", NOW_TEXT, "--lang", lang)
    assert code == 1  # not verified yet: fail closed
    assert out.startswith(head) and any(text.startswith(line) for text in out.splitlines())
    assert "FOUT" not in out and "FAIL" not in out and "NIET GEVERIFIEERD" not in out and "NOT VERIFIED" not in out


# --- what the verifier answered (passport respond) -----------------------------------------------
PRESENTATION = {"verifiableCredential": [
    {"type": ["VerifiableCredential", "CertificaatCredential"], "name": "BHV",
     "credentialSubject": {"achievement": {"name": "BHV"}}},
]}


def test_respond_explains_the_answer_in_dutch():
    answer = {"verified": False, "errors": [
        {"check": "status", "status": "failed", "code": "REVOKED", "message": "revoked by issuer",
         "credentialIndex": 0},
        {"check": "novel\x1b[2J", "status": "failed", "code": "ODD", "message": "odd\x07 thing"}]}
    assert explain(answer, PRESENTATION) == [
        "De verifier meldt: NIET geverifieerd. Wat niet klopt:",
        f"  onderdeel 1 (Certificaat: BHV): Niet ingetrokken klopt niet: {terms.problem('REVOKED', 'nl')} [REVOKED]",
        "  de presentatie: novel [2J klopt niet: odd  thing [ODD]"]  # unknown words: theirs, defused


def test_respond_calls_an_unknown_status_unknown_not_failed():
    answer = {"verified": False, "errors": [
        {"check": "status", "status": "unknown", "code": "STATUS_UNKNOWN", "message": "no list", "credentialIndex": 0}]}
    dutch, english = explain(answer, PRESENTATION, "nl"), explain(answer, PRESENTATION, "en")
    assert dutch[0].startswith("De verifier meldt: status onbekend") and "NIET" not in dutch[0]
    assert dutch[1].endswith(f"Niet ingetrokken onbekend: {terms.problem('STATUS_UNKNOWN', 'nl')} [STATUS_UNKNOWN]")
    assert english[0].startswith("The verifier reports: status unknown") and "NOT" not in english[0]


def test_respond_refusal_in_dutch():
    assert explain({"code": "CHALLENGE_REPLAYED", "detail": "already answered"}, PRESENTATION) == [
        f"De verifier weigerde de presentatie: {terms.problem('CHALLENGE_REPLAYED', 'nl')} [CHALLENGE_REPLAYED]"]
    assert explain({"verified": True}, PRESENTATION) == ["De verifier meldt: geverifieerd."]


# --- the wallet's words --------------------------------------------------------------------------
def test_document_kinds_are_the_terms(world):
    endorsement = next(c for c in world.endorsements if paspoort_type(c) == "CertificaatCredential")
    assert render.attests(endorsement, "nl").startswith(terms.kind_name("CertificaatCredential", "nl") + ": ")
    assert render.attests(endorsement, "en").startswith("Certificate: ")
    odd = {"type": ["VerifiableCredential"], "name": "iets", "credentialSubject": {}}
    assert render.attests(odd, "nl") == "credential: iets"


def test_wallet_list_follows_the_language(capsys, locale, ria_wallet):
    code, dutch, _ = run(capsys, "list", "--now", NOW_TEXT)
    assert code == 0 and "Aantoonbaar bekwaam: " in dutch and "Demonstrably competent" not in dutch
    code, english, _ = run(capsys, "--lang", "en", "list", "--now", NOW_TEXT)
    assert code == 0 and "Demonstrably competent: " in english
    locale(LANG="en_US.UTF-8")
    assert run(capsys, "list", "--now", NOW_TEXT)[1] == english


def test_export_speaks_the_language_of_the_option_else_the_locale(capsys, locale, ria_wallet, tmp_path,
                                                                   monkeypatch):
    import types

    import passport.cli.wallet_export as export

    class Printed(Exception):
        pass

    def export_pdf(*args, lang, **kwargs):
        raise Printed(lang)

    fake = types.SimpleNamespace(profile_parts=lambda *args, **kwargs: None, export_pdf=export_pdf)
    monkeypatch.setattr(export, "_printable", lambda: fake)
    for argv, values, expected in [([], {"LANG": "en_US.UTF-8"}, "en"), ([], {}, "nl"),
                                   (["--lang", "en"], {}, "en"), (["--lang", "nl"], {"LANG": "en_US.UTF-8"}, "nl")]:
        locale(**values)
        with pytest.raises(Printed) as printed:
            main(["export", "--pdf", str(tmp_path / "p.pdf"), "--now", NOW_TEXT, *argv])
        assert printed.value.args == (expected,), (argv, values)
    assert not Path(tmp_path / "p.pdf").exists()

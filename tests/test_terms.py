"""The one table of words (``passport.terms``): complete in both languages, and strict about languages.

Every error code any part of the project can raise, every outcome, check step and status,
match outcome and reason, document kind and verdict has a Dutch and an English word; a language
that is not offered is refused with a clear error, and the locale picks English only when it
starts with "en".
"""
from __future__ import annotations

import importlib
import json
import pkgutil
import re

import pytest

import passport
from issuer_service import errors as issuer_errors
from passport.format import documents
from passport.roles import matching
from passport.verification import report
from passport import terms
from passport.errors import InputError, all_error_classes
from passport.verification.report import CATEGORIES, FAILED, OUTCOMES, PASSED, SKIPPED, UNKNOWN
from passport.terms import LANGS, kind_name, language, problem, reason, table, term
from passport.verification.verifier import CREDENTIAL_STEPS
from passport.wallet.render import KIND_NAMES

PRESENTATION_CHECKS = ("structure", "proof", "challenge", "domain", "freshness", "subjects", "entries")
KINDS = (documents.AANTOONBAAR_BEKWAAM_TYPE, documents.CERTIFICAAT_TYPE, documents.ASSESSMENT_TYPE,
         documents.WERKERVARING_TYPE, documents.ENDORSEMENT_TYPE, documents.PROFILE_TYPE)


def every_module() -> None:
    """Import every module of the library, so error classes defined anywhere in it are known."""
    for module in pkgutil.walk_packages(passport.__path__, "passport."):
        if not module.name.endswith("__main__"):
            importlib.import_module(module.name)


@pytest.mark.parametrize("lang", LANGS)
def test_every_error_code_has_a_plain_sentence(lang):
    every_module()
    generic = problem("PASSPORT_ERROR", lang)
    codes = {cls.code for cls in all_error_classes()}
    assert len(codes) > 50
    missing = sorted(code for code in codes if code not in table(lang)["problem"])
    assert missing == []
    for code in codes - {"PASSPORT_ERROR"}:
        assert problem(code, lang) != generic, code


def test_the_two_languages_say_it_differently_and_have_the_same_keys():
    dutch, english = table("nl"), table("en")
    assert dutch.keys() == english.keys()
    for section in terms.SECTIONS:
        assert dutch[section].keys() == english[section].keys(), section
    for code, sentence in dutch["problem"].items():
        assert sentence != english["problem"][code], code
        assert sentence.endswith(".") and english["problem"][code].endswith("."), code


@pytest.mark.parametrize("lang", LANGS)
def test_every_outcome_category_step_status_and_match_word(lang):
    words = table(lang)
    assert set(words["outcome"]) == set(OUTCOMES)
    assert set(report._OUTCOME_BY_CODE.values()) <= set(OUTCOMES)
    assert set(words["category"]) == set(CATEGORIES)
    assert set(CREDENTIAL_STEPS) | set(PRESENTATION_CHECKS) <= set(words["check"])
    assert set(words["check_status"]) == {PASSED, FAILED, UNKNOWN, SKIPPED}
    assert {matching.DEMONSTRATED, matching.CLAIMED, matching.MISSING} <= set(words["match"])
    assert term("outcome.status_unknown", lang) != term("category.failed", lang)
    assert term("check_status.unknown", lang) != term("check_status.failed", lang)


@pytest.mark.parametrize("lang", LANGS)
def test_every_match_reason_and_service_code(lang):
    reasons = set(matching._SHORT) | {"SELF_ASSERTED", "NOT_FOUND", "PRESENTATION_INVALID"}
    assert reasons <= set(table(lang)["reason"])
    assert set(issuer_errors._HTTP_CODES.values()) | {"VERIFICATION_FAILED"} <= set(table(lang)["problem"])
    assert reason("SIGNATURE_INVALID", lang) == problem("SIGNATURE_INVALID", lang)  # a check's code falls back
    assert reason("NOT_FOUND", lang) != problem("NOT_FOUND", lang)  # a missing requirement is not a 404


def test_document_kinds_replace_the_wallet_names():
    for kind in KINDS:
        assert kind in KIND_NAMES
        assert kind_name(kind, "nl") and kind_name(kind, "en") and kind_name(kind, "nl") != kind
    assert kind_name("AantoonbaarBekwaamCredential", "en") == "Demonstrably competent"
    assert kind_name("SomethingElse", "nl") == "SomethingElse"
    assert kind_name("SomethingElse", "nl", default="?") == "?"


def test_problem_never_falls_back_to_library_english():
    assert problem("NO_SUCH_CODE", "nl") == problem("PASSPORT_ERROR", "nl") == "Er is iets mis met dit document."
    assert problem(None, "en") == "Something is wrong with this document."
    assert problem("NO_SUCH_CODE", "nl", default="eigen zin") == "eigen zin"
    assert problem("REVOKED", "nl", default="ignored") == "De uitgever heeft het ingetrokken."


@pytest.mark.parametrize(("requested", "environ", "expected"), [
    ("en", {"LANG": "nl_NL.UTF-8"}, "en"),              # --lang wins over the locale
    ("nl", {"LC_ALL": "en_US.UTF-8"}, "nl"),
    ("en_GB", {}, "en"), ("EN", {}, "en"), ("nl-NL", {}, "nl"),
    (None, {"LANG": "en_GB.UTF-8"}, "en"),
    (None, {"LANG": "nl_NL.UTF-8"}, "nl"),
    (None, {"LANG": "C.UTF-8"}, "nl"), (None, {"LANG": "de_DE.UTF-8"}, "nl"),
    (None, {}, "nl"),
    (None, {"LC_ALL": "nl_NL.UTF-8", "LANG": "en_US.UTF-8"}, "nl"),  # POSIX order: LC_ALL first
    (None, {"LC_MESSAGES": "en_US.UTF-8", "LANG": "nl_NL.UTF-8"}, "en"),
    (None, {"LC_ALL": "", "LANG": "en_US.UTF-8"}, "en"),  # an empty variable is not set
])
def test_language_from_the_option_else_the_locale(requested, environ, expected):
    assert language(requested, environ) == expected


@pytest.mark.parametrize("requested", ["fr", "english", "e", "de_DE"])
def test_a_language_not_offered_is_refused_by_name(requested):
    with pytest.raises(InputError) as caught:
        language(requested, {"LANG": "en_US.UTF-8"})
    assert caught.value.code == "INPUT_INVALID"
    assert repr(requested) in caught.value.message and "nl, en" in caught.value.message


def test_term_refuses_unknown_keys_and_languages():
    assert term("outcome.revoked") == "Ingetrokken" and term("outcome.revoked", "en") == "Revoked"
    with pytest.raises(KeyError, match="outcome.nope"):
        term("outcome.nope", "nl")
    with pytest.raises(KeyError, match="nosection"):
        term("nosection.revoked", "nl")
    with pytest.raises(InputError, match="'de'"):
        term("outcome.revoked", "de")
    with pytest.raises(InputError):
        table("fr")


def test_table_is_json_for_the_page_and_a_copy():
    english = table("en")
    assert json.loads(json.dumps(english)) == english
    assert english["lang"] == "en" and set(english["block"]) == set(documents.BLOCK_KEYS)
    assert english["block"]["drijfveren"] == "Drives" and table("nl")["block"]["drijfveren"] == "Drijfveren"
    english["outcome"]["revoked"] = "changed"
    assert term("outcome.revoked", "en") == "Revoked"


@pytest.mark.parametrize("lang", LANGS)
def test_sentences_are_short_and_free_of_wire_jargon(lang):
    """Plain language (B1): at most 16 words a sentence; no wire words like "credential" or "proof"."""
    words = table(lang)
    for section in ("problem", "reason", "verdict"):
        for key, sentence in words[section].items():
            for part in re.split(r"(?<=[.:;])\s+", sentence):
                assert len(part.split()) <= 16, (section, key, part)
            lowered = sentence.lower()
            assert not any(jargon in lowered for jargon in ("credential", "proof", "statuslist", "status list",
                                                            "challenge", "holder", "schema")), (section, key)
            assert key not in sentence, (section, key)  # the code itself is not the explanation

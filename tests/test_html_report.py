"""The demo's HTML report and how outcomes are counted: a status that could not be checked is its
own category ("Status onbekend"), never "klopt niet" and never verified; the words are the ones of
``passport.terms``, in Dutch by default or English, never the library's English messages.
"""
from __future__ import annotations

import pytest
from support import NOW
from test_wallet_support import ria_world

from passport import check
from passport.demo.html_report import render, verdict
from passport.errors import InputError, IssuerUnknown, Revoked, SignatureInvalid, StatusUnknown
from passport.verification.report import CheckResult, Report, category, outcome, tally
from passport.terms import problem, term
from verifier_service.summary import summarize

LIBRARY_ENGLISH = "status list https://status.example/1 could not be fetched: HTTP 503"


def line(kind: str, outcome_name: str, *codes: str, title=None, role=None) -> dict:
    return {"id": f"urn:uuid:{kind}", "type": kind, "title": title, "issuer": "ROC Midden", "role": role,
            "outcome": outcome_name,
            "problems": [{"check": "status", "code": code, "message": LIBRARY_ENGLISH} for code in codes]}


def summary(*lines: dict, verified: bool = False, **extra) -> dict:
    return {"kind": "presentation", "verified": verified, "person": None, "presentationProblems": [],
            "credentials": list(lines), **extra}


GOOD = line("CertificaatCredential", "verified", title={"nl": "Methodisch werken", "en": "Working methodically"},
            role="opleider")
UNKNOWN = line("AantoonbaarBekwaamCredential", "status_unknown", "STATUS_UNKNOWN",
               title={"nl": "Medicatie aanreiken", "en": "Handing out medication"}, role="examinator")
REVOKED = line("AantoonbaarBekwaamCredential", "revoked", "REVOKED", title={"nl": "Tillift", "en": "Patient lift"})


def report(*checks: CheckResult, self_asserted: bool = False) -> Report:
    return Report(kind="credential", checks=list(checks), self_asserted=self_asserted)


PASS = {name: CheckResult.passed(name, "ok") for name in ("structure", "schema", "proof", "validity", "status",
                                                          "trust")}


def test_status_unknown_is_its_own_category_never_klopt_niet():
    html = render("Controle", summary(GOOD, UNKNOWN), None)
    assert verdict(summary(GOOD, UNKNOWN)) == "unsettled"
    assert term("verdict.unsettled", "nl") in html
    assert term("verdict.not_verified", "nl") not in html and term("verdict.all_verified", "nl") not in html
    assert "Status onbekend: 1" in html and "Klopt niet: 0" in html and "Geverifieerd: 1" in html
    assert '<td class="unknown">Status onbekend' in html and 'class="bad"' not in html


def test_a_definite_failure_outweighs_an_unknown_status():
    html = render("Controle", summary(GOOD, UNKNOWN, REVOKED), None)
    assert term("verdict.not_verified", "nl") in html and term("verdict.unsettled", "nl") not in html
    assert "Status onbekend: 1" in html and "Klopt niet: 1" in html
    assert '<td class="bad">Ingetrokken' in html and '<td class="unknown">Status onbekend' in html


def test_unexplained_or_presentation_failures_are_not_verified():
    assert verdict(summary(GOOD, verified=False)) == "not_verified"  # nothing says why: fail closed
    assert verdict(summary(GOOD, verified=True)) == "all_verified"
    vp_problem = {"check": "challenge", "code": "CHALLENGE_MISMATCH", "message": "challenge does not match"}
    bad_vp = summary(GOOD, UNKNOWN, presentationProblems=[vp_problem])
    assert verdict(bad_vp) == "not_verified"
    html = render("Controle", bad_vp, None)
    assert problem("CHALLENGE_MISMATCH", "nl") in html and "challenge does not match" not in html
    odd = line("CertificaatCredential", "something_new")
    assert verdict(summary(GOOD, odd, verified=True)) == "not_verified"  # an outcome we do not know is a failure
    assert "Ongeldig of vervalst" in render("Controle", summary(odd), None)


def test_outcome_of_a_report_keeps_an_unknown_status_apart():
    unknown = CheckResult.failed("status", StatusUnknown("list unreachable"), unknown=True)
    assert outcome(report(*{**PASS, "status": unknown}.values())) == "status_unknown"
    untrusted = CheckResult.failed("trust", IssuerUnknown("not listed"))
    assert outcome(report(*{**PASS, "status": unknown, "trust": untrusted}.values())) == "untrusted"
    forged = CheckResult.failed("proof", SignatureInvalid("bad signature"))
    assert outcome(report(*{**PASS, "proof": forged, "status": unknown}.values())) == "invalid"
    assert outcome(report(*{**PASS, "status": CheckResult.failed("status", Revoked("revoked"))}.values())) == "revoked"
    assert outcome(report(*PASS.values(), self_asserted=True)) == "self_asserted"
    assert outcome(report(*PASS.values())) == "verified"
    assert [category(name) for name in ("verified", "status_unknown", "revoked", "invalid", None)] == [
        "verified", "status_unknown", "failed", "failed", "failed"]
    assert tally(["verified", "status_unknown", "expired", "self_asserted", "weird"]) == {
        "verified": 1, "self_asserted": 1, "status_unknown": 1, "failed": 2}


def test_the_report_in_english_uses_the_terms_and_no_dutch():
    match = {"jobProfile": {"name": {"nl": "Begeleider", "en": "Support worker"}},
             "demonstrated": [{"name": {"nl": "Methodisch werken", "en": "Working methodically"}, "required": True}],
             "claimed": [{"name": {"nl": "Medicatie", "en": "Medication"}, "reasonCode": "STATUS_UNKNOWN",
                          "reason": "aantoonbaar-bekwaam certificate status unknown"}],
             "missing": [{"name": {"nl": "Tillift", "en": "Patient lift"}, "required": True,
                          "reasonCode": "NOT_FOUND", "reason": "nothing in the presentation evidences or claims this"}],
             "learningPath": [{"name": {"nl": "Tillift", "en": "Patient lift"}, "text": {"en": "Practise on the ward"}}]}
    html = render("Check", summary(GOOD, UNKNOWN, REVOKED), match, lang="en")
    assert '<html lang="en">' in html
    for english in ("Verified", "Status unknown", "Revoked", "Handing out medication", "workplace examiner",
                    problem("REVOKED", "en"), problem("STATUS_UNKNOWN", "en"), term("verdict.not_verified", "en"),
                    "Does not check out: 1", "Support worker", "1 of 3 requirements demonstrated (1 of 2 required)",
                    term("reason.NOT_FOUND", "en"), "Learning path", "Practise on the ward"):
        assert english in html, english
    for dutch in ("Ingetrokken", "Geverifieerd", "Medicatie aanreiken", "uitgever", "verplicht", "eisen"):
        assert dutch not in html, dutch
    assert LIBRARY_ENGLISH not in html and "nothing in the presentation evidences" not in html


def test_the_report_in_dutch_by_default_and_a_language_not_offered_is_refused():
    html = render("Controle <b>", summary(REVOKED), {"jobProfile": {"name": "Begeleider"}, "missing": [
        {"name": "Tillift", "reasonCode": "NOT_FOUND"}, {"name": "BHV", "reasonCode": "NOT_FOUND"}]})
    assert '<html lang="nl">' in html and "Controle &lt;b&gt;" in html
    assert "Ingetrokken" in html and problem("REVOKED", "nl") in html and LIBRARY_ENGLISH not in html
    assert "0 van 2 eisen aangetoond (0 van 0 verplicht); 0 alleen genoemd, 2 ontbreken" in html
    with pytest.raises(InputError, match="'fr'"):
        render("Contrôle", summary(REVOKED), None, lang="fr")


def test_a_real_check_without_status_lists_reads_status_unknown_end_to_end():
    """The library's report, the verifier's summary and this report together: a genuine certificate
    whose status list is not at hand is "Status onbekend", and the page does not say "klopt niet"."""
    world = ria_world()
    revocable = next(e for e in world.endorsements if e.get("credentialStatus"))
    checked = check(revocable, now=NOW, trust=world.trust(), status=None)
    assert outcome(checked) == "status_unknown"
    said = summarize(revocable, checked)
    assert said["credentials"][0]["outcome"] == "status_unknown" and said["verified"] is False
    html = render("Controle", said, None)
    assert term("verdict.unsettled") in html and "Klopt niet: 0" in html and "Status onbekend: 1" in html
    fine = check(revocable, now=NOW, trust=world.trust(), status=world.status_documents)
    assert term("verdict.all_verified") in render("Controle", summarize(revocable, fine), None)

"""What ``passport respond`` prints of a verifier's answer: the verdict, each failed check with the
item it belongs to, and nothing the other party could use to drive the terminal."""
from __future__ import annotations

from passport.cli.verdict import MAX_LINES, MAX_TEXT, explain

PRESENTATION = {"verifiableCredential": [
    {"type": ["VerifiableCredential", "CertificaatCredential"], "name": "BHV",
     "credentialSubject": {"achievement": {"name": "BHV"}}},
]}


def test_failures_name_the_item_from_our_own_presentation():
    answer = {"verified": False, "errors": [
        {"check": "status", "status": "failed", "code": "REVOKED", "message": "revoked", "credentialIndex": 0},
        {"check": "holder", "status": "failed", "code": "CHALLENGE_MISMATCH", "message": "wrong challenge"},
    ]}
    lines = explain(answer, PRESENTATION, "en")
    assert lines[0] == "The verifier reports: NOT verified. What failed:"
    assert lines[1].startswith("  item 1 (") and "BHV" in lines[1] and "[REVOKED]" in lines[1]
    assert lines[2] == "  the presentation: holder failed: wrong challenge [CHALLENGE_MISMATCH]"


def test_the_report_without_errors_is_read_from_its_checks():
    answer = {"verified": False, "checks": [{"name": "proof", "status": "passed"}], "credentials": [
        {"checks": [{"name": "status", "status": "unknown", "code": "STATUS_UNKNOWN", "message": "no list"}]}]}
    assert explain(answer, PRESENTATION, "en")[1].endswith("status unknown: no list [STATUS_UNKNOWN]")


def test_control_characters_and_long_text_from_the_verifier_are_defused():
    answer = {"verified": False, "errors": [
        {"check": "status\x1b[2J", "code": "X", "message": "\x1b]0;owned\x07" + "y" * 1000, "credentialIndex": 9}]}
    line = explain(answer, PRESENTATION, "en")[1]
    assert "\x1b" not in line and "\x07" not in line
    assert line.startswith("  the presentation: ")  # an index we did not send names no item
    assert len(line) < 2 * MAX_TEXT + 100


def test_many_failures_are_cut_short():
    answer = {"verified": False, "errors": [{"check": "c", "code": "X", "message": "m"}] * (MAX_LINES + 5)}
    lines = explain(answer, PRESENTATION, "en")
    assert len(lines) == 1 + MAX_LINES + 1 and lines[-1] == "  ... and 5 more."


def test_other_answers():
    assert explain({"verified": True}, PRESENTATION, "en") == ["The verifier reports: verified."]
    assert explain({"code": "CHALLENGE_REPLAYED", "detail": "already answered"}, PRESENTATION, "en") == [
        "The verifier refused the presentation: already answered [CHALLENGE_REPLAYED]"]
    assert explain("<html>", PRESENTATION, "en") == [] and explain(None, PRESENTATION, "en") == []
    assert explain({"verified": False}, PRESENTATION, "en")[1] == "  (the verifier did not say which check failed)"

"""The demo's printed account marks each credential by its category (``passport.verification.report.category``):
a status that could not be checked is "??", never FAIL; anything unknown to the report is FAIL."""
from __future__ import annotations

from passport.demo.account import verdict_lines


def line(outcome: str | None, code: str | None = None) -> dict:
    return {"outcome": outcome, "title": "BHV", "issuer": "Lage Landen Spoor", "type": "CertificaatCredential",
            "problems": [{"code": code}] if code else []}


def test_marks_follow_the_category():
    lines = verdict_lines({"credentials": [line("verified"), line("self_asserted"),
                                           line("status_unknown", "STATUS_UNKNOWN"), line("revoked", "REVOKED"),
                                           line("something_new"), line(None)]})
    marks = [text.split()[0] for text in lines]
    assert marks == ["ok", "ok", "??", "FAIL", "FAIL", "FAIL"]
    assert "status unknown" in lines[2] and "[STATUS_UNKNOWN]" in lines[2]
    assert "[REVOKED]" in lines[3]

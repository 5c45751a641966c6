"""The verifier's reading of an OpenID4VP answer: one presentation per credential, seen as one.

A ``vp_token`` holds one presentation per credential (``passport.roles.dcql``), each checked on
its own with the request's ``nonce`` as challenge and ``client_id`` as domain. ``binding_error``
says whether a presentation is bound to the request at all (structure, proof, challenge, domain,
freshness): an answer with one that is not is refused as a protocol error and changes nothing.
``combine`` then makes one view of the answer for the page and the match: every credential in
one presentation-shaped document, the checks of all presentations folded into one report (the
first failure of each check wins), ``holder`` (all presentations by one holder) and ``entries``
over all credentials together.
"""
from __future__ import annotations

from typing import Any, Mapping

from ..errors import HolderMismatch, PassportError, StructureInvalid
from ..verification.presentation_checks import entries_check
from ..verification.report import CheckResult, Report

VC_CONTEXT = "https://www.w3.org/ns/credentials/v2"
BINDING_CHECKS = ("structure", "proof", "challenge", "domain", "freshness")


def binding_error(report: Report) -> PassportError | None:
    """The first failed binding check of one presentation's report, or None when it is bound."""
    for name in BINDING_CHECKS:
        result = report.check(name)
        if result is None and name == "proof" and report.check("structure") is not None:
            return StructureInvalid("the presentation could not be read")
        if result is not None and not result.ok:
            return result.error or StructureInvalid(result.message)
    return None


def one_holder(presentations: list[Mapping[str, Any]]) -> str:
    """The holder of every presentation; ``HolderMismatch`` when two differ."""
    holders = {presentation.get("holder") for presentation in presentations}
    if len(holders) != 1 or not isinstance(next(iter(holders)), str):
        raise HolderMismatch("the presentations in one answer are by different holders",
                             holders=sorted(str(holder) for holder in holders)[:4])
    return next(iter(holders))


def combine(presentations: list[dict[str, Any]], reports: list[Report]) -> tuple[dict[str, Any], Report]:
    """One presentation-shaped view of every credential, and one report of all the checks."""
    holder = one_holder(presentations)
    credentials = [credential for presentation in presentations
                   for credential in _credentials(presentation)]
    view = {"@context": [VC_CONTEXT], "type": ["VerifiablePresentation"], "holder": holder,
            "verifiableCredential": credentials}
    combined = Report(kind="presentation", types=["VerifiablePresentation"], issuer=holder)
    names = [result.name for result in reports[0].checks if result.name != "entries"]
    for name in names:
        results = [found for report in reports if (found := report.check(name)) is not None]
        combined.add(next((result for result in results if not result.ok), results[0]))
    combined.add(CheckResult.passed("holder", f"all {len(presentations)} presentation(s) are by {holder}"))
    combined.add(entries_check(credentials))
    combined.credentials = [inner for report in reports for inner in report.credentials]
    return view, combined


def _credentials(presentation: Mapping[str, Any]) -> list[dict[str, Any]]:
    inner = presentation.get("verifiableCredential")
    return [inner] if isinstance(inner, dict) else list(inner)

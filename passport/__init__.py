"""Paspoort: signed, portable Persoonlijk Profiel documents and their endorsements.

The public names::

    from passport import Ed25519Key, sign, verify, check
    key = Ed25519Key.from_multikey(json.load(open("key.json")))
    signed = sign(unsigned_doc, key, created="2023-02-24T23:36:38Z")   # eddsa-jcs-2022
    doc = verify(signed, now=..., trust=..., status=...)   # the document, or raises PassportError
    report = check(signed, now=..., trust=..., status=...) # every check in order
"""
from .errors import PassportError
from .roles.holder import present
from .crypto.keys import Ed25519Key
from .verification.report import CheckResult, Report
from .proofs.signing import sign
from .verification.status_check import StatusSource
from .format.trust import TrustDecision, TrustRegistry, TrustStore, load_registry
from .verification.verifier import check, verify

__all__ = [
    "CheckResult",
    "Ed25519Key",
    "PassportError",
    "Report",
    "StatusSource",
    "TrustDecision",
    "TrustRegistry",
    "TrustStore",
    "check",
    "load_registry",
    "present",
    "sign",
    "verify",
]

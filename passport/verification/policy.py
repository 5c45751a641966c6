"""The two verification policies: which checks are Paspoort rules and which are W3C rules.

- ``paspoort`` (the default, and the verifier service's page and wallet flows): every
  credential must come from an issuer the trust registry vouches for, and every credential in a
  presentation must be about its holder. Closed by default.
- ``vcdm`` (the W3C VC API endpoints): the W3C checks (structure, proof, validity, status,
  challenge, domain) apply to every credential; the Paspoort rules apply to Paspoort credentials
  only. For any other credential the ``subjects`` rule is reported ``skipped``, and the ``trust``
  step is ``passed`` when the registry lists the issuer and ``skipped`` when it does not (the
  registry speaks only for Paspoort issuers). Such a credential's status entry can then not be
  checked at a registered location, so it is reported unknown, never valid.
"""
from __future__ import annotations

from typing import Any, Mapping

from ..errors import InputError, StructureInvalid
from ..format.documents import paspoort_type

PASPOORT = "paspoort"
VCDM = "vcdm"
POLICIES = (PASPOORT, VCDM)
W3C_TYPES = frozenset({"BitstringStatusListCredential"})  # allowlisted for its schema, but a W3C type


def policy_of(value: Any) -> str:
    if value not in POLICIES:
        raise InputError(f"policy= must be one of {', '.join(POLICIES)}, not {value!r}")
    return value


def is_paspoort_kind(kind: str | None) -> bool:
    """Whether ``kind`` (a ``paspoort_type`` result) is one of Paspoort's own types."""
    return kind is not None and kind not in W3C_TYPES


def is_paspoort(credential: Mapping[str, Any]) -> bool:
    """Whether the credential has a Paspoort type (its own structure check reports an unusable ``type``)."""
    try:
        return is_paspoort_kind(paspoort_type(credential))
    except StructureInvalid:
        return True  # unusable type: treated as ours, so the Paspoort rules still apply (closed)

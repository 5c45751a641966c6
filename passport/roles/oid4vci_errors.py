"""The errors of OpenID4VCI issuance, under the one root ``PassportError`` (codes in SPEC.md).

They live beside the protocol code because ``passport.errors`` is at its size limit; they are
found by the same walk over the package as every other error class.
"""
from __future__ import annotations

from ..errors import InputError, PassportError, WalletError


class KeyProofInvalid(PassportError):
    """A wallet's key proof (``jwt`` or ``di_vp``) that does not prove possession for this issuer."""

    code = "KEY_PROOF_INVALID"


class CredentialOfferInvalid(InputError):
    """A credential offer (URI, QR code or offer document) or issuer metadata the wallet cannot follow safely."""

    code = "CREDENTIAL_OFFER_INVALID"


class IssuanceFailed(WalletError):
    """The issuer refused or failed a step of OpenID4VCI issuance (its OAuth error is in the details)."""

    code = "ISSUANCE_FAILED"
    status = 502

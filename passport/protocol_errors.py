"""The errors of the OpenID4VCI and OpenID4VP exchanges, under the one root ``PassportError``.

Beside ``passport.errors`` (at its size limit), at the same level, found by the same walk over the
package as every other error class; each has a stable ``code`` in SPEC.md's table. The issuer's
OpenID4VCI endpoints answer OAuth errors; the verifier's response endpoint adds the OAuth
``error`` (``invalid_request``) to the Problem Details it answers with.
"""
from __future__ import annotations

from .errors import InputError, PassportError, RequestInvalid, WalletError

# --- OpenID4VCI ------------------------------------------------------------------------
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


# --- OpenID4VP -------------------------------------------------------------------------
class JWEInvalid(PassportError):
    """A compact JWE (an encrypted response) that is malformed, not ECDH-ES with A128GCM/A256GCM,
    or not for this request's key."""

    code = "JWE_INVALID"


class ClientIdInvalid(RequestInvalid):
    """A request whose client_id has an unsupported prefix or does not match its signer."""

    code = "CLIENT_ID_INVALID"


class ResponseInvalid(InputError):
    """An authorization response that is malformed or does not fit its request."""

    code = "RESPONSE_INVALID"


class CredentialNotRequested(ResponseInvalid):
    """A vp_token entry or credential the request's DCQL query did not ask for."""

    code = "CREDENTIAL_NOT_REQUESTED"

"""The errors of the OpenID4VP exchange (issue 15), beside ``passport.errors`` (which is full).

Each has a stable ``code`` in SPEC.md's table; the verifier's response endpoint adds the OAuth
``error`` (``invalid_request``) to the Problem Details it answers them with.
"""
from __future__ import annotations

from .errors import InputError, PassportError, RequestInvalid


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

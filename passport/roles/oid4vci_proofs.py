"""OpenID4VCI key proofs: the wallet shows it holds the key of the DID the credential will name.

Two proof types (OID4VCI 1.0, appendix F), both bound to the credential issuer and a ``c_nonce``:

- ``jwt``: a compact JWS, ``typ`` ``openid4vci-proof+jwt``, ``alg`` ``EdDSA`` only (``jws``'s
  allowlist: ``none``, ``HS256`` and the rest are refused before any key is used), ``kid`` a
  did:key verification method (the key comes from the DID, never from the token), claims
  ``aud`` = the credential issuer, ``nonce`` = the c_nonce, ``iat`` within ``MAX_AGE`` of now
  (and not ahead of it by more than ``CLOCK_SKEW``);
- ``di_vp``: a W3C presentation without credentials whose ``holder`` is a did:key and whose
  Data Integrity proof (``eddsa-jcs-2022``, purpose ``authentication``, by the holder) has
  ``challenge`` = the c_nonce and ``domain`` = the credential issuer, created within ``MAX_AGE``.

``verify_key_proof`` returns the proven DID and the nonce the proof names; it does not know
which nonces are current (the issuer consumes the nonce in its store, once). Every failure is
``KeyProofInvalid`` (the issuer answers ``invalid_proof``).
"""
from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any, Mapping, NamedTuple

from ..crypto.did import resolve_did_key
from ..crypto.jws import sign_jws, verify_jws
from ..crypto.keys import Ed25519Key
from ..errors import JWSInvalid, PassportError
from ..verification.verifier import check
from .holder import present
from .oid4vci import DI_VP_PROOF, JWT_PROOF
from ..protocol_errors import KeyProofInvalid

PROOF_TYP = "openid4vci-proof+jwt"
MAX_AGE = timedelta(minutes=5)
CLOCK_SKEW = timedelta(seconds=60)
MAX_NONCE = 256


class ProvenKey(NamedTuple):
    did: str  # the did:key the credential will be issued to
    nonce: str  # the c_nonce the proof is bound to


def make_jwt_proof(key: Ed25519Key, *, audience: str, nonce: str, now: datetime) -> str:
    """The wallet's ``jwt`` key proof for ``audience`` (the credential issuer) and ``nonce``."""
    return sign_jws({"aud": audience, "nonce": nonce, "iat": int(now.timestamp())}, key, typ=PROOF_TYP,
                    kid=key.verification_method)


def make_di_vp_proof(key: Ed25519Key, *, audience: str, nonce: str, now: datetime) -> dict[str, Any]:
    """The wallet's ``di_vp`` key proof: an empty presentation bound to ``nonce`` and ``audience``."""
    return present([], key, now=now, challenge=nonce, domain=audience, lifetime=MAX_AGE)


def verify_key_proof(proof_type: str, proof: Any, *, audience: str, now: datetime) -> ProvenKey:
    """Check one key proof of ``proof_type`` for ``audience``; the proven DID and its nonce."""
    if proof_type == JWT_PROOF:
        return _verify_jwt(proof, audience, now)
    if proof_type == DI_VP_PROOF:
        return _verify_di_vp(proof, audience, now)
    raise KeyProofInvalid(f"proof type {str(proof_type)[:40]!r} is not supported; use jwt or di_vp")


def _verify_jwt(token: Any, audience: str, now: datetime) -> ProvenKey:
    if not isinstance(token, str):
        raise KeyProofInvalid("a jwt proof is a compact JWS string")
    try:
        header, claims = verify_jws(token, typ=PROOF_TYP, resolve=_did_key_method)
    except JWSInvalid as exc:
        raise KeyProofInvalid(f"the jwt proof is not accepted: {exc.message}", **exc.details) from None
    kid = header["kid"]
    aud = claims.get("aud")
    if aud != audience and not (isinstance(aud, list) and audience in aud):
        raise KeyProofInvalid(f"the proof is for {str(aud)[:120]!r}, not for this issuer {audience}", aud=str(aud)[:120])
    iat = claims.get("iat")
    if isinstance(iat, bool) or not isinstance(iat, (int, float)):
        raise KeyProofInvalid("the proof has no iat (issued at, in seconds)")
    _recent(datetime.fromtimestamp(iat, tz=now.tzinfo), now)
    return ProvenKey(kid.partition("#")[0], _nonce(claims.get("nonce")))


def _did_key_method(kid: str) -> bytes:
    """The key of a ``did:key:z..#z..`` method; a bare DID or any other DID method is refused."""
    if not kid.startswith("did:key:") or "#" not in kid:
        raise KeyProofInvalid(f"kid must be a did:key verification method (did:key:z...#z...), not {kid[:80]!r}")
    return resolve_did_key(kid)


def _verify_di_vp(vp: Any, audience: str, now: datetime) -> ProvenKey:
    if not isinstance(vp, Mapping):
        raise KeyProofInvalid("a di_vp proof is a presentation object")
    holder = vp.get("holder")
    if not isinstance(holder, str) or not holder.startswith("did:key:"):
        raise KeyProofInvalid("the di_vp presentation's holder must be a did:key")
    if vp.get("verifiableCredential") not in (None, []):
        raise KeyProofInvalid("a di_vp key proof holds no credentials")
    proof = vp.get("proof")
    if not isinstance(proof, Mapping) or proof.get("cryptosuite") != "eddsa-jcs-2022":
        raise KeyProofInvalid("a di_vp key proof has one eddsa-jcs-2022 proof")
    nonce = _nonce(proof.get("challenge"))
    try:
        report = check(dict(vp), now=now, challenge=nonce, domain=audience, max_age=MAX_AGE)
    except PassportError as exc:
        raise KeyProofInvalid(f"the di_vp proof is not accepted: {exc.message}") from None
    error = report.first_error()
    if error is not None:
        raise KeyProofInvalid(f"the di_vp proof is not accepted: {error.message}", reason=error.code)
    return ProvenKey(holder, nonce)


def _nonce(value: Any) -> str:
    if not isinstance(value, str) or not 0 < len(value) <= MAX_NONCE:
        raise KeyProofInvalid("the proof names no c_nonce")
    return value


def _recent(issued: datetime, now: datetime) -> None:
    if issued > now + CLOCK_SKEW:
        raise KeyProofInvalid("the proof was made in the future (iat after now)")
    if issued < now - MAX_AGE:
        raise KeyProofInvalid(f"the proof is older than {int(MAX_AGE.total_seconds())} seconds (iat)")

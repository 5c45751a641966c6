"""Token, nonce and credential: the wallet's side of the pre-authorized code flow.

- ``token``: pre-authorized code + transaction code -> an access token bound to that offer. A
  wrong transaction code counts as a try; after ``MAX_TX_TRIES`` the offer is dead. The code is
  single use: a second exchange gets ``invalid_grant``.
- ``nonce``: a fresh ``c_nonce`` (single use, short-lived).
- ``credential``: the access token, a key proof for this issuer with a current c_nonce, and the
  offer's configuration -> the credential, issued by the same steps as ``/credentials/issue``
  (status entry, stored record, audit entry) with ``credentialSubject.id`` the proven DID. The
  nonce is consumed, the offer marked issued and the token deleted in that same transaction:
  a request that fails changes nothing.
"""
from __future__ import annotations

import json
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Callable, Mapping

from sqlalchemy import bindparam, delete, insert, select, update
from sqlalchemy.exc import IntegrityError

from passport.errors import PassportError
from passport.roles.oid4vci import CONFIGURATIONS, DI_VP_PROOF, JWT_PROOF, PRE_AUTHORIZED_GRANT
from passport.protocol_errors import KeyProofInvalid
from passport.roles.oid4vci_proofs import verify_key_proof

from ..auth import GENERAL, GENERAL_ROLES, ROLE_TYPES, Staff
from ..errors import Forbidden
from ..models import Token
from ..status import utc
from .errors import OAuthError
from .models import DEAD, ISSUED, OFFERED, REDEEMED, AccessToken, Nonce, Offer
from .nonces import Nonces
from .offers import digest, tx_code_hash, with_subject

MAX_TX_TRIES = 5
TOKEN_LIFETIME = timedelta(minutes=5)
NONCE_LIFETIME = timedelta(minutes=5)
MAX_SECRET = 512  # longest code, token or nonce looked at
USE_NONCE, NEW_TOKEN = insert(Nonce.__table__), insert(AccessToken.__table__)
# Every statement is built once: building one per request cost about 0.1 ms of SQLAlchemy each.
OFFER_BY_CODE = (select(Offer.id, Offer.state, Offer.expires_at, Offer.tx_code_hash, Offer.tx_tries)
                 .where(Offer.code_hash == bindparam("code_hash")).with_for_update())
COUNT_TRY = update(Offer).where(Offer.id == bindparam("offer_id")).values(tx_tries=bindparam("tries"),
                                                                          state=bindparam("next_state"))
REDEEM = update(Offer).where(Offer.id == bindparam("offer_id")).values(state=REDEEMED)
CLAIM = (update(Offer).where(Offer.id == bindparam("offer_id"), Offer.state == REDEEMED)
         .values(state=ISSUED, credential_id=bindparam("issued_id")))
DROP_TOKENS = delete(AccessToken).where(AccessToken.offer_id == bindparam("offer_id"))
OFFER_BY_TOKEN = (select(AccessToken.expires_at, Offer.id, Offer.state, Offer.configuration_id, Offer.credential,
                         Offer.options, Offer.staff_token_id)
                  .join(Offer, Offer.id == AccessToken.offer_id)
                  .where(AccessToken.token_hash == bindparam("token_hash")))
STAFF_BY_ID = select(Token.id, Token.name, Token.role, Token.types, Token.scopes, Token.expires_at,
                     Token.revoked_at).where(Token.id == bindparam("token_id"))
NONCE_USED = "the proof's c_nonce was used already; get a new one from the nonce endpoint"


@dataclass
class Exchange:
    issuer: Any  # the service's Issuer

    @property
    def audience(self) -> str:
        return self.issuer.config["BASE_URL"]

    # --- token endpoint ---------------------------------------------------------------------
    def token(self, form: Mapping[str, list[str]], now: datetime) -> dict[str, Any]:
        grant_type = _single(form, "grant_type")
        if grant_type != PRE_AUTHORIZED_GRANT:
            raise OAuthError("unsupported_grant_type", f"only {PRE_AUTHORIZED_GRANT} is supported")
        code = _single(form, "pre-authorized_code")
        tx_code = _single(form, "tx_code", required=False)
        if not code:
            raise OAuthError("invalid_request", "pre-authorized_code is missing")
        if tx_code is None:
            raise OAuthError("invalid_request", "this offer needs its transaction code (tx_code)")
        access_token = secrets.token_urlsafe(32)
        failure = None
        with self.issuer.db.writing() as connection:
            offer = connection.execute(OFFER_BY_CODE, {"code_hash": digest(code)}).first()
            if offer is None or offer.state != OFFERED:
                raise OAuthError("invalid_grant", "the pre-authorized code is not valid (unknown, used or withdrawn)")
            if utc(offer.expires_at) <= now:
                raise OAuthError("invalid_grant", "the offer has expired")
            if len(tx_code) > 64 or not secrets.compare_digest(tx_code_hash(code, tx_code), offer.tx_code_hash):
                tries = offer.tx_tries + 1  # committed: the try counts
                state = DEAD if tries >= MAX_TX_TRIES else OFFERED
                connection.execute(COUNT_TRY, {"offer_id": offer.id, "tries": tries, "next_state": state})
                failure = ("the transaction code is wrong; too many tries, the offer is withdrawn" if state == DEAD
                           else f"the transaction code is wrong ({MAX_TX_TRIES - tries} tries left)")
            else:
                connection.execute(REDEEM, {"offer_id": offer.id})
                connection.execute(NEW_TOKEN, {"token_hash": digest(access_token), "offer_id": offer.id,
                                               "expires_at": now + self._lifetime("TOKEN", TOKEN_LIFETIME)})
        if failure:
            raise OAuthError("invalid_grant", failure)
        return {"access_token": access_token, "token_type": "Bearer",
                "expires_in": int(self._lifetime("TOKEN", TOKEN_LIFETIME).total_seconds())}

    # --- nonce endpoint ---------------------------------------------------------------------
    def nonce(self, now: datetime) -> dict[str, Any]:
        """A fresh ``c_nonce``: its expiry and 128 random bits, MACed (``nonces``); nothing stored."""
        return {"c_nonce": self._nonces().make(now + self._lifetime("NONCE", NONCE_LIFETIME))}

    def _nonces(self) -> Nonces:
        return Nonces.for_key(self.issuer.keyring.active)

    # --- credential endpoint ----------------------------------------------------------------
    def credential(self, authorization: str | None, read_body: Callable[[], Any], now: datetime) -> dict[str, Any]:
        token = _bearer(authorization)
        offer_id, configuration_id, submitted, options, staff = self._offer_for(token, now)
        proof_type, proof = _one_proof(read_body(), configuration_id)
        try:
            proven = verify_key_proof(proof_type, proof, audience=self.audience, now=now)
        except KeyProofInvalid as exc:
            raise OAuthError("invalid_proof", exc.message) from None
        issuer = self.issuer
        try:
            if isinstance(staff, Forbidden):
                raise staff
            prepared = issuer.prepare(staff, with_subject(submitted, proven.did), options, now)
        except (PassportError, Forbidden) as exc:
            raise OAuthError("credential_request_denied", f"this offer can no longer be issued: {exc}") from None
        credential_id = prepared.credential["id"]
        expires = self._nonces().check(proven.nonce, now)  # a used one is refused in the transaction below

        def claim(connection) -> None:  # in the issuing transaction: offer, nonce, token, credential
            claimed = connection.execute(CLAIM, {"offer_id": offer_id, "issued_id": credential_id})
            if claimed.rowcount != 1:
                raise OAuthError("invalid_token", "the access token was already used")
            try:
                connection.execute(USE_NONCE, {"nonce_hash": digest(proven.nonce), "expires_at": expires})
            except IntegrityError:  # the transaction is rolled back: nothing was issued
                raise OAuthError("invalid_nonce", NONCE_USED) from None
            connection.execute(DROP_TOKENS, {"offer_id": offer_id})

        signed = issuer.issue_prepared(staff, prepared, now, claim)
        return {"credentials": [{"credential": signed}]}

    def _offer_for(self, token: str, now: datetime) -> tuple[int, str, Any, Any, Staff | Forbidden]:
        """The offer an access token is for, and who made it (or why they no longer may): one read."""
        with self.issuer.db.reading_connection() as connection:
            row = connection.execute(OFFER_BY_TOKEN, {"token_hash": digest(token)}).first()
            if row is None or row.state != REDEEMED:
                raise OAuthError("invalid_token", "the access token is not valid (unknown or used)")
            if utc(row.expires_at) <= now:
                raise OAuthError("invalid_token", "the access token has expired")
            try:
                staff: Staff | Forbidden = staff_by_id(connection, row.staff_token_id, now)
            except Forbidden as exc:
                staff = exc
        return row.id, row.configuration_id, json.loads(row.credential), row.options or None, staff

    def _lifetime(self, name: str, default: timedelta) -> timedelta:
        return timedelta(seconds=self.issuer.config.get(f"OID4VCI_{name}_SECONDS", default.total_seconds()))


def _single(form: Mapping[str, list[str]], name: str, *, required: bool = True) -> str | None:
    values = form.get(name, [])
    if len(values) > 1:
        raise OAuthError("invalid_request", f"{name} is given more than once")
    if not values:
        if required:
            raise OAuthError("invalid_request", f"{name} is missing")
        return None
    if len(values[0]) > MAX_SECRET:
        raise OAuthError("invalid_request", f"{name} is too long")
    return values[0]


def _bearer(header: str | None) -> str:
    scheme, _, token = (header or "").partition(" ")
    if scheme.lower() != "bearer" or not token.strip() or len(token) > MAX_SECRET:
        raise OAuthError("invalid_token", "send the access token as Authorization: Bearer <token>")
    return token.strip()


def _one_proof(body: Any, configuration_id: str) -> tuple[str, Any]:
    """The one key proof of a credential request for ``configuration_id`` (batch size 1)."""
    if not isinstance(body, Mapping):
        raise OAuthError("invalid_credential_request", "the credential request must be a JSON object")
    requested = body.get("credential_configuration_id")
    if "credential_identifier" in body or not isinstance(requested, str):
        raise OAuthError("invalid_credential_request", "name the credential_configuration_id of the offer")
    if requested not in CONFIGURATIONS:
        raise OAuthError("unknown_credential_configuration", f"{requested[:80]!r} is not offered by this issuer")
    if requested != configuration_id:
        raise OAuthError("credential_request_denied", f"this access token is for {configuration_id}, not {requested}")
    if "proof" in body:
        raise OAuthError("invalid_credential_request", "use proofs (OpenID4VCI 1.0), not proof")
    proofs = body.get("proofs")
    if not isinstance(proofs, Mapping) or len(proofs) != 1:
        raise OAuthError("invalid_proof", "proofs must hold one proof type: jwt or di_vp")
    (proof_type, values), = proofs.items()
    if proof_type not in (JWT_PROOF, DI_VP_PROOF) or not isinstance(values, list) or len(values) != 1:
        raise OAuthError("invalid_proof", "proofs must hold exactly one jwt or di_vp proof (batch size 1)")
    return proof_type, values[0]


def staff_by_id(connection, token_id: int, now: datetime) -> Staff:
    """The staff member who made the offer, as their token allows now (revoked or expired: 403)."""
    row = connection.execute(STAFF_BY_ID, {"token_id": token_id}).first()
    if row is None or row.revoked_at is not None or (row.expires_at is not None and utc(row.expires_at) <= now):
        raise Forbidden("the staff token that made this offer is no longer valid")
    types = ROLE_TYPES.get(row.role, frozenset())
    general = bool(row.types) and GENERAL in row.types and row.role in GENERAL_ROLES and not row.scopes
    if row.types and not general:
        types = types & frozenset(row.types)
    return Staff(token_id=row.id, name=row.name, role=row.role, types=types,
                 scopes=tuple(row.scopes) if row.scopes else None, general=general)

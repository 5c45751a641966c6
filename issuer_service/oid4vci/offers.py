"""Offers: staff make one for one person; the wallet fetches it by reference.

An offer is checked in full when it is made: the body is prepared exactly as issuing would
prepare it (template, schema, the staff token's types and scope), with a stand-in DID for the
subject, so a wallet never meets an offer that cannot be issued. The secrets it hands out:

- the reference in ``credential_offer_uri`` (256 random bits; stored as SHA-256);
- the pre-authorized code, derived from the reference (HMAC-SHA256), so the offer document can
  be served without storing the code (stored as SHA-256, to find the offer at the token endpoint);
- the transaction code (6 digits, shown once to staff; stored as SHA-256 over the code and it).
"""
from __future__ import annotations

import hashlib
import hmac
import json
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Mapping

from sqlalchemy import bindparam, insert, select

from passport.crypto.jws import b64url_encode as b64url
from passport.encoding.timeutil import format_datetime
from passport.errors import StructureInvalid
from passport.format.documents import paspoort_type
from passport.qr.symbols import render_svg
from passport.roles.oid4vci import OFFERS_PATH, TX_CODE_LENGTH, offer_document, offer_uri

from ..auth import Staff
from ..errors import NotFound
from ..status import utc
from .models import OFFERED, Offer

OFFER_LIFETIME = timedelta(minutes=10)
STAND_IN_DID = "did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK"  # the subject while checking an offer
OFFER_OPTIONS = frozenset({"template", "cryptosuite"})
NEW_OFFER = insert(Offer.__table__)
OFFER_BY_REFERENCE = (select(Offer.state, Offer.expires_at, Offer.configuration_id)
                      .where(Offer.reference_hash == bindparam("reference_hash")))


def digest(value: str) -> str:
    return hashlib.sha256(value.encode("utf-8")).hexdigest()


def code_of(reference: str) -> str:
    """The pre-authorized code of the offer with this reference."""
    return b64url(hmac.new(reference.encode("ascii"), b"pre-authorized_code", hashlib.sha256).digest())


def tx_code_hash(code: str, tx_code: str) -> str:
    return digest(code + "\x00" + tx_code)


def with_subject(credential: Any, did: str) -> Any:
    """The offered body with ``credentialSubject.id`` set to the wallet's DID: a new top level and
    subject, the rest shared with ``credential`` (preparing and signing never change nested values)."""
    if not isinstance(credential, Mapping) or not isinstance(credential.get("credentialSubject"), Mapping):
        return credential
    return {**credential, "credentialSubject": {**credential["credentialSubject"], "id": did}}


@dataclass
class Offers:
    issuer: Any  # the service's Issuer (settings, database, the issuing steps)

    @property
    def lifetime(self) -> timedelta:
        return timedelta(seconds=self.issuer.config.get("OID4VCI_OFFER_SECONDS", OFFER_LIFETIME.total_seconds()))

    def create(self, staff: Staff, credential: Any, options: Any, now: datetime, *, qr: bool = False) -> dict[str, Any]:
        """A new offer: 201 body with the offer URI and the transaction code (shown once); its QR code as
        SVG with ``qr``."""
        if not isinstance(credential, Mapping) or not isinstance(credential.get("credentialSubject"), Mapping):
            raise StructureInvalid("credential must be a credential body with one credentialSubject object",
                                   path="credential.credentialSubject")
        if "id" in credential["credentialSubject"]:
            raise StructureInvalid("credentialSubject.id stays out of an offer: the wallet's DID is filled in at "
                                   "issuance", path="credential.credentialSubject.id")
        if options is not None and (not isinstance(options, Mapping) or set(options) - OFFER_OPTIONS):
            raise StructureInvalid(f"options: an offer takes only {sorted(OFFER_OPTIONS)}", path="options")
        issuer = self.issuer
        prepared = issuer.prepare(staff, with_subject(credential, STAND_IN_DID), options, now)  # every check, now
        kind = paspoort_type(prepared.credential)
        if kind is None:
            raise StructureInvalid("an offer is for a Paspoort endorsement type", path="credential.type")
        reference = secrets.token_urlsafe(32)
        code = code_of(reference)
        tx_code = f"{secrets.randbelow(10 ** TX_CODE_LENGTH):0{TX_CODE_LENGTH}d}"
        expires = now + self.lifetime
        with issuer.db.writing() as connection:
            connection.execute(NEW_OFFER, {
                "reference_hash": digest(reference), "code_hash": digest(code),
                "tx_code_hash": tx_code_hash(code, tx_code), "configuration_id": kind,
                "credential": json.dumps(credential, ensure_ascii=False), "options": dict(options or {}),
                "staff_token_id": staff.token_id, "created_by": staff.name, "created_at": now,
                "expires_at": expires, "tx_tries": 0, "state": OFFERED, "credential_id": None})
        uri = f"{issuer.config['BASE_URL']}{OFFERS_PATH}/{reference}"
        link = offer_uri(uri)
        created = {"credential_offer_uri": uri, "offer": link, "tx_code": tx_code,
                   "credential_configuration_id": kind, "expires": format_datetime(expires)}
        if qr:
            created["qr_svg"] = render_svg(link)
        return created

    def document(self, reference: str, now: datetime) -> dict[str, Any]:
        """The offer document while the offer is open (not redeemed, expired or dead)."""
        if not 16 <= len(reference) <= 128:
            raise NotFound("there is no open offer at this address")
        with self.issuer.db.reading_connection() as connection:
            row = connection.execute(OFFER_BY_REFERENCE, {"reference_hash": digest(reference)}).first()
        if row is None or row.state != OFFERED or utc(row.expires_at) <= now:
            raise NotFound("there is no open offer at this address: it was used, has expired or never existed")
        kind = row.configuration_id
        return offer_document(self.issuer.config["BASE_URL"], kind, code_of(reference))

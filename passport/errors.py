"""The error tree: one root, one subclass per stable error code.

Every problem with a document, a key or an input is a ``PassportError``. Each subclass has a
stable ``code`` (a wire string, listed in SPEC.md) and the HTTP ``status`` it maps to, so the
services map errors in one place and the CLI prints them plainly. Instances carry data about
what went wrong in ``details`` (which field, what value, since when).
"""
from __future__ import annotations

from typing import Any


class PassportError(Exception):
    """Root of every error the library raises about documents, keys and input."""

    code = "PASSPORT_ERROR"
    status = 400

    def __init__(self, message: str, **details: Any) -> None:
        super().__init__(message)
        self.message = message
        self.details = details

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"code": self.code, "message": self.message}
        if self.details:
            out["details"] = self.details
        return out


# --- input: bytes that are not a usable JSON document (400, or 413 for size) ---------------
class InputError(PassportError):
    code = "INPUT_INVALID"


class MalformedJSON(InputError):
    code = "MALFORMED_JSON"


class DuplicateKey(InputError):
    code = "DUPLICATE_KEY"


class InputTooLarge(InputError):
    code = "INPUT_TOO_LARGE"
    status = 413


class NestingTooDeep(InputError):
    code = "NESTING_TOO_DEEP"


class NumberNotCanonical(InputError):
    """A number that RFC 8785 cannot represent exactly (NaN, Infinity, |n| > 2**53 - 1)."""

    code = "NUMBER_NOT_CANONICAL"


class StringNotCanonical(InputError):
    """A string or key with a lone surrogate, which has no UTF-8 form."""

    code = "STRING_NOT_CANONICAL"


class QRInvalid(InputError):
    """QR text or a QR image that does not decode: wrong prefix, bad base45, bad zlib, no code found."""

    code = "QR_INVALID"


class QRTooLarge(InputError):
    """A document too large for one reliable QR code, or QR text that inflates beyond the cap."""

    code = "QR_TOO_LARGE"
    status = 413


# --- document shape (422) ---------------------------------------------------------------
class DocumentInvalid(PassportError):
    code = "DOCUMENT_INVALID"
    status = 422


class StructureInvalid(DocumentInvalid):
    code = "STRUCTURE_INVALID"


class SchemaInvalid(DocumentInvalid):
    code = "SCHEMA_INVALID"


class EntryDigestMismatch(DocumentInvalid):
    """An entry endorsement whose digest does not match the profile entry it points at."""

    code = "ENTRY_DIGEST_MISMATCH"


# --- keys and identifiers ---------------------------------------------------------------
class KeyInvalid(PassportError):
    code = "KEY_INVALID"


class JWSInvalid(PassportError):
    """A compact JWS (key proof, request object) that is malformed, unsigned or not EdDSA."""

    code = "JWS_INVALID"


class DIDUnsupported(PassportError):
    code = "DID_UNSUPPORTED"
    status = 422


class DIDInvalid(PassportError):
    code = "DID_INVALID"
    status = 422


# --- proof (422) ------------------------------------------------------------------------
class ProofError(PassportError):
    code = "PROOF_INVALID"
    status = 422


class ProofMissing(ProofError):
    code = "PROOF_MISSING"


class ProofMalformed(ProofError):
    code = "PROOF_MALFORMED"


class SuiteUnsupported(ProofError):
    code = "PROOF_SUITE_UNSUPPORTED"


class PurposeMismatch(ProofError):
    code = "PROOF_PURPOSE_MISMATCH"


class KeyNotAuthorized(ProofError):
    """The verification method does not belong to the issuer (or holder) it claims to sign for."""

    code = "PROOF_KEY_NOT_AUTHORIZED"


class SignatureInvalid(ProofError):
    code = "SIGNATURE_INVALID"


class ProofNotCurrent(ProofError):
    """A proof created after the verification time or past its own ``expires``."""

    code = "PROOF_NOT_CURRENT"


# --- validity period (422) --------------------------------------------------------------
class ValidityError(PassportError):
    code = "VALIDITY_INVALID"
    status = 422


class NotYetValid(ValidityError):
    code = "NOT_YET_VALID"


class Expired(ValidityError):
    code = "EXPIRED"


# --- status (422) -----------------------------------------------------------------------
class StatusError(PassportError):
    code = "STATUS_INVALID"
    status = 422


class Revoked(StatusError):
    code = "REVOKED"


class Suspended(StatusError):
    code = "SUSPENDED"


class StatusUnknown(StatusError):
    """The status could not be determined: never treated as valid."""

    code = "STATUS_UNKNOWN"


class StatusListInvalid(StatusError):
    code = "STATUS_LIST_INVALID"


# --- trust (422) ------------------------------------------------------------------------
class TrustError(PassportError):
    code = "TRUST_INVALID"
    status = 422


class IssuerUnknown(TrustError):
    code = "ISSUER_UNKNOWN"


class IssuerOutOfScope(TrustError):
    code = "ISSUER_OUT_OF_SCOPE"


class TrustRegistryInvalid(TrustError):
    code = "TRUST_REGISTRY_INVALID"


# --- holder binding for presentations (422) ---------------------------------------------
class HolderBindingError(PassportError):
    code = "HOLDER_BINDING_INVALID"
    status = 422


class ChallengeMismatch(HolderBindingError):
    code = "CHALLENGE_MISMATCH"


class DomainMismatch(HolderBindingError):
    code = "DOMAIN_MISMATCH"


class HolderMismatch(HolderBindingError):
    """The presentation proof is not by the presentation's holder."""

    code = "HOLDER_MISMATCH"


class SubjectNotHolder(HolderBindingError):
    code = "SUBJECT_NOT_HOLDER"


class ChallengeUnknown(HolderBindingError):
    """A challenge this verifier never issued (or none at all): a foreign or made-up request."""

    code = "CHALLENGE_UNKNOWN"


class ReadTokenInvalid(PassportError):
    """No read token, or not the one handed out with the challenge: the answer stays with the page that asked."""

    code = "READ_TOKEN_INVALID"
    status = 401


class ChallengeExpired(HolderBindingError):
    code = "CHALLENGE_EXPIRED"


class ChallengeReplayed(HolderBindingError):
    """A challenge that was already answered once: challenges are single-use."""

    code = "CHALLENGE_REPLAYED"
    status = 409


# --- the worker's wallet file, backups and verifier requests ------------------------------
class WalletError(PassportError):
    code = "WALLET_ERROR"


class WrongPassphrase(WalletError):
    """The passphrase (or recovery code) does not open the wallet or backup."""

    code = "WALLET_PASSPHRASE"
    status = 401


WalletLocked = WrongPassphrase


class PassphraseRequired(WalletError):
    """No passphrase given and no terminal to ask on, or a new passphrase that is too short or mistyped."""

    code = "WALLET_PASSPHRASE_REQUIRED"
    status = 401


class WalletCorrupt(WalletError):
    """A damaged or tampered wallet or backup file: detected, never half-read."""

    code = "WALLET_CORRUPT"
    status = 422


class WalletUnsupported(WalletError):
    """A wallet or backup in a format version or with parameters this program does not accept."""

    code = "WALLET_UNSUPPORTED"
    status = 422


class WalletExists(WalletError):
    code = "WALLET_EXISTS"
    status = 409


class WalletBusy(WalletError):
    """Another command holds the wallet's lock; nothing was read or written."""

    code = "WALLET_BUSY"
    status = 409


class WalletNotFound(WalletError):
    code = "WALLET_NOT_FOUND"
    status = 404


class WalletPermissions(WalletError):
    """The wallet file is readable or writable by group or others."""

    code = "WALLET_PERMISSIONS"
    status = 403


class WalletRolledBack(WalletError):
    """The wallet file is older than the last one this computer wrote: an older copy was put back."""

    code = "WALLET_ROLLBACK"
    status = 409


class ImportRefused(WalletError):
    """A credential the wallet will not hold: details carry the failing check and its code."""

    code = "IMPORT_REFUSED"
    status = 422


class CredentialNotFound(WalletError):
    code = "CREDENTIAL_NOT_FOUND"
    status = 404


class RequestInvalid(WalletError):
    """A verifier request (URL or QR text) that cannot be answered safely."""

    code = "REQUEST_INVALID"


class SendFailed(WalletError):
    """The presentation could not be delivered to the verifier's response URL."""

    code = "SEND_FAILED"
    status = 502


# --- JSON-LD processing (422): strict expansion under the shipped contexts only ----------
class JsonLdInvalid(DocumentInvalid):
    """A document that is not valid JSON-LD under the shipped contexts (syntax, a damaged context)."""

    code = "JSONLD_INVALID"


class JsonLdContextUnknown(JsonLdInvalid):
    """An ``@context`` URL that is not one of the shipped contexts: refused, never fetched."""

    code = "JSONLD_CONTEXT_UNKNOWN"


class JsonLdTermUndefined(JsonLdInvalid):
    """A property that no context defines: JSON-LD would drop it silently, so it is refused."""

    code = "JSONLD_TERM_UNDEFINED"


class JsonLdTypeUndefined(JsonLdInvalid):
    """A ``type`` value (or a vocabulary value) that no context defines: it would not be an IRI."""

    code = "JSONLD_TYPE_UNDEFINED"


class JsonLdRelativeIri(JsonLdInvalid):
    """An ``id`` (or other IRI value) that is relative: it would be dropped from the RDF dataset."""

    code = "JSONLD_RELATIVE_IRI"


class JsonLdProtectedTerm(JsonLdInvalid):
    """An embedded or later context that redefines a protected term of an earlier one."""

    code = "JSONLD_PROTECTED_TERM"


def all_error_classes() -> list[type[PassportError]]:
    """Every error class, root first: the table in SPEC.md is checked against this list."""
    found: list[type[PassportError]] = []
    pending: list[type[PassportError]] = [PassportError]
    while pending:
        cls = pending.pop(0)
        found.append(cls)
        pending.extend(cls.__subclasses__())
    return found

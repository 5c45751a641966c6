"""Data Integrity proofs with the cryptosuites ``eddsa-jcs-2022`` and ``eddsa-rdfc-2022``, as W3C defines them.

Steps (names match SPEC.md and the W3C test vectors):

1. ``proof_config``: the proof options (``type``, ``cryptosuite``, optional ``created``,
   ``verificationMethod``, ``proofPurpose`` and optional ``challenge``/``domain``/``expires``),
   with the document's ``@context`` copied in when the document has one;
2. canonicalize both the proof config and the document without ``proof``: RFC 8785 for
   ``eddsa-jcs-2022``, RDFC-1.0 for ``eddsa-rdfc-2022`` (``cryptosuites``);
3. ``hash_data``: SHA-256(canonical proof config) followed by SHA-256(canonical document);
4. Ed25519 over those 64 bytes; ``proofValue`` is the signature in multibase base58btc.

Only these two suites are accepted: ``type`` and the suite allowlist are fixed in code
(``cryptosuites.SUITES``), never taken from the document. Signing defaults to ``eddsa-jcs-2022``.
"""
from __future__ import annotations

import copy
import hashlib
from datetime import datetime
from typing import Any, Mapping, NamedTuple

from .cryptosuites import JCS, SUITES, suite
from ..crypto.did import Resolver, controller_of, resolve_local
from ..errors import ProofMalformed, ProofMissing, PurposeMismatch, SignatureInvalid, SuiteUnsupported
from ..crypto.keys import Ed25519Key, verify_signature
from ..encoding.multibase import MAX_SIGNATURE_CHARS, decode_z, encode_z
from ..encoding.timeutil import parse_datetime

PROOF_TYPE = "DataIntegrityProof"
CRYPTOSUITE = JCS  # the default suite for signing
CRYPTOSUITES = frozenset(SUITES)
PROOF_PURPOSES = frozenset({"assertionMethod", "authentication"})
_OPTIONAL_FIELDS = ("expires", "challenge", "domain", "nonce")
_ALLOWED_PROOF_FIELDS = frozenset(
    {"@context", "id", "type", "cryptosuite", "created", "verificationMethod", "proofPurpose", "proofValue",
     *_OPTIONAL_FIELDS}
)


def proof_config(document: Mapping[str, Any], options: Mapping[str, Any]) -> dict[str, Any]:
    """Step 1: the proof options, carrying the document's ``@context`` when it has one."""
    config = {key: value for key, value in options.items() if key != "proofValue"}
    if "@context" in document:
        config["@context"] = copy.deepcopy(document["@context"])
    return config


def hash_data(canonical_proof_config: bytes, canonical_document: bytes) -> bytes:
    """Step 3: SHA-256 of the proof config, then SHA-256 of the document (64 bytes)."""
    return hashlib.sha256(canonical_proof_config).digest() + hashlib.sha256(canonical_document).digest()


def unsecured(document: Mapping[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in document.items() if key != "proof"}


def sign(
    document: Mapping[str, Any],
    key: Ed25519Key,
    *,
    created: str | None,
    proof_purpose: str = "assertionMethod",
    challenge: str | None = None,
    domain: str | None = None,
    expires: str | None = None,
    cryptosuite: str = CRYPTOSUITE,
    document_loader: Any = None,
) -> dict[str, Any]:
    """Return a copy of ``document`` with a Data Integrity proof added (``created`` None: none in the proof).

    ``document_loader``: for ``eddsa-rdfc-2022``, a ``passport.jsonld.DocumentLoader`` with extra
    contexts (default: the shipped contexts only).
    """
    chosen = suite(cryptosuite)
    if not isinstance(document, dict):
        raise ProofMalformed("only a JSON object can be signed")
    if "proof" in document:
        raise ProofMalformed("the document already has a proof; sign the unsigned document")
    if proof_purpose not in PROOF_PURPOSES:
        raise PurposeMismatch(f"proof purpose {proof_purpose!r} is not one of {sorted(PROOF_PURPOSES)}")
    options: dict[str, Any] = {"type": PROOF_TYPE, "cryptosuite": chosen.name}
    if created is not None:
        _check_time("created", created)
        options["created"] = created
    options.update(verificationMethod=key.verification_method, proofPurpose=proof_purpose)
    for name, value in (("expires", expires), ("challenge", challenge), ("domain", domain)):
        if value is not None:
            if name == "expires":
                _check_time("expires", value)
            options[name] = value
    document = copy.deepcopy(dict(document))  # the signed copy shares nothing with the caller's
    config = proof_config(document, options)
    signature = key.sign(hash_data(chosen.canonicalize(config, document_loader),
                                   chosen.canonicalize(document, document_loader)))
    # eddsa-jcs-2022 puts the @context into the proof; eddsa-rdfc-2022 uses it only to canonicalize
    proof = config if chosen.name == JCS else options
    return {**document, "proof": {**proof, "proofValue": encode_z(signature)}}


class ProofTimes(NamedTuple):
    """A proof and its ``created`` and ``expires`` times, parsed once (``None`` when absent)."""

    proof: dict[str, Any]
    created: datetime | None
    expires: datetime | None


def parse_proof(document: Mapping[str, Any]) -> dict[str, Any]:
    """The single proof object of a document, checked against the suite's allowlist."""
    return _parse_proof(document).proof


def _parse_proof(document: Mapping[str, Any]) -> ProofTimes:
    if not isinstance(document, dict):
        raise ProofMalformed(f"a signed document is a JSON object, not {type(document).__name__}")
    proof = document.get("proof")
    if proof is None:
        raise ProofMissing("the document has no proof")
    if isinstance(proof, list):
        raise ProofMalformed("proof sets are not supported: a document carries exactly one proof")
    if not isinstance(proof, dict):
        raise ProofMalformed("proof must be a JSON object")
    if proof.get("type") != PROOF_TYPE:
        raise SuiteUnsupported(f"proof type {proof.get('type')!r} is not accepted; only {PROOF_TYPE}",
                               value=proof.get("type"))
    suite(proof.get("cryptosuite"))  # SuiteUnsupported unless it is one of SUITES
    unknown = set(proof) - _ALLOWED_PROOF_FIELDS
    if unknown:
        raise ProofMalformed(f"proof has fields this suite does not define: {sorted(unknown)}")
    for name in ("verificationMethod", "proofPurpose", "proofValue"):
        if not isinstance(proof.get(name), str):
            raise ProofMalformed(f"proof.{name} is missing or not a string", field=name)
    created = _check_time("created", proof["created"]) if "created" in proof else None  # optional in Data Integrity
    expires = _check_time("expires", proof["expires"]) if "expires" in proof else None
    return ProofTimes(proof, created, expires)


def verify_proof(
    document: Mapping[str, Any],
    *,
    expected_purpose: str,
    resolver: Resolver | None = None,
    document_loader: Any = None,
) -> dict[str, Any]:
    """Verify the document's proof; return the proof. Raises a ``ProofError`` subclass.

    Checks the suite allowlist and the purpose; the caller checks who controls the key. An
    ``eddsa-rdfc-2022`` document that is not strict JSON-LD raises a ``JsonLdInvalid`` subclass.
    """
    return verify_proof_times(document, expected_purpose=expected_purpose, resolver=resolver,
                              document_loader=document_loader).proof


def verify_proof_times(
    document: Mapping[str, Any],
    *,
    expected_purpose: str,
    resolver: Resolver | None = None,
    body_hash: bytes | None = None,
    document_loader: Any = None,
) -> ProofTimes:
    """``verify_proof``, returning the proof with its times parsed (for the caller's time checks).

    ``body_hash``: SHA-256 of the JCS ``canonicalize`` of the document without its ``proof``, when
    the caller made those bytes already (a presentation and its credentials, ``verifier``); it is
    used only for ``eddsa-jcs-2022`` and when the proof's ``@context`` leaves the document's as it is.
    """
    times = _parse_proof(document)
    proof = times.proof
    chosen = suite(proof["cryptosuite"])
    if chosen.name != JCS:
        body_hash = None  # the caller's bytes are the JCS form
    if proof["proofPurpose"] != expected_purpose:
        raise PurposeMismatch(
            f"proof purpose is {proof['proofPurpose']!r}, expected {expected_purpose!r}",
            value=proof["proofPurpose"],
        )
    if len(proof["proofValue"]) > MAX_SIGNATURE_CHARS:
        raise SignatureInvalid("proofValue is far longer than an Ed25519 signature")
    try:
        signature = decode_z(proof["proofValue"])
    except ValueError as exc:
        raise ProofMalformed(f"proofValue is not multibase base58btc: {exc}") from exc
    if len(signature) != 64:
        raise SignatureInvalid(f"proofValue holds {len(signature)} bytes, an Ed25519 signature is 64")
    context = document.get("@context")
    if "@context" in proof:
        prefix = _as_list(proof["@context"])
        if proof["@context"] != context:
            own = _as_list(context)
            if prefix is None or own is None or own[: len(prefix)] != prefix:
                raise ProofMalformed("proof @context must be the leading values of the document's @context")
            context = proof["@context"]  # what was signed: the document with the proof's @context
            body_hash = None  # the caller's bytes have the document's own @context
        elif prefix is None:
            raise ProofMalformed("proof @context must be the leading values of the document's @context")
    config = {key: value for key, value in proof.items() if key != "proofValue"}
    if chosen.uses_jsonld:  # the proof config is read with the (unsecured) document's @context
        config.pop("@context", None)
        if context is not None:
            config["@context"] = context
    public_key = resolve_local(proof["verificationMethod"], resolver)
    if body_hash is None:
        body = unsecured(document)
        if "@context" in proof:
            body["@context"] = context
        body_hash = hashlib.sha256(chosen.canonicalize(body, document_loader)).digest()
    message = hashlib.sha256(chosen.canonicalize(config, document_loader)).digest() + body_hash  # hash_data
    verify_signature(public_key, message, signature)
    return times


def signer_of(proof: Mapping[str, Any]) -> str:
    """The DID that controls the proof's verification method."""
    return controller_of(proof["verificationMethod"])


def _as_list(context: Any) -> list[Any] | None:
    """A JSON-LD ``@context`` as a list: a single string is a one-item list."""
    if isinstance(context, str):
        return [context]
    return context if isinstance(context, list) else None


def _check_time(name: str, value: Any) -> datetime:
    try:
        return parse_datetime(value)
    except ValueError as exc:
        raise ProofMalformed(f"proof {name}: {exc}", field=name) from exc

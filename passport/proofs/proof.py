"""Data Integrity proofs with the cryptosuites ``eddsa-jcs-2022`` and ``eddsa-rdfc-2022``, as W3C defines them.

Steps (names match SPEC.md and the W3C test vectors):

1. ``proof_config``: the proof options (``type``, ``cryptosuite``, optional ``created``,
   ``verificationMethod``, ``proofPurpose`` and optional ``challenge``/``domain``/``expires``),
   with the document's ``@context`` copied in when the document has one;
2. canonicalize both the proof config and the document without ``proof``: RFC 8785 for
   ``eddsa-jcs-2022``, RDFC-1.0 for ``eddsa-rdfc-2022`` (``cryptosuites``);
3. ``hash_data``: SHA-256(canonical proof config) followed by SHA-256(canonical document);
4. Ed25519 over those 64 bytes; ``proofValue`` is the signature in multibase base58btc.

A document may carry a proof set or a proof chain (``chains``): every proof must verify.

Only these two suites are accepted: ``type`` and the suite allowlist are fixed in code
(``cryptosuites.SUITES``), never taken from the document. Signing defaults to ``eddsa-jcs-2022``.
"""
from __future__ import annotations

import hashlib
from datetime import datetime
from typing import Any, Mapping, NamedTuple

from . import chains
from .cryptosuites import JCS, SUITES, suite
from ..crypto.did import Resolver, controller_of, resolve_local
from ..errors import ProofMalformed, PurposeMismatch, SignatureInvalid, SuiteUnsupported
from ..crypto.keys import Ed25519Key, verify_signature
from ..encoding.jsonio import copy_json
from ..encoding.multibase import MAX_SIGNATURE_CHARS, decode_z, encode_z
from ..encoding.timeutil import parse_datetime

PROOF_TYPE = "DataIntegrityProof"
CRYPTOSUITE = JCS  # the default suite for signing
CRYPTOSUITES = frozenset(SUITES)
PROOF_PURPOSES = frozenset({"assertionMethod", "authentication"})
_OPTIONAL_FIELDS = ("expires", "challenge", "domain", "nonce")
_ALLOWED_PROOF_FIELDS = frozenset(
    {"@context", "id", "type", "cryptosuite", "created", "verificationMethod", "proofPurpose", "proofValue",
     "previousProof", *_OPTIONAL_FIELDS}
)


def proof_config(document: Mapping[str, Any], options: Mapping[str, Any]) -> dict[str, Any]:
    """Step 1: the proof options, carrying the document's ``@context`` when it has one."""
    config = {key: value for key, value in options.items() if key != "proofValue"}
    if "@context" in document:
        config["@context"] = copy_json(document["@context"])
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
    proof_id: str | None = None,
) -> dict[str, Any]:
    """Return a copy of ``document`` with a Data Integrity proof added (``created`` None: none in the proof).

    ``proof_id``: an ``id`` for the proof, for a later proof of a chain to name in ``previousProof``.

    ``document_loader``: for ``eddsa-rdfc-2022``, a ``passport.jsonld.DocumentLoader`` with extra
    contexts (default: the shipped contexts only).
    """
    chosen = suite(cryptosuite)
    if not isinstance(document, dict):
        raise ProofMalformed("only a JSON object can be signed")
    if "proof" in document:
        raise ProofMalformed("the document already has a proof; sign the unsigned document, or use add_proof")
    options = _options(chosen.name, key, created, proof_purpose, challenge=challenge, domain=domain, expires=expires)
    if proof_id is not None:
        options = {"id": proof_id, **options}
    document = copy_json(dict(document))  # the signed copy shares nothing with the caller's
    return {**document, "proof": _make_proof(document, options, key, chosen, document_loader)}


def add_proof(
    document: Mapping[str, Any],
    key: Ed25519Key,
    *,
    created: str | None,
    proof_id: str | None = None,
    previous_proof: str | list[str] | None = None,
    proof_purpose: str = "assertionMethod",
    cryptosuite: str = CRYPTOSUITE,
    document_loader: Any = None,
) -> dict[str, Any]:
    """A copy of a signed ``document`` with one more proof: a proof set, or a chain with ``previous_proof``.

    Without ``previous_proof`` the new proof covers the document without its proofs; with it,
    the document with ``proof`` set to the list of the named proofs (Data Integrity "add proof").
    """
    chosen = suite(cryptosuite)
    if not isinstance(document, dict) or "proof" not in document:
        raise ProofMalformed("add_proof needs a signed document; sign the first proof with sign")
    document = copy_json(dict(document))
    existing = chains.proof_list(document)
    options = _options(chosen.name, key, created, proof_purpose)
    if proof_id is not None:
        options = {"id": proof_id, **options}
    if previous_proof is not None:
        options["previousProof"] = previous_proof
    body, _ = list(chains.inputs({**document, "proof": [*existing, options]}, [*existing, options]))[-1]
    return {**document, "proof": [*existing, _make_proof(body, options, key, chosen, document_loader)]}


def _options(suite_name: str, key: Ed25519Key, created: str | None, proof_purpose: str,
             **optional: str | None) -> dict[str, Any]:
    if proof_purpose not in PROOF_PURPOSES:
        raise PurposeMismatch(f"proof purpose {proof_purpose!r} is not one of {sorted(PROOF_PURPOSES)}")
    options: dict[str, Any] = {"type": PROOF_TYPE, "cryptosuite": suite_name}
    if created is not None:
        _check_time("created", created)
        options["created"] = created
    options.update(verificationMethod=key.verification_method, proofPurpose=proof_purpose)
    for name, value in optional.items():
        if value is not None:
            if name == "expires":
                _check_time("expires", value)
            options[name] = value
    return options


def _make_proof(body: dict[str, Any], options: dict[str, Any], key: Ed25519Key, chosen: Any,
                document_loader: Any) -> dict[str, Any]:
    """The proof over ``body`` (the document without proofs, or with a chain's previous proofs)."""
    config = proof_config(body, options)
    signature = key.sign(hash_data(chosen.canonicalize(config, document_loader),
                                   chosen.canonicalize(body, document_loader)))
    # eddsa-jcs-2022 puts the @context into the proof; eddsa-rdfc-2022 uses it only to canonicalize
    proof = config if chosen.name == JCS else options
    return {**proof, "proofValue": encode_z(signature)}


class ProofTimes(NamedTuple):
    """A proof and its ``created`` and ``expires`` times, parsed once (``None`` when absent)."""

    proof: dict[str, Any]
    created: datetime | None
    expires: datetime | None


def parse_proof(document: Mapping[str, Any]) -> dict[str, Any]:
    """The document's first proof object, checked against the suite's allowlist."""
    return _parse_proofs(document)[0].proof


def _parse_proofs(document: Mapping[str, Any]) -> list[ProofTimes]:
    if not isinstance(document, dict):
        raise ProofMalformed(f"a signed document is a JSON object, not {type(document).__name__}")
    return [_check_proof(proof) for proof in chains.proof_list(document)]


def _check_proof(proof: dict[str, Any]) -> ProofTimes:
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
    chains.previous_ids(proof)  # ProofMalformed unless absent, an id or a list of ids
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
    """``verify_proof``, returning the (first) proof with its times parsed (for the caller's time checks)."""
    return verify_proofs(document, expected_purpose=expected_purpose, resolver=resolver, body_hash=body_hash,
                         document_loader=document_loader)[0]


def verify_proofs(
    document: Mapping[str, Any],
    *,
    expected_purpose: str,
    resolver: Resolver | None = None,
    body_hash: bytes | None = None,
    document_loader: Any = None,
) -> list[ProofTimes]:
    """Verify every proof of the document (one proof, a proof set or a chain); each with its times.

    Every proof must be well formed, have ``expected_purpose`` and verify; the first failure
    raises. ``body_hash``: SHA-256 of the JCS ``canonicalize`` of the document without its
    ``proof``, when the caller made those bytes already (a presentation and its credentials,
    ``verifier``); it is used only for unchained ``eddsa-jcs-2022`` proofs whose ``@context``
    leaves the document's as it is.
    """
    times = _parse_proofs(document)
    proofs = [item.proof for item in times]
    for item, (body, chained) in zip(times, chains.inputs(document, proofs)):
        _verify_one(body, item.proof, expected_purpose, resolver, None if chained else body_hash, document_loader)
    return times


def _verify_one(body: dict[str, Any], proof: dict[str, Any], expected_purpose: str, resolver: Resolver | None,
                body_hash: bytes | None, document_loader: Any) -> None:
    """Check one proof over ``body`` (the document without ``proof``, or with a chain's previous proofs)."""
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
    context = body.get("@context")
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
        if "@context" in proof:
            body = {**body, "@context": context}
        body_hash = hashlib.sha256(chosen.canonicalize(body, document_loader)).digest()
    message = hashlib.sha256(chosen.canonicalize(config, document_loader)).digest() + body_hash  # hash_data
    verify_signature(public_key, message, signature)


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

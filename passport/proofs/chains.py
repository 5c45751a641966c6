"""Proof sets and proof chains, as W3C Data Integrity defines them.

A document's ``proof`` is one proof object or a *proof set*: a list of proof objects, each made
independently over the document without its proofs. A proof in the list that names other
proofs in ``previousProof`` (one ``id`` or a list of them) is part of a *proof chain*: it was
made over the document with ``proof`` set to the list of those earlier proofs, in the order
``previousProof`` names them.

This module only says which bytes each proof covers (``inputs``); ``proof`` checks each one. It
fails closed: a proof set is at most ``MAX_PROOFS`` long, every ``previousProof`` must name a
proof of the same set by its ``id``, a proof may not name itself, and ``id`` values must be
unique so that the reference is never ambiguous.
"""
from __future__ import annotations

from typing import Any, Iterator, Mapping

from ..errors import ProofMalformed, ProofMissing

MAX_PROOFS = 8  # more proofs than any real issuer, notary or witness chain needs; each costs a signature check


def proof_list(document: Mapping[str, Any]) -> list[dict[str, Any]]:
    """The document's proofs as a list: one proof object, or every object of a proof set."""
    proof = document.get("proof")
    if proof is None:
        raise ProofMissing("the document has no proof")
    if isinstance(proof, dict):
        return [proof]
    if not isinstance(proof, list):
        raise ProofMalformed(f"proof must be a JSON object or a list of them (a proof set), not "
                             f"{type(proof).__name__}")
    if not proof:
        raise ProofMalformed("proof is an empty list: a proof set holds at least one proof")
    if len(proof) > MAX_PROOFS:
        raise ProofMalformed(f"the proof set holds {len(proof)} proofs; at most {MAX_PROOFS} are checked")
    for position, item in enumerate(proof):
        if not isinstance(item, dict):
            raise ProofMalformed(f"proof[{position}] must be a JSON object, not {type(item).__name__}")
    return proof


def previous_ids(proof: Mapping[str, Any]) -> list[str]:
    """The ids a proof names in ``previousProof`` ([] when it starts no chain)."""
    if "previousProof" not in proof:
        return []
    value = proof["previousProof"]
    ids = [value] if isinstance(value, str) else value
    if not isinstance(ids, list) or not ids or not all(isinstance(item, str) and item for item in ids):
        raise ProofMalformed("proof.previousProof must be the id of an earlier proof or a list of them",
                             field="previousProof")
    return ids


def inputs(document: Mapping[str, Any], proofs: list[dict[str, Any]]) -> Iterator[tuple[dict[str, Any], bool]]:
    """For each proof in order: the document it was made over, and whether it is a chained proof.

    An unchained proof covers the document without ``proof``; a chained one covers the document
    with ``proof`` set to the list of the proofs its ``previousProof`` names.
    """
    body = {key: value for key, value in document.items() if key != "proof"}
    by_id = _by_id(proofs)
    for proof in proofs:
        wanted = previous_ids(proof)
        if not wanted:
            yield body, False
            continue
        matching = []
        for proof_id in wanted:
            found = by_id.get(proof_id)
            if found is None:
                raise ProofMalformed(f"proof.previousProof names {proof_id!r}, which is not the id of a proof in "
                                     "this document's proof set", field="previousProof", value=proof_id)
            if found is proof:
                raise ProofMalformed(f"proof {proof_id!r} names itself as its previous proof", field="previousProof")
            matching.append(found)
        yield {**body, "proof": matching}, True


def _by_id(proofs: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    found: dict[str, dict[str, Any]] = {}
    for proof in proofs:
        proof_id = proof.get("id")
        if proof_id is None:
            continue
        if not isinstance(proof_id, str) or not proof_id:
            raise ProofMalformed("proof.id must be a non-empty string (a URL)", field="id")
        if proof_id in found:
            raise ProofMalformed(f"two proofs in the set have the id {proof_id!r}; previousProof would be ambiguous",
                                 field="id", value=proof_id)
        found[proof_id] = proof
    return found

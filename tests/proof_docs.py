"""Shared by the proof tests: a small signed profile credential and a refusal helper."""
from __future__ import annotations

from typing import Any

import pytest

from support import fixed_key
from passport.errors import PassportError
from passport.proofs.proof import sign, verify_proof

VC = "https://www.w3.org/ns/credentials/v2"
PASPOORT = "https://w3id.org/paspoort/v1"
WORKER = fixed_key("worker")
EXAMINATOR = fixed_key("examinator")
OTHER_KEYS = [fixed_key(name) for name in ("opleider", "werkgever", "assessor", "registry", "stranger")]
CREATED = "2026-11-01T09:00:00Z"
ASSERTION = "assertionMethod"
AUTHENTICATION = "authentication"


def credential() -> dict[str, Any]:
    return {
        "@context": [VC, PASPOORT],
        "id": "urn:uuid:0b9e2f4c-6c1f-4a57-9a55-0f1b9e4d1c11",
        "type": ["VerifiableCredential", "PersoonlijkProfielCredential"],
        "issuer": WORKER.did,
        "validFrom": "2026-11-01T09:00:00Z",
        "credentialSubject": {
            "id": WORKER.did,
            "type": "PersoonlijkProfiel",
            "name": "Ria de Vries",
            "skills": [
                {"id": "insuline-toedienen", "name": {"@value": "Insuline toedienen", "@language": "nl"}},
                {"id": "wondzorg", "name": "Wondzorg", "sensitive": True},
            ],
            "werkEnDenkniveau": [{"id": "mbo-3", "name": "mbo 3", "level": {"framework": "mbo", "level": 3}}],
        },
    }


def signed_credential(**options: Any) -> dict[str, Any]:
    return sign(credential(), WORKER, created=CREATED, **options)


def refused(document: Any, expected_purpose: str = ASSERTION, **kwargs: Any) -> PassportError:
    with pytest.raises(PassportError) as caught:
        verify_proof(document, expected_purpose=expected_purpose, **kwargs)
    return caught.value

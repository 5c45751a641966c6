"""Shared benchmark inputs: a typical endorsement, its status list and trust registry, a
hundred endorsements for one holder, and a trust registry of 10,000 issuers. Built from the demo
world (``examples/``)."""
from __future__ import annotations

import copy
import hashlib
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from passport import Ed25519Key, StatusSource, TrustStore, sign
from passport.demo.world import build_world
from passport.encoding.jsonio import dumps_pretty
from passport.encoding.multibase import ED25519_PUB, encode_z
from passport.format.documents import AANTOONBAAR_BEKWAAM_TYPE, new_credential_id, paspoort_type


@dataclass
class EndorsementFixture:
    plain: dict[str, Any]  # AantoonbaarBekwaam (the realistic example, ~3 KB) without a status entry
    typical: dict[str, Any]  # the same with shorter free text: the ~1.5 KB credential of issue 2
    with_status: dict[str, Any]  # the same with a revocation entry
    status: StatusSource  # a long-lived source, as a verifier service keeps one per cache period
    trust: TrustStore
    hundred: list[dict[str, Any]]  # 100 endorsements (with status) for the holder, the full example text
    hundred_typical: list[dict[str, Any]]  # the same with the shorter text of ``typical``
    holder_key: Ed25519Key


def endorsement_fixture(now: datetime) -> EndorsementFixture:
    world = build_world("ria", now)
    with_status = next(c for c in world.endorsements if paspoort_type(c) == AANTOONBAAR_BEKWAAM_TYPE)
    examiner = world.keys[world.role_of(with_status["issuer"]["id"])]
    unsigned = {k: v for k, v in with_status.items() if k not in ("proof", "credentialStatus")}
    plain = sign(unsigned, examiner, created=now)
    typical = sign(_shortened(unsigned), examiner, created=now)
    hundred, hundred_typical = [], []
    for _ in range(100):
        copy_ = copy.deepcopy({k: v for k, v in with_status.items() if k not in ("proof", "credentialStatus")})
        copy_["id"] = new_credential_id()
        hundred.append(world.issue(copy_))
        hundred_typical.append(world.issue(_shortened({**copy_, "id": new_credential_id()})))
    return EndorsementFixture(
        plain=plain,
        typical=typical,
        with_status=with_status,
        status=StatusSource(world.status_documents),
        trust=world.trust(),
        hundred=hundred,
        hundred_typical=hundred_typical,
        holder_key=world.holder,
    )


def _shortened(credential: dict[str, Any]) -> dict[str, Any]:
    """Trim the free text (descriptions, narratives) to bring the credential near 1.5 KB."""
    short = copy.deepcopy(credential)
    achievement = short["credentialSubject"]["achievement"]
    achievement["description"] = achievement["description"][:80]
    achievement["criteria"]["narrative"] = achievement["criteria"]["narrative"][:80]
    short["credentialSubject"]["procedure"].pop("protocol", None)
    short["credentialSubject"]["assessment"].pop("location", None)
    for item in short.get("evidence", []):
        for name in ("narrative", "description", "genre", "mediaType"):
            item.pop(name, None)
    return short


REGISTRY_ISSUERS = 10_000


@dataclass
class RegistryFixture:
    data: bytes  # the signed TrustRegistryCredential as the project writes files (jsonio.dumps_pretty)
    signer: str  # the registry operator's DID
    issuers: int


def registry_fixture(now: datetime, issuers: int = REGISTRY_ISSUERS) -> RegistryFixture:
    """A signed trust registry of ``issuers`` entries: the demo registry's own entries, then
    copies of them with their own DID, name and status list location (a national register)."""
    world = build_world("ria", now)
    unsigned = {k: v for k, v in copy.deepcopy(world.registry).items() if k != "proof"}
    templates = unsigned["credentialSubject"]["issuers"]
    entries = list(templates)
    for number in range(len(entries), issuers):
        entry = copy.deepcopy(templates[number % len(templates)])
        key = hashlib.sha256(number.to_bytes(4, "big")).digest()
        entry["id"] = "did:key:" + encode_z(ED25519_PUB + key)
        entry["name"] = f"{entry['name']} {number}"
        entry["statusLists"] = [f"https://status.issuer-{number}.example/lists/"]
        entries.append(entry)
    unsigned["credentialSubject"]["issuers"] = entries
    signed = sign(unsigned, world.keys["registry"], created=now)
    return RegistryFixture(dumps_pretty(signed).encode("utf-8"), world.keys["registry"].did, issuers)

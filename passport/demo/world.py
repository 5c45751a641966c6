"""The demo world: the example personas' documents, signed by their issuers, with status lists
and a signed trust registry, all on the library (no services). Used by ``python -m
passport.demo --offline``, the benchmarks and the tests; everything is derived from ``examples/``.
"""
from __future__ import annotations

import json
import secrets
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

import yaml

from ..format.documents import issuer_id, profile_credential
from ..crypto.keys import Ed25519Key
from ..proofs.signing import sign
from ..format.status_list import (
    MESSAGE_PURPOSE, MESSAGE_STATUS_SIZE, MESSAGE_VALUES, MIN_LIST_SIZE, BitstringStatusList, status_entry,
    status_list_credential,
)
from ..encoding.timeutil import format_datetime
from ..format.trust import TrustRegistry, TrustStore

# The repository's examples/, through the package's link to it (in a wheel: a copy inside the package).
EXAMPLES = Path(__file__).resolve().parents[1] / "_examples"
PROFILE_VALID_FROM = "2026-11-01T09:00:00Z"


@dataclass
class World:
    persona: str
    now: datetime
    keys: dict[str, Ed25519Key]
    profile: dict[str, Any] = field(default_factory=dict)  # the full, signed profile
    endorsements: list[dict[str, Any]] = field(default_factory=list)  # signed, with status entries
    status_lists: dict[str, BitstringStatusList] = field(default_factory=dict)
    status_documents: dict[str, dict[str, Any]] = field(default_factory=dict)  # url -> signed list
    registry: dict[str, Any] = field(default_factory=dict)  # signed trust registry
    positions: dict[str, tuple[str, int]] = field(default_factory=dict)  # credential id -> (url, index)
    stems: list[str] = field(default_factory=list)  # example file name of each endorsement, in order
    _used: dict[str, set[int]] = field(default_factory=dict)

    @property
    def holder(self) -> Ed25519Key:
        return self.keys[self.persona]

    def role_of(self, did: str) -> str:
        return next(role for role, key in self.keys.items() if key.did == did)

    def trust(self) -> TrustStore:
        registry = TrustRegistry.from_credential(
            self.registry, trusted_signers=frozenset({self.keys["registry"].did}), now=self.now
        )
        return TrustStore([registry])

    def status_url(self, role: str) -> str:
        return f"https://status.{role}.example/lists/1"

    def issue(self, unsigned: dict[str, Any]) -> dict[str, Any]:
        """Give the credential one status entry (``message``, statusSize 2) at a random unused index, then sign it."""
        role = self.role_of(issuer_id(unsigned))
        url = self.status_url(role)
        self.status_lists.setdefault(url, BitstringStatusList(MIN_LIST_SIZE * MESSAGE_STATUS_SIZE))
        used = self._used.setdefault(url, set())
        index = secrets.randbelow(MIN_LIST_SIZE)
        while index in used:
            index = secrets.randbelow(MIN_LIST_SIZE)
        used.add(index)
        credential = {**unsigned, "credentialStatus": status_entry(url, index, MESSAGE_PURPOSE)}
        self.positions[credential["id"]] = (url, index)
        self.publish(url)
        return sign(credential, self.keys[role], created=self.now)

    def publish(self, url: str) -> None:
        role = url.split(".")[1]
        unsigned = status_list_credential(
            issuer=self.keys[role].did, list_id=url, purpose=MESSAGE_PURPOSE, status_list=self.status_lists[url],
            valid_from=format_datetime(self.now),
        )
        self.status_documents[url] = sign(unsigned, self.keys[role], created=self.now)

    def revoke(self, credential_id: str) -> None:
        self.set_status(credential_id, "revoked")

    def set_status(self, credential_id: str, message: str) -> None:
        """Write "valid", "suspended" or "revoked" at the credential's entry and publish the list again."""
        url, index = self.positions[credential_id]
        self.status_lists[url].set_value(index, MESSAGE_STATUS_SIZE, MESSAGE_VALUES[message])
        self.publish(url)


def load_keys() -> dict[str, Ed25519Key]:
    seeds = json.loads((EXAMPLES / "keys.json").read_text())
    return {role: Ed25519Key(bytes.fromhex(seed)) for role, seed in seeds.items()}


def build_world(persona: str, now: datetime) -> World:
    world = World(persona=persona, now=now, keys=load_keys())
    folder = EXAMPLES / persona
    profile = yaml.safe_load((folder / "profile.yaml").read_text(encoding="utf-8"))
    unsigned_profile = profile_credential(profile, world.holder.did, valid_from=PROFILE_VALID_FROM)
    world.profile = sign(unsigned_profile, world.holder, created=now)
    for path in sorted((folder / "endorsements").glob("*.json")):
        world.endorsements.append(world.issue(json.loads(path.read_text(encoding="utf-8"))))
        world.stems.append(path.stem)
    registry = json.loads((EXAMPLES / "trust-registry.json").read_text(encoding="utf-8"))
    world.registry = sign(registry, world.keys["registry"], created=now)
    return world

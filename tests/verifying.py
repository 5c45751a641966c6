"""Shared by the verification tests: Ria's demo world, re-signing, and report helpers."""
from __future__ import annotations

import copy
from datetime import timedelta

from support import NOW
from passport import Report, check, sign
from passport.demo.world import World
from passport.format.documents import paspoort_type
from passport.format.status_list import MESSAGE_STATUS_SIZE, MIN_LIST_SIZE, BitstringStatusList, status_list_credential
from passport.encoding.timeutil import format_datetime

CREDENTIAL_CHECKS = ["structure", "schema", "proof", "validity", "status", "trust"]
PRESENTATION_CHECKS = ["structure", "schema", "proof", "challenge", "domain", "freshness", "subjects", "entries"]
AB = "AantoonbaarBekwaamCredential"
ENDORSEMENT = "ProfielEndorsementCredential"


def of_type(world: World, kind: str) -> dict:
    return next(c for c in world.endorsements if paspoort_type(c) == kind)


def issuer_key(world: World, credential: dict):
    issuer = credential["issuer"]
    return world.keys[world.role_of(issuer["id"] if isinstance(issuer, dict) else issuer)]


def resign(credential: dict, key, created=NOW, **changes) -> dict:
    """A copy without its proof, with ``changes`` applied, signed again by ``key``."""
    unsigned = {k: v for k, v in copy.deepcopy(credential).items() if k != "proof"}
    unsigned.update(changes)
    return sign(unsigned, key, created=created)


def statuses(report: Report) -> dict[str, tuple[str, str | None]]:
    return {result.name: (result.status, result.code) for result in report.checks}


def full_check(world: World, document: dict, **options) -> Report:
    options = {"now": NOW, "trust": world.trust(), "status": world.status_documents, **options}
    return check(document, **options)


def signed_list(world: World, role: str, *, url: str, purpose: str = "message", bits=(), values=None, key=None,
                valid_until: str | None = None, issuer: str | None = None) -> dict:
    """A signed list: ``bits`` set in a one-bit list, or ``values`` {index: 0-3} in a ``message`` list (statusSize 2)."""
    size = MESSAGE_STATUS_SIZE if purpose == "message" else 1
    status_list = BitstringStatusList(MIN_LIST_SIZE * size)
    for index in bits:
        status_list.set(index, True)
    for index, value in (values or {}).items():
        status_list.set_value(index, size, value)
    unsigned = status_list_credential(
        issuer=issuer or world.keys[role].did, list_id=url, purpose=purpose, status_list=status_list,
        valid_from=format_datetime(NOW - timedelta(days=1)), valid_until=valid_until,
    )
    return sign(unsigned, key or world.keys[role], created=NOW - timedelta(days=1))

"""Selective sharing: a presentation of exactly the blocks, entries and endorsements chosen.

Rules (docs/guides/wallet.md, "Sharing"): sensitive profile entries are left out unless named with
``include_sensitive``; an endorsement of an entry that is not shared is left out when chosen in
bulk, refused when named (it would reveal the entry); an endorsement whose entry changed since
it was issued ("stale") is never shared, because the verifier's entry check would fail; one the
last status refresh found revoked is left out unless ``include_revoked`` (``Shared.revoked``). The
shared profile is a new self-issued credential signed by the holder key (``select_profile``);
the presentation is signed with proof purpose ``authentication``, bound to ``challenge`` and
``domain`` when given, and expires after ``lifetime``.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any, Iterable

from ..format.documents import BLOCK_KEYS, find_entry, paspoort_type
from ..errors import StructureInvalid
from ..roles.holder import present
from ..roles.sharing import left_out, select_profile
from ..proofs.signing import sign
from .inbox import find
from .profile import endorsed_entry, stale_endorsements
from .status import known_revoked
from .store import Wallet

SHARE_LIFETIME = timedelta(minutes=15)


@dataclass
class Selection:
    """What the worker chose. ``None`` for blocks/entries means "all" when ``profile`` is true."""

    profile: bool = True
    blocks: list[str] | None = None
    entries: list[str] | None = None
    include_sensitive: list[str] = field(default_factory=list)
    endorsements: list[str] = field(default_factory=list)  # references as 'passport list' shows them
    all_endorsements: bool = False
    types: list[str] = field(default_factory=list)  # endorsement types, e.g. AantoonbaarBekwaamCredential
    include_revoked: bool = False  # keep endorsements the last status refresh found revoked


@dataclass
class Shared:
    presentation: dict[str, Any]
    profile_entries: list[str]
    left_out: list[str]
    endorsements: list[dict[str, Any]]
    skipped: list[str]  # human-readable reasons for endorsements left out
    revoked: list[dict[str, Any]] = field(default_factory=list)  # known revoked: left out, or kept on request


def build(wallet: Wallet, selection: Selection, *, now, challenge: str | None = None, domain: str | None = None,
          lifetime: timedelta = SHARE_LIFETIME) -> Shared:
    credentials: list[dict[str, Any]] = []
    shared_ids: list[str] = []
    omitted: list[str] = []
    profile = wallet.data.get("profile")
    if selection.profile:
        if not profile:
            raise StructureInvalid("the wallet has no profile yet: set one with 'passport profile set FILE'")
        for entry_id in selection.entries or ():
            entry = find_entry(profile, entry_id)
            if entry and entry.get("sensitive") and entry_id not in selection.include_sensitive:
                raise StructureInvalid(f"entry {entry_id!r} is marked sensitive; to share it anyway, "
                                       f"name it with --include-sensitive {entry_id}", entry=entry_id)
        reduced = select_profile(profile, blocks=selection.blocks, entries=selection.entries,
                                 include_sensitive=selection.include_sensitive)
        shared_ids = [entry["id"] for key in BLOCK_KEYS for entry in reduced["credentialSubject"][key]]
        omitted = left_out(profile, reduced)
        if shared_ids:  # a profile with no entries says nothing: leave it out
            credentials.append(sign(reduced, wallet.holder_key, created=now))
    chosen, skipped = _endorsements(wallet, selection, set(shared_ids))
    revoked = [item for item in chosen if known_revoked(item)]
    if not selection.include_revoked:
        chosen = [item for item in chosen if not known_revoked(item)]
    credentials.extend(item["credential"] for item in chosen)
    if not credentials:
        if revoked:
            raise StructureInvalid("nothing to share: every endorsement chosen is revoked by its issuer "
                                   "('passport status'); --include-revoked shares it anyway")
        raise StructureInvalid("nothing to share: choose profile blocks or entries, or endorsements")
    presentation = present(credentials, wallet.holder_key, now=now, challenge=challenge, domain=domain,
                           lifetime=lifetime)
    return Shared(presentation, shared_ids, omitted, [item["credential"] for item in chosen], skipped, revoked)


def _endorsements(wallet: Wallet, selection: Selection, shared_ids: set[str]) -> tuple[list[dict], list[str]]:
    stale = set(stale_endorsements(wallet))
    profile = wallet.data.get("profile")
    named = [find(wallet, reference) for reference in selection.endorsements]
    for item in named:
        credential = item["credential"]
        if credential.get("id") in stale:
            raise StructureInvalid(f"{credential.get('id')} endorses a profile entry that changed since; "
                                   f"it would not verify, so it is not shared")
        entry_id = (endorsed_entry(credential) or {}).get("id")
        entry = find_entry(profile, entry_id) if profile and entry_id else None
        if entry and entry.get("sensitive") and entry_id not in selection.include_sensitive:
            raise StructureInvalid(f"{credential.get('id')} endorses the sensitive entry {entry_id!r}; "
                                   f"add --include-sensitive {entry_id} to share it")
    bulk, skipped = [], []
    wanted_types = set(_type_names(selection.types))
    if selection.all_endorsements or wanted_types:
        for item in wallet.credentials:
            credential = item["credential"]
            if item in named or (wanted_types and paspoort_type(credential) not in wanted_types):
                continue
            entry_id = (endorsed_entry(credential) or {}).get("id")
            if credential.get("id") in stale:
                skipped.append(f"{credential.get('id')}: its profile entry changed since it was endorsed")
            elif entry_id is not None and entry_id not in shared_ids:
                skipped.append(f"{credential.get('id')}: endorses entry {entry_id!r}, which is not shared")
            else:
                bulk.append(item)
    return named + bulk, skipped


def _type_names(names: Iterable[str]) -> list[str]:
    return [name if name.endswith("Credential") else name + "Credential" for name in names]

"""Choosing what to share: a profile credential reduced to the blocks and entries a worker picks.

The profile is self-issued, so sharing part of it means the worker signs a new profile
credential holding just the chosen entries (same subject, new ``id``). Entries marked
``sensitive`` stay out unless they are named explicitly. Endorsements of an entry keep
verifying, because the entry itself is copied unchanged.
"""
from __future__ import annotations

import copy
from typing import Any, Iterable, Mapping

from ..format.documents import BLOCK_KEYS, new_credential_id
from ..errors import StructureInvalid


def select_profile(
    profile_credential: Mapping[str, Any],
    *,
    blocks: Iterable[str] | None = None,
    entries: Iterable[str] | None = None,
    include_sensitive: Iterable[str] = (),
    valid_from: str | None = None,
) -> dict[str, Any]:
    """An unsigned copy of ``profile_credential`` with only the chosen entries.

    ``blocks`` limits the blocks (default all six); ``entries`` limits the entries by id
    (default all of the chosen blocks); sensitive entries appear only when their id is in
    ``include_sensitive``. Unknown block or entry names raise ``StructureInvalid``.
    """
    subject = profile_credential.get("credentialSubject")
    if not isinstance(subject, dict):
        raise StructureInvalid("the profile credential has no credentialSubject object")
    chosen_blocks = list(BLOCK_KEYS if blocks is None else blocks)
    unknown = [name for name in chosen_blocks if name not in BLOCK_KEYS]
    if unknown:
        raise StructureInvalid(f"unknown profile blocks {unknown}; the blocks are {list(BLOCK_KEYS)}")
    known_ids = {entry.get("id") for key in BLOCK_KEYS for entry in subject.get(key, []) if isinstance(entry, dict)}
    wanted = None if entries is None else set(entries)
    sensitive_ok = set(include_sensitive)
    for name in (wanted or set()) | sensitive_ok:
        if name not in known_ids:
            raise StructureInvalid(f"the profile has no entry {name!r}")

    selected = {key: value for key, value in subject.items() if key not in BLOCK_KEYS}
    for key in BLOCK_KEYS:  # all six keys stay present; blocks not chosen are empty
        kept = [] if key not in chosen_blocks else [
            copy.deepcopy(entry)
            for entry in subject.get(key, [])
            if (wanted is None or entry.get("id") in wanted)
            and (not entry.get("sensitive") or entry.get("id") in sensitive_ok)
        ]
        selected[key] = kept
    shared = {key: copy.deepcopy(value) for key, value in profile_credential.items() if key not in ("proof", "id")}
    shared["id"] = new_credential_id()
    shared["credentialSubject"] = selected
    if valid_from is not None:
        shared["validFrom"] = valid_from
    return shared


def left_out(profile_credential: Mapping[str, Any], shared: Mapping[str, Any]) -> list[str]:
    """Ids of entries in the full profile that the shared copy does not hold."""
    full = profile_credential["credentialSubject"]
    kept = shared["credentialSubject"]
    kept_ids = {entry["id"] for key in BLOCK_KEYS for entry in kept.get(key, [])}
    return [entry["id"] for key in BLOCK_KEYS for entry in full.get(key, []) if entry["id"] not in kept_ids]

"""Setting the worker's profile from a readable YAML or JSON file, with stable entry ids.

Entry id rule (docs/guides/wallet.md, "The profile file and entry ids"), applied per block to entries written without an ``id``:

1. an entry whose name (any language) equals the name of an entry of the same block in the
   wallet's previous profile gets that entry's id;
2. otherwise, the previous entry at the same position of the same block lends its id, when
   that id is not taken by another entry of the new profile (a rename keeps the id);
3. otherwise a slug of the name (Dutch text first, accents dropped, ``-2``, ``-3`` ... on a clash).

An ``id`` written in the file always wins. The wallet stores the source with every id filled in,
so ``passport profile show --source`` gives back a file that keeps the ids across the next edit.
"""
from __future__ import annotations

import copy
import re
import unicodedata
from pathlib import Path
from typing import Any, Mapping

import yaml

from ..encoding import jsonio
from ..format.documents import BLOCK_KEYS, ENTRY_ID, entry_digest, find_entry, profile_credential
from ..errors import InputError, PassportError, SchemaInvalid, StructureInvalid
from ..proofs.signing import sign
from ..encoding.timeutil import format_datetime
from .store import Wallet

MAX_PROFILE_BYTES = 1024 * 1024


def load_source(path: str) -> dict[str, Any]:
    """Read a profile file: JSON for ``.json``, YAML (safe loader) otherwise."""
    file = Path(path)
    try:
        raw = file.read_bytes()
    except OSError as exc:
        raise InputError(f"cannot read {path}: {exc.strerror}", path=path) from None
    if len(raw) > MAX_PROFILE_BYTES:
        raise InputError(f"{path} is larger than {MAX_PROFILE_BYTES} bytes")
    if file.suffix.lower() == ".json":
        source = jsonio.loads(raw)
    else:
        try:
            source = yaml.safe_load(raw.decode("utf-8"))
        except (yaml.YAMLError, UnicodeDecodeError) as exc:
            raise InputError(f"{path} is not readable YAML: {exc}".splitlines()[0] + _yaml_where(exc)) from None
    if not isinstance(source, dict):
        raise StructureInvalid(f"{path}: a profile is a mapping with 'name' and the six blocks {list(BLOCK_KEYS)}")
    return source


def _yaml_where(exc: Exception) -> str:
    mark = getattr(exc, "problem_mark", None)
    return f" (line {mark.line + 1}, column {mark.column + 1})" if mark is not None else ""


def slugify(text: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii").lower()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text).strip("-")[:64].strip("-")
    return slug or "entry"


def _names(entry: Mapping[str, Any]) -> set[str]:
    name = entry.get("name")
    if isinstance(name, str):
        return {name}
    if isinstance(name, Mapping):
        return {text for text in name.values() if isinstance(text, str)}
    if isinstance(name, list):
        return {item.get("@value") for item in name if isinstance(item, Mapping) and isinstance(item.get("@value"), str)}
    return set()


def _slug_source(entry: Mapping[str, Any]) -> str:
    name = entry.get("name")
    if isinstance(name, Mapping):
        name = name.get("nl") or next((text for text in name.values() if isinstance(text, str)), "")
    return name if isinstance(name, str) else ""


def assign_ids(source: Mapping[str, Any], previous: Mapping[str, Any] | None) -> dict[str, Any]:
    """A copy of ``source`` in which every entry has an id, following the rule above."""
    result = copy.deepcopy(dict(source))
    previous = previous or {}
    taken = {entry["id"] for key in BLOCK_KEYS for entry in _entries(result, key) if isinstance(entry.get("id"), str)}
    for key in BLOCK_KEYS:
        entries, old = _entries(result, key), _entries(previous, key)
        missing = [index for index, entry in enumerate(entries) if "id" not in entry]
        for index in list(missing):  # 1. same name as before
            names = _names(entries[index])
            match = next((item["id"] for item in old if names & _names(item) and item.get("id") not in taken), None)
            if match:
                entries[index]["id"] = match
                taken.add(match)
                missing.remove(index)
        for index in list(missing):  # 2. same position as before
            if index < len(old) and isinstance(old[index].get("id"), str) and old[index]["id"] not in taken:
                entries[index]["id"] = old[index]["id"]
                taken.add(old[index]["id"])
                missing.remove(index)
        for index in missing:  # 3. a new slug
            base = slugify(_slug_source(entries[index]))
            candidate, counter = base, 2
            while candidate in taken:
                suffix = f"-{counter}"
                candidate, counter = base[: 64 - len(suffix)] + suffix, counter + 1
            rest = dict(entries[index])  # put the id first, in place
            entries[index].clear()
            entries[index].update({"id": candidate, **rest})
            taken.add(candidate)
    return result


def _entries(source: Mapping[str, Any], key: str) -> list[dict[str, Any]]:
    value = source.get(key)
    return [entry for entry in value if isinstance(entry, dict)] if isinstance(value, list) else []


def set_profile(wallet: Wallet, source: Mapping[str, Any], *, now) -> dict[str, Any]:
    """Validate ``source``, give every entry a stable id, sign it and store both in the wallet.

    Returns ``{"profile": signed, "added": [...], "removed": [...], "stale": [...]}`` where
    ``stale`` lists imported endorsements whose entry changed or disappeared (they no longer match).
    """
    with_ids = assign_ids(source, wallet.data.get("profileSource"))
    try:
        unsigned = profile_credential(with_ids, wallet.did, valid_from=format_datetime(now))
    except SchemaInvalid as exc:
        raise _readable_schema_error(exc) from None
    signed = sign(unsigned, wallet.holder_key, created=now)
    old_ids = _ids(wallet.data.get("profile"))
    new_ids = _ids(signed)
    wallet.data["profileSource"] = with_ids
    wallet.data["profile"] = signed
    return {"profile": signed, "added": sorted(new_ids - old_ids), "removed": sorted(old_ids - new_ids),
            "stale": stale_endorsements(wallet)}


def _ids(profile: Mapping[str, Any] | None) -> set[str]:
    if not profile:
        return set()
    subject = profile["credentialSubject"]
    return {entry["id"] for key in BLOCK_KEYS for entry in subject.get(key, [])}


def stale_endorsements(wallet: Wallet) -> list[str]:
    """Ids of stored entry endorsements that no longer match the current profile entry."""
    profile = wallet.data.get("profile")
    stale = []
    for item in wallet.credentials:
        entry = endorsed_entry(item["credential"])
        if entry is None:
            continue
        current = find_entry(profile, entry.get("id")) if profile else None
        if current is None or entry_digest(current) != entry.get("digestMultibase"):
            stale.append(item["credential"].get("id"))
    return stale


def endorsed_entry(credential: Mapping[str, Any]) -> dict[str, Any] | None:
    subject = credential.get("credentialSubject")
    entry = subject.get("entry") if isinstance(subject, Mapping) else None
    return entry if isinstance(entry, dict) else None


def _readable_schema_error(exc: PassportError) -> SchemaInvalid:
    errors = exc.details.get("errors") or [{"path": exc.details.get("path", ""), "message": exc.message}]
    found = []
    for error in errors:
        path = str(error.get("path", "")).removeprefix("credentialSubject.").removeprefix("credentialSubject")
        found.append({"path": path or "(profile)", "message": str(error.get("message"))})
    lines = [f"  {error['path']}: {error['message']}" for error in found]
    return SchemaInvalid("the profile does not match the schema:\n" + "\n".join(lines), errors=found)


def is_entry_id(value: str) -> bool:
    return bool(ENTRY_ID.match(value))

"""The organisation's signing keys: the active key file and the retired keys beside it.

The private keys never enter the database. ``<key file>`` holds the active key (Multikey JSON,
mode 0600); ``create-key --rotate`` moves the old key to ``<key file>.retired/<multibase>.json``
and writes a new active key. The public halves are recorded in ``org_keys``.

The issuer DID is ``PASPOORT_ISSUER_DID`` (``did:web:...``: keys rotate behind one DID, each a
verification method ``<did>#<multibase>`` in ``/.well-known/did.json``) or, by default, the
active key's ``did:key`` (the DID changes on rotation; credentials and status lists issued
under an old did:key stay signed and updatable with the retired key).
"""
from __future__ import annotations

import os
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from sqlalchemy import select, update

from passport.errors import PassportError
from passport.roles.issuing import method_key
from passport.crypto.keys import Ed25519Key, write_private_file

from .config import ConfigError
from .models import OrgKey


def retired_folder(key_file: str) -> Path:
    return Path(key_file + ".retired")


@dataclass
class Keyring:
    active: Ed25519Key
    did: str
    retired: list[Ed25519Key] = field(default_factory=list)

    @property
    def signer(self):
        """What signs new credentials: the active key, as a method of the issuer DID."""
        return method_key(self.active, self.did)

    def signer_for(self, did: str):
        """The key that signs a status list issued by ``did`` (an old did:key after rotation)."""
        if did == self.did:
            return self.signer
        for key in self.retired:
            if key.did == did:
                return key
        return None

    def all_keys(self) -> list[Ed25519Key]:
        return [self.active, *self.retired]


def load(key_file: str | None, did: str | None) -> Keyring:
    """Load the keys; ``ConfigError`` (the service refuses to start) when the key is missing."""
    if not key_file:
        raise ConfigError("PASPOORT_ISSUER_KEY_FILE is not set: the issuer cannot start without its signing key. "
                          "Create one with `python -m issuer_service create-key` and point the variable at it.")
    if not os.path.exists(key_file):
        raise ConfigError(f"the signing key file {key_file} does not exist: create it with "
                          "`python -m issuer_service create-key`")
    if os.stat(key_file).st_mode & 0o077:
        raise ConfigError(f"the signing key file {key_file} is readable by group or others; chmod 600 it")
    try:
        active = Ed25519Key.load(key_file)
        folder = retired_folder(key_file)
        retired = [Ed25519Key.load(str(path)) for path in sorted(folder.glob("*.json"))] if folder.exists() else []
    except PassportError as exc:
        raise ConfigError(f"the signing key file {key_file} cannot be used: {exc.message}") from None
    return Keyring(active=active, did=did or active.did, retired=retired)


def create(key_file: str, *, rotate: bool, key: Ed25519Key | None = None) -> Ed25519Key:
    """Write a new (or the given) key file; never over an existing one unless rotating, which keeps
    the old key in the retired folder."""
    if os.path.exists(key_file):
        if not rotate:
            raise FileExistsError(f"{key_file} exists; refusing to overwrite it (use --rotate for a new key)")
        old = Ed25519Key.load(key_file)
        folder = retired_folder(key_file)
        folder.mkdir(mode=0o700, exist_ok=True)
        target = folder / f"{old.public_key_multibase}.json"
        if not target.exists():
            old.save(str(target))
        new = key or Ed25519Key.generate()
        write_private_file(key_file, _key_bytes(new), overwrite=True)
        return new
    if rotate:
        raise FileNotFoundError(f"{key_file} does not exist: there is no key to rotate; create one first")
    new = key or Ed25519Key.generate()
    new.save(key_file)
    return new


def _key_bytes(key: Ed25519Key) -> bytes:
    from passport.encoding.jsonio import dumps_pretty
    return dumps_pretty(key.to_multikey()).encode("utf-8")


def record(session, keyring: Keyring, now: datetime) -> None:
    """Make ``org_keys`` match the key files: every key recorded, the active one marked active."""
    known = {row.public_key_multibase: row for row in session.scalars(select(OrgKey))}
    for key in keyring.all_keys():
        active = key is keyring.active
        did = keyring.did if (active or keyring.did != keyring.active.did) else key.did
        method = method_key(key, did).verification_method
        row = known.get(key.public_key_multibase)
        if row is None:
            session.add(OrgKey(public_key_multibase=key.public_key_multibase, did=did, verification_method=method,
                               active=active, created_at=now, retired_at=None if active else now))
        elif row.active != active:
            row.active, row.retired_at = active, (None if active else now)
    session.flush()
    session.execute(update(OrgKey).where(OrgKey.public_key_multibase != keyring.active.public_key_multibase,
                                         OrgKey.active.is_(True)).values(active=False, retired_at=now))

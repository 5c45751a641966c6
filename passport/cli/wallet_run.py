"""What the wallet commands do: parse, open the wallet once, call the wallet modules, print."""
from __future__ import annotations

import os
import sys

import yaml

from ..encoding import jsonio
from ..format.documents import BLOCK_KEYS, find_entry, issuer_id
from ..errors import InputError, StructureInvalid, WalletExists
from ..crypto.keys import Ed25519Key
from ..encoding.timeutil import parse_datetime
from ..wallet import backup as backups
from ..wallet import inbox, profile as profiles, render
from ..wallet.store import Wallet
from . import progress
from . import wallet_io as io
from . import wallet_status
from .status_files import flatten, load_status_lists


def _print(text: str = "") -> None:
    sys.stdout.write(text if text.endswith("\n") else text + "\n")


# --- wallet ---------------------------------------------------------------------------------
def wallet_init(args) -> int:
    path = io.wallet_path(args)
    if os.path.lexists(path):
        raise WalletExists(f"a wallet already exists at {path}; refusing to overwrite it", path=path)
    holder = Ed25519Key.load(args.import_key) if args.import_key else None
    secret = io.check_strength(io.passphrase(args, confirm=True))
    folder = os.path.dirname(os.path.abspath(path))
    os.makedirs(folder, mode=0o700, exist_ok=True)
    with progress.working(progress.CREATING_WALLET):
        wallet = Wallet.create(path, secret, holder_key=holder, now=io.now(args))
    _print(f"Wallet created: {path}\nYour DID: {wallet.did}")
    _print(f"Encryption: Argon2id (opslimit {wallet.kdf.opslimit}, memlimit {wallet.kdf.memlimit // 1024} KiB), "
           "XChaCha20-Poly1305. Keep your passphrase safe: without it the wallet cannot be opened.")
    return 0


def wallet_passphrase(args) -> int:
    wallet = io.open_wallet(args)
    new = io.new_passphrase(args)
    with progress.working(progress.CHANGING_PASSPHRASE):
        wallet.change_passphrase(new)
    _print(f"Passphrase changed for {wallet.path}.")
    return 0


def wallet_info(args) -> int:
    wallet = io.open_wallet(args)
    profile = wallet.data.get("profile")
    _print(f"wallet:      {wallet.path}\nDID:         {wallet.did}\n"
           f"profile:     {'set, ' + profile['validFrom'] if profile else 'not set'}\n"
           f"credentials: {len(wallet.credentials)}\n"
           f"encryption:  Argon2id opslimit {wallet.kdf.opslimit}, memlimit {wallet.kdf.memlimit // 1024} KiB; "
           "XChaCha20-Poly1305")
    return 0


def wallet_accept_rollback(args) -> int:
    wallet = io.open_wallet(args, accept_rollback=True)
    before = wallet.generation
    wallet.save()
    _print(f"Accepted the wallet file at {wallet.path} as it is (generation {before}); "
           f"it is saved as generation {wallet.generation}.")
    return 0


# --- profile --------------------------------------------------------------------------------
def profile_set(args) -> int:
    source = profiles.load_source(args.file)
    wallet = io.open_wallet(args)
    outcome = profiles.set_profile(wallet, source, now=io.now(args))
    wallet.save()
    subject = outcome["profile"]["credentialSubject"]
    count = sum(len(subject[key]) for key in BLOCK_KEYS)
    _print(f"Profile set and signed: {count} entries.")
    if outcome["added"]:
        _print("  new entries: " + ", ".join(outcome["added"]))
    if outcome["removed"]:
        _print("  removed entries: " + ", ".join(outcome["removed"]))
    for credential_id in outcome["stale"]:
        _print(f"  note: {credential_id} endorses an entry that changed or is gone; it will not be shared")
    return 0


def profile_show(args) -> int:
    wallet = io.open_wallet(args)
    if args.source:
        source = wallet.data.get("profileSource")
        if source is None:
            raise StructureInvalid("the wallet has no profile yet")
        _print(yaml.safe_dump(source, allow_unicode=True, sort_keys=False))
    elif args.json:
        if not wallet.data.get("profile"):
            raise StructureInvalid("the wallet has no profile yet")
        _print(jsonio.dumps_pretty(wallet.data["profile"]))
    else:
        _print(render.render_profile(wallet.data.get("profile"), args.lang, _endorsers(wallet)))
    return 0


def _endorsers(wallet: Wallet) -> dict[str, list[str]]:
    stale = set(profiles.stale_endorsements(wallet))
    out: dict[str, list[str]] = {}
    for item in wallet.credentials:
        entry = profiles.endorsed_entry(item["credential"])
        if entry and item["credential"].get("id") not in stale:
            out.setdefault(entry.get("id"), []).append(render.issuer_name(item["credential"]))
    return out


# --- inbox ----------------------------------------------------------------------------------
def import_(args) -> int:
    if bool(args.file) == bool(args.qr_text):
        raise InputError("give either a FILE or --qr-text TEXT")
    document, source = inbox.from_qr_text(args.qr_text) if args.qr_text else inbox.read_document(args.file)
    lists = load_status_lists(flatten(args.status))
    wallet = io.open_wallet(args)
    before = len(wallet.credentials)
    item = inbox.import_credential(wallet, document, now=io.now(args), source=source, status=lists or None)
    if len(wallet.credentials) == before:
        _print(f"Already in the wallet: {render.attests(item['credential'])}")
        return 0
    wallet.save()
    credential = item["credential"]
    _print(f"Imported: {render.attests(credential)}\n  from {render.issuer_name(credential)}"
           f"\n  valid until {credential.get('validUntil', '(no end date)')}")
    for flag in item["flags"]:
        _print(f"  flag: {FLAG_TEXT.get(flag, flag)}")
    return 0


FLAG_TEXT = {
    "status-unknown": "revocation status not checked (no status list at hand); verifiers will check it",
    "entry-mismatch": "endorses a profile entry that differs from your current profile",
    "issuer-not-trusted": "the issuer is not in the given trust registry",
}


def list_(args) -> int:
    wallet = io.open_wallet(args)
    moment = io.now(args)
    if args.refresh:
        wallet_status.refresh(wallet, args)
    stale = set(profiles.stale_endorsements(wallet))
    if not wallet.credentials:
        _print("No endorsements yet. Import one with 'passport import FILE'.")
        return 0
    for number, item in enumerate(wallet.credentials, 1):
        credential = item["credential"]
        until = credential.get("validUntil")
        expired = until is not None and parse_datetime(until) <= moment
        entry = (profiles.endorsed_entry(credential) or {}).get("id")
        _print(f"{number:>2}. [{inbox.short_id(credential)}] {render.attests(credential, args.lang)}")
        line = f"      {render.issuer_name(credential)}; valid until {until or '-'}" + (" (EXPIRED)" if expired else "")
        if entry:
            line += f"; endorses entry {entry}" + (" (entry changed since)" if credential.get("id") in stale else "")
        _print(line)
        checked = item.get("statusCheck")
        if checked:
            _print(f"      status: {wallet_status.state_text(checked['status'], args.lang)} "
                   f"(checked {checked['checkedAt']})")
    return 0


def show(args) -> int:
    wallet = io.open_wallet(args)
    item = inbox.find(wallet, args.id)
    credential = item["credential"]
    if args.json:
        _print(jsonio.dumps_pretty(credential))
        return 0
    lang = args.lang
    subject = credential.get("credentialSubject") or {}
    achievement = subject.get("achievement") if isinstance(subject, dict) else None
    lines = [render.attests(credential, lang), f"  id:          {credential.get('id')}",
             f"  issuer:      {render.issuer_name(credential)} ({issuer_id(credential)})",
             f"  valid from:  {credential.get('validFrom')}", f"  valid until: {credential.get('validUntil', '-')}"]
    if isinstance(achievement, dict) and achievement.get("description"):
        lines.append(f"  about:       {render.text(achievement['description'], lang)}")
    if subject.get("endorsementComment"):
        lines.append(f"  comment:     {render.text(subject['endorsementComment'], lang)}")
    entry = profiles.endorsed_entry(credential)
    if entry:
        current = wallet.data.get("profile") and find_entry(wallet.data["profile"], entry.get("id"))
        name = render.text(current.get("name"), lang) if current else "(not in your profile)"
        changed = credential.get("id") in profiles.stale_endorsements(wallet)
        lines.append(f"  endorses:    {entry.get('id')}: {name}" + (" (changed since)" if changed else ""))
    lines.append(f"  imported:    {item['importedAt']} from {item['source']}; status at import: {item['status']}")
    lines.extend(f"  flag:        {FLAG_TEXT.get(flag, flag)}" for flag in item["flags"])
    _print("\n".join(lines))
    return 0


def remove(args) -> int:
    wallet = io.open_wallet(args)
    item = inbox.remove(wallet, args.id)
    wallet.save()
    _print(f"Removed: {render.attests(item['credential'])}")
    return 0


# --- backup and restore ---------------------------------------------------------------------
def backup(args) -> int:
    secret = io.passphrase(args)
    wallet = io.open_wallet(args, secret)
    code = backups.new_recovery_code() if args.recovery_code else None
    with progress.working(progress.WRITING_BACKUP):
        backups.export_backup(wallet, args.file, secret, now=io.now(args), recovery_code=code, overwrite=args.force)
    _print(f"Backup written to {args.file} (encrypted with your wallet passphrase).")
    if code:
        _print(f"\nRecovery code (shown once; write it down and keep it apart from the backup):\n\n    {code}\n")
    return 0


def restore(args) -> int:
    path = io.wallet_path(args)
    force = args.force
    if os.path.lexists(path) and not force:
        if not io.confirm(f"A wallet exists at {path}. Replace it with the backup?", False):
            raise WalletExists(f"a wallet already exists at {path}; use --force to replace it, "
                               "or --wallet for another path", path=path)
        force = True
    if args.recovery_code or args.recovery_code_file:
        code = io.secret(args.recovery_code_file, io.RECOVERY_ENV, "Recovery code: ", what="recovery code")
        with progress.working(progress.READING_BACKUP):
            content = backups.read_backup(args.file, code, recovery=True)
        secret = io.new_passphrase(args)
    else:
        secret = io.passphrase(args)
        with progress.working(progress.READING_BACKUP):
            content = backups.read_backup(args.file, secret)
    os.makedirs(os.path.dirname(os.path.abspath(path)), mode=0o700, exist_ok=True)
    with progress.working(progress.RESTORING_WALLET):
        wallet = backups.restore(args.file, content, path, secret, force=force)
    _print(f"Wallet restored to {path}\nDID: {wallet.did}; {len(wallet.credentials)} endorsement(s)")
    return 0


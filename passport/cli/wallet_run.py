"""What the wallet commands do: parse, open the wallet once, call the wallet modules, print."""
from __future__ import annotations

import os
import sys

import yaml

from .. import terms
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
from .language import say
from .status_files import flatten, load_status_lists, trailing_document


def _print(text: str = "") -> None:
    sys.stdout.write(text if text.endswith("\n") else text + "\n")


# --- wallet ---------------------------------------------------------------------------------
def wallet_init(args) -> int:
    path = io.wallet_path(args)
    if os.path.lexists(path):
        raise WalletExists(say("err_wallet_exists", args.lang, path=path), path=path)
    holder = Ed25519Key.load(args.import_key) if args.import_key else None
    lang = args.lang
    secret = io.check_strength(io.passphrase(args, confirm=True), lang)
    folder = os.path.dirname(os.path.abspath(path))
    os.makedirs(folder, mode=0o700, exist_ok=True)
    with progress.working(progress.CREATING_WALLET, lang):
        wallet = Wallet.create(path, secret, holder_key=holder, now=io.now(args))
    _print(say("wallet_created", lang, path=path, did=wallet.did))
    _print(say("wallet_encryption", lang, opslimit=wallet.kdf.opslimit, memlimit=wallet.kdf.memlimit // 1024))
    return 0


def wallet_passphrase(args) -> int:
    wallet = io.open_wallet(args)
    new = io.new_passphrase(args)
    with progress.working(progress.CHANGING_PASSPHRASE, args.lang):
        wallet.change_passphrase(new)
    _print(say("passphrase_changed", args.lang, path=wallet.path))
    return 0


def wallet_info(args) -> int:
    wallet = io.open_wallet(args)
    profile = wallet.data.get("profile")
    lang = args.lang
    said = say("info_profile_set", lang, date=profile["validFrom"]) if profile else say("info_profile_none", lang)
    _print(say("info", lang, path=wallet.path, did=wallet.did, profile=said, count=len(wallet.credentials),
               opslimit=wallet.kdf.opslimit, memlimit=wallet.kdf.memlimit // 1024))
    return 0


def wallet_accept_rollback(args) -> int:
    wallet = io.open_wallet(args, accept_rollback=True)
    before = wallet.generation
    wallet.save()
    _print(say("rollback_accepted", args.lang, path=wallet.path, before=before, after=wallet.generation))
    return 0


# --- profile --------------------------------------------------------------------------------
def profile_set(args) -> int:
    source = profiles.load_source(args.file)
    wallet = io.open_wallet(args)
    outcome = profiles.set_profile(wallet, source, now=io.now(args))
    wallet.save()
    subject = outcome["profile"]["credentialSubject"]
    count = sum(len(subject[key]) for key in BLOCK_KEYS)
    _print(say("profile_set", args.lang, count=count))
    if outcome["added"]:
        _print(say("profile_added", args.lang, ids=", ".join(outcome["added"])))
    if outcome["removed"]:
        _print(say("profile_removed", args.lang, ids=", ".join(outcome["removed"])))
    for credential_id in outcome["stale"]:
        _print(say("profile_stale", args.lang, id=credential_id))
    return 0


def profile_show(args) -> int:
    wallet = io.open_wallet(args)
    if args.source:
        source = wallet.data.get("profileSource")
        if source is None:
            raise StructureInvalid(say("err_no_profile", args.lang))
        _print(yaml.safe_dump(source, allow_unicode=True, sort_keys=False))
    elif args.json:
        if not wallet.data.get("profile"):
            raise StructureInvalid(say("err_no_profile", args.lang))
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
    if not args.file and not args.qr_text:
        args.file = trailing_document(args.status)
    if bool(args.file) == bool(args.qr_text):
        raise InputError(say("err_import_either", args.lang))
    document, source = inbox.from_qr_text(args.qr_text) if args.qr_text else inbox.read_document(args.file)
    lists = load_status_lists(flatten(args.status), args.lang)
    wallet = io.open_wallet(args)
    before = len(wallet.credentials)
    item = inbox.import_credential(wallet, document, now=io.now(args), source=source, status=lists or None)
    return keep_and_say(wallet, item, before, args.lang, "imported")


def keep_and_say(wallet, item: dict, before: int, lang: str, message: str, **more: str) -> int:
    """Save the wallet when ``item`` is new (``before``: the count of credentials before it) and say
    so with ``message`` and the import's flags; a credential already there: say that, save nothing."""
    credential = item["credential"]
    if len(wallet.credentials) == before:
        _print(say("already_imported", lang, what=render.attests(credential, lang)))
        return 0
    wallet.save()
    _print(say(message, lang, what=render.attests(credential, lang), issuer=render.issuer_name(credential),
               until=credential.get("validUntil") or say("no_end_date", lang), **more))
    for flag in item["flags"]:
        _print(say("flag", lang, flag=flag_text(flag, lang)))
    return 0


FLAGS = ("status-unknown", "entry-mismatch", "issuer-not-trusted")  # what inbox.import_credential notes


def flag_text(flag: str, lang: str) -> str:
    """What an import flag means (``cli.flag_<flag>`` in ``passport.terms``); a flag not known here: itself."""
    return say("flag_" + flag.replace("-", "_"), lang) if flag in FLAGS else flag


def list_(args) -> int:
    wallet = io.open_wallet(args)
    moment = io.now(args)
    if args.refresh:
        wallet_status.refresh(wallet, args)
    stale = set(profiles.stale_endorsements(wallet))
    if not wallet.credentials:
        _print(say("no_endorsements", args.lang))
        return 0
    for number, item in enumerate(wallet.credentials, 1):
        credential = item["credential"]
        until = credential.get("validUntil")
        expired = until is not None and parse_datetime(until) <= moment
        entry = (profiles.endorsed_entry(credential) or {}).get("id")
        lang = args.lang
        _print(f"{number:>2}. [{inbox.short_id(credential)}] {render.attests(credential, lang)}")
        line = say("list_issuer", lang, issuer=render.issuer_name(credential), until=until or "-")
        line += say("list_expired", lang) if expired else ""
        if entry:
            line += say("list_endorses", lang, entry=entry)
            line += say("list_entry_changed", lang) if credential.get("id") in stale else ""
        _print(line)
        checked = item.get("statusCheck")
        if checked:
            _print(say("list_status", lang, state=wallet_status.state_text(checked["status"], lang),
                       at=checked["checkedAt"]))
            why = wallet_status.reason_text(checked["status"], checked.get("reason") or "", lang)
            if checked["status"] in wallet_status.ATTENTION and why:  # why, as ``passport status`` says it
                _print("      " + why)
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
    field = _fields(lang)
    lines = [render.attests(credential, lang), field("id", credential.get("id")),
             field("issuer", f"{render.issuer_name(credential)} ({issuer_id(credential)})"),
             field("valid_from", credential.get("validFrom")), field("valid_until", credential.get("validUntil", "-"))]
    if isinstance(achievement, dict) and achievement.get("description"):
        lines.append(field("about", render.text(achievement["description"], lang)))
    if subject.get("endorsementComment"):
        lines.append(field("comment", render.text(subject["endorsementComment"], lang)))
    entry = profiles.endorsed_entry(credential)
    if entry:
        current = wallet.data.get("profile") and find_entry(wallet.data["profile"], entry.get("id"))
        name = render.text(current.get("name"), lang) if current else say("show_not_in_profile", lang)
        changed = credential.get("id") in profiles.stale_endorsements(wallet)
        lines.append(field("endorses", f"{entry.get('id')}: {name}" + (say("show_changed", lang) if changed else "")))
    lines.append(field("imported", say("show_imported_from", lang, at=item["importedAt"], source=item["source"],
                                       status=_check_status(item["status"], lang))))
    lines.extend(field("flag", flag_text(flag, lang)) for flag in item["flags"])
    _print("\n".join(lines))
    return 0


def _check_status(status: str, lang: str) -> str:
    """How the import's check ended ("passed", "unknown"...) in ``lang``; an unknown word as it is."""
    try:
        return terms.term("check_status." + status, lang)
    except KeyError:
        return status


SHOW_FIELDS = ("id", "issuer", "valid_from", "valid_until", "about", "comment", "endorses", "imported", "flag")


def _fields(lang: str):
    """``field(name, value)`` -> "  label:   value", the values of ``passport show`` in one column."""
    labels = {name: say("show_" + name, lang) + ":" for name in SHOW_FIELDS}
    width = max(len(label) for label in labels.values()) + 1
    return lambda name, value: f"  {labels[name]:<{width}}{value}"


def remove(args) -> int:
    wallet = io.open_wallet(args)
    item = inbox.remove(wallet, args.id)
    wallet.save()
    _print(say("removed", args.lang, what=render.attests(item["credential"], args.lang)))
    return 0


# --- backup and restore ---------------------------------------------------------------------
def backup(args) -> int:
    secret = io.passphrase(args)
    wallet = io.open_wallet(args, secret)
    code = backups.new_recovery_code() if args.recovery_code else None
    with progress.working(progress.WRITING_BACKUP, args.lang):
        backups.export_backup(wallet, args.file, secret, now=io.now(args), recovery_code=code, overwrite=args.force)
    _print(say("backup_written", args.lang, path=args.file))
    if code:
        _print(say("recovery_code", args.lang, code=code))
    return 0


def restore(args) -> int:
    path = io.wallet_path(args)
    force, lang = args.force, args.lang
    if os.path.lexists(path) and not force:
        if not io.confirm(say("restore_replace", lang, path=path), False, lang):
            raise WalletExists(say("err_wallet_exists_restore", lang, path=path), path=path)
        force = True
    if args.recovery_code or args.recovery_code_file:
        code = io.secret(args.recovery_code_file, io.RECOVERY_ENV, "recovery_code", lang=lang)
        with progress.working(progress.READING_BACKUP, lang):
            content = backups.read_backup(args.file, code, recovery=True)
        secret = io.new_passphrase(args)
    else:
        secret = io.passphrase(args)
        with progress.working(progress.READING_BACKUP, lang):
            content = backups.read_backup(args.file, secret)
    os.makedirs(os.path.dirname(os.path.abspath(path)), mode=0o700, exist_ok=True)
    with progress.working(progress.RESTORING_WALLET, lang):
        wallet = backups.restore(args.file, content, path, secret, force=force)
    _print(say("restored", lang, path=path, did=wallet.did, count=len(wallet.credentials)))
    return 0


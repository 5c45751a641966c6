"""The worker's commands: wallet, profile, import, list, show, share, qr, respond, backup, restore.

This module only declares the commands (options, help, examples); ``wallet_run`` does the work.
Every command takes ``--wallet PATH`` (or ``$PASSPORT_WALLET``) and ``--passphrase-file FILE``
(or ``$PASSPORT_PASSPHRASE``, or a prompt).
"""
from __future__ import annotations

import argparse

from . import language
from .wallet_options import RAW, add, selection_options
from . import wallet_export as export
from . import wallet_receive as receiving
from . import wallet_run as run
from . import wallet_share as sharing
from . import wallet_status as status
from . import wallet_app

def register(commands: argparse._SubParsersAction) -> None:
    wallet = commands.add_parser("wallet", help="create the wallet, change its passphrase, show its details",
                                 epilog="examples:\n  passport wallet init\n  passport wallet passphrase\n"
                                        "  passport wallet info", formatter_class=RAW)
    actions = wallet.add_subparsers(dest="wallet_command", metavar="ACTION", required=True)
    init = add(actions, "init", "create a new encrypted wallet with a new holder key (did:key)",
                "examples:\n  passport wallet init --wallet ria.wallet\n"
                "  passport wallet init --import-key ria.key.json   # keep an existing key", run.wallet_init, now=True)
    init.add_argument("--import-key", metavar="FILE", help="use the Multikey key file FILE as the holder key")
    rotate = add(actions, "passphrase", "change the wallet's passphrase",
                  "example:\n  passport wallet passphrase\n"
                  "  (scripts: PASSPORT_NEW_PASSPHRASE or --new-passphrase-file)",
                  run.wallet_passphrase)
    rotate.add_argument("--new-passphrase-file", metavar="FILE", help="read the new passphrase from FILE")
    add(actions, "info", "show the wallet's DID, contents and encryption parameters",
         "example:\n  passport wallet info", run.wallet_info)
    add(actions, "accept-rollback", "accept an older copy of the wallet file that was put back on purpose",
         "example:\n  passport wallet accept-rollback\n"
         "Every save numbers the wallet file (its generation) and writes the number to <wallet>.generation\n"
         "beside it. Opening a file older than that number fails with WALLET_ROLLBACK: someone (or a\n"
         "restored disk image) put an older copy back, and changes made since then are missing. Run this\n"
         "command only when you put the older copy back yourself; it is saved as the newest generation.\n"
         "Limits: whoever can replace both files (or delete <wallet>.generation) is not detected, and a\n"
         "wallet copied to another computer starts a new counter there.", run.wallet_accept_rollback)

    profile = commands.add_parser("profile", help="set or show your Persoonlijk Profiel",
                                  epilog="examples:\n  passport profile set profile.yaml\n"
                                         "  passport profile show --lang en", formatter_class=RAW)
    profile_actions = profile.add_subparsers(dest="profile_command", metavar="ACTION", required=True)
    set_ = add(profile_actions, "set", "set the profile from a YAML or JSON file; validates and signs it",
                "example:\n  passport profile set profile.yaml\n"
                "entries without an id get one from their name, kept when you edit the name later", run.profile_set,
                now=True)
    set_.add_argument("file", help="profile file (.yaml, .yml or .json) with name and the six blocks")
    show = add(profile_actions, "show", "show the profile as readable text",
                "examples:\n  passport profile show --lang en\n  passport profile show --source > profile.yaml",
                run.profile_show)
    show.add_argument("--source", action="store_true", help="print the editable YAML source, with entry ids")
    show.add_argument("--json", action="store_true", help="print the signed profile credential")

    importer = add(commands, "import", "import an endorsement (file, QR text or QR image); verifies it first",
                    "examples:\n  passport import bhv-certificaat.json\n  passport import photo-of-qr.png\n"
                    "  passport import --qr-text 'PP2:...'", run.import_, now=True)
    importer.add_argument("file", nargs="?", help="credential JSON, a file with QR text, or a PNG/JPEG with a QR code")
    importer.add_argument("--qr-text", metavar="TEXT", help="the text of a Paspoort QR code (PP2:...)")
    importer.add_argument("--status", action="append", nargs="+", default=[], metavar="PATH",
                          help="signed status list, a folder of them, or an offline bundle file to check "
                               "revocation against (several paths, repeatable)")

    lister = add(commands, "list", "list the endorsements in the wallet",
                  "examples:\n  passport list --lang en\n  passport list --refresh   # fetch their status first",
                  run.list_, now=True)
    lister.add_argument("--refresh", action="store_true",
                        help="fetch the current status lists first (as 'passport status')")
    status.refresh_options(lister)

    shower = add(commands, "show", "show one endorsement readably (or as JSON)",
                  "examples:\n  passport show 2\n  passport show 468ffce2 --json", run.show)
    shower.add_argument("id", help="number from 'passport list', or (the start of) the credential id")
    shower.add_argument("--json", action="store_true", help="print the credential itself")

    remover = add(commands, "remove", "remove an endorsement from the wallet",
                   "example:\n  passport remove 468ffce2", run.remove)
    remover.add_argument("id", help="number from 'passport list', or (the start of) the credential id")

    share = add(commands, "share", "make a signed presentation of exactly what you choose (file and/or QR)",
                 "examples:\n  passport share --block skills --endorsement 1 --out share.json\n"
                 "  passport share --entry klantcontact --type AantoonbaarBekwaam --qr share.png\n"
                 "  passport share --all --include-sensitive fysieke-belastbaarheid --challenge c-123 "
                 "--domain werkgever.example --out share.json --qr-terminal\n"
                 "sensitive entries are left out unless named with --include-sensitive", sharing.share, now=True)
    selection_options(share)
    share.add_argument("--challenge", help="the verifier's challenge to bind the presentation to")
    share.add_argument("--domain", help="the verifier's domain to bind the presentation to")
    share.add_argument("--lifetime", type=int, default=15, metavar="MINUTES", help="validity (default 15 minutes)")
    share.add_argument("--out", metavar="FILE", help="write the presentation JSON to FILE")
    share.add_argument("--qr", action="append", default=[], metavar="PNG|SVG",
                       help="write a QR code image (.png/.svg); a share too large for one code is split over up "
                            "to 16 codes (QR Structured Append) written as NAME-1.png ... NAME-N.png")
    share.add_argument("--qr-terminal", action="store_true", help="print the QR code in the terminal")

    qr = commands.add_parser("qr", help="read Paspoort QR codes", epilog="example:\n  passport qr decode photo.jpg",
                             formatter_class=RAW)
    qr_actions = qr.add_subparsers(dest="qr_command", metavar="ACTION", required=True)
    decode = qr_actions.add_parser("decode", help="decode the Paspoort QR code(s) in images to JSON",
                                   epilog="examples:\n  passport qr decode photo.jpg > presentation.json\n"
                                          "  passport qr decode share.png --out share.json\n"
                                          "  passport qr decode vp-1.png vp-2.png vp-3.png   # one document in "
                                          "several codes, any order", formatter_class=RAW)
    decode.add_argument("image", nargs="+", help="PNG or JPEG images with one or more QR codes; the parts of "
                        "a document split over several codes may be in any order and any of the images")
    decode.add_argument("--out", metavar="FILE", help="write the (first) document to FILE")
    decode.add_argument("--text", action="store_true", help="print the raw QR text instead of JSON")
    language.add_option(decode)
    decode.set_defaults(run=sharing.qr_decode)

    respond = add(commands, "respond", "answer an employer's OpenID4VP request (its openid4vp:// link or QR "
                  "code): shows who asks what, then sends it", "examples:\n  passport respond 'openid4vp://?client_id="
                  "decentralized_identifier%3Adid%3Akey%3Az6Mk...&request_uri=https%3A%2F%2Fwerkgever.example"
                  "%2Foid4vp%2Frequests%2F...'\n  passport respond verifier-qr.png --trust-registry registry.json "
                  "--trust-signer did:key:z6Mk...", sharing.respond, now=True)
    respond.add_argument("request", help="the openid4vp:// link, a file holding it, or an image of the QR code")
    respond.add_argument("--include-sensitive", action="append", default=[], metavar="ENTRY",
                         help="also share this sensitive entry when its block is asked for")
    respond.add_argument("--out", metavar="FILE", help="write the answer (vp_token) to FILE instead of sending it")
    respond.add_argument("--yes", action="store_true", help="send without asking (for scripts)")
    respond.add_argument("--decline", action="store_true",
                         help="say no: send the verifier a refusal (access_denied) and nothing of the wallet")
    respond.add_argument("--include-revoked", action="store_true",
                         help="keep endorsements that 'passport status' found revoked (left out by default)")
    respond.add_argument("--lifetime", type=int, default=5, metavar="MINUTES", help="validity (default 5 minutes)")
    respond.add_argument("--trust-registry", action="append", default=[], metavar="FILE",
                         help="a signed trust registry that may name the verifier (repeatable)")
    respond.add_argument("--trust-signer", action="append", default=[], metavar="DID",
                         help="a DID allowed to sign those registries (repeatable)")

    backup = add(commands, "backup", "write an encrypted backup of the wallet",
                  "examples:\n  passport backup ria-backup.json\n  passport backup ria-backup.json --recovery-code\n"
                  "the recovery code is shown once: write it down and keep it apart from the backup", run.backup)
    backup.add_argument("file", help="backup file to write (mode 0600)")
    backup.add_argument("--recovery-code", action="store_true", help="also make a recovery code that opens the backup")
    backup.add_argument("--force", action="store_true", help="overwrite an existing backup file")

    restore = add(commands, "restore", "restore a wallet from a backup (never replaces a wallet without --force)",
                   "examples:\n  passport restore ria-backup.json --wallet new.wallet\n"
                   "  passport restore ria-backup.json --recovery-code   # then choose a new passphrase",
                   run.restore)
    restore.add_argument("file", help="backup file")
    restore.add_argument("--recovery-code", action="store_true",
                         help="open with the recovery code ($PASSPORT_RECOVERY_CODE or asked)")
    restore.add_argument("--recovery-code-file", metavar="FILE", help="read the recovery code from FILE")
    restore.add_argument("--new-passphrase-file", metavar="FILE", help="new passphrase, after a recovery-code restore")
    restore.add_argument("--force", action="store_true", help="replace an existing wallet at the wallet path")

    receiving.register(commands)
    export.register(commands)
    status.register(commands)
    wallet_app.register(commands)

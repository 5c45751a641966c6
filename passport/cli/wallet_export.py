"""``passport export --pdf FILE``: the printable passport of what the worker chooses to share.

The selection options and rules are those of ``passport share`` (sensitive entries stay out
unless named with ``--include-sensitive``), except that the profile is printed unless
``--no-profile`` is given, and with no selection at all every endorsement is printed too.
The shared profile is signed afresh by the holder key (split into several signed parts only
when it does not fit 16 QR codes); every QR code is at most version 25 at level M, a document
larger than one code taking a labelled Structured Append series. The PDF is written atomically.
"""
from __future__ import annotations

import argparse
import sys

from ..format.documents import PROFILE_TYPE, paspoort_type
from ..errors import InputError
from ..wallet import render
from ..wallet import share as sharing
from . import progress
from . import wallet_io as io
from .language import say, warn
from .wallet_share import skipped_text, warn_revoked
from .wallet_options import add, selection_options

HELP = "write a printable PDF passport whose QR codes carry your signed profile and endorsements"
EXAMPLE = ("examples:\n"
           "  passport export --pdf ria-paspoort.pdf\n"
           "  passport export --pdf ria-passport.pdf --lang en --block skills --block doelEnMotivatie "
           "--endorsement 1 --endorsement 2\n"
           "  passport export --pdf ria.pdf --all-endorsements --include-sensitive fysieke-belastbaarheid\n"
           "the profile is printed whole unless --block/--entry narrow it (or --no-profile); endorsements are\n"
           "those chosen, or all of them when no selection option is given. Sensitive entries are left out\n"
           "unless named with --include-sensitive.\n"
           "A verifier scans the QR codes and checks the signatures offline; no server or link is needed.")


def register(commands: argparse._SubParsersAction) -> None:
    parser = add(commands, "export", HELP, EXAMPLE, export, now=True)
    parser.add_argument("--pdf", required=True, metavar="FILE", help="the PDF file to write (replaced if it exists)")
    selection_options(parser)


def selection(args) -> sharing.Selection:
    """The profile: all blocks unless --block/--entry narrow it (or --no-profile). Endorsements:
    those named with --endorsement/--type/--all-endorsements; all of them when nothing at all is chosen."""
    blocks = [name.strip() for value in args.block for name in value.split(",") if name.strip()]
    entries = list(args.entry)
    if entries:
        entries += [entry for entry in args.include_sensitive if entry not in entries]
    chosen = bool(args.all or blocks or entries or args.endorsement or args.type or args.all_endorsements)
    return sharing.Selection(profile=not args.no_profile, blocks=blocks or None, entries=entries or None,
                             include_sensitive=list(args.include_sensitive), endorsements=list(args.endorsement),
                             all_endorsements=args.all or args.all_endorsements or not chosen, types=list(args.type),
                             include_revoked=args.include_revoked)


def _printable():
    """``passport.printable``, or a clear error when its PDF library (fpdf2) is not installed."""
    try:
        from .. import printable
    except ImportError as exc:
        raise InputError(f"PDF export is not available in this installation ({exc}); pip install fpdf2") from None
    return printable


def export(args) -> int:
    printable = _printable()
    wallet = io.open_wallet(args)
    now = io.now(args)
    lang = args.lang  # --lang, else the locale's: as every command (the wallet's "lang" setting is always nl)
    shared = sharing.build(wallet, selection(args), now=now)
    warn_revoked(shared, lang)
    profile = next((credential for credential in shared.presentation["verifiableCredential"]
                    if paspoort_type(credential) == PROFILE_TYPE), None)
    with progress.working(progress.WRITING_PDF, lang):
        parts = printable.profile_parts(profile, wallet.holder_key, now=now) if profile else None
        printed = printable.export_pdf(parts, shared.endorsements, lang=lang, path=args.pdf, now=now)
    out = sys.stdout
    codes = len(printed.codes)
    documents = len({code.credential_id for code in printed.codes})
    out.write(say("pdf_written", lang, path=printed.path, pages=printed.pages, documents=documents, codes=codes,
                  language=lang, fonts=printed.fonts) + "\n")
    if parts:
        out.write(say("pdf_profile", lang, count=len(shared.profile_entries))
                  + (say("pdf_profile_parts", lang, parts=len(parts)) if len(parts) > 1 else "") + "\n")
    for credential in shared.endorsements:
        out.write(f"  + {render.attests(credential, lang)} ({render.issuer_name(credential)})\n")
    if shared.left_out:
        out.write(say("pdf_left_out", lang, ids=", ".join(shared.left_out)) + "\n")
    for reason in shared.skipped:
        out.write(say("pdf_not_printed", lang, reason=skipped_text(reason, lang)) + "\n")
    for credential_id, _ in printed.not_printable:
        warn("pdf_too_large", lang, id=credential_id)
    return 0

"""Options every wallet command shares, and the selection options of share and export.

Its own module so that each command group (wallet, export, status, ...) can declare its commands
without importing the module that registers the others.
"""
from __future__ import annotations

import argparse

from . import language

RAW = argparse.RawDescriptionHelpFormatter
ENV = ("\nenvironment: PASSPORT_WALLET (wallet file), PASSPORT_PASSPHRASE (passphrase for scripts; "
       "otherwise you are asked)")


def common(parser: argparse.ArgumentParser, *, now: bool = False) -> argparse.ArgumentParser:
    parser.add_argument("--wallet", metavar="PATH", help="wallet file (default: $PASSPORT_WALLET, else "
                        "~/.local/share/paspoort/wallet.json)")
    parser.add_argument("--passphrase-file", metavar="FILE", help="read the passphrase from the first line of FILE")
    if now:
        parser.add_argument("--now", help="the time to use instead of the clock, e.g. 2026-11-23T12:00:00Z")
    language.add_option(parser)
    return parser


def add(commands, name: str, help_text: str, example: str, function, *, now: bool = False):
    parser = commands.add_parser(name, help=help_text, description=help_text, epilog=example + ENV,
                                 formatter_class=RAW)
    parser.set_defaults(run=function)
    return common(parser, now=now)


def selection_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--all", action="store_true", help="all profile blocks and all endorsements")
    parser.add_argument("--block", action="append", default=[], metavar="BLOCK",
                        help="a profile block: talenten, skills, drijfveren, wendbaarheid, werkEnDenkniveau, "
                             "doelEnMotivatie (repeatable, or comma-separated)")
    parser.add_argument("--entry", action="append", default=[], metavar="ID", help="a profile entry (repeatable)")
    parser.add_argument("--include-sensitive", action="append", default=[], metavar="ID",
                        help="share this sensitive entry too (repeatable)")
    parser.add_argument("--endorsement", action="append", default=[], metavar="ID",
                        help="an endorsement, by number or id from 'passport list' (repeatable)")
    parser.add_argument("--type", action="append", default=[], metavar="TYPE",
                        help="every endorsement of this type, e.g. AantoonbaarBekwaam (repeatable)")
    parser.add_argument("--all-endorsements", action="store_true", help="every endorsement in the wallet")
    parser.add_argument("--no-profile", action="store_true", help="share endorsements only, no profile")
    parser.add_argument("--include-revoked", action="store_true",
                        help="keep endorsements that 'passport status' found revoked (left out by default)")

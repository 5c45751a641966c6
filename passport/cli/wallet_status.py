"""``passport status`` (and ``passport list --refresh``): fetch the status of every endorsement.

The lists are fetched with the verifier's limits (``passport.wallet.status``): https only, to
the hosts the endorsements name, a size cap per list, at most ``MAX_LISTS`` lists and a time
budget for all of them. ``--allow-http-host HOST`` allows plain http (and a local address) to
one host the worker names, for a local test server. The outcome is remembered in the wallet.
"""
from __future__ import annotations

import argparse
import sys

from .. import terms
from ..encoding.timeutil import format_datetime
from ..wallet import inbox, render
from ..wallet import status as statuses
from . import progress
from . import wallet_io as io
from .language import say
from .wallet_options import add

HELP = "check whether the issuers revoked, suspended or let expire your endorsements"
EXAMPLE = ("examples:\n  passport status\n  passport list --refresh\n"
           "  passport status --allow-http-host 127.0.0.1   # a local test server, plain http\n"
           f"at most {statuses.MAX_LISTS} status lists and {statuses.TIME_BUDGET:g} seconds in all; https only.\n"
           "share, respond and export --pdf leave out an endorsement known to be revoked, unless --include-revoked.\n"
           "exit status: 0 all valid, 1 something is revoked, suspended, expired or unknown, 2 unusable input")

STATE_TEXT = {  # the outcome words are those of passport.terms; "valid" is the wallet's own word
    lang: {"valid": say("state_valid", lang), "revoked": terms.term("outcome.revoked", lang).upper(),
           "suspended": terms.term("outcome.suspended", lang).upper(),
           "expired": terms.term("outcome.expired", lang).upper(),
           "unknown": terms.term("outcome.status_unknown", lang).lower(), "no-status": say("state_no_status", lang)}
    for lang in terms.LANGS
}
CODES = {"revoked": "REVOKED", "suspended": "SUSPENDED", "expired": "EXPIRED", "unknown": "STATUS_UNKNOWN"}
ATTENTION = ("revoked", "suspended", "expired", "unknown")


def register(commands: argparse._SubParsersAction) -> None:
    parser = add(commands, "status", HELP, EXAMPLE, status, now=True)
    refresh_options(parser)


def refresh_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--allow-http-host", action="append", default=[], metavar="HOST",
                        help="also fetch plain http (and local addresses) from HOST, e.g. 127.0.0.1 for a test server")


def status(args) -> int:
    wallet = io.open_wallet(args)
    moment = io.now(args)
    outcomes = refresh(wallet, args, moment)
    if not outcomes:
        _print(say("no_endorsements", args.lang))
        return 0
    for number, outcome in enumerate(outcomes, 1):
        credential = outcome.item["credential"]
        _print(f"{number:>2}. [{inbox.short_id(credential)}] {render.attests(credential, args.lang)}: "
               f"{state_text(outcome.status, args.lang)}")
        if outcome.status in ATTENTION:
            _print(f"      {reason_text(outcome.status, outcome.reason, args.lang)}")
    counts = {state: sum(1 for outcome in outcomes if outcome.status == state) for state in STATE_TEXT["en"]}
    _print(say("status_checked", args.lang, at=format_datetime(moment), revoked=counts["revoked"],
               suspended=counts["suspended"], expired=counts["expired"], unknown=counts["unknown"],
               valid=counts["valid"] + counts["no-status"]))
    return 1 if any(outcome.status in ATTENTION for outcome in outcomes) else 0


def state_text(state: str, lang: str) -> str:
    return STATE_TEXT[lang].get(state, state)


def reason_text(state: str, reason: str, lang: str) -> str:
    """English: the check's own words. Dutch: the sentence for its code, the check's words after it."""
    if lang == "en" or state not in CODES:
        return reason
    sentence = terms.problem(CODES[state], lang)
    return f"{sentence} ({reason})" if reason else sentence


def refresh(wallet, args, moment=None) -> list[statuses.Outcome]:
    """Fetch, check, remember (the wallet is saved) and return the outcome of every endorsement."""
    loader = statuses.bounded_loader(wallet, http_hosts=args.allow_http_host)
    with progress.working(progress.CHECKING_STATUS, getattr(args, "lang", None) or terms.DEFAULT_LANG):
        outcomes = statuses.refresh(wallet, now=moment or io.now(args), load=loader)
    if outcomes:
        wallet.save()
    return outcomes


def _print(text: str) -> None:
    sys.stdout.write(text + "\n")

"""``passport app``: the worker's wallet app in the browser (``passport.app``), over the same
wallet file as the other commands. Only the options are here; the app needs Flask
(``pip install '.[wallet-app]'``), which this module does not import until the command runs."""
from __future__ import annotations

import argparse
import sys

from .. import terms
from ..errors import InputError
from . import language
from . import wallet_io as io
from .wallet_options import RAW
from .wallet_share import _trust_store

HELP = "open the wallet app in your browser (profile, passport, share, receive, backup)"
EXAMPLE = ("examples:\n  passport app\n  passport app --no-browser --idle-minutes 30 --lang en\n"
           "The app listens on 127.0.0.1 at a free port and prints its address. Only the browser that opens that\n"
           "address first gets in; you type your passphrase in the page. The app stops after --idle-minutes\n"
           "without use (default 15) and locks the wallet. Needs Flask: pip install '.[wallet-app]'.\n"
           "environment: PASSPORT_WALLET (wallet file)")


def register(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser("app", help=HELP, description=HELP, epilog=EXAMPLE, formatter_class=RAW)
    parser.add_argument("--wallet", metavar="PATH", help="wallet file (default: $PASSPORT_WALLET, else "
                        "~/.local/share/paspoort/wallet.json); a new one can be made in the app")
    parser.add_argument("--port", type=int, default=0, help="port on 127.0.0.1 (default: a free one)")
    parser.add_argument("--no-browser", action="store_true", help="only print the address, do not open a browser")
    parser.add_argument("--idle-minutes", type=float, default=15, metavar="MINUTES",
                        help="stop after this many minutes without use (default 15)")
    parser.add_argument("--allow-http-host", action="append", default=[], metavar="HOST",
                        help="status checks may use plain http to HOST (a local test server)")
    parser.add_argument("--trust-registry", action="append", default=[], metavar="FILE",
                        help="signed trust registry: the app shows the registered names of issuers and employers")
    parser.add_argument("--trust-signer", action="append", default=[], metavar="DID",
                        help="DID allowed to sign the trust registries (repeatable)")
    language.add_option(parser)
    parser.set_defaults(run=run)


def run(args) -> int:
    lang = args.lang or terms.DEFAULT_LANG
    if not 1 <= args.idle_minutes <= 24 * 60 or not 0 <= args.port <= 65535:
        raise InputError(terms.term("app.cli_bad_option", lang))
    try:
        from ..app.server import serve
    except ImportError as exc:  # a missing package, not a bad document: said as it is
        sys.stderr.write(f"passport: {language.say('error', lang)}: {terms.term('app.cli_install_flask', lang)} "
                         f"({exc})\n")
        return 2
    trust = _trust_store(args.trust_registry, args.trust_signer, io.now(args))
    sys.stdout.write(terms.term("app.cli_started", lang).format(minutes=f"{args.idle_minutes:g}") + "\n")
    serve(io.wallet_path(args), port=args.port, idle_minutes=args.idle_minutes, lang=lang,
          open_browser=not args.no_browser, allow_http_hosts=args.allow_http_host, out=sys.stdout,
          trust=trust)
    sys.stdout.write(terms.term("app.cli_stopped", lang) + "\n")
    return 0

"""The ``passport`` console command: one entry point, one module per command group."""
from __future__ import annotations

import argparse
import logging
import os
import sys

from ..errors import PassportError
from . import core, language, wallet_io, wallet

EXIT_OK, EXIT_NOT_VERIFIED, EXIT_UNUSABLE = 0, 1, 2


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="passport",
        description="Persoonlijk Profiel Paspoort: keys, signing and verification of profiles and endorsements.",
        epilog="language: Dutch unless --lang en (before or after the command) or a locale starting with 'en' "
               "(LC_ALL, LC_MESSAGES, LANG) says otherwise",
    )
    language.add_option(parser, dest="global_lang")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    core.register(commands)
    wallet.register(commands)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # argparse: 2 for usage errors, 0 for --help
        return int(exc.code or 0)
    lang = language.resolve(args)
    _quiet_library_log()
    try:
        return _run(args)
    except PassportError as exc:
        print(language.error_line(exc, lang), file=sys.stderr)
        return EXIT_UNUSABLE
    except BrokenPipeError:  # output piped into e.g. `head`, which stopped reading: not an error
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return EXIT_OK
    except OSError as exc:  # FileExistsError is an OSError
        print(language.os_error_line(exc, lang), file=sys.stderr)
        return EXIT_UNUSABLE
    except KeyboardInterrupt:
        return 130
    except EOFError:  # Ctrl-D at a question: stopped, as with Ctrl-C, but said
        print(f"\npassport: {language.say('input_ended', lang)}", file=sys.stderr)
        return 130


def _quiet_library_log() -> None:
    """The library logs what it could not fetch, in English; the command says it itself, in the
    person's language (``passport status``: per endorsement), so those records are not printed
    unless the caller configured logging."""
    library = logging.getLogger("passport")
    if not library.handlers and not logging.getLogger().handlers:
        library.addHandler(logging.NullHandler())


def _run(args) -> int:
    try:
        return int(args.run(args) or 0)
    finally:
        wallet_io.close_opened()  # a wallet's lock lasts exactly as long as the command


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())

"""The ``passport`` console command: one entry point, one module per command group."""
from __future__ import annotations

import argparse
import os
import sys

from ..errors import PassportError
from . import core, wallet_io, wallet

EXIT_OK, EXIT_NOT_VERIFIED, EXIT_UNUSABLE = 0, 1, 2


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="passport",
        description="Persoonlijk Profiel Paspoort: keys, signing and verification of profiles and endorsements.",
    )
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
    try:
        return _run(args)
    except PassportError as exc:
        print(f"passport: error [{exc.code}]: {exc.message}", file=sys.stderr)
        return EXIT_UNUSABLE
    except BrokenPipeError:  # output piped into e.g. `head`, which stopped reading: not an error
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return EXIT_OK
    except OSError as exc:  # FileExistsError is an OSError
        where = f" ({exc.filename})" if getattr(exc, "filename", None) else ""
        print(f"passport: error: {exc.strerror or exc}{where}", file=sys.stderr)
        return EXIT_UNUSABLE
    except KeyboardInterrupt:
        return 130


def _run(args) -> int:
    try:
        return int(args.run(args) or 0)
    finally:
        wallet_io.close_opened()  # a wallet's lock lasts exactly as long as the command


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())

"""The language the ``passport`` command speaks: Dutch unless something says otherwise.

``--lang nl|en`` decides, given before the command (``passport --lang en verify ...``) or after
it (``passport verify ... --lang en``); without it the locale does: English when the first of
``LC_ALL``, ``LC_MESSAGES`` and ``LANG`` that is set starts with "en" (``en_GB.UTF-8``), else
Dutch, also for ``C`` and ``POSIX`` (``passport.terms.language``). The words come from
``passport.terms``, the table the verifier's page, the printed passport and the demo's report
share; ``WORDS`` holds only the command's own layout words.
"""
from __future__ import annotations

import argparse
import os
from typing import Mapping

from .. import terms
from ..errors import PassportError

HELP = ("language of the output: nl or en (default: English when LC_ALL, LC_MESSAGES or LANG starts with "
        "'en', else Dutch)")
WORDS = {"nl": {"error": "fout"}, "en": {"error": "error"}}


def add_option(parser: argparse.ArgumentParser, dest: str = "lang") -> None:
    parser.add_argument("--lang", choices=terms.LANGS, default=None, dest=dest, help=HELP)


def resolve(args: argparse.Namespace, environ: Mapping[str, str] = os.environ) -> str:
    """Set ``args.lang`` to the language to speak (``--lang`` after the command, else before it,
    else the locale's) and return it."""
    requested = getattr(args, "lang", None) or getattr(args, "global_lang", None)
    args.lang = terms.language(requested, environ)
    return args.lang


def error_line(error: PassportError, lang: str) -> str:
    """One line: the code, the plain sentence for it in ``lang``, and the library's words with
    what exactly was wrong (a file, a field, what to do) in parentheses."""
    sentence = terms.problem(error.code, lang, default=error.message)
    detail = f" ({error.message})" if error.message and error.message != sentence else ""
    return f"passport: {WORDS[lang]['error']} [{error.code}]: {sentence}{detail}"


def os_error_line(error: OSError, lang: str) -> str:
    where = f" ({error.filename})" if getattr(error, "filename", None) else ""
    return f"passport: {WORDS[lang]['error']}: {error.strerror or error}{where}"

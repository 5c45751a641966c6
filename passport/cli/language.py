"""The language the ``passport`` command speaks: Dutch unless something says otherwise.

``--lang nl|en`` decides, given before the command (``passport --lang en verify ...``) or after
it (``passport verify ... --lang en``); without it the locale does: English when the first of
``LC_ALL``, ``LC_MESSAGES`` and ``LANG`` that is set starts with "en" (``en_GB.UTF-8``), else
Dutch, also for ``C`` and ``POSIX`` (``passport.terms.language``). The words come from
``passport.terms``, the table the verifier's page, the printed passport and the demo's report
share. The command's own sentences are there too, in the ``cli`` section: ``say(key, lang)``
gives one, its ``{placeholders}`` filled in; nothing the command prints to people is written here.
"""
from __future__ import annotations

import argparse
import errno
import os
import sys
from typing import Mapping, TextIO

from .. import terms
from ..errors import PassportError

HELP = ("language of the output: nl or en (default: English when LC_ALL, LC_MESSAGES or LANG starts with "
        "'en', else Dutch)")


def say(key: str, lang: str = terms.DEFAULT_LANG, **values: object) -> str:
    """The command's sentence ``key`` (the ``cli`` section of ``passport.terms``) in ``lang``,
    e.g. ``say("presentation_written", "nl", path="vp.json")`` -> "Presentatie opgeslagen in vp.json"."""
    return terms.term("cli." + key, lang).format(**values)


def warn(key: str, lang: str, stream: TextIO | None = None, **values: object) -> None:
    """One "passport: waarschuwing: ..." line on stderr (or ``stream``)."""
    (stream or sys.stderr).write(say("warning", lang, text=say(key, lang, **values)) + "\n")


def note(key: str, lang: str, stream: TextIO | None = None, **values: object) -> None:
    """One "passport: let op: ..." line on stderr (or ``stream``)."""
    (stream or sys.stderr).write(say("note", lang, text=say(key, lang, **values)) + "\n")


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
    return f"passport: {say('error', lang)} [{error.code}]: {sentence}{detail}"


OS_ERRORS = ("ENOENT", "EACCES", "EEXIST", "EISDIR", "ENOTDIR", "ENOSPC")  # said in the command's language


def os_error_line(error: OSError, lang: str) -> str:
    where = f" ({error.filename})" if getattr(error, "filename", None) else ""
    name = errno.errorcode.get(error.errno or 0)
    text = say("os_" + name, lang) if name in OS_ERRORS else error.strerror or str(error)
    return f"passport: {say('error', lang)}: {text}{where}"

"""The one table of words, in Dutch (the default) and English, for every surface that talks to people.

The CLI, the recruiter's page, the printed passport and the demo's HTML report say the same
thing with the same word: a credential's outcome ("Ingetrokken"), what an error code means in
plain language, the name of a check step and its status, the three match outcomes, the name of
each kind of document and the verdict lines. Each surface keeps its own layout text.

The words live in ``_terms/nl.json`` and ``_terms/en.json``: the same keys in both, grouped in
sections (``outcome``, ``category``, ``verdict``, ``check``, ``check_status``, ``match``,
``kind``, ``role``, ``word``, ``problem``, ``reason``; ``cli`` for the command's sentences and ``app``
for the wallet app's pages). ``table(lang)`` is one language whole,
ready to serve as JSON to the page.

    term("outcome.revoked")            # "Ingetrokken"
    problem("REVOKED", "en")           # "The issuer has revoked it."
    language(None, {"LANG": "en_GB.UTF-8"})  # "en"
"""
from __future__ import annotations

import copy
import json
import os
from functools import lru_cache
from pathlib import Path
from typing import Any, Mapping

from .format.documents import BLOCKS
from .errors import InputError

LANGS = ("nl", "en")
DEFAULT_LANG = "nl"
SECTIONS = ("outcome", "category", "verdict", "check", "check_status", "match", "kind", "role", "word",
            "problem", "reason", "cli", "app")
LOCALE_VARIABLES = ("LC_ALL", "LC_MESSAGES", "LANG")  # POSIX order: the first one set decides
_DIR = Path(__file__).parent / "_terms"
_GENERIC = "PASSPORT_ERROR"


@lru_cache(maxsize=None)
def _words(lang: str) -> dict[str, dict[str, str]]:
    with open(_DIR / f"{lang}.json", encoding="utf-8") as handle:
        return json.load(handle)


def check_lang(lang: str) -> str:
    """``lang`` itself when it is one of ``LANGS``; anything else is refused, never guessed."""
    if lang not in LANGS:
        raise InputError(f"unknown language {lang!r}: choose one of {', '.join(LANGS)}", lang=lang,
                         choices=list(LANGS))
    return lang


def term(key: str, lang: str = DEFAULT_LANG) -> str:
    """The word for ``section.name``, e.g. ``term("outcome.status_unknown", "nl")`` -> "Status onbekend"."""
    section, _, name = key.partition(".")
    words = _words(check_lang(lang))
    if section not in words or name not in words[section]:
        raise KeyError(f"no term {key!r} (sections: {', '.join(SECTIONS)})")
    return words[section][name]


def problem(code: str | None, lang: str = DEFAULT_LANG, default: str | None = None) -> str:
    """A plain-language sentence for an error code. An unknown code gives ``default`` when one is
    passed, else a general sentence in ``lang`` (never the library's English message)."""
    found = _words(check_lang(lang))["problem"]
    if code in found:
        return found[code]  # type: ignore[index]
    return default if default is not None else found[_GENERIC]


def reason(code: str | None, lang: str = DEFAULT_LANG, default: str | None = None) -> str:
    """Why a job requirement is not demonstrated (a match ``reasonCode``): the match's own sentence,
    else the error code's sentence, else ``default`` (or the general sentence)."""
    found = _words(check_lang(lang))["reason"]
    return found[code] if code in found else problem(code, lang, default)  # type: ignore[index]


def kind_name(kind: str | None, lang: str = DEFAULT_LANG, default: str | None = None) -> str:
    """The name of a Paspoort document type (``AantoonbaarBekwaamCredential`` -> "Aantoonbaar bekwaam")."""
    found = _words(check_lang(lang))["kind"]
    if kind in found:
        return found[kind]  # type: ignore[index]
    return default if default is not None else (kind or found["VerifiablePresentation"])


def language(requested: str | None = None, environ: Mapping[str, str] = os.environ) -> str:
    """The language to speak: ``requested`` (``--lang``: "nl", "en", "en_GB", "nl-NL"...) when given,
    else the locale (``LC_ALL``, ``LC_MESSAGES``, ``LANG``: the first one set) when it starts with
    "en", else Dutch. A requested language that is not offered is an ``InputError``."""
    if requested:
        base = requested.strip().lower().replace("-", "_").split("_")[0].split(".")[0]
        return check_lang(base) if base in LANGS else check_lang(requested)
    for name in LOCALE_VARIABLES:
        value = environ.get(name)
        if value:
            return "en" if value.lower().startswith("en") else DEFAULT_LANG
    return DEFAULT_LANG


def table(lang: str = DEFAULT_LANG) -> dict[str, Any]:
    """Every word of one language as a JSON-serialisable dict (a copy), with the profile's block
    names under ``block``: what the recruiter's page loads."""
    words = copy.deepcopy(_words(check_lang(lang)))
    words["block"] = {block.key: block.nl if lang == "nl" else block.en for block in BLOCKS}
    return {"lang": lang, **words}

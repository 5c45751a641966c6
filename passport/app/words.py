"""The app's words: the ``app`` section of ``passport.terms`` (Dutch first, English by choice),
the block names, and plain sentences for errors. Templates call ``t("key", name=...)``."""
from __future__ import annotations

from typing import Any

from .. import terms
from ..errors import InputError, PassportError
from ..format.documents import BLOCK_KEYS, BLOCKS, paspoort_type
from ..wallet import render

QUESTIONS = (  # the three questions of the Persoonlijk Profiel, each with the blocks that answer it
    ("wie", ("talenten", "wendbaarheid")),
    ("wil", ("drijfveren", "doelEnMotivatie")),
    ("kan", ("skills", "werkEnDenkniveau")),
)


def t(key: str, lang: str, **values: Any) -> str:
    """The app's sentence ``key`` in ``lang``, its ``{placeholders}`` filled in."""
    text = terms.term("app." + key, lang)
    return text.format(**values) if values else text


def block_name(key: str, lang: str) -> str:
    block = next(block for block in BLOCKS if block.key == key)
    return block.nl if lang == "nl" else block.en


def entry_names(wallet, lang: str) -> dict[str, str]:
    """Entry id -> the entry's name in ``lang``, from the wallet's profile (empty without one)."""
    source = wallet.data.get("profileSource") or {}
    return {entry["id"]: render.text(entry.get("name"), lang) for key in BLOCK_KEYS for entry in source.get(key) or []
            if isinstance(entry, dict) and isinstance(entry.get("id"), str)}


def what(credential: dict[str, Any], lang: str, names: dict[str, str]) -> str:
    """One line on what ``credential`` says; an endorsement of a profile entry names the entry."""
    subject = credential.get("credentialSubject")
    entry = subject.get("entry") if isinstance(subject, dict) else None
    if isinstance(entry, dict) and entry.get("id") in names:
        return f"{terms.kind_name(paspoort_type(credential), lang)}: {names[entry['id']]}"
    return render.attests(credential, lang)


def refusal(text: str, **details: Any) -> InputError:
    """An input error whose message is already the app's plain sentence (``plain=True``)."""
    return InputError(text, plain=True, **details)


def problem(exc: PassportError, lang: str) -> dict[str, str]:
    """What went wrong, for a person: the plain sentence for the error's code (or, when the
    wallet refused an import, for the reason), and the library's own words as the detail."""
    if exc.details.get("plain"):
        return {"code": exc.code, "sentence": exc.message, "detail": ""}
    code = exc.details.get("reason") if exc.code == "IMPORT_REFUSED" else exc.code
    sentence = terms.problem(code if isinstance(code, str) else exc.code, lang)
    return {"code": exc.code, "sentence": sentence, "detail": exc.message if exc.message != sentence else ""}


def role_name(role: str, lang: str) -> str:
    """A trust registry role in plain words (``werkgever`` -> "werkgever" / "employer")."""
    try:
        return terms.term("role." + role, lang)
    except KeyError:
        return role[:40]


def problem_sentence(code: str, lang: str) -> str:
    """The plain sentence for an error code another party sent (never its own words)."""
    return terms.problem(code, lang)

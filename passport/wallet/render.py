"""Readable text for people: the profile in Dutch or English, its entries' details, dates, and
imported credentials. The terminal (``passport profile show``) and the printed passport
(``printable.text``) both describe an entry with ``entry_details``. The words (labels, month
names, document kinds) come from ``passport.terms``; this module only lays them out."""
from __future__ import annotations

from datetime import datetime, timezone
from typing import Any, Mapping

from ..format.documents import BLOCKS, CREDENTIAL_TYPES, issuer_id, paspoort_type
from ..terms import LANGS, kind_name as _kind_name, term as _term
from ..encoding.timeutil import as_datetime, parse_datetime

LABELS = {  # the words of ``render_profile``: the ``cli.profile_*`` terms of ``passport.terms``
    lang: {name: _term(f"cli.profile_{key}", lang) for name, key in
           (("profile", "title"), ("sensitive", "sensitive"), ("endorsed", "endorsed"), ("empty", "empty"),
            ("self", "self"), ("no_profile", "none"))}
    for lang in LANGS
}
DETAIL_LABELS = {  # the words of ``entry_details``, wherever an entry is shown (``cli.detail_*`` terms)
    lang: {key: _term(f"cli.detail_{key}", lang) for key in
           ("level", "role", "sectors", "hours", "region", "start", "years", "source")}
    for lang in LANGS
}
MONTHS = {lang: tuple(_term("cli.months", lang).split()) for lang in LANGS}  # January first
KIND_NAMES = tuple(CREDENTIAL_TYPES)  # each named in both languages by ``terms.kind_name``


def text(value: Any, lang: str = "nl") -> str:
    """Plain text of a string, a language value object, a list of them or a ``{nl, en}`` map."""
    if isinstance(value, str):
        return value
    if isinstance(value, Mapping):
        if "@value" in value:
            return str(value["@value"])
        return str(value.get(lang) or next(iter(value.values()), ""))
    if isinstance(value, list) and value:
        for item in value:
            if isinstance(item, Mapping) and item.get("@language") == lang:
                return str(item.get("@value"))
        return text(value[0], lang)
    return "" if value is None else str(value)


def render_profile(profile: Mapping[str, Any] | None, lang: str = "nl",
                   endorsements: Mapping[str, list[str]] | None = None) -> str:
    """The six blocks as indented text; ``endorsements`` maps entry id -> issuer names."""
    labels = LABELS[lang]
    if not profile:
        return labels["no_profile"] + "\n"
    subject = profile["credentialSubject"]
    lines = [f"{labels['profile']} {text(subject.get('name'), lang)}  ({labels['self']})", f"  {subject['id']}", ""]
    for block in BLOCKS:
        entries = subject.get(block.key) or []
        lines.append(f"{block.nl if lang == 'nl' else block.en}")
        if not entries:
            lines.append(f"  {labels['empty']}")
        for entry in entries:
            mark = " [!]" if entry.get("sensitive") else ""
            lines.append(f"  - {text(entry.get('name'), lang)}{mark}   [{entry['id']}]")
            if entry.get("description"):
                lines.append(f"      {text(entry['description'], lang)}")
            lines.extend(f"      {detail}" for detail in entry_details(entry, lang))
            if entry.get("sensitive"):
                lines.append(f"      ({labels['sensitive']})")
            for who in (endorsements or {}).get(entry["id"], []):
                lines.append(f"      + {labels['endorsed']} {who}")
        lines.append("")
    return "\n".join(lines)


_FACTS = (  # (entry key, how its fact reads), in the order shown
    ("sectors", lambda value, words, lang: f"{words['sectors']}: {', '.join(map(str, value))}"),
    ("hoursPerWeek", lambda value, words, lang: f"{value} {words['hours']}"),
    ("region", lambda value, words, lang: f"{words['region']}: {text(value, lang)}"),
    ("startDate", lambda value, words, lang: f"{words['start']} {long_date(str(value), lang)}"),
    ("experienceYears", lambda value, words, lang: f"{value} {words['years']}"),
    ("source", lambda value, words, lang: f"{words['source']}: {value}"),
)


def entry_details(entry: Mapping[str, Any], lang: str = "nl", *, compact: bool = False) -> list[str]:
    """Short lines under a profile entry: level, target role, the facts (sectors, hours, region,
    start, experience, source) and taxonomy links. ``compact`` is for paper: the facts share one
    line and links go without their URL; otherwise (a terminal) one fact a line, URLs shown."""
    words, out = DETAIL_LABELS[lang], []
    level = entry.get("level")
    if isinstance(level, Mapping):
        out.append(f"{words['level']}: {level.get('framework')} {level.get('level')}")
    if entry.get("targetRole"):
        out.append(f"{words['role']}: {text(entry['targetRole'], lang)}")
    facts = [say(entry[key], words, lang) for key, say in _FACTS if entry.get(key)]
    out += ["; ".join(facts)] if compact and facts else facts
    for item in entry.get("alignment") or []:
        if isinstance(item, Mapping):
            link = "" if compact else f" <{item.get('targetUrl')}>"
            out.append(f"{item.get('targetFramework', '')}: {text(item.get('targetName'), lang)}{link}")
    return out


def long_date(value: str | datetime | None, lang: str) -> str:
    """``12 maart 2027`` / ``12 March 2027`` (the UTC date of a dateTimeStamp or a date)."""
    if value is None:
        return ""
    if isinstance(value, str) and len(value) == 10:  # a plain date, e.g. an assessment date
        year, month, day = value.split("-")
        return f"{int(day)} {MONTHS[lang][int(month) - 1]} {year}"
    moment = (as_datetime(value) if isinstance(value, datetime) else parse_datetime(value)).astimezone(timezone.utc)
    return f"{moment.day} {MONTHS[lang][moment.month - 1]} {moment.year}"


def issuer_name(credential: Mapping[str, Any]) -> str:
    issuer = credential.get("issuer")
    if isinstance(issuer, Mapping) and issuer.get("name"):
        return text(issuer["name"])
    return issuer_id(credential)


def attests(credential: Mapping[str, Any], lang: str = "nl") -> str:
    """One line: what the credential says about the worker."""
    kind = paspoort_type(credential)
    subject = credential.get("credentialSubject") or {}
    kind_name = _kind_name(kind, lang, default=kind or "credential")
    if kind == "ProfielEndorsementCredential":
        entry = subject.get("entry") or {}
        return f"{kind_name}: {entry.get('id')}"
    if kind == "AantoonbaarBekwaamCredential":
        procedure = subject.get("procedure") or {}
        return f"{kind_name}: {text(procedure.get('name'), lang)} ({procedure.get('code')})"
    achievement = subject.get("achievement") if isinstance(subject, Mapping) else None
    if isinstance(achievement, Mapping) and achievement.get("name"):
        return f"{kind_name}: {text(achievement['name'], lang)}"
    return f"{kind_name}: {text(credential.get('name'), lang)}"

"""Readable text for people: the profile in Dutch or English, and imported credentials."""
from __future__ import annotations

from typing import Any, Mapping

from ..documents import BLOCKS, issuer_id, paspoort_type

LABELS = {
    "nl": {"profile": "Persoonlijk Profiel van", "sensitive": "gevoelig: alleen gedeeld als je het noemt",
           "endorsed": "onderschreven door", "empty": "(leeg)", "level": "niveau", "self": "zelf verklaard",
           "no_profile": "Nog geen profiel: zet er een met 'passport profile set PROFIEL.yaml'.",
           "hours": "uur per week", "sectors": "sectoren", "role": "doelfunctie"},
    "en": {"profile": "Personal Profile of", "sensitive": "sensitive: shared only when you name it",
           "endorsed": "endorsed by", "empty": "(empty)", "level": "level", "self": "self-asserted",
           "no_profile": "No profile yet: set one with 'passport profile set PROFILE.yaml'.",
           "hours": "hours per week", "sectors": "sectors", "role": "target role"},
}
KIND_NAMES = {
    "AantoonbaarBekwaamCredential": ("Aantoonbaar bekwaam", "Demonstrably competent"),
    "CertificaatCredential": ("Certificaat", "Certificate"),
    "AssessmentResultaatCredential": ("Assessmentresultaat", "Assessment result"),
    "WerkervaringCredential": ("Werkervaring", "Work experience"),
    "ProfielEndorsementCredential": ("Onderschrijving van een profielonderdeel", "Endorsement of a profile entry"),
    "PersoonlijkProfielCredential": ("Persoonlijk profiel", "Personal profile"),
}


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
            lines.extend(f"      {detail}" for detail in _details(entry, labels, lang))
            if entry.get("sensitive"):
                lines.append(f"      ({labels['sensitive']})")
            for who in (endorsements or {}).get(entry["id"], []):
                lines.append(f"      + {labels['endorsed']} {who}")
        lines.append("")
    return "\n".join(lines)


def _details(entry: Mapping[str, Any], labels: Mapping[str, str], lang: str) -> list[str]:
    out = []
    level = entry.get("level")
    if isinstance(level, Mapping):
        out.append(f"{labels['level']}: {level.get('framework')} {level.get('level')}")
    if entry.get("targetRole"):
        out.append(f"{labels['role']}: {text(entry['targetRole'], lang)}")
    if entry.get("sectors"):
        out.append(f"{labels['sectors']}: {', '.join(map(str, entry['sectors']))}")
    if entry.get("hoursPerWeek"):
        out.append(f"{entry['hoursPerWeek']} {labels['hours']}")
    for item in entry.get("alignment") or []:
        if isinstance(item, Mapping):
            out.append(f"{item.get('targetFramework', '')}: {text(item.get('targetName'), lang)} <{item.get('targetUrl')}>")
    return out


def issuer_name(credential: Mapping[str, Any]) -> str:
    issuer = credential.get("issuer")
    if isinstance(issuer, Mapping) and issuer.get("name"):
        return text(issuer["name"])
    return issuer_id(credential)


def attests(credential: Mapping[str, Any], lang: str = "nl") -> str:
    """One line: what the credential says about the worker."""
    kind = paspoort_type(credential)
    subject = credential.get("credentialSubject") or {}
    kind_name = KIND_NAMES.get(kind, (kind or "credential", kind or "credential"))[0 if lang == "nl" else 1]
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

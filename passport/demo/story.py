"""Who takes part in the live demo, and the documents they start from: ``examples/`` (keys,
trust registry, Ria's profile and unsigned endorsements), plus her work experience, which the
examples do not have and her rail employer issues from its ``werkervaring`` template.

The examples are written for the reference day ``REFERENCE``; the servers run on the real
clock. ``rebase`` moves a document's validity dates by whole days so that the reference day
becomes today: every certificate keeps its story (how long ago it was issued, how long it
stays valid) on whatever day the demo runs.
"""
from __future__ import annotations

import copy
import json
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from ..format.documents import issuer_id
from ..encoding.timeutil import format_datetime, parse_datetime
from .world import EXAMPLES, load_keys

REFERENCE = date(2026, 11, 23)
PERSONA = "ria"
PERSONAS = ("ria", "jan", "samira")  # the example folders (--offline can run any of them)
JOB_PROFILE = "begeleider-gehandicaptenzorg"
REGISTRY_ROLE = "registry"


@dataclass(frozen=True)
class Token:
    role: str  # issuer service role: admin, examinator, administratie
    name: str  # who holds it (shown in the issuer's audit log)
    scopes: tuple[str, ...] = ()


@dataclass(frozen=True)
class IssuerPart:
    """One issuing organisation: its seed in keys.json, and the staff tokens it creates."""

    role: str
    label: str  # what it is, in the printed account
    issue_token: Token
    admin_token: Token | None = None


ISSUERS = (
    IssuerPart("spoor-werkgever", "rail employer", Token("administratie", "Personeelszaken")),
    IssuerPart("roc", "ROC", Token("administratie", "Examenbureau")),
    IssuerPart("zorg-examinator", "care organisation's practice examiner",
               Token("examinator", "Praktijkexaminator", ("vrh:*",)), Token("admin", "Praktijkopleider")),
    IssuerPart("loopbaancoach", "career coach", Token("administratie", "Loopbaancoach")),
)


def shift_days(today: date) -> int:
    return (today - REFERENCE).days


def _shift(value: Any, days: int) -> Any:
    return format_datetime(parse_datetime(value) + timedelta(days=days)) if isinstance(value, str) else value


def rebase(document: dict[str, Any], days: int) -> dict[str, Any]:
    """A copy with ``validFrom``/``validUntil`` (and a registry's entries' dates) moved by ``days``."""
    out = copy.deepcopy(document)
    if not days:
        return out
    for holder in [out, *(out.get("credentialSubject", {}).get("issuers", []) or [])]:
        for name in ("validFrom", "validUntil"):
            if name in holder:
                holder[name] = _shift(holder[name], days)
    return out


def example_endorsements(persona: str = PERSONA) -> dict[str, dict[str, Any]]:
    """The persona's unsigned endorsements by file stem, in file order."""
    folder = EXAMPLES / persona / "endorsements"
    return {path.stem: json.loads(path.read_text(encoding="utf-8")) for path in sorted(folder.glob("*.json"))}


def by_issuer(endorsements: dict[str, dict[str, Any]]) -> dict[str, dict[str, dict[str, Any]]]:
    """The endorsements grouped by the keys.json role of their issuer."""
    roles = {key.did: role for role, key in load_keys().items()}
    grouped: dict[str, dict[str, dict[str, Any]]] = {}
    for stem, credential in endorsements.items():
        grouped.setdefault(roles[issuer_id(credential)], {})[stem] = credential
    return grouped


def trust_registry() -> dict[str, Any]:
    return json.loads((EXAMPLES / "trust-registry.json").read_text(encoding="utf-8"))


def profile_path(persona: str = PERSONA) -> Path:
    return EXAMPLES / persona / "profile.yaml"


def werkervaring(holder_did: str) -> dict[str, Any]:
    """Ria's work experience as hoofdconducteur, issued by her rail employer from its
    ``werkervaring`` template (the examples have no such credential for her). Its ``validFrom`` is
    the day the statement was written, as in the examples: a date the issuer would otherwise set
    to the moment of issuing, which a wallet checking with a clock reading taken a moment earlier
    sees as "not yet valid"."""
    customers = "http://data.europa.eu/esco/skill/870644c8-5fa8-4e19-9f5d-7e8af62ccc01"
    safety = "http://data.europa.eu/esco/skill/bd963673-7cc9-48da-b74c-9004ce51b5b2"
    return {
        "name": "Werkervaring hoofdconducteur",
        "validFrom": "2026-11-20T09:00:00Z",
        "credentialSubject": {
            "id": holder_did,
            "achievement": {
                "id": "https://lagelandenspoor.example/achievements/hoofdconducteur",
                "name": "Hoofdconducteur reizigersvervoer",
                "description": "Hoofdconducteur op intercity- en sprinterdiensten, inclusief avond- en nachtdiensten.",
                "criteria": {"narrative": "Werkgeversverklaring op basis van het personeelsdossier en de "
                                          "jaarlijkse beoordelingsgesprekken."},
                "alignment": [{"type": ["Alignment"], "targetUrl": customers, "targetFramework": "ESCO",
                               "targetName": "communicate with customers"}],
            },
            "role": "Hoofdconducteur",
            "engagement": "dienstverband",
            "hoursPerWeek": 36,
            "period": {"start": "2007-09-01"},
            "tasks": ["Informeert en helpt reizigers, ook bij vertraging en verstoringen",
                      "Voert de vertrekprocedure uit en handelt incidenten af volgens voorschrift",
                      "De-escaleert conflicten met reizigers"],
            "skills": [{"name": "Reizigers informeren en begeleiden",
                        "alignment": [{"type": ["Alignment"], "targetUrl": customers, "targetFramework": "ESCO",
                                       "targetName": "communicate with customers"}]},
                       {"name": "Veiligheidsprocedures toepassen",
                        "alignment": [{"type": ["Alignment"], "targetUrl": safety, "targetFramework": "ESCO",
                                       "targetName": "apply health and safety standards"}]}],
        },
    }

"""Helpers for build_examples.py: the fictional roles, their seeds and DIDs, and credential shapes."""
from __future__ import annotations

import hashlib
import uuid
from pathlib import Path
from typing import Any

import yaml

from passport.format.documents import OB_CONTEXT, PASPOORT_CONTEXT, VC_CONTEXT, profile_credential
from passport.crypto.keys import Ed25519Key
from passport.encoding.multibase import encode_u

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"  # what build_examples.py writes
OB_TYPES = ["VerifiableCredential", "OpenBadgeCredential"]
PROFILE_VALID_FROM = "2026-11-01T09:00:00Z"

ROLES = {  # role -> (display name, web address, registry role or None for workers)
    "ria": ("Ria de Vries", None, None),
    "jan": ("Jan Bakker", None, None),
    "samira": ("Samira El Amrani", None, None),
    "spoor-werkgever": ("Lage Landen Spoor B.V.", "https://lagelandenspoor.example", "werkgever"),
    "roc": ("ROC Rivierenzoom", "https://rocrivierenzoom.example", "opleider"),
    "zorg-examinator": ("Stichting De Wilgenhoeve", "https://wilgenhoeve.example", "examinator"),
    "loopbaancoach": ("Loopbaanpraktijk Koersvast", "https://koersvast.example", "assessor"),
    "sportclub": ("Sportvereniging Polderzicht", "https://svpolderzicht.example", "werkgever"),
    "sportopleider": ("Sportkader Academie", "https://sportkaderacademie.example", "opleider"),
    "schoonmaak-werkgever": ("Helder Facilitaire Diensten B.V.", "https://helderfacilitair.example", "werkgever"),
    "assessmentbureau": ("Assessmentbureau Perspectief", "https://perspectief-assessment.example", "assessor"),
    "registry": ("Loopbruggen Vertrouwensregister (demo)", "https://register.loopbruggen.example", "registry"),
}


def seed_hex(role: str) -> str:
    return hashlib.sha256(f"paspoort-example/{role}".encode()).hexdigest()


def did(role: str) -> str:
    return Ed25519Key(bytes.fromhex(seed_hex(role))).did


def credential_id(name: str) -> str:
    """A stable urn:uuid (random-looking version 4 form) for an example file."""
    digest = uuid.uuid5(uuid.NAMESPACE_URL, f"paspoort-example/{name}").bytes
    return f"urn:uuid:{uuid.UUID(bytes=digest, version=4)}"


def issuer(role: str) -> dict[str, Any]:
    name, url, _ = ROLES[role]
    return {"id": did(role), "type": ["Profile"], "name": name, "url": url}


def digest_of(text: str) -> str:
    """Stand-in digest for an evidence document kept by the issuer (not in this repository)."""
    return encode_u(b"\x12\x20" + hashlib.sha256(text.encode("utf-8")).digest())


def esco(kind: str, uid: str, name: str) -> dict[str, Any]:
    return {"type": ["Alignment"], "targetUrl": f"http://data.europa.eu/esco/{kind}/{uid}",
            "targetFramework": "ESCO", "targetName": name}


def achievement(role: str, slug: str, kind: str, name: str, description: str, criteria: str,
                alignment: list | None = None) -> dict[str, Any]:
    out = {"id": f"{ROLES[role][1]}/achievements/{slug}", "type": ["Achievement"], "achievementType": kind,
           "name": name, "description": description, "criteria": {"narrative": criteria}}
    if alignment:
        out["alignment"] = alignment
    return out


def ob_credential(name: str, kind: str, role: str, holder: str, title: str, subject: dict, *,
                  valid_from: str, valid_until: str | None = None, evidence: list | None = None) -> dict:
    doc: dict[str, Any] = {
        "@context": [VC_CONTEXT, OB_CONTEXT, PASPOORT_CONTEXT],
        "id": credential_id(name),
        "type": [*OB_TYPES, kind],
        "name": title,
        "issuer": issuer(role),
        "validFrom": valid_from,
    }
    if valid_until:
        doc["validUntil"] = valid_until
    doc["credentialSubject"] = {"id": did(holder), "type": ["AchievementSubject"], **subject}
    if evidence:
        doc["evidence"] = evidence
    return doc


def aantoonbaar_bekwaam(name: str, code: str, title: str, criteria: str, method: str, date: str,
                        valid_from: str, valid_until: str, form: str, skill: dict) -> dict:
    examiner = {"name": "Marleen Kuipers", "role": "praktijkopleider en mbo-examinator"}
    return ob_credential(
        name, "AantoonbaarBekwaamCredential", "zorg-examinator", "ria", f"Aantoonbaar bekwaam: {title.lower()}",
        {
            "achievement": achievement(
                "zorg-examinator", code.split(":")[1], "ext:AantoonbaarBekwaam",
                f"Aantoonbaar bekwaam: {title.lower()}",
                f"De medewerker is in de praktijk beoordeeld en aantoonbaar bekwaam bevonden voor de risicovolle "
                f"handeling '{title.lower()}'. De bekwaamheid wordt voor het verlopen van dit certificaat of bij twijfel opnieuw getoetst.",
                criteria, [skill]),
            "procedure": {"code": code, "name": title, "category": "risicovol",
                          "protocol": f"Protocol {title.lower()}, Stichting De Wilgenhoeve (versie 2025)"},
            "assessment": {"date": date, "method": method, "examiner": examiner,
                           "institution": {"name": "Stichting De Wilgenhoeve", "id": did("zorg-examinator")},
                           "location": "Woonvoorziening De Hoeksteen, Tiel"},
        },
        valid_from=valid_from, valid_until=valid_until,
        evidence=[{"type": ["Evidence"], "id": credential_id(f"{name}/evidence"), "name": form,
                   "genre": "Beoordelingsformulier", "mediaType": "application/pdf",
                   "narrative": "Door examinator en medewerker ondertekend formulier; bewaard in het "
                                "bekwaamheidsdossier van De Wilgenhoeve.",
                   "digestMultibase": digest_of(f"{form} | Ria de Vries | {date} | Marleen Kuipers")}],
    )


def load_profile(person: str) -> dict:
    data = yaml.safe_load((EXAMPLES / person / "profile.yaml").read_text(encoding="utf-8"))
    return profile_credential(data, did(person), valid_from=PROFILE_VALID_FROM,
                              credential_id=credential_id(f"{person}/profile"))

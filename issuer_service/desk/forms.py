"""From the desk's forms to the credential body an offer is made for.

``examiner_draft`` (AantoonbaarBekwaam, template ``aantoonbaar-bekwaam``) and ``module_draft``
(a deelcertificaat, template ``deelcertificaat``) read the submitted fields and either return a
``Draft`` (the body, without the worker's DID: the wallet's DID is filled in at issuance) or the
problems per field, as keys of ``words``. The service then checks the body in full, exactly as
issuing will (schema, the token's types and scope).

The evidence file is read once to compute its ``digestMultibase`` (multihash sha2-256, base64url
multibase, as SPEC's entry digest); the file itself is kept only when ``DESK_EVIDENCE_DIR`` is
set, under its digest as file name.
"""
from __future__ import annotations

import calendar
import hashlib
import os
import re
import uuid
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, Mapping

from passport.encoding.multibase import encode_u
from passport.format.documents import SHA2_256_MULTIHASH

from .procedures import Procedure

MAX_EVIDENCE_BYTES = 10 * 1024 * 1024
VALID_MONTHS = (6, 12, 24, 36)
LEVELS = {"mbo": range(1, 5), "NLQF": range(1, 9), "EQF": range(1, 9)}
MAX_TEXT = 2000
_MEDIA_TYPE = re.compile(r"^[a-z0-9.+-]+/[a-z0-9.+-]+$")


@dataclass
class Draft:
    template: str
    credential: dict[str, Any]
    facts: list[tuple[str, str]] = field(default_factory=list)  # (words key, value) shown after submitting
    evidence: bytes | None = None
    scope_value: str | None = None


def evidence_digest(data: bytes) -> str:
    return encode_u(SHA2_256_MULTIHASH + hashlib.sha256(data).digest())


def _text(form: Mapping[str, Any], name: str, problems: dict[str, str], *, required: bool = True) -> str:
    value = (form.get(name) or "").strip()
    if required and not value:
        problems[name] = "need_" + name
    elif len(value) > MAX_TEXT:
        problems[name] = "too_long"
    return value


def _past_date(form: Mapping[str, Any], name: str, today: date, problems: dict[str, str]) -> date | None:
    try:
        value = date.fromisoformat((form.get(name) or "").strip())
    except ValueError:
        problems[name] = "need_" + name
        return None
    if value > today:
        problems[name] = "date_in_future"
    return value


def _plus_months(start: date, months: int) -> date:
    year, month = divmod(start.month - 1 + months, 12)
    year += start.year
    day = min(start.day, calendar.monthrange(year, month + 1)[1])  # 31 January + 1 month: 28 or 29 February
    return date(year, month + 1, day)


def _achievement_id(config: Mapping[str, Any], slug: str) -> str:
    site = config.get("URL")
    return f"{site.rstrip('/')}/achievements/{slug}" if site else f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, slug)}"


def examiner_draft(form: Mapping[str, Any], files: Mapping[str, Any], procedure: Procedure | None, *,
                   config: Mapping[str, Any], issuer_did: str, now: datetime) -> Draft | dict[str, str]:
    problems: dict[str, str] = {}
    if procedure is None:
        problems["procedure"] = "need_procedure"
    assessed = _past_date(form, "assessment_date", now.date(), problems)
    method = _text(form, "method", problems)
    examiner = _text(form, "examiner", problems)
    location = _text(form, "location", problems, required=False)
    months = form.get("valid_months", "")
    if not months.isdigit() or int(months) not in VALID_MONTHS:
        problems["valid_months"] = "need_valid_months"
    elif assessed is not None and _plus_months(assessed, int(months)) <= now.date():
        problems["valid_months"] = "validity_over"
    upload = files.get("evidence")
    data = upload.read(MAX_EVIDENCE_BYTES + 1) if upload is not None and upload.filename else b""
    if not data:
        problems["evidence"] = "need_evidence"
    elif len(data) > MAX_EVIDENCE_BYTES:
        problems["evidence"] = "evidence_too_large"
    if problems:
        return problems
    until = _plus_months(assessed, int(months))
    media_type = (upload.mimetype or "").lower()
    name = procedure.name
    assessment = {"date": assessed.isoformat(), "method": method,
                  "examiner": {"name": examiner, "role": "praktijkopleider en mbo-examinator"},
                  "institution": {"name": config.get("NAME") or issuer_did, "id": issuer_did}}
    if location:
        assessment["location"] = location
    evidence = {"type": ["Evidence"], "id": f"urn:uuid:{uuid.uuid4()}", "name": f"Beoordeling {name.lower()}",
                "genre": "Beoordelingsformulier", "digestMultibase": evidence_digest(data)}
    if _MEDIA_TYPE.match(media_type):
        evidence["mediaType"] = media_type
    credential = {
        "name": f"Aantoonbaar bekwaam: {name.lower()}",
        "validUntil": f"{until.isoformat()}T23:59:59Z",
        "credentialSubject": {
            "achievement": {
                "id": _achievement_id(config, procedure.code.split(":")[-1]),
                "name": f"Aantoonbaar bekwaam: {name.lower()}",
                "description": f"De medewerker is in de praktijk beoordeeld en aantoonbaar bekwaam bevonden voor de "
                               f"handeling '{name.lower()}'.",
                "criteria": {"narrative": method}},
            "procedure": {"code": procedure.code, "name": name, "category": procedure.category},
            "assessment": assessment},
        "evidence": [evidence]}
    facts = [("procedure", f"{name} ({procedure.code})"), ("assessment_date", assessed.isoformat()),
             ("method", method), ("valid_until", until.isoformat()), ("evidence_digest", evidence["digestMultibase"])]
    return Draft("aantoonbaar-bekwaam", credential, facts, data, procedure.code)


def module_draft(form: Mapping[str, Any], *, config: Mapping[str, Any]) -> Draft | dict[str, str]:
    problems: dict[str, str] = {}
    module = _text(form, "module", problems)
    description = _text(form, "description", problems)
    outcomes = [line.strip() for line in (form.get("outcomes") or "").splitlines() if line.strip()]
    if not outcomes:
        problems["outcomes"] = "need_outcomes"
    framework, level = form.get("framework", ""), form.get("level", "")
    if framework not in LEVELS or not level.isdigit() or int(level) not in LEVELS[framework]:
        problems["level"] = "need_level"
    hours = form.get("hours", "").strip()
    if not hours.isdigit() or not 0 < int(hours) <= 10000:
        problems["hours"] = "need_hours"
    alignment = _text(form, "alignment", problems, required=False)
    if alignment and not re.match(r"^https?://\S+$", alignment):
        problems["alignment"] = "need_alignment"
    if problems:
        return problems
    achievement: dict[str, Any] = {"id": _achievement_id(config, re.sub(r"[^a-z0-9]+", "-", module.lower()).strip("-")),
                                   "name": module, "description": description,
                                   "criteria": {"narrative": "Met voldoende beoordeeld door de opleider."}}
    if alignment:
        achievement["alignment"] = [{"type": ["Alignment"], "targetUrl": alignment, "targetName": module,
                                     "targetFramework": "ESCO" if "data.europa.eu/esco" in alignment else "other"}]
    credential = {"name": f"Deelcertificaat {module}",
                  "credentialSubject": {"achievement": achievement,
                                        "level": {"framework": framework, "level": int(level)},
                                        "learningOutcomes": [{"name": item[:MAX_TEXT]} for item in outcomes[:50]],
                                        "studyLoad": {"hours": int(hours)}}}
    facts = [("module", module), ("level", f"{framework} {level}"), ("outcomes", "; ".join(outcomes[:50]))]
    return Draft("deelcertificaat", credential, facts, None, alignment or None)


def keep_evidence(config: Mapping[str, Any], draft: Draft) -> str | None:
    """Store the evidence file under its digest when ``DESK_EVIDENCE_DIR`` is set; its path, or None."""
    folder = config.get("DESK_EVIDENCE_DIR")
    if not folder or draft.evidence is None:
        return None
    os.makedirs(folder, mode=0o700, exist_ok=True)
    path = os.path.join(folder, hashlib.sha256(draft.evidence).hexdigest())
    with open(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600), "wb") as handle:
        handle.write(draft.evidence)
    return path

"""The care procedures an examiner can choose from, narrowed to the staff token's scope.

A small built-in list of common *voorbehouden* and *risicovolle handelingen* (codes ``vrh:...``,
as the examples and trust registries use them); an organisation replaces it with its own list
in ``DESK_PROCEDURES`` (a JSON file: a list of ``{"code", "name", "nameEn", "category"}``).
The desk shows only the procedures whose code lies inside the token's scope patterns; the
service checks the scope again when the offer is made and when it is issued.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any, Mapping

from passport.roles.issuing import in_scope

from ..auth import Staff
from ..config import ConfigError


@dataclass(frozen=True)
class Procedure:
    code: str
    name: str  # Dutch: the name that goes into the credential
    name_en: str
    category: str  # voorbehouden, risicovol or overig (the schema's words)

    def label(self, lang: str) -> str:
        return self.name_en if lang == "en" else self.name


BUILT_IN = tuple(Procedure(*row) for row in (
    ("vrh:medicatie-aanreiken", "Medicatie aanreiken", "Handing out medication", "risicovol"),
    ("vrh:medicatie-toedienen", "Medicatie toedienen", "Administering medication", "risicovol"),
    ("vrh:insuline-injecteren", "Insuline injecteren", "Injecting insulin", "voorbehouden"),
    ("vrh:subcutaan-injecteren", "Subcutaan injecteren", "Subcutaneous injection", "voorbehouden"),
    ("vrh:intramusculair-injecteren", "Intramusculair injecteren", "Intramuscular injection", "voorbehouden"),
    ("vrh:katheteriseren", "Blaaskatheter inbrengen", "Inserting a bladder catheter", "voorbehouden"),
    ("vrh:sondevoeding", "Sondevoeding geven", "Tube feeding", "risicovol"),
    ("vrh:maagsonde-inbrengen", "Maagsonde inbrengen", "Inserting a feeding tube", "voorbehouden"),
    ("vrh:tillift-gebruiken", "Transfer met tillift", "Transfer with a patient lift", "risicovol"),
    ("vrh:zuurstof-toedienen", "Zuurstof toedienen", "Giving oxygen", "risicovol"),
    ("vrh:bloedglucose-meten", "Bloedglucose meten", "Measuring blood glucose", "risicovol"),
    ("vrh:stoma-verzorgen", "Stoma verzorgen", "Stoma care", "risicovol"),
    ("vrh:wondzorg", "Wond verzorgen", "Wound care", "risicovol"),
    ("vrh:steunkousen-aantrekken", "Steunkousen aantrekken", "Putting on compression stockings", "risicovol"),
    ("vrh:uitzuigen-mond-keel", "Uitzuigen van mond- en keelholte", "Suctioning mouth and throat", "risicovol"),
    ("vrh:epilepsie-noodmedicatie", "Noodmedicatie bij epilepsie geven", "Emergency medication for epilepsy",
     "voorbehouden"),
))


CODE = re.compile(r"^[a-z0-9][a-z0-9._:-]{0,127}$")  # the schema's procedure code
CATEGORIES = frozenset({"voorbehouden", "risicovol", "overig"})


def load(config: Mapping[str, Any]) -> tuple[Procedure, ...]:
    """The configured list, or the built-in one; ``ConfigError`` (at start-up) for a file that is not one."""
    path = config.get("DESK_PROCEDURES")
    if not path:
        return BUILT_IN
    try:
        with open(path, encoding="utf-8") as handle:
            rows = json.load(handle)
        found = tuple(Procedure(row["code"], row["name"], row.get("nameEn", row["name"]),
                                row.get("category", "overig")) for row in rows)
    except (OSError, ValueError, KeyError, TypeError, AttributeError) as exc:
        raise ConfigError(f"PASPOORT_ISSUER_DESK_PROCEDURES: {path} is not a JSON list of procedures "
                          f"({type(exc).__name__}: {exc})") from None
    for item in found:
        if not isinstance(item.code, str) or not CODE.match(item.code) or item.category not in CATEGORIES \
                or not isinstance(item.name, str) or not item.name.strip():
            raise ConfigError(f"PASPOORT_ISSUER_DESK_PROCEDURES: {item.code!r} needs a code like vrh:naam, a name "
                              f"and a category out of {sorted(CATEGORIES)}")
    return found


def allowed(procedures: tuple[Procedure, ...], staff: Staff) -> list[Procedure]:
    """The procedures this staff member may assess (all of them for a token without scopes)."""
    if staff.scopes is None:
        return list(procedures)
    return [item for item in procedures if in_scope([item.code], staff.scopes)]


def find(procedures: tuple[Procedure, ...], staff: Staff, code: Any) -> Procedure | None:
    return next((item for item in allowed(procedures, staff) if item.code == code), None)

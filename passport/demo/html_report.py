"""A small, readable HTML page of one verification: the verifier's summary and the match.

Input is what the verifier service stored for the employer's page (``GET /requests/{challenge}``):
the plain-language ``summary`` and the ``match``. Every value is escaped; the page has no
scripts and no external resources.
"""
from __future__ import annotations

from html import escape
from typing import Any

from ..documents import PROFILE_TYPE

OUTCOMES = {
    "verified": "Geverifieerd", "self_asserted": "Zelf opgegeven", "expired": "Verlopen",
    "not_yet_valid": "Nog niet geldig", "revoked": "Ingetrokken", "suspended": "Geschorst",
    "untrusted": "Uitgever niet erkend", "out_of_scope": "Uitgever niet bevoegd",
    "status_unknown": "Status onbekend", "invalid": "Ongeldig",
}
REASONS = {  # the page is Dutch; the library's messages are English, so known codes get Dutch words
    "REVOKED": "ingetrokken door de uitgever", "SUSPENDED": "geschorst door de uitgever",
    "EXPIRED": "verlopen", "NOT_YET_VALID": "nog niet geldig", "STATUS_UNKNOWN": "status niet na te gaan",
    "STATUS_LIST_INVALID": "statuslijst niet te vertrouwen", "ISSUER_UNKNOWN": "uitgever niet erkend",
    "ISSUER_OUT_OF_SCOPE": "uitgever niet bevoegd hiervoor", "SIGNATURE_INVALID": "handtekening klopt niet",
    "PROOF_KEY_NOT_AUTHORIZED": "ondertekend door een ander dan de uitgever", "SCHEMA_INVALID": "document onvolledig",
    "SELF_ASSERTED": "alleen zelf opgegeven", "NOT_FOUND": "nergens aangetoond of geclaimd",
}
STYLE = ("body{font-family:system-ui,sans-serif;max-width:52rem;margin:2rem auto;padding:0 1rem;color:#222}"
         "table{border-collapse:collapse;width:100%}td,th{border-bottom:1px solid #ddd;padding:.35rem;"
         "text-align:left;vertical-align:top;overflow-wrap:anywhere}.ok{color:#0a6b2d}"
         ".bad{color:#a8071a;font-weight:600}.note{color:#555}h1{font-size:1.5rem}")


def text(value: Any) -> str:
    """A language value (``{"nl": ..., "en": ...}``, a VC language list or a string) as Dutch text."""
    if isinstance(value, dict):
        if "nl" in value or "en" in value:
            return str(value.get("nl") or value.get("en"))
        if "@value" in value:
            return str(value["@value"])
    if isinstance(value, list):
        found = {item.get("@language", "")[:2]: item.get("@value") for item in value if isinstance(item, dict)}
        return str(found.get("nl") or next(iter(found.values()), ""))
    return "" if value is None else str(value)


def render(title: str, summary: dict[str, Any], match: dict[str, Any] | None, note: str = "") -> str:
    verified = summary.get("verified")
    verdict = ('<p class="ok">GEVERIFIEERD: alles klopt.</p>' if verified else
               '<p class="bad">NIET GEVERIFIEERD: zie de rode regels.</p>')
    parts = [f"<!doctype html><html lang=\"nl\"><head><meta charset=\"utf-8\"><title>{escape(title)}</title>"
             f"<style>{STYLE}</style></head><body><h1>{escape(title)}</h1>", verdict]
    if note:
        parts.append(f'<p class="note">{escape(note)}</p>')
    person = summary.get("person")
    if person:
        shown = ", ".join(text(entry.get("name")) for block in person.get("blocks", {}).values() for entry in block)
        parts.append(f"<h2>{escape(str(person.get('name')))} <small class=\"note\">(zelf opgegeven)</small></h2>"
                     f"<p class=\"note\">Gedeelde profielonderdelen: {escape(shown)}</p>")
    parts.append("<h2>Bewijsstukken</h2><table><tr><th>wat</th><th>uitgever</th><th>uitkomst</th></tr>")
    for line in summary.get("credentials", []):
        outcome = line.get("outcome") or "invalid"
        css = "ok" if outcome in ("verified", "self_asserted") else "bad"
        problems = "; ".join(REASONS.get(p.get("code"), f"{p.get('check')}: {p.get('message')}")
                             for p in line.get("problems", []))
        title = text(line.get("title"))
        issuer = text(line.get("issuer")) + (f" ({line['role']})" if line.get("role") else "")
        if line.get("type") == PROFILE_TYPE:
            title, issuer = "Persoonlijk profiel", f"{(person or {}).get('name')} (zelf)"
        parts.append(f"<tr><td>{escape(title)}</td><td>{escape(issuer)}</td>"
                     f"<td class=\"{css}\">{escape(OUTCOMES.get(outcome, outcome))}"
                     + (f"<br><small>{escape(problems)}</small>" if problems else "") + "</td></tr>")
    parts.append("</table>")
    if match:
        parts.append(_match(match))
    parts.append("</body></html>\n")
    return "".join(parts)


def _match(match: dict[str, Any]) -> str:
    job = match.get("jobProfile", {})
    parts = [f"<h2>Match: {escape(text(job.get('name')))}</h2><p>{escape(_summary(match))}</p>"]
    for status, heading in (("demonstrated", "Aangetoond"), ("claimed", "Geclaimd, nog niet bewezen"),
                            ("missing", "Ontbreekt")):
        items = match.get(status, [])
        parts.append(f"<h3>{heading} ({len(items)})</h3><ul>")
        for item in items:
            must = " (vereist)" if item.get("required") else ""
            why = REASONS.get(item.get("reasonCode"), item.get("reason"))
            reason = f" <small class=\"note\">{escape(str(why))}</small>" if why else ""
            parts.append(f"<li>{escape(text(item.get('name')))}{must}{reason}</li>")
        parts.append("</ul>")
    path = match.get("learningPath", [])
    if path:
        parts.append("<h3>Leerroute</h3><ol>")
        for item in path:
            how = item.get("text")
            parts.append(f"<li>{escape(text(item.get('name')))}" + (f": {escape(text(how))}" if how else "") + "</li>")
        parts.append("</ol>")
    return "".join(parts)


def _summary(match: dict[str, Any]) -> str:
    """"6 van 9 eisen aangetoond (5 van 7 vereiste); 1 geclaimd, 2 ontbreken"."""
    lists = {status: match.get(status, []) for status in ("demonstrated", "claimed", "missing")}
    everything = [item for items in lists.values() for item in items]
    required = [item for item in everything if item.get("required")]
    shown = sum(1 for item in lists["demonstrated"] if item.get("required"))
    return (f"{len(lists['demonstrated'])} van {len(everything)} eisen aangetoond ({shown} van {len(required)} "
            f"vereiste); {len(lists['claimed'])} geclaimd, {len(lists['missing'])} "
            + ("ontbreekt" if len(lists["missing"]) == 1 else "ontbreken"))

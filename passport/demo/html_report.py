"""A small, readable HTML page of one verification: the verifier's summary and the match.

Input is what the verifier service stored for the employer's page (``GET /requests/{challenge}``):
the plain-language ``summary`` and the ``match``. The words come from ``passport.terms`` (Dutch by
default, ``lang="en"``), so the report, the page and the printed passport say the same thing the
same way; the library's English messages are never shown. Credentials are counted per category:
a status that could not be checked is its own category, never "klopt niet". Every value is
escaped; the page has no scripts and no external resources.
"""
from __future__ import annotations

from html import escape
from typing import Any

from ..format.documents import PROFILE_TYPE
from ..verification.report import category, tally
from ..terms import check_lang, kind_name, problem, reason, table, term

OUTCOMES = table("nl")["outcome"]  # the outcome names (the demo's terminal account lists them)
STYLE = ("body{font-family:system-ui,sans-serif;max-width:52rem;margin:2rem auto;padding:0 1rem;color:#222}"
         "table{border-collapse:collapse;width:100%}td,th{border-bottom:1px solid #ddd;padding:.35rem;"
         "text-align:left;vertical-align:top;overflow-wrap:anywhere}.ok{color:#0a6b2d}"
         ".unknown{color:#8a5300;font-weight:600}.bad{color:#a8071a;font-weight:600}.note{color:#555}"
         "h1{font-size:1.5rem}")
CSS = {"verified": "ok", "self_asserted": "ok", "status_unknown": "unknown", "failed": "bad"}
LAYOUT = {  # this page's own sentences; every shared word comes from passport.terms
    "nl": {"shared": "Gedeelde profielonderdelen", "what": "wat", "outcome": "uitkomst", "match": "Match",
           "summary": "{shown} van {total} eisen aangetoond ({shown_required} van {required} verplicht); "
                      "{claimed} alleen genoemd, {missing} {missing_verb}",
           "missing_one": "ontbreekt", "missing_many": "ontbreken"},
    "en": {"shared": "Shared profile entries", "what": "what", "outcome": "outcome", "match": "Match",
           "summary": "{shown} of {total} requirements demonstrated ({shown_required} of {required} required); "
                      "{claimed} claimed, {missing} {missing_verb}",
           "missing_one": "missing", "missing_many": "missing"},
}


def text(value: Any, lang: str = "nl") -> str:
    """A language value (``{"nl": ..., "en": ...}``, a VC language list or a string) as text in ``lang``."""
    other = "en" if lang == "nl" else "nl"
    if isinstance(value, dict):
        if "nl" in value or "en" in value:
            return str(value.get(lang) or value.get(other))
        if "@value" in value:
            return str(value["@value"])
    if isinstance(value, list):
        found = {item.get("@language", "")[:2]: item.get("@value") for item in value if isinstance(item, dict)}
        return str(found.get(lang) or found.get(other) or next(iter(found.values()), ""))
    return "" if value is None else str(value)


def verdict(summary: dict[str, Any]) -> str:
    """``all_verified``, ``unsettled`` (only statuses that could not be checked stand in the way)
    or ``not_verified``; anything unexplained counts as not verified. The service's own summary
    verdict, when it gives one, is taken as it is, so the page and this report never disagree."""
    if summary.get("verdict") in ("all_verified", "unsettled", "not_verified"):
        return summary["verdict"]
    counts = tally([line.get("outcome") for line in summary.get("credentials", [])])
    if counts["failed"] or summary.get("presentationProblems"):
        return "not_verified"
    if counts["status_unknown"]:
        return "unsettled"
    return "all_verified" if summary.get("verified") is True else "not_verified"


def render(title: str, summary: dict[str, Any], match: dict[str, Any] | None, note: str = "",
           lang: str = "nl") -> str:
    words = LAYOUT[check_lang(lang)]
    said = verdict(summary)
    css = {"all_verified": "ok", "unsettled": "unknown", "not_verified": "bad"}[said]
    lines = summary.get("credentials", [])
    counts = tally([line.get("outcome") for line in lines])
    parts = [f"<!doctype html><html lang=\"{lang}\"><head><meta charset=\"utf-8\"><title>{escape(title)}</title>"
             f"<style>{STYLE}</style></head><body><h1>{escape(title)}</h1>",
             f'<p class="{css}">{escape(term("verdict." + said, lang))}</p>',
             '<p class="note">' + " · ".join(f"{escape(term('category.' + name, lang))}: {count}"
                                             for name, count in counts.items()) + "</p>"]
    if note:
        parts.append(f'<p class="note">{escape(note)}</p>')
    person = summary.get("person")
    if person:
        shown = ", ".join(text(entry.get("name"), lang) for block in person.get("blocks", {}).values()
                          for entry in block)
        parts.append(f"<h2>{escape(str(person.get('name')))} <small class=\"note\">"
                     f"({escape(term('outcome.self_asserted', lang).lower())})</small></h2>"
                     f"<p class=\"note\">{words['shared']}: {escape(shown)}</p>")
    parts.append(f"<h2>{escape(term('word.endorsements', lang))}</h2><table><tr><th>{words['what']}</th>"
                 f"<th>{escape(term('word.issuer', lang).lower())}</th><th>{words['outcome']}</th></tr>")
    for line in lines:
        parts.append(_line(line, person, lang))
    problems = summary.get("presentationProblems", [])
    if problems:
        parts.append("<tr><td>" + escape(kind_name("VerifiablePresentation", lang)) + "</td><td></td>"
                     f"<td class=\"bad\">{escape(term('verdict.presentation_not_verified', lang))}<br><small>"
                     + escape("; ".join(problem(p.get("code"), lang) for p in problems)) + "</small></td></tr>")
    parts.append("</table>")
    if match:
        parts.append(_match(match, lang))
    parts.append("</body></html>\n")
    return "".join(parts)


def _line(line: dict[str, Any], person: dict[str, Any] | None, lang: str) -> str:
    outcome = line.get("outcome") or "invalid"
    shown = term(f"outcome.{outcome}" if outcome in OUTCOMES else "outcome.invalid", lang)
    problems = "; ".join(dict.fromkeys(problem(p.get("code"), lang) for p in line.get("problems", [])))
    title = text(line.get("title"), lang) or kind_name(line.get("type"), lang)
    role = line.get("role")
    issuer = text(line.get("issuer"), lang) + (f" ({_role(role, lang)})" if role else "")
    if line.get("type") == PROFILE_TYPE:
        title = kind_name(PROFILE_TYPE, lang)
        issuer = f"{(person or {}).get('name')} ({term('word.self', lang)})"
    return (f"<tr><td>{escape(title)}</td><td>{escape(issuer)}</td>"
            f"<td class=\"{CSS[category(outcome)]}\">{escape(shown)}"
            + (f"<br><small>{escape(problems)}</small>" if problems else "") + "</td></tr>")


def _role(role: str, lang: str) -> str:
    try:
        return term(f"role.{role}", lang)
    except KeyError:
        return role


def _match(match: dict[str, Any], lang: str) -> str:
    job = match.get("jobProfile", {})
    parts = [f"<h2>{LAYOUT[lang]['match']}: {escape(text(job.get('name'), lang))}</h2>"
             f"<p>{escape(_summary(match, lang))}</p>"]
    for status in ("demonstrated", "claimed", "missing"):
        items = match.get(status, [])
        parts.append(f"<h3>{escape(term('match.' + status, lang))} ({len(items)})</h3><ul>")
        for item in items:
            must = f" ({escape(term('match.required', lang))})" if item.get("required") else ""
            why = reason(item.get("reasonCode"), lang) if item.get("reasonCode") else ""
            shown = f" <small class=\"note\">{escape(why)}</small>" if why and status != "demonstrated" else ""
            parts.append(f"<li>{escape(text(item.get('name'), lang))}{must}{shown}</li>")
        parts.append("</ul>")
    path = match.get("learningPath", [])
    if path:
        parts.append(f"<h3>{escape(term('match.learning_path', lang))}</h3><ol>")
        for item in path:
            how = item.get("text")
            parts.append(f"<li>{escape(text(item.get('name'), lang))}"
                         + (f": {escape(text(how, lang))}" if how else "") + "</li>")
        parts.append("</ol>")
    return "".join(parts)


def _summary(match: dict[str, Any], lang: str) -> str:
    """"6 van 9 eisen aangetoond (5 van 7 verplicht); 1 alleen genoemd, 2 ontbreken"."""
    lists = {status: match.get(status, []) for status in ("demonstrated", "claimed", "missing")}
    everything = [item for items in lists.values() for item in items]
    return LAYOUT[lang]["summary"].format(
        shown=len(lists["demonstrated"]), total=len(everything),
        shown_required=sum(1 for item in lists["demonstrated"] if item.get("required")),
        required=sum(1 for item in everything if item.get("required")),
        claimed=len(lists["claimed"]), missing=len(lists["missing"]),
        missing_verb=LAYOUT[lang]["missing_one" if len(lists["missing"]) == 1 else "missing_many"])

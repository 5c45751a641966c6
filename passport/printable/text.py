"""The words on the printable passport, in Dutch and English: labels, dates, entry and endorsement facts.

Pure text, no PDF: ``printable.layout`` puts these lines on the page. Everything shown comes
from the signed documents themselves (the QR codes beside the text carry the same documents),
so the text adds nothing a verifier could not check; issuer names are the issuer's own claim
until the verifier's trust check confirms the issuer's DID. Words shared with the other surfaces
(outcomes, document kinds, "Uitgegeven door"...) come from ``passport.terms``; ``LABELS`` holds this
page's own sentences.
"""
from __future__ import annotations

from datetime import datetime
from typing import Any, Mapping

from ..format.documents import AANTOONBAAR_BEKWAAM_TYPE, ASSESSMENT_TYPE, ENDORSEMENT_TYPE, issuer_id, paspoort_type
from ..terms import LANGS, check_lang, kind_name, term
from ..encoding.timeutil import parse_datetime
from ..wallet.render import DETAIL_LABELS, issuer_name, long_date, text
from ..wallet.render import entry_details as _entry_details

_LAYOUT: dict[str, dict[str, str]] = {
    "nl": {
        "title": "Persoonlijk Profiel Paspoort", "generated": "Gemaakt op",
        "intro": "De QR-codes in dit document bevatten volledig ondertekende documenten: het profiel en de "
                 "verklaringen. Een groot document staat in een reeks codes (\u2018QR-code 1 van 2\u2019); scan dan "
                 "alle codes van de reeks. Een verifier scant de codes en controleert de handtekeningen offline, "
                 "zonder link of server. Controleer ook dat de persoon die dit papier toont de houder is.",
        "contents": "Inhoud: profielonderdelen {entries}; verklaringen van anderen {endorsements}.",
        "self_note": "{name} heeft deze gegevens zelf opgegeven en ondertekend. Dat de handtekening klopt, "
                     "betekent alleen dat de tekst niet veranderd is; niemand anders heeft de inhoud gecontroleerd.",
        "self_short": "ondertekend door {name} zelf; de inhoud is door niemand anders gecontroleerd",
        "no_profile": "Het profiel is niet gedeeld.", "sensitive": "gevoelig, bewust gedeeld",
        "profile_qr": "Ondertekend profiel", "part": "deel {i} van {n}", "holds": "Bevat",
        "holds_count": "profielonderdelen: {count}, uit {blocks}",
        "no_endorsements": "Er zijn geen certificaten of verklaringen gedeeld.",
        "procedure": "Handeling", "assessed": "Beoordeeld",
        "by": "door", "outcome": "Uitslag", "comment": "Toelichting", "entry": "Profielonderdeel",
        "valid": "Geldig", "until": "t/m", "no_end": "zonder einddatum", "on_print_date": "{outcome} op de afdrukdatum",
        "revocable": "Kan worden {revoked}: de verifier controleert de intrekkingslijst van de uitgever.",
        "qr_caption": "QR {ecc}-{version}, {module} mm per module", "qr_part": "QR-code {i} van {n}",
        "too_large": "GEEN QR-CODE: dit document is te groot voor {parts} betrouwbaar leesbare QR-codes "
                     "({size} tekens; maximaal {capacity}). Het kan niet op papier gecontroleerd worden; "
                     "deel het digitaal met 'passport share'.",
        "footer": "Scan de QR-codes met de Paspoort-verifier; de handtekeningen zijn offline te controleren.",
        "page": "Pagina {page} van {pages}",
    },
    "en": {
        "title": "Personal Profile Passport", "generated": "Generated on",
        "intro": "The QR codes in this document hold complete signed documents: the profile and the "
                 "endorsements. A large document takes a series of codes (\u2018QR code 1 of 2\u2019); then scan "
                 "every code of the series. A verifier scans the codes and checks the signatures offline, without "
                 "any link or server. Also check that the person showing this paper is the holder.",
        "contents": "Contents: profile entries {entries}; endorsements by others {endorsements}.",
        "self_note": "{name} entered and signed this information personally. A valid signature only means the "
                     "text is unchanged; nobody else has checked its content.",
        "self_short": "signed by {name} personally; nobody else has checked the content",
        "no_profile": "The profile is not shared.", "sensitive": "sensitive, shared deliberately",
        "profile_qr": "Signed profile", "part": "part {i} of {n}", "holds": "Holds",
        "holds_count": "profile entries: {count}, from {blocks}",
        "no_endorsements": "No certificates or statements are shared.",
        "procedure": "Procedure", "assessed": "Assessed",
        "by": "by", "outcome": "Outcome", "comment": "Comment", "entry": "Profile entry",
        "valid": "Valid", "until": "to", "no_end": "no end date", "on_print_date": "{outcome} on the print date",
        "revocable": "Can be {revoked}: the verifier checks the issuer's status list.",
        "qr_caption": "QR {ecc}-{version}, {module} mm per module", "qr_part": "QR code {i} of {n}",
        "too_large": "NO QR CODE: this document is too large for {parts} reliably readable QR codes "
                     "({size} characters; at most {capacity}). It cannot be checked from paper; "
                     "share it digitally with 'passport share'.",
        "footer": "Scan the QR codes with the Paspoort verifier; the signatures can be checked offline.",
        "page": "Page {page} of {pages}",
    },
}


def _shared(lang: str) -> dict[str, str]:
    """The words the PDF shares with the page, the CLI and the HTML report."""
    layout, lower = _LAYOUT[lang], (lambda key: term(key, lang).lower())
    return {
        "holder": term("word.holder", lang), "did": term("word.did", lang),
        "profile": kind_name("PersoonlijkProfielCredential", lang), "self": term("outcome.self_asserted", lang),
        "endorsed_by": term("word.endorsed_by", lang), "endorsements": term("word.endorsements", lang),
        "issuer": term("word.issued_by", lang),
        "expired": layout["on_print_date"].format(outcome=lower("outcome.expired")),
        "not_yet": layout["on_print_date"].format(outcome=lower("outcome.not_yet_valid")),
        "revocable": layout["revocable"].format(revoked=lower("outcome.revoked")),
    }


LABELS: dict[str, dict[str, str]] = {lang: {**_LAYOUT[lang], **_shared(lang)} for lang in LANGS}


def labels(lang: str) -> dict[str, str]:
    """The PDF's words in ``lang``; another language is an ``InputError`` that names the choices."""
    return LABELS[check_lang(lang)]


def entry_details(entry: Mapping[str, Any], lang: str) -> list[str]:
    """Short lines under an entry on paper: ``wallet.render.entry_details``, compact."""
    labels(lang)  # refuses an unknown language
    return _entry_details(entry, lang, compact=True)


def endorsement_heading(credential: Mapping[str, Any], lang: str,
                        entry_names: Mapping[str, str] | None = None) -> tuple[str, str]:
    """(kind, title): e.g. ("Aantoonbaar bekwaam", "Aantoonbaar bekwaam: medicatie aanreiken");
    an entry endorsement is titled with the endorsed entry's name when the profile is printed too."""
    kind = paspoort_type(credential) or ""
    kind_word = kind_name(kind, lang, default=kind)
    subject = _subject(credential)
    entry = subject.get("entry") if kind == ENDORSEMENT_TYPE and isinstance(subject.get("entry"), Mapping) else {}
    if entry and (entry_names or {}).get(str(entry.get("id"))):
        return kind_word, f"\u201c{entry_names[str(entry['id'])]}\u201d"  # type: ignore[index]
    achievement = subject.get("achievement")
    if isinstance(achievement, Mapping) and achievement.get("name"):
        return kind_word, text(achievement["name"], lang)
    return kind_word, text(credential.get("name"), lang) or kind_word


def endorsement_facts(credential: Mapping[str, Any], lang: str, *, now: datetime,
                      entry_names: Mapping[str, str] | None = None) -> list[tuple[str, str]]:
    """(label, value) lines: issuer, what it attests, validity (the identifier is printed under the code)."""
    words, kind, subject = labels(lang), paspoort_type(credential), _subject(credential)
    facts = [(words["issuer"], f"{issuer_name(credential)}\n{issuer_id(credential)}")]
    if kind == AANTOONBAAR_BEKWAAM_TYPE and isinstance(subject.get("procedure"), Mapping):
        procedure = subject["procedure"]
        facts.append((words["procedure"], f"{text(procedure.get('name'), lang)} ({procedure.get('code')})"))
        assessment = subject.get("assessment") if isinstance(subject.get("assessment"), Mapping) else {}
        examiner = assessment.get("examiner") if isinstance(assessment.get("examiner"), Mapping) else {}
        if assessment.get("date") or examiner.get("name"):
            who = f" {words['by']} {text(examiner['name'], lang)}" if examiner.get("name") else ""
            role = f" ({text(examiner['role'], lang)})" if examiner.get("role") else ""
            facts.append((words["assessed"], f"{long_date(assessment.get('date'), lang)}{who}{role}".strip()))
    level = subject.get("level")
    if isinstance(level, Mapping):
        facts.append((DETAIL_LABELS[lang]["level"].capitalize(), f"{level.get('framework')} {level.get('level')}"))
    if kind == ASSESSMENT_TYPE and isinstance(subject.get("outcome"), Mapping) and subject["outcome"].get("summary"):
        facts.append((words["outcome"], text(subject["outcome"]["summary"], lang)))
    if kind == ENDORSEMENT_TYPE:
        entry = subject.get("entry") if isinstance(subject.get("entry"), Mapping) else {}
        name = (entry_names or {}).get(str(entry.get("id")))
        facts.append((words["entry"], f"{name} [{entry.get('id')}]" if name else str(entry.get("id"))))
        if subject.get("endorsementComment"):
            facts.append((words["comment"], text(subject["endorsementComment"], lang)))
    facts.append((words["valid"], validity(credential, lang, now=now)))
    return facts


def validity(credential: Mapping[str, Any], lang: str, *, now: datetime) -> str:
    words = labels(lang)
    start, end = credential.get("validFrom"), credential.get("validUntil")
    span = f"{long_date(start, lang)} {words['until']} {long_date(end, lang)}" if end else \
        f"{long_date(start, lang)}, {words['no_end']}"
    try:
        if end and parse_datetime(end) < now:
            span += f" ({words['expired']})"
        elif start and parse_datetime(start) > now:
            span += f" ({words['not_yet']})"
    except ValueError:
        pass
    return span


def _subject(credential: Mapping[str, Any]) -> Mapping[str, Any]:
    subject = credential.get("credentialSubject")
    return subject if isinstance(subject, Mapping) else {}

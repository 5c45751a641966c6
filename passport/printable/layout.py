"""The printable passport: an A4 PDF whose QR codes carry the signed documents themselves.

A verifier can check the paper offline, years later, by scanning it: the QR codes of a document
hold that signed document as ``PP2:`` text (``qr.text.encode_text``), never a link. Rules (SPEC
section 9, "Printed symbols", and "The printable passport"):

- every symbol is at most version 25 at error correction M, with modules of at least 0.6 mm and
  a quiet zone of four modules: a document that does not fit one such symbol is printed as a
  Structured Append sequence of up to 16 (``qr.parts``), each labelled "QR code i of n";
- a profile too large even for 16 symbols is split by ``profile_parts`` into several
  self-signed profile credentials that each fit; an endorsement that large is printed without
  a code, with a plain note saying so, and listed in ``Printed.not_printable``;
- self-asserted content is labelled as such; every page has the footer, page number and date.

    printed = export_pdf(profile, endorsements, lang="en", path="ria.pdf", now=now)
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Iterable, Mapping, Sequence

from ..format.documents import BLOCK_KEYS, BLOCKS, ENDORSEMENT_TYPE, PROFILE_TYPE, paspoort_type
from ..errors import QRTooLarge, StructureInvalid
from ..crypto.keys import Ed25519Key, write_private_file
from .pdf import PassportPage, find_fonts
from .text import (
    endorsement_facts,
    endorsement_heading,
    entry_details,
    labels,
    long_date,
)
from ..qr import Part, split_for_qr, symbol_modules, symbol_version
from ..qr.parts import MARKER_LENGTH, MAX_PARTS, part_capacity
from ..qr.symbols import ECC_LEVELS
from ..qr.text import encode_text
from ..roles.sharing import select_profile
from ..proofs.signing import sign
from ..encoding.timeutil import as_datetime
from ..wallet.render import issuer_name, text

ECC = "M"
MAX_VERSION = 25  # every printed symbol: at most version 25 at level M
MIN_MODULE_MM = 0.6
MAX_MODULE_MM = 0.8
TARGET_QR_MM = 70.0
QUIET_MODULES = 4
LABEL_MM = 31.0
GAP_MM = 6.0
PER_ROW = 2  # the further symbols of a sequence, side by side under the card
NOTE_MM = 78.0  # width of the note printed instead of a code that does not fit
SELF_FILL = (255, 243, 205)


@dataclass
class PrintedCode:
    credential_id: str
    kind: str
    ecc: str
    version: int
    module_mm: float
    page: int
    part: int = 1  # this symbol's position in its document's Structured Append sequence (1-based)
    parts: int = 1  # how many symbols the document takes


@dataclass
class Printed:
    path: str
    pages: int
    codes: list[PrintedCode] = field(default_factory=list)
    not_printable: list[tuple[str, str]] = field(default_factory=list)  # (credential id, reason)
    fonts: str = "DejaVu Sans"


def fit_qr(qr_text: str) -> list[tuple[str | Part, int]] | None:
    """The symbols that print ``qr_text``, as (symbol, QR version) at level M: one when a code of
    version 25 holds it, else its Structured Append parts (up to 16); None when even that is too little."""
    try:
        symbols = split_for_qr(qr_text, ECC, max_version=MAX_VERSION)
    except QRTooLarge:
        return None
    return [(symbol, symbol_version(symbol, ECC, max_version=MAX_VERSION)) for symbol in symbols]


def module_size(version: int) -> float:
    """Millimetres per module: about 70 mm per code, never below 0.6 mm, never above 0.8 mm."""
    side = 17 + 4 * version + 2 * QUIET_MODULES
    return round(max(MIN_MODULE_MM, min(MAX_MODULE_MM, TARGET_QR_MM / side)), 2)


def profile_parts(profile: Mapping[str, Any], holder_key: Ed25519Key, *, now) -> list[dict[str, Any]]:
    """The signed shared profile as one document if its symbols fit (``fit_qr``: up to 16); otherwise
    several self-signed profile credentials, entries in order, each fitting."""
    if fit_qr(encode_text(dict(profile))):
        return [dict(profile)]
    subject = profile["credentialSubject"]
    entries = [entry for key in BLOCK_KEYS for entry in subject.get(key, [])]
    sensitive = [entry["id"] for entry in entries if entry.get("sensitive")]  # already chosen to be shared

    def part(ids: list[str]) -> dict[str, Any]:
        unsigned = select_profile(profile, entries=ids, include_sensitive=[i for i in ids if i in sensitive])
        return sign(unsigned, holder_key, created=now)

    parts: list[dict[str, Any]] = []
    current: list[str] = []
    signed: dict[str, Any] = {}
    for entry in entries:
        candidate = part([*current, entry["id"]])
        if current and not fit_qr(encode_text(candidate)):
            parts.append(signed)  # the part so far is full: start the next one with this entry
            current, candidate = [], part([entry["id"]])
        current.append(entry["id"])
        signed = candidate
    if signed:
        parts.append(signed)  # an entry too large on its own is printed with a note instead of a code
    return parts


def export_pdf(profile: Mapping[str, Any] | Sequence[Mapping[str, Any]] | None,
               endorsements: Iterable[Mapping[str, Any]], *, lang: str = "nl", path: str,
               now: datetime | str | None = None) -> Printed:
    """Write the printable passport of a signed shared profile (or its parts) and endorsements to
    ``path`` (atomically, mode 0600); returns what was printed and what could not be."""
    words, moment = labels(lang), as_datetime(now)
    if profile is None:
        profiles = []
    else:
        profiles = [dict(profile)] if isinstance(profile, Mapping) else [dict(part) for part in profile]
    endorsements = [dict(credential) for credential in endorsements]
    for document in profiles:
        if paspoort_type(document) != PROFILE_TYPE:
            raise StructureInvalid("export_pdf: the profile argument must hold PersoonlijkProfielCredentials")
    if not profiles and not endorsements:
        raise StructureInvalid("nothing to print: no profile and no endorsements")
    holder = _holder(profiles, endorsements)
    fonts = find_fonts()
    page = words["page"].format(page="{page}", pages="{nb}")  # filled in per page by the footer and fpdf2
    pdf = PassportPage(fonts=fonts, footer_lines=[
        words["footer"],
        f"{holder['name'] or holder['did']}  |  {page}  |  {words['generated']} {long_date(moment, lang)}"])
    pdf.set_title(f"{words['title']}: {holder['name'] or holder['did']}")
    printed = Printed(path=path, pages=0, fonts="DejaVu Sans" if fonts else "Helvetica (Latin-1)")
    pdf.add_page()
    _title(pdf, words, holder, profiles, endorsements, moment, lang)
    _profile(pdf, words, holder, profiles, endorsements, lang)
    for index, document in enumerate(profiles, 1):
        part = f" ({words['part'].format(i=index, n=len(profiles))})" if len(profiles) > 1 else ""
        subject = document["credentialSubject"]
        count = sum(len(subject.get(block.key, [])) for block in BLOCKS)
        blocks = ", ".join(block.nl if lang == "nl" else block.en for block in BLOCKS if subject.get(block.key))
        facts = [(words["self"], words["self_short"].format(name=holder["name"] or holder["did"])),
                 (words["holds"], words["holds_count"].format(count=count, blocks=blocks))]
        _card(pdf, printed, words, document, words["profile"], words["profile_qr"] + part, facts)
    pdf.ln(3)
    pdf.room(100 if endorsements else 20)  # the heading stays with the first endorsement
    pdf.para(words["endorsements"], "h1")
    if not endorsements:
        pdf.para(words["no_endorsements"])
    names = _entry_names(profiles, lang)
    for credential in endorsements:
        kind, title = endorsement_heading(credential, lang, entry_names=names)
        facts = endorsement_facts(credential, lang, now=moment, entry_names=names)
        if credential.get("credentialStatus"):
            facts.append(("", words["revocable"]))
        _card(pdf, printed, words, credential, kind, title, facts)
    printed.pages = pdf.page_no()
    write_private_file(path, bytes(pdf.output()), overwrite=True)
    return printed


def _holder(profiles: list[dict[str, Any]], endorsements: list[dict[str, Any]]) -> dict[str, str]:
    subjects = [document["credentialSubject"] for document in profiles + endorsements
                if isinstance(document.get("credentialSubject"), Mapping)]
    dids = {str(subject.get("id")) for subject in subjects}
    if len(dids) != 1:
        raise StructureInvalid("every printed document must be about the same holder", holders=sorted(dids))
    name = next((text(subject.get("name")) for subject in subjects[:len(profiles)] if subject.get("name")), "")
    return {"did": dids.pop(), "name": name}


def _title(pdf: PassportPage, words, holder, profiles, endorsements, moment: datetime, lang: str) -> None:
    pdf.para(words["title"], "title")
    pdf.ln(2)
    pdf.para(f"{words['holder']}: {holder['name'] or '-'}", "name")
    pdf.para(f"{words['did']}:", "label")
    pdf.para(holder["did"], "mono")
    pdf.para(f"{words['generated']} {long_date(moment, lang)}", "detail")
    pdf.ln(2)
    pdf.para(words["intro"])
    count = sum(len(p["credentialSubject"].get(key, [])) for p in profiles for key in BLOCK_KEYS)
    pdf.para(words["contents"].format(entries=count, endorsements=len(endorsements)), "detail")
    pdf.ln(3)
    pdf.rule()
    pdf.ln(3)


def _profile(pdf: PassportPage, words, holder, profiles, endorsements, lang: str) -> None:
    pdf.para(words["profile"], "h1")
    pdf.para(f"{words['self']}: " + words["self_note"].format(name=holder["name"] or holder["did"]), "bold",
             fill=SELF_FILL)
    pdf.ln(2)
    if not profiles:
        pdf.para(words["no_profile"])
        return
    endorsed: dict[str, list[str]] = {}
    for credential in endorsements:
        if paspoort_type(credential) == ENDORSEMENT_TYPE:
            entry_id = ((credential.get("credentialSubject") or {}).get("entry") or {}).get("id")
            endorsed.setdefault(str(entry_id), []).append(issuer_name(credential))
    for block in BLOCKS:
        entries = [entry for document in profiles for entry in document["credentialSubject"].get(block.key, [])]
        if not entries:
            continue
        pdf.room(18)
        pdf.para(f"{block.nl if lang == 'nl' else block.en}  ({words['self'].lower()})", "h2")
        for entry in entries:
            mark = f"  [{words['sensitive']}]" if entry.get("sensitive") else ""
            lines = [(f"{text(entry.get('name'), lang)}{mark}", "bold")]
            if entry.get("description"):
                lines.append((text(entry["description"], lang), "body"))
            lines += [(line, "detail") for line in entry_details(entry, lang)]
            lines += [(f"+ {words['endorsed_by']} {who}", "detail") for who in endorsed.get(entry["id"], [])]
            pdf.room(sum(pdf.height_of(line, style, pdf.width - 3) for line, style in lines))  # keep an entry whole
            for line, style in lines:
                pdf.para(line, style, x=pdf.l_margin + 3)
            pdf.ln(1.2)
        pdf.ln(1.5)


def _card(pdf: PassportPage, printed: Printed, words, document: dict[str, Any], kind: str, title: str,
          facts: list[tuple[str, str]]) -> None:
    """One document: heading and facts on the left, its (first) QR code or the too-large note on the
    right; the further symbols of a Structured Append sequence in rows below."""
    qr_text = encode_text(document)
    symbols = fit_qr(qr_text)
    credential_id = str(document.get("id"))
    if symbols:
        module = min(module_size(version) for _, version in symbols)  # one module size per document
        side = max(17 + 4 * version + 2 * QUIET_MODULES for _, version in symbols) * module
        captions = [_caption(words, index, len(symbols), version, module) for index, (_, version) in enumerate(symbols)]
        first = captions[0]
    else:
        side, module = NOTE_MM, 0.0
        first = words["too_large"].format(size=len(qr_text), parts=MAX_PARTS,
                                          capacity=(part_capacity(MAX_VERSION, ECC_LEVELS[ECC]) - MARKER_LENGTH) * MAX_PARTS)
    text_width = pdf.width - side - GAP_MM
    text_height = (pdf.height_of(kind, "kind", text_width) + pdf.height_of(title, "h2", text_width)
                   + pdf.facts_height(facts, text_width, LABEL_MM) + 2)
    pdf.room(max(text_height, _symbol_height(pdf, side, credential_id, first, bool(symbols))) + 6)
    pdf.ln(2)
    pdf.rule()
    top = pdf.get_y() + 2
    pdf.set_y(top)
    pdf.para(kind.upper(), "kind", width=text_width)
    pdf.para(title, "h2", width=text_width)
    pdf.ln(1)
    pdf.facts(facts, x=pdf.l_margin, width=text_width, label_width=LABEL_MM)
    bottom = pdf.get_y()
    x = pdf.w - pdf.r_margin - side
    if not symbols:
        pdf.set_y(top)
        pdf.para(first, "bold", width=side, x=x, fill=(253, 226, 226))
        pdf.para(credential_id, "mono", width=side, x=x, align="C")
        printed.not_printable.append((credential_id, first))
        pdf.set_y(max(bottom, pdf.get_y()) + 2)
        return
    _symbol(pdf, printed, document, symbols, 0, x, top, side, module, captions[0])
    pdf.set_y(max(bottom, pdf.get_y()) + 2)
    rest = list(range(1, len(symbols)))
    for row in [rest[start:start + PER_ROW] for start in range(0, len(rest), PER_ROW)]:
        pdf.room(max(_symbol_height(pdf, side, credential_id, captions[index], True) for index in row) + 2)
        top = pdf.get_y()
        ends = []
        for column, index in enumerate(row):  # right-aligned, like the first symbol
            x = pdf.w - pdf.r_margin - (len(row) - column) * side - (len(row) - 1 - column) * GAP_MM
            _symbol(pdf, printed, document, symbols, index, x, top, side, module, captions[index])
            ends.append(pdf.get_y())
        pdf.set_y(max(ends) + 2)


def _caption(words, index: int, count: int, version: int, module: float) -> str:
    caption = words["qr_caption"].format(ecc=ECC, version=version, module=f"{module:.2f}")
    return f"{words['qr_part'].format(i=index + 1, n=count)}, {caption}" if count > 1 else caption


def _symbol_height(pdf: PassportPage, side: float, credential_id: str, caption: str, drawn: bool) -> float:
    if not drawn:
        return pdf.height_of(caption, "bold", side - 4) + 4 + pdf.height_of(credential_id, "mono", side)
    return side + pdf.height_of(credential_id, "mono", side) + pdf.height_of(caption, "small", side)


def _symbol(pdf: PassportPage, printed: Printed, document: dict[str, Any], symbols: list[tuple[str | Part, int]],
            index: int, x: float, top: float, side: float, module: float, caption: str) -> None:
    """Symbol ``index`` of the document with its quiet zone at (x, top), its document id and caption below."""
    symbol, version = symbols[index]
    pdf.qr(symbol_modules(symbol, ecc=ECC, max_version=MAX_VERSION), x + QUIET_MODULES * module,
           top + QUIET_MODULES * module, module)
    pdf.set_y(top + side)
    credential_id = str(document.get("id"))
    pdf.para(credential_id, "mono", width=side, x=x, align="C")
    pdf.para(caption, "small", width=side, x=x, align="C")
    printed.codes.append(PrintedCode(credential_id, paspoort_type(document) or "", ECC, version, module,
                                     pdf.page_no(), index + 1, len(symbols)))


def _entry_names(profiles: list[dict[str, Any]], lang: str) -> dict[str, str]:
    return {entry["id"]: text(entry.get("name"), lang) for document in profiles for key in BLOCK_KEYS
            for entry in document["credentialSubject"].get(key, [])}

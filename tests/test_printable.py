"""The printable passport: the PDF is rasterised with pdftoppm (200 dpi, as a scanner would), every
QR code on the pages is decoded (at most version 25 at level M; the parts of a document split over
several codes joined again) and each decoded document must verify offline.

Needs ``pdftoppm``/``pdftotext`` (Debian: poppler-utils); without them the tests are skipped,
except when ``CI`` is set, where that is a failure.
"""
from __future__ import annotations

import base64
import copy
import json
import os
import random
import re
import shutil
import subprocess
from pathlib import Path

import pytest
import zxingcpp
from PIL import Image
from support import NOW
from test_wallet_support import NOW_TEXT, ria_wallet, ria_world, run, wallet_env  # noqa: F401 (fixtures)

from passport import check, printable
from passport.demo.html_report import render as render_report
from passport.demo.world import EXAMPLES, build_world
from passport.format.documents import BLOCK_KEYS, PROFILE_TYPE
from passport.errors import QRInvalid
from passport.printable.layout import (
    MIN_MODULE_MM,
    QUIET_MODULES,
    export_pdf,
    fit_qr,
    profile_parts,
)
from passport.qr import decode_text, encode_text
from passport.qr.parts import is_part, join_parts
from passport.roles.sharing import select_profile
from passport.proofs.signing import sign
from passport.terms import kind_name, term

SENSITIVE = "fysieke-belastbaarheid"
DPI = 200


def _tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        if os.environ.get("CI"):
            pytest.fail(f"{name} is required in CI (Debian: apt-get install poppler-utils)")
        pytest.skip(f"{name} is not installed (Debian: apt-get install poppler-utils)")
    return path


def rasterise(pdf: Path, folder: Path) -> list[Path]:
    subprocess.run([_tool("pdftoppm"), "-r", str(DPI), "-png", str(pdf), str(folder / "page")], check=True,
                   timeout=60)
    return sorted(folder.glob("page-*.png"), key=lambda page: int(page.stem.split("-")[-1]))


def pdf_text(pdf: Path) -> str:
    out = subprocess.run([_tool("pdftotext"), str(pdf), "-"], check=True, capture_output=True, text=True, timeout=60)
    return " ".join(out.stdout.split())


def scan(pages: list[Path]) -> list[dict]:
    """Every Paspoort document on the pages, checking each code's print quality on the way:
    at most version 25 at level M, modules of at least 0.6 mm and a white quiet zone of four
    modules. The parts of a document split over several codes are joined (in any order)."""
    texts = []
    for page in pages:
        image = Image.open(page).convert("L")
        for code in zxingcpp.read_barcodes(image, formats=zxingcpp.BarcodeFormat.QRCode):
            assert int(code.extra["Version"]) <= 25 and code.extra["ECLevel"] == "M", code.extra
            modules = 17 + 4 * int(code.extra["Version"])
            left, top = code.position.top_left.x, code.position.top_left.y
            right, bottom = code.position.bottom_right.x, code.position.bottom_right.y
            pixels = (right - left) / modules
            assert pixels / DPI * 25.4 >= MIN_MODULE_MM - 0.02, f"modules of {pixels / DPI * 25.4:.2f} mm"
            quiet = int(QUIET_MODULES * pixels) - 2
            ring = [image.crop(box) for box in (
                (left - quiet, top - quiet, left - 2, bottom + quiet), (right + 2, top - quiet, right + quiet, bottom + quiet),
                (left, top - quiet, right, top - 2), (left, bottom + 2, right, bottom + quiet))]
            assert all(part.getextrema()[0] > 200 for part in ring), "the quiet zone is not white"
            texts.append(code.text)
    whole = [text for text in texts if not is_part(text)]
    return [decode_text(text) for text in whole + join_parts([text for text in texts if is_part(text)])]


def entry_ids(document: dict) -> set[str]:
    return {entry["id"] for key in BLOCK_KEYS for entry in document["credentialSubject"][key]}


def verify_all(documents: list[dict]) -> None:
    world = ria_world()
    for document in documents:
        report = check(document, now=NOW, trust=world.trust(), status=world.status_documents)
        assert report.verified, (document.get("id"), [failure.message for failure in report.failures()])


@pytest.fixture
def capture_export(monkeypatch) -> list[printable.Printed]:
    """What ``passport export`` printed (the command calls ``printable.export_pdf``)."""
    printed: list[printable.Printed] = []
    real = printable.export_pdf

    def spy(*args, **kwargs):
        printed.append(real(*args, **kwargs))
        return printed[-1]

    monkeypatch.setattr(printable, "export_pdf", spy)
    return printed


def test_every_printed_code_decodes_and_verifies(ria_wallet, capsys, tmp_path, capture_export):
    pdf = tmp_path / "ria.pdf"
    code, out, err = run(capsys, "export", "--pdf", str(pdf), "--now", NOW_TEXT)
    assert code == 0, err
    assert f"opgeslagen in {pdf}" in out and f"Niet afgedrukt: {SENSITIVE}" in out  # Dutch by default
    assert oct(pdf.stat().st_mode & 0o777) == "0o600" and pdf.read_bytes().startswith(b"%PDF-")
    documents = scan(rasterise(pdf, tmp_path))
    verify_all(documents)
    printed = capture_export[0]
    assert {document["id"] for document in documents} == {code.credential_id for code in printed.codes}
    assert len(documents) == 7 and not printed.not_printable
    assert len(printed.codes) > 7 and all(code.version <= 25 and code.ecc == "M" for code in printed.codes)
    endorsements = {document["id"] for document in documents if document["type"][-1] != PROFILE_TYPE}
    assert endorsements == {item["credential"]["id"] for item in ria_wallet.credentials}
    profiles = [document for document in documents if document["type"][-1] == PROFILE_TYPE]
    assert len(profiles) == 1 and profiles[0]["credentialSubject"]["id"] == ria_wallet.did
    assert SENSITIVE not in entry_ids(profiles[0]) and "klantcontact" in entry_ids(profiles[0])
    text = pdf_text(pdf)
    for dutch in ("Persoonlijk Profiel Paspoort", "Houder: Ria de Vries", "Zelf opgegeven", "Drijfveren",
                  "Klantcontact en service", "AANTOONBAAR BEKWAAM", "Uitgegeven door",
                  "12 maart 2026 t/m 12 maart 2027",
                  "Scan de QR-codes met de Paspoort-verifier; de handtekeningen zijn offline te controleren.",
                  "Pagina 1 van", "Gemaakt op 23 november 2026", ria_wallet.did):
        assert dutch in text, dutch
    assert "Fysieke belastbaarheid" not in text and "hernia" not in text
    assert "Self-asserted" not in text and "Issued by" not in text


def test_english_with_a_named_sensitive_entry(ria_wallet, capsys, tmp_path, capture_export):
    pdf = tmp_path / "ria-en.pdf"
    code, _, err = run(capsys, "export", "--pdf", str(pdf), "--lang", "en", "--now", NOW_TEXT,
                         "--include-sensitive", SENSITIVE, "--type", "AantoonbaarBekwaam")
    assert code == 0, err
    documents = scan(rasterise(pdf, tmp_path))
    verify_all(documents)
    assert {document["id"] for document in documents} == {code.credential_id for code in capture_export[0].codes}
    kinds = sorted(document["type"][-1] for document in documents)
    assert kinds == ["AantoonbaarBekwaamCredential", "AantoonbaarBekwaamCredential", PROFILE_TYPE]
    profile = next(document for document in documents if document["type"][-1] == PROFILE_TYPE)
    assert SENSITIVE in entry_ids(profile)
    text = pdf_text(pdf)
    for english in ("Personal Profile Passport", "Self-asserted", "Physical capacity", "sensitive, shared deliberately",
                    "Goal and motivation", "DEMONSTRABLY COMPETENT", "Issued by", "12 March 2026 to 12 March 2027",
                    "Scan the QR codes with the Paspoort verifier; the signatures can be checked offline.",
                    "Page 1 of", "Generated on 23 November 2026"):
        assert english in text, english
    assert "Zelf opgegeven" not in text and "Pagina" not in text


def test_a_document_too_large_for_16_codes_is_reported_not_printed(tmp_path):
    world = ria_world()
    unsigned = json.loads((EXAMPLES / "ria" / "endorsements" / "bhv-certificaat.json").read_text(encoding="utf-8"))
    noise = base64.b64encode(random.Random(7).randbytes(16_000)).decode()  # does not compress
    unsigned["credentialSubject"]["achievement"]["description"] = noise
    unsigned["id"] = "urn:uuid:00000000-0000-4000-8000-00000000b16b"
    big = sign(unsigned, world.keys[world.role_of(unsigned["issuer"]["id"])], created=NOW)
    assert fit_qr(encode_text(big)) is None
    small = next(e for e in world.endorsements if e["type"][-1] == "AantoonbaarBekwaamCredential")
    pdf = tmp_path / "big.pdf"
    printed = export_pdf(None, [big, small], lang="nl", path=str(pdf), now=NOW)
    assert [item[0] for item in printed.not_printable] == [big["id"]]
    assert {code.credential_id for code in printed.codes} == {small["id"]}  # in one or more codes
    text = pdf_text(pdf)
    assert "GEEN QR-CODE: dit document is te groot voor 16 betrouwbaar leesbare QR-codes" in text
    assert big["id"] in text  # the item is still listed, as text
    assert [document["id"] for document in scan(rasterise(pdf, tmp_path))] == [small["id"]]


def test_a_document_larger_than_one_code_is_printed_as_a_structured_append_sequence(tmp_path):
    """Ria's profile needs three version-25 codes: they are printed in order, labelled, and join again
    in any order; without one of them the verifier names the missing part."""
    world = ria_world()
    profile = sign(select_profile(world.profile), world.holder, created=NOW)
    symbols = fit_qr(encode_text(profile))
    assert symbols and len(symbols) >= 2 and all(version <= 25 for _, version in symbols)
    assert profile_parts(profile, world.holder, now=NOW) == [profile]  # one signed document, several codes
    pdf = tmp_path / "profile.pdf"
    printed = export_pdf(profile, [], lang="en", path=str(pdf), now=NOW)
    assert [(code.part, code.parts) for code in printed.codes] == [(i, len(symbols)) for i in range(1, len(symbols) + 1)]
    assert f"QR code 1 of {len(symbols)}" in pdf_text(pdf)
    pages = rasterise(pdf, tmp_path)
    assert scan(pages) == [profile]
    texts = [code.text for page in pages for code in zxingcpp.read_barcodes(Image.open(page).convert("L"))]
    random.Random(3).shuffle(texts)
    assert [decode_text(text) for text in join_parts(texts)] == [profile]
    with pytest.raises(QRInvalid, match=f"part 2 of {len(symbols)} is missing"):
        join_parts([text for text in texts if not text.startswith("PPS1")])


@pytest.mark.parametrize("persona", ["ria", "jan", "samira"])
def test_every_symbol_of_the_personas_printed_passports_is_at_most_version_25(persona, tmp_path):
    """Issue 12: the three example personas, whole profile and every endorsement, read back from
    the rasterised pages; every symbol at most version 25 at level M (checked in ``scan``)."""
    world = build_world(persona, NOW)
    profile = sign(select_profile(world.profile), world.holder, created=NOW)
    pdf = tmp_path / f"{persona}.pdf"
    printed = export_pdf(profile_parts(profile, world.holder, now=NOW), world.endorsements, lang="nl",
                         path=str(pdf), now=NOW)
    assert not printed.not_printable
    assert max(code.version for code in printed.codes) <= 25 and {code.ecc for code in printed.codes} == {"M"}
    assert min(code.module_mm for code in printed.codes) >= MIN_MODULE_MM == 0.6
    documents = scan(rasterise(pdf, tmp_path))
    assert sorted(document["id"] for document in documents) == sorted(
        [profile["id"]] + [endorsement["id"] for endorsement in world.endorsements])


def test_a_profile_too_large_for_16_codes_is_split_into_signed_parts():
    world = ria_world()
    unsigned = {key: copy.deepcopy(value) for key, value in world.profile.items() if key != "proof"}
    rng = random.Random(11)
    unsigned["credentialSubject"]["skills"] = unsigned["credentialSubject"]["skills"] + [
        {"id": f"extra-{n}", "name": f"Vaardigheid {n}", "description": base64.b32encode(rng.randbytes(200)).decode()}
        for n in range(120)]
    profile = sign(select_profile(unsigned), world.holder, created=NOW)
    assert fit_qr(encode_text(profile)) is None
    parts = profile_parts(profile, world.holder, now=NOW)
    assert len(parts) > 1
    ordered = [entry["id"] for part in parts for key in BLOCK_KEYS for entry in part["credentialSubject"][key]]
    assert sorted(ordered) == sorted(entry_ids(profile)) and len(ordered) == len(set(ordered))
    for part in parts:
        assert fit_qr(encode_text(part)) and check(part, now=NOW).verified
    small = sign(select_profile(world.profile), world.holder, created=NOW)
    assert profile_parts(small, world.holder, now=NOW) == [small]  # one document when it fits


def test_without_dejavu_the_core_font_prints_latin1(monkeypatch, tmp_path):
    monkeypatch.setattr(printable.layout, "find_fonts", lambda: None)
    world = ria_world()
    pdf = tmp_path / "core.pdf"
    endorsement = next(e for e in world.endorsements if e["type"][-1] == "ProfielEndorsementCredential")
    printed = export_pdf(world.profile, [endorsement], lang="nl", path=str(pdf), now=NOW)
    assert printed.fonts.startswith("Helvetica")
    text = pdf_text(pdf)
    assert "cliënten" in text and "Zelf opgegeven" in text and "Erik van den Berg" in text


def test_export_help_has_an_example(capsys):
    code, out, _ = run(capsys, "export", "--help")
    assert code == 0 and "passport export --pdf ria-paspoort.pdf" in out and "--include-sensitive" in out


def printed_strings(monkeypatch, tmp_path, lang: str, endorsements: list[dict]) -> str:
    """The text lines of the PDF without poppler: the core font and no compression leave each
    line as a literal string in the page content."""
    class Plain(printable.PassportPage):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self.set_compression(False)

    monkeypatch.setattr(printable.layout, "PassportPage", Plain)
    monkeypatch.setattr(printable.layout, "find_fonts", lambda: None)
    pdf = tmp_path / f"words-{lang}.pdf"
    export_pdf(ria_world().profile, endorsements, lang=lang, path=str(pdf), now=NOW)
    lines = re.findall(rb"\((.*?)(?<!\\)\) ?Tj", pdf.read_bytes())
    return "\n".join(line.decode("latin-1").replace("\\(", "(").replace("\\)", ")") for line in lines)


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_the_pdf_and_the_html_report_use_the_same_words(monkeypatch, tmp_path, lang):
    world = ria_world()
    revocable = [e for e in world.endorsements if e.get("credentialStatus")]
    assert revocable
    pdf = printed_strings(monkeypatch, tmp_path, lang, revocable).lower()
    lines = [{"type": PROFILE_TYPE, "outcome": "self_asserted", "problems": []}] + [
        {"type": e["type"][-1], "title": None, "issuer": "x", "outcome": "revoked",
         "problems": [{"check": "status", "code": "REVOKED", "message": "revoked"}]} for e in revocable]
    html = render_report("T", {"verified": False, "credentials": lines, "presentationProblems": []}, None,
                         lang=lang).lower()
    shared = [term("outcome.revoked", lang), term("outcome.self_asserted", lang), term("word.endorsements", lang),
              kind_name(PROFILE_TYPE, lang)] + [kind_name(e["type"][-1], lang) for e in revocable]
    for word in shared:
        assert word.lower() in pdf, (word, "PDF")
        assert word.lower() in html, (word, "HTML report")
    other = "en" if lang == "nl" else "nl"
    assert term("outcome.self_asserted", other).lower() not in pdf + html

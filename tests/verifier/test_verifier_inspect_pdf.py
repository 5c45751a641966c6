"""POST /inspect with a scan of a printed passport (``passport export --pdf``): every document on
the pages comes back as its own verified result, grouped with the holder's profile; a document
printed as a series of QR codes (Structured Append) is joined from any of the images, in any
order, and a missing code of a series is named; a tampered code is shown as not verified beside
the others; an image without a Paspoort code is a 400.

The PDF is made by ``passport.printable`` from Ria's demo world and rasterised with pdftoppm at
200 dpi, as a scanner would (Debian: poppler-utils; skipped without it, except under CI).
"""
from __future__ import annotations

import copy
import io
import os
import shutil
import subprocess
from pathlib import Path

import pytest
import qrcode
from jsonschema import Draft202012Validator
from PIL import Image

from passport import check, present, qr, sign
from passport.encoding import jsonio
from passport.format.documents import AANTOONBAAR_BEKWAAM_TYPE, CERTIFICAAT_TYPE, PROFILE_TYPE, paspoort_type
from passport.errors import StructureInvalid
from passport.roles.matching import match, match_credentials
from passport.printable import Printed, export_pdf, profile_parts
from passport.roles.sharing import select_profile
from verifier_helpers import NOW
from verifier_service.jobs import EXAMPLES
from verifier_service.openapi import DOCUMENT

DPI = 200
JOB = "begeleider-gehandicaptenzorg"
JOB_PROFILE = jsonio.load_file(str(EXAMPLES / f"{JOB}.json"))


def _pdftoppm() -> str:
    path = shutil.which("pdftoppm")
    if path is None:
        if os.environ.get("CI"):
            pytest.fail("pdftoppm is required in CI (Debian: apt-get install poppler-utils)")
        pytest.skip("pdftoppm is not installed (Debian: apt-get install poppler-utils)")
    return path


def print_passport(world, folder: Path, endorsements: list[dict] | None = None) -> tuple[Printed, Path]:
    """Ria's printable passport as ``passport export --pdf`` makes it: her non-sensitive profile,
    signed by her, and every endorsement (or ``endorsements``); (what was printed, the PDF)."""
    shared = sign(select_profile(world.profile), world.holder, created=NOW)
    parts = profile_parts(shared, world.holder, now=NOW)
    pdf = folder / "passport.pdf"
    printed = export_pdf(parts, world.endorsements if endorsements is None else endorsements, lang="nl",
                         path=str(pdf), now=NOW)
    return printed, pdf


def scan(pdf: Path, page: int | None = None) -> dict[int, bytes]:
    """The pages (or one page) as 200 dpi PNGs, as a scanner makes them: {page number: png}."""
    only = ["-f", str(page), "-l", str(page)] if page else []
    subprocess.run([_pdftoppm(), "-r", str(DPI), *only, "-png", str(pdf), str(pdf.parent / "page")], check=True,
                   timeout=60)
    found = sorted(pdf.parent.glob("page-*.png"), key=lambda path: int(path.stem.split("-")[-1]))
    return {int(path.stem.split("-")[-1]): path.read_bytes() for path in found}


def codes_on(printed: Printed, *pages: int) -> list[str]:
    """The documents with a QR code on these pages, in print order (a series counts once)."""
    return list(dict.fromkeys(code.credential_id for code in printed.codes if code.page in pages))


def sheets(printed: Printed) -> list[list[int]]:
    """The pages with codes, grouped so that every series of codes lies within one group."""
    groups: list[list[int]] = []
    for code in printed.codes:  # in print order: pages ascending
        spans = {other.page for other in printed.codes if other.credential_id == code.credential_id}
        if groups and min(spans) <= groups[-1][-1]:
            groups[-1] = sorted(set(groups[-1]) | spans)
        else:
            groups.append(sorted(spans))
    return groups


def tampered(world, kind: str = AANTOONBAAR_BEKWAAM_TYPE) -> tuple[list[dict], str]:
    """Ria's endorsements with the first of ``kind`` made to last longer after signing: (all, its id)."""
    endorsements = copy.deepcopy(world.endorsements)
    forged = next(credential for credential in endorsements if paspoort_type(credential) == kind)
    forged["validUntil"] = "2036-01-01T00:00:00Z"
    return endorsements, forged["id"]


@pytest.fixture(scope="module")
def printed(world, tmp_path_factory):
    info, pdf = print_passport(world, tmp_path_factory.mktemp("printed"))
    return info, scan(pdf)


@pytest.fixture
def client(make_app):
    return make_app().test_client()


def inspect(client, *images: bytes, job: str | None = None):
    data = {"file": [(io.BytesIO(image), f"page-{n}.png") for n, image in enumerate(images, 1)]}
    if job:
        data["jobProfile"] = job
    return client.post("/inspect", data=data, content_type="multipart/form-data")


def outcome(result: dict) -> str:
    return result["summary"]["credentials"][0]["outcome"]


def test_every_code_on_each_printed_page_comes_back_verified(client, printed, world):
    info, pages = printed
    groups = sheets(info)
    assert len(groups) >= 2 and max(len(codes_on(info, *group)) for group in groups) >= 2
    assert any(code.parts > 1 for code in info.codes) and all(code.version <= 25 for code in info.codes)
    for group in groups:
        response = inspect(client, *[pages[page] for page in group])
        assert response.status_code == 200, response.get_json()
        body = response.get_json()
        assert [result["report"]["id"] for result in body["documents"]] == codes_on(info, *group)
        assert body["verified"] is True and all(result["verified"] for result in body["documents"])
        for result in body["documents"]:
            kind = result["report"]["type"][-1]
            assert outcome(result) == ("self_asserted" if kind == PROFILE_TYPE else "verified"), result["summary"]
            assert result["binding"] is None  # paper is bound to no one
        # one person: the profile and the endorsements about her are shown together
        assert [subject["subject"] for subject in body["subjects"]] == [world.holder.did]
        assert body["subjects"][0]["documents"] == list(range(len(body["documents"])))
        # backward compatible: the top level is the first document's result
        first = body["documents"][0]
        assert (body["summary"], body["report"], body["binding"]) == (first["summary"], first["report"],
                                                                       first["binding"])


def test_the_profile_page_names_the_person_and_the_endorsed_entries(client, printed, world):
    info, pages = printed
    group = next(group for group in sheets(info) if any(code.kind == PROFILE_TYPE and code.page in group
                                                          for code in info.codes))
    body = inspect(client, *[pages[page] for page in group]).get_json()
    person = body["subjects"][0]["person"]
    assert person["name"] == "Ria de Vries" and person["selfAsserted"] is True and person["did"] == world.holder.did
    assert any(person["blocks"].values())
    profile = next(r for r in body["documents"] if r["report"]["type"][-1] == PROFILE_TYPE)
    assert outcome(profile) == "self_asserted"  # signed by herself: never "verified"


def test_all_pages_at_once_match_like_a_presentation_of_the_same_documents(client, printed, world):
    """The match over loose credentials uses every verified document of the person, and comes
    out as the match of a presentation of exactly those documents."""
    info, pages = printed
    response = inspect(client, *[pages[n] for n in sorted(pages) if codes_on(info, n)], job=JOB)
    assert response.status_code == 200, response.get_json()
    body = response.get_json()
    assert len(body["documents"]) == len(codes_on(info, *pages)) and len(body["subjects"]) == 1
    loose = body["subjects"][0]["match"]
    assert loose["basis"] == "credentials" and body["match"] == loose

    documents = qr.read_documents([pages[n] for n in sorted(pages) if codes_on(info, n)])
    vp = present(documents, world.holder, now=NOW)
    bound = match(JOB_PROFILE, check(vp, now=NOW, trust=world.trust(), status=world.status_documents), vp).to_dict()
    for status in ("demonstrated", "claimed", "missing"):
        assert [item["requirementId"] for item in loose[status]] == [item["requirementId"] for item in bound[status]]
    demonstrated = {item["requirementId"] for item in loose["demonstrated"]}
    assert {"medicatie-aanreiken", "tillift-gebruiken", "bhv", "methodisch-werken"} <= demonstrated
    assert all(not evidence.get("selfAsserted") for item in loose["demonstrated"] for evidence in item["evidence"])
    assert any(item["reasonCode"] == "SELF_ASSERTED" for item in loose["claimed"])  # the profile only claims


def test_a_photo_of_a_page_tilted_and_smaller_still_reads(client, printed):
    info, pages = printed
    page = max((group[0] for group in sheets(info) if len(group) == 1), key=lambda n: len(codes_on(info, n)))
    image = Image.open(io.BytesIO(pages[page])).convert("RGB")
    image = image.resize((image.width * 3 // 4, image.height * 3 // 4), Image.BILINEAR)
    photo = io.BytesIO()
    image.rotate(4, expand=True, fillcolor="white").save(photo, "JPEG", quality=80)
    body = inspect(client, photo.getvalue()).get_json()
    assert [result["report"]["id"] for result in body["documents"]] == codes_on(info, page)
    assert body["verified"] is True


def test_one_tampered_code_among_several_is_the_one_not_verified(client, world, tmp_path):
    endorsements, forged_id = tampered(world)
    info, pdf = print_passport(world, tmp_path, endorsements)
    group = next(group for group in sheets(info) if forged_id in codes_on(info, *group))
    pages = scan(pdf)
    assert len(codes_on(info, *group)) >= 2
    response = inspect(client, *[pages[page] for page in group], job=JOB)
    assert response.status_code == 200, response.get_json()
    body = response.get_json()
    by_id = {result["report"]["id"]: result for result in body["documents"]}
    assert set(by_id) == set(codes_on(info, *group))
    forged = by_id.pop(forged_id)
    assert forged["verified"] is False and outcome(forged) == "invalid"
    assert "proof" in {problem["check"] for problem in forged["summary"]["credentials"][0]["problems"]}
    assert all(result["verified"] for result in by_id.values())
    assert body["verified"] is False and body["subjects"][0]["verified"] is False
    match_ = body["subjects"][0]["match"]
    assert "medicatie-aanreiken" not in {item["requirementId"] for item in match_["demonstrated"]}


def test_a_series_split_over_two_pages_joins_in_any_order_and_a_missing_page_is_named(client, printed):
    info, pages = printed
    group = next(group for group in sheets(info) if len(group) > 1)
    series = next(code for code in info.codes if code.parts > 1 and code.page == group[0])
    body = inspect(client, *[pages[page] for page in reversed(group)]).get_json()  # the later page first
    assert series.credential_id in [result["report"]["id"] for result in body["documents"]]
    assert body["verified"] is True
    later = [code.part for code in info.codes if code.credential_id == series.credential_id and code.page != group[0]]
    problem = inspect(client, pages[group[0]]).get_json()
    assert problem["code"] == "QR_INVALID" and problem["status"] == 400
    assert f"of {series.parts}" in problem["detail"] and "missing" in problem["detail"]
    assert all(str(part) in problem["detail"].split("missing")[0] for part in later)


def test_pasted_texts_of_a_series_in_any_order_are_one_document(client, printed, world):
    profile = sign(select_profile(world.profile), world.holder, created=NOW)
    parts = qr.split_for_qr(qr.encode_text(profile))
    assert len(parts) > 1
    pasted = "\n".join(part.text for part in reversed(parts))
    response = client.post("/inspect", data={"text": pasted}, content_type="multipart/form-data")
    assert response.status_code == 200, response.get_json()
    assert response.get_json()["report"]["id"] == profile["id"]
    response = client.post("/inspect", data={"text": "\n".join(part.text for part in parts[1:])},
                           content_type="multipart/form-data")
    assert response.status_code == 400 and "part 1 of" in response.get_json()["detail"]


def test_a_code_that_breaks_the_document_rules_does_not_hide_the_others(client, world):
    """Two codes side by side, one naming two Paspoort types: both come back, only one verified."""
    good = world.endorsements[0]
    odd = copy.deepcopy(world.endorsements[1])
    odd["type"] = [*odd["type"], PROFILE_TYPE]
    codes = [qr.render_image(qr.encode_text(document), box_size=4) for document in (good, odd)]
    sheet = Image.new("L", (sum(code.width for code in codes) + 40, max(code.height for code in codes) + 40), 255)
    sheet.paste(codes[0], (20, 20))
    sheet.paste(codes[1], (20 + codes[0].width, 20))
    image = io.BytesIO()
    sheet.save(image, "PNG")
    response = inspect(client, image.getvalue())
    assert response.status_code == 200, response.get_json()
    results = response.get_json()["documents"]
    assert [(r["report"]["id"], r["verified"]) for r in results] == [(good["id"], True), (odd["id"], False)]
    assert outcome(results[1]) == "invalid"


def test_an_image_without_a_qr_code_is_a_clear_400(client, printed):
    info, pages = printed
    cover = next(n for n in sorted(pages) if not codes_on(info, n))
    response = inspect(client, pages[cover])
    assert response.status_code == 400 and response.content_type == "application/problem+json"
    problem = response.get_json()
    assert problem["code"] == "QR_INVALID" and "no readable QR code" in problem["detail"]


def test_an_image_with_only_foreign_qr_codes_is_a_clear_400(client):
    image = io.BytesIO()
    qrcode.make("https://werkgever.example/vacatures").save(image)
    response = inspect(client, image.getvalue())
    assert response.status_code == 400
    problem = response.get_json()
    assert problem["code"] == "QR_INVALID" and "none is a Paspoort code" in problem["detail"]
    assert "PP2:" in problem["detail"]


def test_the_bad_image_among_several_is_named(client, printed):
    info, pages = printed
    with_codes = next(n for n in sorted(pages) if codes_on(info, n))
    cover = next(n for n in sorted(pages) if not codes_on(info, n))
    problem = inspect(client, pages[with_codes], pages[cover]).get_json()
    assert problem["code"] == "QR_INVALID" and problem["detail"].startswith("image 2 of 2:")


def test_the_response_is_as_the_openapi_document_says(client, printed):
    info, pages = printed
    body = inspect(client, *[pages[n] for n in sorted(pages) if codes_on(info, n)], job=JOB).get_json()
    schema = DOCUMENT["paths"]["/inspect"]["post"]["responses"]["200"]["content"]["application/json"]["schema"]
    # the "#/components/schemas/..." references resolve against a root that holds the components
    validator = Draft202012Validator({"components": DOCUMENT["components"], **schema})
    errors = [f"{list(error.absolute_path)}: {error.message}" for error in validator.iter_errors(body)]
    assert not errors, errors


# --- passport.roles.matching.match_credentials on its own ------------------------------------------------------
def test_a_certificate_the_subject_signed_herself_is_never_demonstrated(world):
    own = copy.deepcopy(next(c for c in world.endorsements if paspoort_type(c) == CERTIFICAAT_TYPE))
    own.pop("proof")
    own["issuer"] = world.holder.did
    own.pop("credentialStatus", None)
    own = sign(own, world.holder, created=NOW)
    report = check(own, now=NOW, trust=world.trust(), status=world.status_documents)
    result = match_credentials(JOB_PROFILE, [own], [report], subject=world.holder.did)
    assert not result.demonstrated
    assert {e.problem_code for o in result.outcomes for e in o.evidence} <= {"SELF_ASSERTED"}


def test_match_credentials_refuses_credentials_about_someone_else(world):
    credential = world.endorsements[0]
    report = check(credential, now=NOW, trust=world.trust(), status=world.status_documents)
    with pytest.raises(StructureInvalid, match="is not about"):
        match_credentials(JOB_PROFILE, [credential], [report], subject=world.keys["jan"].did)
    with pytest.raises(StructureInvalid, match="another credential"):
        match_credentials(JOB_PROFILE, [credential], [check(world.endorsements[1], now=NOW)],
                          subject=world.holder.did)
    with pytest.raises(TypeError):
        match_credentials(JOB_PROFILE, [credential], [], subject=world.holder.did)

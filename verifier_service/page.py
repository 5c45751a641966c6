"""The recruiter's web page and the endpoints only it uses.

``GET /`` serves the page (plain HTML and a small script, Dutch and English) and
``GET /terms/<lang>.json`` the words it speaks (``passport.terms.table``: the same words as the
CLI, the printed passport and the demo's report). ``POST /inspect``
takes what the recruiter has: a passport or presentation file, a photo or scan with one or more
QR codes (a printed passport page; decoded on the server with ``passport.qr``), the QR texts the
camera read (``qr``, repeated: whole texts and the parts of complete series, from ``POST /scan``),
or pasted QR text or JSON. It answers with one result per document (``documents``: report and plain-language
summary), the documents grouped per person (``subjects``: their self-asserted profile and the
match with the chosen job profile), and, as before, the first document's result at the top level.
A presentation whose challenge this verifier issued is bound to it (and the challenge is used
up); any other presentation is checked as a document and marked ``binding: "none"`` (it may be a
copy). Loose credentials (paper) are bound to no one: ``binding`` is null.
"""
from __future__ import annotations

import io
import json
from typing import Any
from urllib.parse import urlsplit

from flask import Blueprint, Response, current_app, jsonify, render_template, request
from werkzeug.exceptions import NotFound

from passport import Report, terms
from passport.encoding import jsonio
from passport.errors import InputError, InputTooLarge, QRInvalid
from passport.qr.text import PREFIX
from passport.roles.oid4vp import LOCAL_HOSTS

from . import challenges, jobs
from .api import check_presentation, read_json, state
from .config import as_timedelta
from .summary import group, is_presentation, own_profiles, person, subject_of, summarize

bp = Blueprint("page", __name__, template_folder="templates", static_folder="static",
               static_url_path="/static")

_IMAGE_MAGIC = (b"\x89PNG", b"\xff\xd8\xff", b"GIF8", b"RIFF", b"BM")


SESSION_COOKIE = "paspoort_page"  # random; the database keeps only its SHA-256 (owner of uploads)


@bp.get("/")
def index() -> Response:
    return _with_session(current_app.make_response(render_template("index.html")))


TERMS_MAX_AGE = 3600  # the words change only with a new version of the service


@bp.get("/terms/<lang>.json")
def terms_table(lang: str) -> Response:
    """Every word of one language (``nl`` or ``en``), cacheable, with an ETag."""
    if lang not in terms.LANGS:
        raise NotFound(f"no words in language {lang!r}: choose one of {', '.join(terms.LANGS)}")
    response = jsonify(terms.table(lang))
    response.cache_control.public = True
    response.cache_control.max_age = TERMS_MAX_AGE
    response.add_etag()
    return response.make_conditional(request)


@bp.get("/job-profiles")
def list_job_profiles() -> Response:
    s = state()
    ttl = as_timedelta(current_app.config["JOB_UPLOAD_TTL"])
    return jsonify({"jobProfiles": jobs.list_profiles(s.engine, owner=_owner(), now=s.clock(), ttl=ttl)})


@bp.post("/job-profiles")
def upload_job_profile() -> Response:
    """A job profile for this page session only (a cookie; a new session when there is none)."""
    request.max_content_length = jobs.MAX_UPLOAD_BYTES  # 413 before the body is read
    s = state()
    session = request.cookies.get(SESSION_COOKIE) or challenges.new_token()
    ttl = as_timedelta(current_app.config["JOB_UPLOAD_TTL"])
    s.housekeeping().maybe_purge(s.clock())
    job_id = jobs.upload(s.engine, read_json(), owner=challenges.token_hash(session), now=s.clock(), ttl=ttl)
    response = current_app.response_class(current_app.json.dumps({"id": job_id}), status=201,
                                          mimetype="application/json")
    return _with_session(response, session)


def _owner() -> str | None:
    session = request.cookies.get(SESSION_COOKIE)
    return challenges.token_hash(session) if session else None


def _with_session(response: Response, session: str | None = None) -> Response:
    """Set the page session cookie when the browser has none (HttpOnly, SameSite=Strict; Secure
    unless the page is served over plain http on this machine)."""
    if request.cookies.get(SESSION_COOKIE) is None:
        local = urlsplit("//" + request.host).hostname in LOCAL_HOSTS and not request.is_secure
        response.set_cookie(SESSION_COOKIE, session or challenges.new_token(), httponly=True, samesite="Strict",
                            secure=not local, path="/",
                            max_age=int(current_app.config["JOB_UPLOAD_TTL"]))
    return response


@bp.post("/inspect")
def inspect() -> Response:
    documents = _documents_from_form()
    s = state()
    job = jobs.resolve(s.engine, request.form.get("jobProfile") or None, now=s.clock(),
                       ttl=as_timedelta(current_app.config["JOB_UPLOAD_TTL"]))
    checked = [_check(document) for document in documents]
    results: list[dict[str, Any]] = []
    subjects: list[dict[str, Any]] = []
    for indices in group(documents):
        subject, lines = _subject(job, indices, documents, checked)
        subjects.append(subject)
        results.extend(lines)
    results.sort(key=lambda result: result["index"])
    first = results[0]  # the top-level fields describe the first document, as before there were several
    return jsonify({"verified": all(result["verified"] for result in results), "binding": first["binding"],
                    "summary": first["summary"], "report": first["report"],
                    "match": next(subject["match"] for subject in subjects if 0 in subject["documents"]),
                    "sources": s.verifier.sources(), "documents": results, "subjects": subjects})


def _subject(job: dict[str, Any] | None, indices: list[int], documents: list[dict[str, Any]],
             checked: list[tuple[Report, str | None]]) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """One group of documents: who it is about, their own profile, the match, and each document's result."""
    subject = subject_of(documents[indices[0]])
    mine, reports = [documents[i] for i in indices], [checked[i][0] for i in indices]
    profiles = own_profiles(mine, reports, subject)
    lines = [{"index": i, "verified": checked[i][0].verified, "binding": checked[i][1],
              "summary": summarize(documents[i], checked[i][0], profiles or None), "report": checked[i][0].to_dict()}
             for i in indices]
    if is_presentation(mine[0]):
        match = jobs.match(job, reports[0], mine[0])
    else:
        match = jobs.match_credentials(job, mine, reports, subject) if subject else None
    return {"subject": subject, "documents": indices, "verified": all(r.verified for r in reports),
            "person": person(profiles), "match": match}, lines


def _check(document: Any) -> tuple[Report, str | None]:
    """The report, and how a presentation is bound: to a challenge of ours, or to nothing."""
    s = state()
    if not is_presentation(document):
        return s.verifier.check(document), None
    proof = document.get("proof") if isinstance(document.get("proof"), dict) else {}
    token = proof.get("challenge")
    record = challenges.find(s.engine, token) if isinstance(token, str) else None
    if record is None:
        return s.verifier.check(document), "none"
    record = challenges.consume(s.engine, token, now=s.clock())
    return check_presentation(document, record), "challenge"


MAX_UPLOAD_BYTES = 12 * 1024 * 1024  # phone photos of a QR code are large
MAX_IMAGES = 8  # the pages of one printed passport
MAX_DOCUMENTS = 24  # a printed A4 page holds a few codes; this bounds the work per request
MAX_IMAGE_PIXELS = 40_000_000  # a 40 MP photo; a larger header is refused before decoding (bombs)
MAX_SCANNED = 64  # QR texts read by the camera at once: whole codes and the parts of their series


def _documents_from_form() -> list[dict[str, Any]]:
    """What the recruiter gave: one document from a file or pasted text, or every Paspoort QR code
    in one or more images (a photo or scan of a printed passport page holds several)."""
    request.max_content_length = max(MAX_UPLOAD_BYTES, current_app.config["MAX_REQUEST_BYTES"])
    uploads = [upload for upload in request.files.getlist("file") if upload.filename]
    if len(uploads) > MAX_IMAGES:
        raise InputError(f"send at most {MAX_IMAGES} images at once", files=len(uploads), limit=MAX_IMAGES)
    if uploads:
        files = [upload.read(MAX_UPLOAD_BYTES + 1) for upload in uploads]
        if all(data.startswith(_IMAGE_MAGIC) for data in files):
            return _documents_in_images(files)
        if len(files) > 1:
            raise InputError("send one passport or presentation file at a time, or one or more images")
        return [_unwrap(_parse_text(files[0].decode("utf-8", errors="replace")))]
    scanned = request.form.getlist("qr")
    if scanned:
        return _documents_in_scanned(scanned)
    pasted = request.form.get("text") or ""
    if not pasted.strip():
        raise InputError("choose a file, a photo of a QR code, or paste the QR text")
    return [_unwrap(_parse_text(pasted))]


def _documents_in_images(images: list[bytes]) -> list[dict[str, Any]]:
    from passport import qr

    texts: list[str] = []
    for number, data in enumerate(images, 1):
        where = f"image {number} of {len(images)}: " if len(images) > 1 else ""
        _check_pixels(data, where)
        try:
            found = qr.decode_image(data)  # raises QRInvalid when the image holds no QR code
        except QRInvalid as error:
            raise QRInvalid(where + error.message, **error.details) from None
        if not any(qr.is_paspoort_text(text) for text in found):
            raise QRInvalid(f"{where}the image holds QR codes, but none is a Paspoort code (their text starts "
                            f"with {PREFIX})")
        texts += found
    return _documents_in_texts(texts, "the images hold")


def _documents_in_scanned(texts: list[str]) -> list[dict[str, Any]]:
    """The documents in the QR texts the page's camera read (``POST /scan``), in the order read."""
    from passport import qr

    if len(texts) > MAX_SCANNED:
        raise InputError(f"send at most {MAX_SCANNED} scanned QR texts at once", found=len(texts), limit=MAX_SCANNED)
    # taken exactly as read: space is a base45 digit, and a part's piece may end with one (SPEC 9.4)
    strays = [number for number, text in enumerate(texts, 1) if not qr.is_paspoort_text(text)]
    if strays:
        raise QRInvalid(f"scanned QR text {strays[0]} of {len(texts)} is not a Paspoort code (its text starts "
                        f"with {PREFIX} or is a part of a series)", positions=strays)
    return _documents_in_texts(texts, "the scanned codes hold")


def _documents_in_texts(texts: list[str], where: str) -> list[dict[str, Any]]:
    from passport import qr

    unique: dict[str, dict[str, Any]] = {}
    for document in qr.documents_in_texts(texts):  # a series' parts join across images, in any order
        unique.setdefault(json.dumps(document, sort_keys=True), document)  # two photos of one page count once
    if len(unique) > MAX_DOCUMENTS:
        raise InputError(f"{where} {len(unique)} Paspoort QR codes; at most {MAX_DOCUMENTS} are checked "
                         "at once", found=len(unique), limit=MAX_DOCUMENTS)
    return [_unwrap(document) for document in unique.values()]


def _check_pixels(data: bytes, where: str) -> None:
    """Refuse an image whose header promises more than ``MAX_IMAGE_PIXELS``: Pillow's lazy open
    reads only the header, so a small file that would decode to gigabytes is never decoded."""
    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(io.BytesIO(data)) as image:
            width, height = image.size
    except Image.DecompressionBombError:  # Pillow's own limit, far above ours
        raise InputTooLarge(f"{where}the image has too many pixels; at most {MAX_IMAGE_PIXELS // 1_000_000} MP "
                            "is read: send a smaller photo or scan", limit=MAX_IMAGE_PIXELS) from None
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as exc:
        raise QRInvalid(f"{where}not a readable image: {exc}") from None
    if width * height > MAX_IMAGE_PIXELS:
        raise InputTooLarge(f"{where}the image is {width}x{height} pixels ({width * height / 1e6:.0f} MP); "
                            f"at most {MAX_IMAGE_PIXELS // 1_000_000} MP is read: send a smaller photo or scan",
                            width=width, height=height, limit=MAX_IMAGE_PIXELS)


def _parse_text(text: str) -> Any:
    stripped = text.strip()
    if stripped.startswith("PPS"):  # the texts of a series' codes, one a line, in any order
        from passport import qr

        # a part's piece may end with a space (a base45 digit): only line ends and indents are not text
        lines = [line.lstrip(" \t").rstrip("\r\t") for line in text.split("\n")]
        documents = qr.documents_in_texts([line for line in lines if line.strip()])
        if len(documents) != 1:
            raise InputError(f"paste the QR texts of one document; these make {len(documents)}")
        return documents[0]
    if stripped[:2] == "PP" and ":" in stripped[:8]:
        from passport import qr

        return qr.decode_text(stripped)
    return jsonio.loads(stripped, max_bytes=current_app.config["MAX_REQUEST_BYTES"])


def _unwrap(document: Any) -> Any:
    if isinstance(document, dict):
        for key in ("verifiablePresentation", "verifiableCredential"):
            if isinstance(document.get(key), dict) and "@context" not in document:
                return document[key]
    if not isinstance(document, dict):
        raise InputError("expected one credential or presentation (a JSON object)")
    return document

"""A profile entry as a form and back: which fields each block asks for, the values to show,
and the entry the form makes, keeping every field the form does not show (an ``en`` text, a
RIASEC score, a source) exactly as it was."""
from __future__ import annotations

import copy
import re
from typing import Any, Mapping
from urllib.parse import urlsplit

from . import words

COMMON = ("name", "name_en", "description", "description_en", "sensitive")
EXTRA = {  # the block's own fields, after the common ones
    "talenten": ("kind",),
    "skills": ("experienceYears", "links"),
    "drijfveren": (),
    "wendbaarheid": (),
    "werkEnDenkniveau": ("level_framework", "level"),
    "doelEnMotivatie": ("targetRole", "sectors", "hoursPerWeek", "region", "startDate", "links"),
}
KINDS = ("getoond", "latent")
FRAMEWORKS = ("mbo", "NLQF", "EQF")
ESCO_PREFIX = "http://data.europa.eu/esco/"
DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def fields(block: str) -> tuple[str, ...]:
    return COMMON + EXTRA[block]


def _parts(value: Any) -> tuple[str, str]:
    """(Dutch or only text, English text) of a source text: a string or a ``{nl, en}`` mapping."""
    if isinstance(value, Mapping):
        return str(value.get("nl") or ""), str(value.get("en") or "")
    return ("" if value is None else str(value)), ""


def form_values(entry: Mapping[str, Any] | None) -> dict[str, Any]:
    """The values to put in the form for ``entry`` (empty for a new one)."""
    entry = entry or {}
    name, name_en = _parts(entry.get("name"))
    description, description_en = _parts(entry.get("description"))
    level = entry.get("level") if isinstance(entry.get("level"), Mapping) else {}
    role, _ = _parts(entry.get("targetRole"))
    region, _ = _parts(entry.get("region"))
    return {"name": name, "name_en": name_en, "description": description, "description_en": description_en,
            "sensitive": bool(entry.get("sensitive")), "kind": entry.get("kind", ""),
            "experienceYears": _number_text(entry.get("experienceYears")),
            "level_framework": level.get("framework", ""), "level": _number_text(level.get("level")),
            "targetRole": role, "sectors": ", ".join(map(str, entry.get("sectors") or [])),
            "hoursPerWeek": _number_text(entry.get("hoursPerWeek")), "region": region,
            "startDate": str(entry.get("startDate") or ""), "links": list(entry.get("alignment") or [])}


def _number_text(value: Any) -> str:
    return "" if value is None else str(value)


def entry_from_form(block: str, form: Mapping[str, str], previous: Mapping[str, Any] | None,
                    keep_links: list[str], lang: str) -> dict[str, Any]:
    """The entry ``form`` describes, built on ``previous`` (its id and unshown fields kept)."""
    entry = copy.deepcopy(dict(previous or {}))
    name = form.get("name", "").strip()
    if not name:
        raise words.refusal(words.t("need_name_entry", lang), field="name")
    _text(entry, "name", name, form.get("name_en", "").strip())
    _text(entry, "description", form.get("description", "").strip(), form.get("description_en", "").strip())
    _flag(entry, "sensitive", form.get("sensitive") == "on")
    wanted = EXTRA[block]
    if "kind" in wanted:
        _set(entry, "kind", form.get("kind") if form.get("kind") in KINDS else None)
    if "experienceYears" in wanted:
        _set(entry, "experienceYears", _number(form.get("experienceYears"), 0, 60, "experienceYears", lang))
    if "level" in wanted:
        framework, level = form.get("level_framework", ""), _number(form.get("level"), 1, 8, "level", lang)
        if framework in FRAMEWORKS and level is not None:
            _set(entry, "level", {"framework": framework, "level": int(level)})
        elif framework or level is not None:
            raise words.refusal(words.t("need_level", lang), field="level")
        else:
            _set(entry, "level", None)
    if "targetRole" in wanted:
        _set(entry, "targetRole", form.get("targetRole", "").strip() or None)
        sectors = [part.strip() for part in form.get("sectors", "").split(",") if part.strip()]
        _set(entry, "sectors", sectors or None)
        _set(entry, "hoursPerWeek", _number(form.get("hoursPerWeek"), 1, 60, "hoursPerWeek", lang))
        _set(entry, "region", form.get("region", "").strip() or None)
        start = form.get("startDate", "").strip()
        if start and not DATE.match(start):
            raise words.refusal(words.t("need_date", lang), field="startDate")
        _set(entry, "startDate", start or None)
    if "links" in wanted:
        _links(entry, form, keep_links, lang)
    return entry


def _text(entry: dict[str, Any], key: str, text: str, english: str) -> None:
    old = entry.get(key)
    others = {k: v for k, v in old.items() if k not in ("nl", "en")} if isinstance(old, Mapping) else {}
    if not text:
        entry.pop(key, None)
    elif english or others:
        entry[key] = {"nl": text, **({"en": english} if english else {}), **others}
    else:
        entry[key] = text


def _flag(entry: dict[str, Any], key: str, on: bool) -> None:
    if on:
        entry[key] = True
    else:
        entry.pop(key, None)


def _set(entry: dict[str, Any], key: str, value: Any) -> None:
    if value is None:
        entry.pop(key, None)
    else:
        entry[key] = value


def _number(text: str | None, low: float, high: float, field: str, lang: str) -> float | int | None:
    text = (text or "").strip().replace(",", ".")
    if not text:
        return None
    try:
        value = float(text)
    except ValueError:
        raise words.refusal(words.t("need_number", lang, low=low, high=high), field=field) from None
    if not low <= value <= high:
        raise words.refusal(words.t("need_number", lang, low=low, high=high), field=field)
    return int(value) if value.is_integer() else value


def framework_of(url: str) -> str | None:
    """ESCO for an ESCO concept URI, CompetentNL for one of CompetentNL's; otherwise None."""
    if url.startswith(ESCO_PREFIX):
        return "ESCO"
    host = (urlsplit(url).hostname or "").lower()
    if urlsplit(url).scheme in ("http", "https") and (host == "competentnl.nl" or host.endswith(".competentnl.nl")):
        return "CompetentNL"
    return None


def _links(entry: dict[str, Any], form: Mapping[str, str], keep: list[str], lang: str) -> None:
    old = list(entry.get("alignment") or [])
    links = [link for index, link in enumerate(old) if str(index) in keep]
    url, name = form.get("link_url", "").strip(), form.get("link_name", "").strip()
    if url:
        framework = framework_of(url)
        if framework is None:
            raise words.refusal(words.t("link_unknown", lang), field="link_url")
        if not name:
            raise words.refusal(words.t("link_need_name", lang), field="link_name")
        links.append({"targetUrl": url, "targetFramework": framework, "targetName": name})
    _set(entry, "alignment", links or None)

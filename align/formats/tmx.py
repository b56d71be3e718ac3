"""TMX 1.4 corpora, written unit by unit so memory stays flat."""
from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from collections.abc import Iterable

from align.compressed import ERRORS, open_read
from align.errors import InputError, OutputError
from align.files import binary_output
from align.formats.output import skip_or_raise
from align.records import Pair

XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


# Characters XML 1.0 cannot carry at all.
_XML_INVALID = re.compile("[\x00-\x08\x0B\x0C\x0E-\x1F\uFFFE\uFFFF]")


def _xml_text(text: str, path: str) -> str:
    if _XML_INVALID.search(text):
        raise OutputError(f"{path}: text holds a control character XML cannot carry "
                          f"({text[:40]!r}); clean the input first")
    return text


def _prop(parent, kind: str, value) -> None:
    from lxml import etree

    etree.SubElement(parent, "prop", type=kind).text = _xml_text(str(value), kind)


def _tu(pair: Pair, path: str):
    """One TMX translation unit: score, doc, count, mt and the verdict as ``prop``s, a
    ``tuv`` a side (its line, element and uncovered words as ``prop``s)."""
    from lxml import etree

    tu = etree.Element("tu")
    _prop(tu, "x-score", pair.score)
    _prop(tu, "x-doc", pair.doc)
    for kind, value in (("x-count", pair.count), ("x-mt", pair.mt), ("x-image", pair.image),
                        ("x-verdict", pair.verdict), ("x-encoding", pair.encoding)):
        if value is not None:
            _prop(tu, kind, value)
    for lang, text, line, element, uncovered in (
            ("he", pair.he, pair.he_line, pair.he_element, pair.he_uncovered),
            ("en", pair.en, pair.en_line, pair.en_element, pair.en_uncovered)):
        tuv = etree.SubElement(tu, "tuv", {XML_LANG: lang})
        if line is not None:
            _prop(tuv, "x-line", line)
        if element is not None:
            _prop(tuv, "x-element", element)
        if uncovered:  # the words with no counterpart on the other side, space-separated
            _prop(tuv, "x-uncovered", " ".join(uncovered))
        etree.SubElement(tuv, "seg").text = _xml_text(text, path)
    return tu


def write_tmx(pairs: Iterable[Pair], path: str, signature: dict) -> int:
    """TMX 1.4, written unit by unit (lxml's incremental writer), so memory stays flat:
    the signature as a header ``prop``; score, doc and lines as ``prop``s per unit."""
    from lxml import etree

    header = etree.Element("header", {
        "creationtool": "align", "creationtoolversion": str(signature.get("version", "")),
        "segtype": "sentence", "o-tmf": "align", "adminlang": "en", "srclang": "he",
        "datatype": "plaintext"})
    _prop(header, "x-align-signature", json.dumps(signature, ensure_ascii=False, sort_keys=True))
    n = 0
    with binary_output(path) as fh:
        with etree.xmlfile(fh, encoding="UTF-8") as xf:
            xf.write_declaration()
            with xf.element("tmx", version="1.4"):
                xf.write("\n")
                xf.write(header, pretty_print=True)
                with xf.element("body"):
                    xf.write("\n")
                    for pair in pairs:
                        xf.write(_tu(pair, path), pretty_print=True)
                        n += 1
        fh.write(b"\n")
    return n


_LANGS = {"he": "he", "iw": "he", "heb": "he", "en": "en", "eng": "en"}  # ISO 639-1, its old code, 639-2
_CODES = frozenset({"bpt", "ept", "ph", "it", "ut"})  # inline elements holding native codes, not text


def _lang(tuv) -> str:
    """``he``, ``en`` or the variant's own code: ``xml:lang`` (TMX 1.4) or ``lang`` (1.1),
    region and case dropped (``he-IL``, ``IW``, ``heb``, ``en_US``)."""
    code = (tuv.get(XML_LANG) or tuv.get("lang") or "").strip().lower().replace("_", "-").split("-")[0]
    return _LANGS.get(code, code)


def _seg_text(seg) -> str:
    """A segment's text across its inline markup: the text of ``hi`` and ``sub`` kept,
    the native codes of ``bpt``, ``ept``, ``ph``, ``it``, ``ut`` left out."""
    if seg is None:
        return ""
    parts = [seg.text or ""]
    for child in seg:
        if child.tag not in _CODES:
            parts.append(_seg_text(child))
        parts.append(child.tail or "")
    return "".join(parts)


def read_tmx(path: str, errors: list[str] | None = None) -> list[Pair]:
    """Pairs from the Hebrew and English variants of each translation unit. A unit
    without both, or with a property that should be a number and is not, raises
    ``InputError`` naming it; with ``errors``, its message is kept there and the unit
    skipped."""
    try:
        with open_read(path) as fh:  # decompressed, if it is compressed
            root = ET.parse(fh).getroot()
    except (ET.ParseError, *ERRORS) as exc:
        raise InputError(f"{path}: not a readable TMX file ({exc})") from None
    pairs = []
    for number, tu in enumerate(root.iter("tu"), start=1):
        try:
            pairs.append(_unit(tu, path, number))
        except InputError as exc:
            skip_or_raise(str(exc), errors)
    return pairs


def _unit(tu, path: str, number: int) -> Pair:
    where = f"{path}: unit {number}"
    props = {p.get("type"): p.text for p in tu.findall("prop")}
    segs: dict = {}
    for tuv in tu.findall("tuv"):
        segs.setdefault(_lang(tuv), tuv)
    if "he" not in segs or "en" not in segs:
        found = ", ".join(sorted(segs)) or "none"
        raise InputError(f"{where}: no {'Hebrew' if 'he' not in segs else 'English'} variant "
                         f"(languages: {found}); skipped")

    def prop(tuv, kind):
        return {p.get("type"): p.text for p in tuv.findall("prop")}.get(kind)

    def number_of(value, kind, convert):
        try:
            return convert(value) if value not in (None, "") else None
        except ValueError:
            raise InputError(f"{where}: {kind} is {value!r}, not a number") from None

    def uncovered(tuv, judged: bool = "x-verdict" in props):
        value = prop(tuv, "x-uncovered")
        return value.split() if value else ([] if judged else None)

    return Pair(doc=props.get("x-doc") or path, he=_seg_text(segs["he"].find("seg")),
                en=_seg_text(segs["en"].find("seg")), score=number_of(props.get("x-score"), "x-score", float) or 0.0,
                he_line=number_of(prop(segs["he"], "x-line"), "x-line", int),
                en_line=number_of(prop(segs["en"], "x-line"), "x-line", int), mt=props.get("x-mt"),
                he_element=prop(segs["he"], "x-element"), en_element=prop(segs["en"], "x-element"),
                image=props.get("x-image"), count=number_of(props.get("x-count"), "x-count", int),
                verdict=props.get("x-verdict"), he_uncovered=uncovered(segs["he"]), en_uncovered=uncovered(segs["en"]),
                encoding=props.get("x-encoding"))

"""Read saved HTML pages into ``Document``s that remember which element each line came from.

The page is parsed with lxml's HTML parser. Each block element (``p``, ``h1``,
``figcaption``, ``li``...) gives one line; each caption attribute (``img alt``, ``img
title``, ``data-caption``, ``data-title``) gives one line of its own. Scripts, styles,
navigation, forms and hidden elements are never text.

Every line gets an ``Origin``: the element (``figcaption``, ``img@alt``), its line in
the HTML source, the figure or gallery item it sits in, and a role:

- ``caption``: caption attributes, ``figcaption`` and elements whose class names a
  caption (``wp-caption-text``, ``gallery-caption``);
- ``credit``: elements whose class or itemprop names a credit (``credit``,
  ``copyright``, ``photographer``), such as a credit ``span`` inside a caption;
- ``text``: everything else, which the detector reads as it reads plain text.

Text inside a figure that is not a credit counts as caption; a block whose text is all
link text (``link``: the headlines of a listing page, menu items) never does.

Every image with a caption attribute is a caption unit of its own: its ``alt`` and
``title`` share a block even where no figure surrounds it (the thumbnails of a listing
page), and each line carries the image's ``src``. Navigation is never text: ``nav``,
elements whose role or class names navigation, a menu, sharing, a language switch or an
ad slot, and lists whose items are each a single link.

A figure is a ``figure`` element or an element whose class names an image, photo,
slide, gallery, carousel or slider. A line belongs to every figure around it, so an
``img alt`` and a ``figcaption`` in one figure, or a slide's alt text and the caption
list of the same gallery, share a caption block, which the caption aligner counts as
layout evidence.
"""
from __future__ import annotations

import re

from align.encoding import decode, is_binary, is_visual, visual_to_logical
from align.errors import InputError
from align.records import Document, Origin
from align.text import clean

SKIP_TAGS = frozenset("""script style noscript template svg math iframe object embed canvas
nav form button select option textarea head audio video map""".split())
BLOCK_TAGS = frozenset("""address article aside blockquote body caption dd details div dl dt
fieldset figcaption figure footer h1 h2 h3 h4 h5 h6 header hr li main ol p pre section
summary table tbody td tfoot th thead tr ul picture""".split())
PAGE_TAGS = frozenset("html body main article section header footer aside".split())
SKIP_ROLES = frozenset({"navigation", "menu", "menubar", "search"})
CAPTION_ATTRIBUTES = ("alt", "title", "data-caption", "data-title")
_FIGURE_CLASS = re.compile(r"(?:^|[-_])(?:figure|image|img|photo|picture|slide|gallery|carousel|"
                           r"slider|swiper|slideshow|media-item|lightbox)(?:[-_]|s?$)", re.I)
_CAPTION_CLASS = re.compile(r"caption", re.I)
# Class or id words of navigation and page furniture ("main-menu", "share-bar", "lang").
_FURNITURE_CLASS = re.compile(r"(?:^|[-_])(?:nav|navbar|navigation|menu|menubar|breadcrumbs?|share|sharing|"
                              r"social|lang|language|languages|ad|ads|advert\w*|banner|sponsored|"
                              r"newsletter)(?:[-_]|s?$)", re.I)
_IMAGE_SOURCES = ("src", "data-src", "data-lazy-src", "data-original")
_CREDIT_CLASS = re.compile(r"credit|copyright|photographer", re.I)


def _classes(el) -> list[str]:
    return (el.get("class") or "").split() + ([el.get("id")] if el.get("id") else [])


def _is_figure(el) -> bool:
    """A ``figure``, or a small container whose class names one. Page-level elements
    never are, whatever their class says (WordPress gives ``<body>`` classes such as
    ``single-format-gallery``)."""
    if el.tag == "figure":
        return True
    return el.tag not in PAGE_TAGS and any(_FIGURE_CLASS.search(c) for c in _classes(el))


def _role_of(el) -> str | None:
    """``credit`` or ``caption`` when the element itself says so, else None."""
    names = _classes(el) + [el.get("itemprop") or ""]
    if any(_CREDIT_CLASS.search(n) for n in names):
        return "credit"
    if el.tag == "figcaption" or any(_CAPTION_CLASS.search(n) for n in names):
        return "caption"
    return None


def _skipped(el) -> bool:
    return (el.tag in SKIP_TAGS or el.get("hidden") is not None
            or (el.get("role") or "").lower() in SKIP_ROLES
            or any(_FURNITURE_CLASS.search(c) for c in _classes(el))
            or _link_list(el))


def _link_list(el) -> bool:
    """True for a list whose items are each one short link: a menu, however styled."""
    if el.tag not in ("ul", "ol", "menu"):
        return False
    items = [li for li in el if li.tag == "li"]
    if len(items) < 3:
        return False
    def one_link(li) -> bool:
        text = " ".join(li.text_content().split())
        links = " ".join(" ".join(a.text_content().split()) for a in li.iter("a"))
        return bool(text) and len(text.split()) <= 4 and links.strip(" |") == text.strip(" |")
    return sum(one_link(li) for li in items) >= 0.8 * len(items)


def _image_key(el) -> str | None:
    """An image's ``src`` (or its lazy-loading twin), not a ``data:`` URI."""
    for name in _IMAGE_SOURCES:
        value = (el.get(name) or "").strip()
        if value and not value.startswith("data:"):
            return value
    return None


def _only_image(el) -> str | None:
    """The key of the one image a figure holds (copies of one ``src`` count once)."""
    keys = {_image_key(img) for img in el.iter("img")}
    keys.discard(None)
    return keys.pop() if len(keys) == 1 else None


class _Walker:
    """Depth-first walk that turns blocks and caption attributes into lines."""

    def __init__(self):
        self.lines: list[str] = []
        self.origins: list[Origin] = []
        self.groups = 0
        self._buffer: list[tuple[str, bool]] = []  # text of the open block, and whether inside a link
        self._owner = None  # (element name, source line, groups, role, image) of the open block

    def emit(self, text: str, origin: Origin) -> None:
        text = clean(text)
        if text:
            self.lines.append(text)
            self.origins.append(origin)

    def flush(self) -> None:
        if self._buffer and self._owner:
            element, line, groups, role, image = self._owner
            if role == "text" and all(linked for _, linked in self._buffer):
                role, image = "link", None  # all link text: a headline, a menu item
            self.emit(" ".join(text for text, _ in self._buffer),
                      Origin(element, line, groups if role not in ("text", "link") else (), role, image))
        self._buffer = []

    def text(self, value: str | None, linked: bool = False) -> None:
        if value and value.strip():
            self._buffer.append((value, linked))

    def walk(self, el, groups: tuple[int, ...], role: str, image: str | None = None,
             linked: bool = False) -> None:
        tag = el.tag if isinstance(el.tag, str) else None
        if tag is None or _skipped(el):  # comments, processing instructions, skipped subtrees
            return
        if _is_figure(el):
            self.groups += 1
            groups = groups + (self.groups,)
            role = "caption" if role == "text" else role  # a figure's text is its caption
            image = _only_image(el)
        own = _role_of(el)
        role = own or role
        block = tag in BLOCK_TAGS or own is not None or tag == "br"
        line = el.sourceline or 0
        if block:
            self.flush()
            saved, self._owner = self._owner, (tag, line, groups, role, image)
        self._attributes(el, tag, line, groups, own, image)
        inside = linked or tag == "a"
        self.text(el.text, inside)
        for child in el:
            self.walk(child, groups, role, image, inside)
            self.text(child.tail, inside)
        if block:
            self.flush()
            self._owner = saved

    def _attributes(self, el, tag: str, line: int, groups: tuple[int, ...], own: str | None,
                    image: str | None) -> None:
        """A line for each caption attribute of ``el``. An image is a unit of its own:
        its attributes share a group, and carry its ``src``."""
        values = [(name, el.get(name)) for name in CAPTION_ATTRIBUTES
                  if el.get(name) and (name != "alt" or tag in ("img", "area"))
                  and (name != "title" or tag == "img" or groups)]
        if not values:
            return
        if tag == "img":
            self.groups += 1
            groups, image = groups + (self.groups,), _image_key(el)
        for name, value in values:
            self.emit(value, Origin(f"{tag}@{name}", line, groups, "credit" if own == "credit" else "caption", image))


def parse_html(data: bytes, name: str, charset: str | None = None, forced: str | None = None) -> Document:
    """Parse an HTML page into a ``Document`` with an ``Origin`` for every line.

    ``charset`` is what the source declared (an HTTP header); ``forced`` an encoding
    that wins over every declaration (``--encoding``). The page is read as browsers
    read it (``align.encoding.decode``): declared labels through the WHATWG table, the
    page's ``<meta>``, UTF-8, then windows-1255 or windows-1252 as detected; Hebrew in
    visual order (``iso-8859-8``) is put back into logical order.
    """
    import lxml.etree
    import lxml.html

    if is_binary(data) and not (forced or "").startswith("utf-16"):  # before any decoding is spent on it
        raise InputError(f"{name}: looks like a binary file (it holds NUL bytes); pass the saved HTML page itself")
    decoded = decode(data, html=True, transport=charset, forced=forced)
    if not decoded.text.strip():
        return Document(name, [], [], encoding=decoded.encoding)
    # the page as UTF-8 bytes, the encoding given so that it wins over the page's <meta>:
    # the bytes as they are when they were UTF-8 already, else the text encoded once
    utf8 = decoded.encoding == "utf-8" and decoded.how not in ("bom", "forced")
    try:
        parser = lxml.html.HTMLParser(encoding="utf-8", remove_comments=True)
        root = lxml.html.document_fromstring(data if utf8 else decoded.text.encode("utf-8", "surrogatepass"),
                                             parser=parser)
    except (lxml.etree.ParserError, ValueError) as exc:
        raise InputError(f"{name}: cannot be parsed as HTML ({exc})") from None
    if any(e.type_name == "ERR_RESOURCE_LIMIT" for e in parser.error_log):
        raise InputError(f"{name}: HTML nested deeper than the parser reads (256 elements); "
                         "text below that depth would be lost, so the page is skipped")
    walker = _Walker()
    body = root.find("body")
    walker.walk(body if body is not None else root, (), "text")
    walker.flush()
    lines = [visual_to_logical(line) for line in walker.lines] if is_visual(decoded) else walker.lines
    return Document(name, lines, walker.origins, encoding=decoded.encoding)

"""Split a document into language- and kind-tagged segments.

Unicode script separates Hebrew from Latin; langdetect (seeded) is consulted only
to confirm that longer Latin text with no English cues is English. Each segment has
a ``lang`` (he / en / other) and a ``kind``:

- ``caption``: a caption candidate (short Hebrew text, or short English text in a
  caption block: a run of lines holding Hebrew captions, credits or gallery markers);
- ``body``: paragraphs, and Hebrew quoted inside English sentences;
- ``title``: short lines outside any caption block (titles, sub-headings);
- ``credit``: "(Photo: ...)" and "צילום: ..." lines;
- ``boilerplate``: "3 View gallery", share links, comment notices, lines without words.

Identical segments (same language, kind and comparison key) collapse into one that
keeps every line it was seen on.

HTML pages (``align.inputs.html``) say more than text: lines the markup calls a caption
or a credit take that kind directly, and the lines of one figure share a caption block.

One room: how a line is cut into its Hebrew and English runs, what kind each run is
and which lines form a caption block depend on each other (a Hebrew gloss inside an
English caption neither becomes a caption nor ends the block), so the rules live
together; the module is longer than most for that reason.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from align import text as T
from align.records import Document, Segment

MAX_CAPTION_WORDS = 30
GROUP_BLOCKS = 1 << 30  # caption blocks of HTML figures are numbered from here
QUOTES = "\"'\u201C\u201D\u201E\u2018\u2019\u00AB\u00BB\u05F4\u05F3"

_CREDIT_WORDS = r"(?:photos?|photograph|images?|pictures?|credit|video|צילום|צילומים|קרדיט|תמונה)"
_GALLERY = re.compile(r"^(?:\d+\s+)?(?:view|open|see) (?:the )?(?:gallery|photos?)$"
                      r"|^(?:\d+\s+)?צפייה בגלריה$|^לגלריה המלאה$", re.I)
_BOILERPLATE = re.compile(
    r"^(?:share|comments?|advertisement|read more|read also|related articles?|"
    r"follow us|print|e-?mail|back to top|tags?|more from .{1,40})$"
    r"|follow .{1,60} on (?:facebook|twitter|x|instagram|telegram)"
    r"|^get the .{1,40} app\b|^<<.*>>$|^(?:https?://|www\.)\S+$"
    r"|^(?:facebook|twitter|instagram|whatsapp|telegram|linkedin)(?:\s*[|,]\s*\w+)*$"
    r"|^(?:תגובות|שתפו|שתף|פרסומת|לכתבה המלאה|קראו עוד|כתבות נוספות)$",
    re.I,
)
# A language menu's items, in their own languages and in Hebrew and English: a line that
# is only a language name is never a caption, whatever its script.
LANGUAGE_NAMES = frozenset(T.key(w) for w in """English עברית Hebrew Español Espanol Spanish Français
Francais French Deutsch German Русский Russian العربية عربي Arabic ערבית אנגלית רוסית Italiano
Português Türkçe 中文 日本語 አማርኛ Amharic Ivrit""".split())
_CREDIT = re.compile(r"^[(\[]?\s*" + _CREDIT_WORDS + r"(?:\s+by)?\s*:", re.I)
# Agency-style credits in parentheses, as Israeli and wire-service sites print them:
# "(Tomer Neuberg/Flash90)", "(AP Photo/Susan Walsh)", "(Israel Defense Forces)".
_AGENCY = (r"(?:Flash ?90|GPO|AP|AFP|Reuters|EPA|Getty Images|Shutterstock|IDF|"
           r"Israel Defense Forces|IDF Spokesperson'?s Unit|Wikimedia Commons|Courtesy(?: of)? [^()]{1,60})")
_TRAILING_CREDIT = re.compile(
    r"\s*(?:[(\[]\s*" + _CREDIT_WORDS + r"(?:\s+by)?\s*:[^()\[\]]*[)\]]"
    r"|\((?:[^()/]{1,60}/\s*)?" + _AGENCY + r"\)"
    r"|\((?:AP|AFP|Reuters|EPA) Photo/[^()]{1,60}\))\s*$", re.I)
_SENTENCE_END = re.compile(r"[a-z0-9\u05D0-\u05EA][.!?][\"'\u201D\u2019]?(?=\s|$)")
_SEPARATOR = re.compile(r"\s+(?:[|/\u2022\u00B7:]|[-\u2013\u2014]{1,2})\s+|\s*[|\u2022\u00B7]\s*")
_LATIN_WORD = re.compile(f"[{T.LATIN_LETTER}]+(?:'[{T.LATIN_LETTER}]+)*")
_CONTRACTION = re.compile(r"(?i)n't$|'(?:ve|ll|re|m|d|s)$")
_ENGLISH_CUES = T.ENGLISH_FUNCTION_WORDS




@dataclass
class _Piece:
    lang: str
    text: str
    quote: bool = False


@lru_cache(maxsize=65536)
def latin_lang(text: str) -> str:
    """``en`` or ``other`` for Latin-script text.

    Short strings, two English function words or a name-like string (mostly
    capitalised words) settle it as English. Otherwise only longer strings are put to langdetect, and only a
    confident non-English verdict makes them ``other``: langdetect alone calls
    "U.S. President Joe Biden, Prime Minister Benjamin Netanyahu" German.
    """
    words = _LATIN_WORD.findall(text.replace("\u2019", "'"))
    if len(words) < 5:
        return "en"
    # Two cues, since "a", "in", "on" and "an" are words of French or German too.
    if sum(w.lower() in _ENGLISH_CUES or bool(_CONTRACTION.search(w)) for w in words) >= 2:
        return "en"
    if sum(w[0].isupper() for w in words) >= 0.6 * len(words):
        return "en"
    best = _langdetect(text)
    return "other" if best is not None and best[0] != "en" and best[1] >= 0.95 else "en"


_DETECTOR_READY = False
_VERDICTS = None   # an align.runs.cache.EvidenceCache, or None


def keep_verdicts_in(store) -> None:
    """Keep langdetect's verdicts in ``store`` (an evidence cache with ``get_raw`` and
    ``put_raw``), or in nothing (None); a run sets it as it builds its scorer."""
    global _VERDICTS
    _VERDICTS = store


def _langdetect(text: str) -> tuple[str, float] | None:
    """Top language and probability from langdetect, seeded so that runs repeat.

    Loading langdetect's profiles costs half a second a process, so a verdict is kept
    in the evidence cache when a run has given one (``keep_verdicts_in``)."""
    store = _VERDICTS
    key = f"langdetect-{_langdetect_version()}-seed0"
    if store is not None:
        kept = store.get_raw("langdetect", key, [text]).get(text)
        if kept is not None:
            lang, _, prob = kept.decode("utf-8").partition(" ")
            return (lang, float(prob)) if lang else None
    verdict = _run_langdetect(text)
    if store is not None:
        value = f"{verdict[0]} {verdict[1]!r}" if verdict else ""
        store.put_raw("langdetect", key, {text: value.encode("utf-8")})
    return verdict


@lru_cache(maxsize=1)
def _langdetect_version() -> str:
    from importlib.metadata import version

    return version("langdetect")


def _run_langdetect(text: str) -> tuple[str, float] | None:
    global _DETECTOR_READY
    import langdetect  # lazy: loading its profiles takes a moment

    if not _DETECTOR_READY:
        langdetect.DetectorFactory.seed = 0
        _DETECTOR_READY = True
    try:
        top = langdetect.detect_langs(text)[0]
    except langdetect.LangDetectException:
        return None
    return top.lang, top.prob


def _lang_of(script: str, text: str) -> str:
    if script == "he":
        return "he"
    return latin_lang(text) if script == "en" else "other"


def _strip_brackets(text: str) -> str:
    text = text.strip()
    if len(text) > 2 and text[0] in "([" and text[-1] in ")]":
        return text[1:-1].strip()
    return text


def _is_quoted(line: str, run: T.Run) -> bool:
    """True when a Hebrew run is quoted inside other text: a quotation mark on both sides
    ("The banner read "שלום!" in..."). A Hebrew caption that merely ends with a quoted
    word („יציב“.) before its English translation is not."""
    before = line[:run.start]
    after = line[run.end:].lstrip(".,!?;:")
    if not (before[-1:] in tuple(QUOTES) and after[:1] in tuple(QUOTES)):
        return False
    # Quoted inside a sentence: text before the opening quote ('The banner read "..."'),
    # or a sentence going on after the closing one ('"שלום" is what he said'). A quoted
    # Hebrew caption beside its translation ('"..." | The debate...') is not.
    left, right = before[:-1].rstrip(), after[1:].lstrip()
    return ((bool(left) and left[-1] not in "|/\u2013\u2014\u2022(:")
            or (bool(right) and right[0].islower()))


# Hebrew words after which a Latin name continues the Hebrew sentence ("של All Blacks").
HEBREW_CONNECTORS = frozenset("""של את עם על אל מול כמו בין לפני אחרי אצל מאת עבור לעבר נגד ללא בלי
כולל בשם מטעם דרך בידי ע"י ע״י גם או לבין וכן""".split())
# One-letter prefixes (and their pairs) written before a Latin word with a hyphen, a
# maqaf or nothing: ב-CNN, ל־BBC, וב- Newport, הGreat Deeds.
_HE_PREFIX = re.compile(f"^[{T.HEBREW_PREFIX_LETTERS}]{{1,3}}$")
# Small words a Latin name may hold ("Newport on the Levee", "Bank of America").
NAME_CONNECTORS = frozenset("""of the on and de du la le les van von der den bin ibn al el da di del y &
upon at for in""".split())
_URLISH = re.compile(r"^(?:https?://|www\.)|^[@#]|\.(?:com|org|net|gov|edu|co|il|uk|io)(?:[/.]|$)", re.I)
_ENGLISH_OPENERS = frozenset("the a an he she it they we i his her their this these those there police".split())
_PUNCT = ".,;:!?()[]{}\"'\u201C\u201D\u201E\u2018\u2019\u00AB\u00BB"


_ALNUM = re.compile(r"[^\W_]")


def _tokens(text: str) -> list[re.Match]:
    return list(re.finditer(r"\S+", text))


def name_like(text: str) -> bool:
    """True when Latin ``text`` reads as a name, not a clause: every word capitalised,
    an acronym, a number, a URL, hashtag or handle, or a small connector inside a name
    ("Newport on the Levee", "IDF", "@ynetnews", "www.ynet.co.il")."""
    words = [m.group().strip(_PUNCT) for m in _tokens(text)]
    words = [w for w in words if any(ch.isalpha() for ch in w)]
    for k, w in enumerate(words):
        if _URLISH.search(w) or w[0].isupper() or (k and w.lower() in NAME_CONNECTORS):
            continue
        return False
    return bool(words)


def _clause_start(text: str) -> int | None:
    """Where an English clause begins inside Latin ``text`` that opens with a name
    ("Newport on the Levee Thieves took..."): an offset, or None when it never does."""
    toks = _tokens(text)
    words = [m.group().strip(_PUNCT) for m in toks]
    first_lower = next((k for k, w in enumerate(words) if k and w and w[0].islower()
                        and w.lower() not in NAME_CONNECTORS and not _URLISH.search(w)), None)
    if first_lower is None:
        return None
    for k in range(first_lower):  # a sentence end inside: "...All Blacks. The All Blacks lost"
        if toks[k].group().rstrip("\"'\u201D\u2019)").endswith((".", "!", "?")) and k + 1 < len(toks):
            return toks[k + 1].start()
    for k in range(1, first_lower):  # a capitalised opener: "The", "He", "Police"
        if words[k].lower() in _ENGLISH_OPENERS and words[k][:1].isupper():
            return toks[k].start()
    last_cap = max((k for k in range(1, first_lower) if words[k][:1].isupper()), default=None)
    return toks[last_cap].start() if last_cap else None


_GAP_BREAK = re.compile(r"[()\[\]]|[.!?:;](?=\s|$|[\"'\u201C\u201D\u2019\u00BB\u05F4])")


def _head(text: str, limit: int = 5) -> int | None:
    """Where a name that opens Latin ``text`` ends, when a sentence end or a closing
    bracket ends it and more text follows ("ADT. Ring also settled...", "SANParks). – It
    is..."): the offset of what follows, or None."""
    toks = _tokens(text)
    for k, tok in enumerate(toks[:limit]):
        word = tok.group().strip(_PUNCT)
        if word and any(ch.isalpha() for ch in word) and not (
                word[0].isupper() or _URLISH.search(word) or (k and word.lower() in NAME_CONNECTORS)):
            return None
        if tok.group().rstrip(".,;:\"'\u201D\u2019").endswith((".", "!", "?", ")", "]")) or \
                tok.group().endswith((".", ").", "]." )):
            rest = text[tok.end():]
            return tok.end() if any(ch.isalpha() for ch in rest) else None
    return None


def _breaks(gap: str) -> bool:
    """True when the text between two runs ends a caption: a separator (| / – •), a
    bracket, or a sentence end (not the point of "802.11")."""
    return bool(_SEPARATOR.search(gap)) or bool(_GAP_BREAK.search(gap))


def _bracketed(line: str, r: T.Run) -> bool:
    """True when run ``r`` stands alone in brackets: "(CEP)", "[NSA]"."""
    return line[:r.start].rstrip().endswith(("(", "[")) and line[r.end:].lstrip().startswith((")", "]"))


def _transliterates(hebrew: str, latin: str) -> bool:
    """True when the Latin names have twins in the Hebrew: a translation, not a name
    the Hebrew borrowed ("ראש הממשלה נפתלי בנט Prime Minister Naftali Bennett")."""
    from align.text.names import name_matches

    return bool(name_matches(hebrew, latin)[1])


def _continues_hebrew(line: str, runs: list[T.Run], i: int) -> tuple[bool, int | None]:
    """Whether Latin run ``i`` belongs to the Hebrew sentence around it, and where an
    English clause begins inside it (an offset into the line), if one does.

    A Latin span stays Hebrew after a prefix with a hyphen, a maqaf or nothing (ב-CNN,
    ב- Newport on the Levee), after a Hebrew function word (של All Blacks), between
    Hebrew words, in brackets inside Hebrew ((CEP)), or at either end when it is a name
    that the Hebrew does not transliterate. A name that ends the Hebrew sentence and
    the English clause after it ("...תאגיד ADT. Ring also settled...") are cut apart.
    """
    r = runs[i]
    text = line[r.start:r.end]
    prev = runs[i - 1] if i > 0 and runs[i - 1].script == "he" else None
    nxt = runs[i + 1] if i + 1 < len(runs) and runs[i + 1].script == "he" else None
    if prev is not None and nxt is not None and _bracketed(line, r) and T.word_count(text) <= 4:
        return True, None  # "מועצת הבחירות הזמנית (CEP) החמישית"
    before = prev is not None and not _breaks(line[prev.end:r.start])
    after = nxt is not None and not _breaks(line[r.end:nxt.start])
    opened = prev is not None and line[prev.end:r.start].rstrip().endswith(("(", "["))
    if (before or opened) and nxt is None and not name_like(text):
        head = _head(text)  # "...תאגיד ADT. Ring also settled": the name ends the Hebrew
        if head:
            return True, r.start + head
    if before and prev is not None:
        hebrew = line[prev.start:prev.end]
        last = hebrew.split()[-1] if hebrew.split() else ""
        gap = line[prev.end:r.start]
        prefixed = (bool(_HE_PREFIX.match(last.rstrip("\u05BE"))) and
                    (last.endswith("\u05BE") or gap.strip() in ("-", "\u05BE") or not gap))
        if prefixed or last in HEBREW_CONNECTORS:
            cut = None if name_like(text) or nxt is not None else _clause_start(text)
            return True, (r.start + cut if cut else None)
        if after and (name_like(text) or T.word_count(text) <= 4):
            return True, None
        if (name_like(text) or T.word_count(text) == 1) and not _transliterates(hebrew, text):
            return True, None
        return False, None
    if after and nxt is not None and not text.rstrip().endswith((".", "!", "?")):
        hebrew = line[nxt.start:nxt.end]
        if (name_like(text) or T.word_count(text) == 1) and not _transliterates(hebrew, text):
            return True, None
    return False, None


def _merge_minor_runs(line: str, runs: list[T.Run]) -> list[T.Run]:
    """Group runs by the language of their grammar, not their script.

    Latin spans that belong to a Hebrew sentence (names, brands, acronyms, URLs; see
    ``_continues_hebrew``) join it, so "גנבים נטלו כסף ב- Newport on the Levee" stays one
    Hebrew caption; where an English clause begins inside such a span, the line is cut
    there. A one-word run of a third script joins a neighbouring Latin run.
    """
    pieces: list[tuple[str, int, int]] = []
    for i, r in enumerate(runs):
        script = r.script
        if script == "en":
            inside, cut = _continues_hebrew(line, runs, i)
            if inside and cut:
                # The English starts at its first letter or digit; what lies between (a
                # dash, a bar) is the gap that split_line cuts at.
                rest = _ALNUM.search(line, cut, r.end)
                pieces += [("he", r.start, cut), ("en", rest.start() if rest else cut, r.end)]
                continue
            script = "he" if inside else "en"
        elif script == "other" and T.word_count(line[r.start:r.end]) < 2:
            neighbours = {runs[j].script for j in (i - 1, i + 1) if 0 <= j < len(runs)}
            script = "he" if "he" in neighbours else "en" if "en" in neighbours else script
        pieces.append((script, r.start, r.end))
    merged: list[T.Run] = []
    for script, start, end in pieces:
        if merged and merged[-1].script == script:
            merged[-1] = T.Run(script, merged[-1].start, end)
        else:
            merged.append(T.Run(script, start, end))
    return merged


def _split_at_gap(line: str, first: T.Run, second: T.Run) -> tuple[str, str]:
    """Cut a two-script line between its runs: at a separator (| / – :) if there is one,
    else at the last space, so digits stay with the word before them ("מערכת חץ 3")."""
    gap = line[first.end:second.start]
    m = _SEPARATOR.search(gap)
    if m:
        cut, resume = first.end + m.start(), first.end + m.end()
    else:
        space = gap.rfind(" ")
        cut = resume = first.end + (space if space >= 0 else len(gap))
    return line[:cut], line[resume:]


# English words that introduce a Hebrew word or name at the end of an English caption
# ("an area Israelis call עוטף עזה", "a dish known as שקשוקה").
_INTRODUCERS = frozenset("""call calls called as named reads read word words term phrase chanting chant
chanted chants shouting shouted says said saying meaning dubbed nicknamed slogan sign""".split())


def _inside_english(line: str, runs: list[T.Run], i: int) -> bool:
    """True when Hebrew run ``i`` is a word or name quoted inside English text, not a
    caption of its own: in quotation marks, between English words (up to 4 words, or in
    brackets), or at the end after a word that introduces it ("known as שקשוקה")."""
    r = runs[i]
    if _is_quoted(line, r):
        return True
    words = T.word_count(line[r.start:r.end])
    prev = runs[i - 1] if i > 0 and runs[i - 1].script == "en" else None
    nxt = runs[i + 1] if i + 1 < len(runs) and runs[i + 1].script == "en" else None
    if prev is None:
        return False
    opening = line[prev.end:r.start].strip().strip(QUOTES).strip()
    closing = line[r.end:nxt.start if nxt else len(line)].strip().strip(QUOTES).strip()
    english_words = T.word_count(line[prev.start:prev.end]) + (T.word_count(line[nxt.start:nxt.end]) if nxt else 0)
    if opening in ("(", "[") and closing[:1] in (")", "]") and words <= 3 and 3 * words <= english_words:
        return True  # a gloss in brackets: "tribute to Luna ("ללונה")", "Kfar Aza (כפר עזה)"
    if nxt is not None and words <= 4 and not (
            _breaks(line[prev.end:r.start]) or _breaks(line[r.end:nxt.start])):
        return True
    english = line[prev.start:prev.end].split()
    return (nxt is None and words <= 3 and not _breaks(line[prev.end:r.start])
            and bool(english) and english[-1].lower().strip(_PUNCT) in _INTRODUCERS)


_GLOSS_END = re.compile(r"\s*(?:[|/\u2022]\s*|\()")


def _split_glosses(line: str, runs: list[T.Run]) -> list[T.Run]:
    """Cut a Hebrew run that opens with a gloss of the English before it and goes on,
    after a separator or a bracket, into a Hebrew caption ("…known as טאמאקי (חופי
    טאמאקי דרייב…)"): the two read as one run, since the separator has no script."""
    out = list(runs)
    for i in range(len(out) - 1, 0, -1):
        r = out[i]
        if r.script != "he" or out[i - 1].script != "en":
            continue
        m = _GLOSS_END.search(line, r.start, r.end)
        if not m or T.word_count(line[r.start:m.start()]) > 3:
            continue
        rest = _ALNUM.search(line, m.end(), r.end)
        if not rest:
            continue
        trial = out[:i] + [T.Run("he", r.start, m.start()), T.Run("he", rest.start(), r.end)] + out[i + 1:]
        if _inside_english(line, trial, i):
            out = trial
    return out


def split_line(line: str) -> list[_Piece]:
    """Split a cleaned line into one-language pieces.

    A Hebrew run and an English run side by side (a caption and its translation on
    one line) become two pieces. Hebrew quoted inside an English sentence, or inside
    English of body length, becomes a ``quote`` piece beside the whole English line.
    """
    runs = _split_glosses(line, _merge_minor_runs(line, T.script_runs(line)))
    if not runs:
        return [_Piece("other", line)]
    if len(runs) == 1:
        return [_Piece(_lang_of(runs[0].script, line), line)]
    he_runs = [r for r in runs if r.script == "he"]
    letters = {s: sum(r.end - r.start for r in runs if r.script == s) for s in ("he", "en", "other")}
    major = max(letters, key=lambda script: letters[script])
    own = [i for i, r in enumerate(runs) if r.script == "he" and not _inside_english(line, runs, i)]
    if len(runs) > 2 and len(own) == 1 and own[0] in (0, len(runs) - 1) and len(he_runs) > 1:
        # A Hebrew caption beside an English one that quotes Hebrew words of its own:
        # "חיילים ליד הגבול Soldiers near the border, an area Israelis call עוטף עזה".
        first, second = (runs[0], runs[1]) if own[0] == 0 else (runs[-2], runs[-1])
        left, right = _split_at_gap(line, first, second)
        english = right if own[0] == 0 else left
        hebrew = left if own[0] == 0 else right
        quoted = [_Piece("he", line[r.start:r.end], quote=True) for r in he_runs if r is not runs[own[0]]]
        pieces = [_Piece("he", _strip_brackets(hebrew)), _Piece(_lang_of("en", english), english.strip())]
        return (pieces if own[0] == 0 else pieces[::-1]) + quoted
    if len(runs) == 2 and len(he_runs) == 1:
        he_run = he_runs[0]
        other = runs[0] if runs[1] is he_run else runs[1]
        long_other = T.word_count(line[other.start:other.end]) > MAX_CAPTION_WORDS
        if own and not long_other:  # the one Hebrew run is a caption, not a quoted word
            left, right = _split_at_gap(line, runs[0], runs[1])
            return [_Piece(_lang_of(r.script, t), _strip_brackets(t))
                    for r, t in ((runs[0], left), (runs[1], right)) if _strip_brackets(t)]
    if major == "he":
        return [_Piece("he", line)]
    pieces = [_Piece(_lang_of(major, line), line)]
    pieces += [_Piece("he", line[r.start:r.end], quote=True) for r in he_runs]
    return pieces


def _line_kind(line: str) -> str | None:
    """``gallery``, ``boilerplate`` or ``credit`` for whole-line furniture, else None."""
    if not any(ch.isalpha() for ch in line):
        return "boilerplate"
    if _GALLERY.search(line):
        return "gallery"
    if _CREDIT.search(line):
        return "credit"
    if _BOILERPLATE.search(line) or T.key(line) in LANGUAGE_NAMES:
        return "boilerplate"
    return None


def _is_body(piece: _Piece) -> bool:
    words = T.word_count(piece.text)
    if piece.quote or words > MAX_CAPTION_WORDS:
        return True
    return piece.lang != "he" and words > 18 and len(_SENTENCE_END.findall(piece.text)) >= 2


def _line_lang(line: str) -> str:
    runs = T.script_runs(line)
    if not runs:
        return "other"
    script = max(("he", "en", "other"), key=lambda s: sum(r.end - r.start for r in runs if r.script == s))
    return "en" if script == "en" else script


def _parse_line(line: str) -> tuple[str | None, list[tuple[str, str, str]], list[_Piece]]:
    """Split a cleaned line into its furniture kind (gallery / credit / boilerplate /
    None), furniture segments as ``(lang, kind, text)``, and language pieces."""
    furniture = _line_kind(line)
    if furniture:
        kind = "boilerplate" if furniture == "gallery" else furniture
        return furniture, [(_line_lang(line), kind, line)], []
    credit = _TRAILING_CREDIT.search(line)
    if credit:  # "Caption text (Photo: Name)": the credit is a segment of its own
        text = credit.group().strip()
        return "credit", [(_line_lang(text), "credit", text)], split_line(line[:credit.start()])
    return None, [], split_line(line)


def detect(document: Document) -> list[Segment]:
    """Tag every non-blank line of ``document``; return de-duplicated segments in order."""
    tagged: list[tuple[int, str, str, str]] = []  # (line, lang, kind, text)
    block_of: dict[int, tuple[int, ...]] = {}  # the caption blocks of each line (HTML: several)
    anchored: set[int] = set()
    image_of: dict[int, str] = {}  # HTML: the image each line captions
    block, open_block, after_credit = 0, False, False
    origins = document.origins or []
    for number, raw in enumerate(document.lines, start=1):
        line = T.clean(raw)
        if not line:
            continue
        origin = origins[number - 1] if origins else None
        if origin is not None and origin.image:
            image_of[number] = origin.image
        if origin is not None and origin.role == "link":  # headlines, menu items: never captions
            tagged.append((number, _line_lang(line), "boilerplate", line))
            continue
        if origin is not None and origin.role != "text":
            block += 1
            blocks = tuple(GROUP_BLOCKS + g for g in origin.groups) or (block,)
            block_of[number] = blocks
            anchored.update(blocks)
            tagged += _marked_line(number, line, origin.role)
            open_block = after_credit = False
            continue
        furniture, fixed, pieces = _parse_line(line)
        body = [_is_body(p) for p in pieces]
        # Hebrew quoted inside an English caption is not a caption of its own (it is
        # kept as body), but neither does it make the caption a body line.
        if any(b for p, b in zip(pieces, body) if not p.quote):
            open_block = False
        else:
            # A body line ends a caption block; so does a credit, for what follows it.
            if not open_block or (after_credit and furniture != "credit"):
                block, open_block = block + 1, True
            block_of[number] = (block,)
            # In HTML the markup marks figures, so only Hebrew anchors a block of text.
            marker = furniture in ("gallery", "credit") and origin is None
            if marker or any(p.lang == "he" and not p.quote for p in pieces):
                anchored.add(block)
        after_credit = furniture == "credit"
        for p, is_body in zip(pieces, body):
            # Short non-Hebrew lines start as titles; _collapse promotes those in
            # anchored blocks to captions once the whole block has been seen.
            kind = "body" if is_body else "caption" if p.lang == "he" else "title"
            tagged.append((number, p.lang, kind, p.text))
        tagged += [(number, lang, kind, text) for lang, kind, text in fixed]
    return _collapse(tagged, block_of, anchored, image_of)


def _marked_line(number: int, line: str, role: str) -> list[tuple[int, str, str, str]]:
    """Segments of a line the markup calls a caption or a credit (HTML pages): English
    captions need no Hebrew neighbour to count, and a credit is a credit."""
    if role == "credit":
        return [(number, _line_lang(line), "credit", line)]
    _, fixed, pieces = _parse_line(line)
    out = [(number, p.lang, "body" if _is_body(p) else "caption", p.text) for p in pieces]
    return out + [(number, lang, kind, text) for lang, kind, text in fixed]


def _collapse(tagged, block_of, anchored, image_of=None) -> list[Segment]:
    """Merge repeats into one segment each; titles in anchored blocks become captions."""
    image_of = image_of or {}
    segments: dict[tuple[str, str, str], Segment] = {}
    for number, lang, kind, text in tagged:
        blocks = block_of.get(number, ())
        if kind == "title" and any(b in anchored for b in blocks):
            kind = "caption"
        seg = segments.setdefault((lang, kind, T.key(text)), Segment(lang, kind, text))
        if not seg.lines or seg.lines[-1] != number:  # lines arrive in order
            seg.lines.append(number)
        seg.blocks.update(blocks)
        if number in image_of:
            seg.images.add(image_of[number])
    return list(segments.values())

"""The records every stage passes on, and nothing else: no files, no models.

``Document`` (a source's lines and where each came from), ``Segment`` (a piece of one
language found in it), ``Pair`` (a Hebrew and an English caption or sentence paired),
``Bead`` (sentences of two documents aligned together, 0-based indices) and
``Signature`` (the settings that decide a corpus, recorded with it).
"""
from __future__ import annotations

from dataclasses import asdict, dataclass, field, replace


@dataclass(frozen=True)
class Origin:
    """Where a line of a parsed HTML page came from.

    ``element`` names the element or attribute (``figcaption``, ``img@alt``), ``line``
    is its line in the HTML source, ``groups`` numbers the figures and galleries it
    sits in (innermost last; empty outside any), and ``role`` is ``caption``,
    ``credit``, ``link`` (a block that is all link text: headlines of a listing, menu
    items) or ``text``. ``image`` is the image the line captions (its ``src``), when
    there is one: the image's own attributes, or the text of a figure holding one image.
    """

    element: str
    line: int
    groups: tuple[int, ...] = ()
    role: str = "text"
    image: str | None = None


@dataclass(frozen=True)
class Document:
    """A source: its name as the user gave it and its lines (1-based in output).

    Text files have one line per line of text. HTML pages have one line per text
    block or caption attribute, and ``origins`` says where each came from.
    """

    doc: str
    lines: list[str]
    origins: list[Origin] | None = None
    encoding: str | None = None  # what its bytes were read as (``align.encoding``), when read from bytes

    def source_line(self, number: int) -> int:
        """Where line ``number`` (1-based) is in the source: itself for text, the
        element's line in the HTML for a parsed page."""
        return self.origins[number - 1].line if self.origins else number

    def source_lines(self, numbers) -> list[int]:
        """``source_line`` of each of ``numbers``, repeats removed, in order."""
        return list(dict.fromkeys(self.source_line(n) for n in numbers))

    def element(self, number: int) -> str | None:
        """The HTML element line ``number`` came from (None for text)."""
        return self.origins[number - 1].element if self.origins else None

    def locate(self, pair: Pair) -> Pair:
        """``pair`` as the user will read it: on an HTML page, its lines are the source
        lines of its elements, and it names those elements; it says the encoding its
        document was read with. The one place where a line index of a parsed page
        becomes a line of its source."""
        if self.encoding:
            pair = replace(pair, encoding=self.encoding)
        if not self.origins:
            return pair
        he_line, en_line = pair.he_line, pair.en_line
        return replace(pair, he_line=None if he_line is None else self.source_line(he_line),
                       en_line=None if en_line is None else self.source_line(en_line),
                       he_lines=self.source_lines(pair.he_lines), en_lines=self.source_lines(pair.en_lines),
                       he_element=None if he_line is None else self.element(he_line),
                       en_element=None if en_line is None else self.element(en_line))


@dataclass
class Segment:
    """A piece of a document in one language, with every line (1-based) it appears on."""

    lang: str
    kind: str
    text: str
    lines: list[int] = field(default_factory=list)
    blocks: set[int] = field(default_factory=set)
    images: set[str] = field(default_factory=set)  # HTML: the images it captions (their src)

    @property
    def line(self) -> int:
        """The first line the segment appears on."""
        return self.lines[0]

    def to_dict(self, doc: str) -> dict:
        """The JSON form written by ``align detect`` (its ``encoding`` added there)."""
        return {"doc": doc, "lang": self.lang, "kind": self.kind, "text": self.text,
                "line": self.line, "lines": self.lines}


@dataclass(frozen=True)
class Pair:
    """One aligned Hebrew-English pair and where both sides came from (1-based lines)."""

    doc: str
    he: str
    en: str
    score: float
    he_line: int | None = None
    en_line: int | None = None
    he_lines: list[int] = field(default_factory=list)
    en_lines: list[int] = field(default_factory=list)
    mt: str | None = None  # the machine translation of ``he``, when one was used
    he_element: str | None = None  # HTML pages: the element each side came from
    en_element: str | None = None
    image: str | None = None  # HTML pages: the image (its src) whose caption both sides are
    count: int | None = None  # --dedup: how many times the pair was found
    verdict: str | None = None  # "T" a full translation, "P" a partial one (the strict standard's word)
    he_uncovered: list[str] | None = None  # words of each side with no counterpart on the other
    en_uncovered: list[str] | None = None
    encoding: str | None = None  # what its document's bytes were read as (utf-8, windows-1255...)

    def to_dict(self) -> dict:
        """The JSONL form: ``doc, he, en, score, he_line, en_line, he_lines, en_lines``;
        ``mt`` when a translation model scored the pair, ``he_element``/``en_element``
        for HTML pages (and ``image``, the ``src`` of the image both sides caption) and
        ``count`` after deduplication; ``verdict`` (T or P) and ``he_uncovered``/``en_uncovered``
        (the words with no counterpart) when a standard judged the pair; ``encoding``
        when its document was read from bytes."""
        row = asdict(self)
        for name in _OPTIONAL:
            if row[name] is None:
                del row[name]
        return row

    @classmethod
    def from_dict(cls, row: dict, doc: str = "") -> Pair:
        """A pair from its JSONL form (``he`` and ``en`` required, the rest optional).
        A row of the wrong shape (not an object, ``he`` a number or null, a score that is
        no number, text that is not valid Unicode) raises ``ValueError`` saying which
        field, for the reader to name with its line."""
        if not isinstance(row, dict):
            raise ValueError(f"a {type(row).__name__}, not an object with he and en")
        he, en = text_field(row, "he"), text_field(row, "en")
        score = row.get("score", 0.0)
        if isinstance(score, bool) or not isinstance(score, (int, float)):
            raise ValueError(f"score is {score!r}, not a number")
        lines = {k: row.get(k) for k in ("he_line", "en_line")}
        for k, v in lines.items():
            if v is not None and (isinstance(v, bool) or not isinstance(v, int)):
                raise ValueError(f"{k} is {v!r}, not a line number")
        many = {k: list(numbers(row.get(k) or [], k, "line numbers")) for k in ("he_lines", "en_lines")}
        source = row.get("doc", doc)
        return cls(doc=source if isinstance(source, str) else str(source), he=he, en=en, score=float(score),
                   he_line=lines["he_line"], en_line=lines["en_line"], he_lines=many["he_lines"],
                   en_lines=many["en_lines"], **{name: row.get(name) for name in _OPTIONAL})


def numbers(value, key: str, what: str) -> tuple[int, ...]:
    """``value``, which must be a list of whole numbers (line or sentence numbers), as a
    tuple; ``ValueError`` naming ``key`` otherwise (a string "0" is no list)."""
    if not isinstance(value, (list, tuple)) or any(isinstance(x, bool) or not isinstance(x, int) for x in value):
        raise ValueError(f"{key} is {value!r}, not a list of {what}")
    return tuple(value)


def text_field(row: dict, key: str) -> str:
    """``row[key]``, which must be text and valid Unicode; ``ValueError`` naming it otherwise."""
    if key not in row:
        raise ValueError(f"no {key!r} field")
    value = row[key]
    if not isinstance(value, str):
        raise ValueError(f"{key} is {value!r}, not text")
    if any("\ud800" <= c <= "\udfff" for c in value):
        raise ValueError(f"{key} holds a lone surrogate ({value[:30]!r}), which is not valid Unicode")
    return value


_OPTIONAL = ("mt", "he_element", "en_element", "image", "count", "verdict", "he_uncovered", "en_uncovered",
             "encoding")


@dataclass(frozen=True)
class Bead:
    """Sentences of a Hebrew and an English document aligned together: 0-based sentence
    indices on each side (either side empty for a sentence left out), the probability
    that the two sides translate each other, and, once known, their joined texts, the
    1-based file lines their sentences stand on, and the document they came from. The
    same record from the aligner to every writer. ``below_threshold``: a two-sided
    bead scoring under the run's threshold, kept out of corpus formats (and marked in
    bead formats)."""

    he_ids: tuple[int, ...]
    en_ids: tuple[int, ...]
    score: float
    he: str = ""
    en: str = ""
    doc: str | None = None
    he_lines: tuple[int, ...] = ()
    en_lines: tuple[int, ...] = ()
    below_threshold: bool = False
    encoding: str | None = None  # what the files were read as: "utf-8", or "windows-1255+utf-8" (he+en)

    def to_dict(self) -> dict:
        """The JSONL bead: ``doc`` (in a batch), ``he_ids``, ``en_ids``, ``he``, ``en``,
        ``score``, then ``he_lines`` and ``en_lines`` when known and ``below_threshold``
        when marked."""
        row: dict = {} if self.doc is None else {"doc": self.doc}
        row.update(he_ids=list(self.he_ids), en_ids=list(self.en_ids), he=self.he, en=self.en, score=self.score)
        if self.he_lines or self.en_lines:
            row.update(he_lines=list(self.he_lines), en_lines=list(self.en_lines))
        if self.below_threshold:
            row["below_threshold"] = True
        if self.encoding:
            row["encoding"] = self.encoding
        return row

    @classmethod
    def from_dict(cls, row: dict) -> Bead:
        """A bead from its JSONL form."""
        return cls(tuple(row["he_ids"]), tuple(row["en_ids"]), float(row["score"]), row.get("he", ""),
                   row.get("en", ""), row.get("doc"), tuple(row.get("he_lines") or ()),
                   tuple(row.get("en_lines") or ()), bool(row.get("below_threshold")), row.get("encoding"))

    def as_pair(self) -> Pair:
        """The bead as a corpus pair (both sides needed): what TSV, TMX, Moses and
        Parquet corpora hold. Its lines are the file lines of its sentences (their
        1-based indices when the lines are not known)."""
        he_lines = list(self.he_lines) or [i + 1 for i in self.he_ids]
        en_lines = list(self.en_lines) or [j + 1 for j in self.en_ids]
        return Pair(doc=self.doc or "", he=self.he, en=self.en, score=self.score,
                    he_line=he_lines[0], en_line=en_lines[0], he_lines=he_lines, en_lines=en_lines,
                    encoding=self.encoding)

    def two_sided(self) -> bool:
        """Whether the bead has sentences on both sides (what a corpus can hold)."""
        return bool(self.he_ids and self.en_ids)

    def kept(self, threshold: float) -> bool:
        """Whether a corpus made at ``threshold`` holds the bead: both sides, scoring at least it."""
        return self.two_sided() and self.score >= threshold


class Signature(dict):
    """The settings that decide a corpus, recorded with it (as sacrebleu records a
    score's): tool and version, scorer, threshold, the built-in calibration's id, the
    embedding model and its sha256, the standard (strict or lenient) and a reviewer's
    calibrated standard when one is used. A dict,
    so it is written as JSON as it is; ``text`` is the one-line form, also kept under
    ``signature`` ("version:0.1.0|scorer:auto|threshold:0.5|...")."""

    KEYS = ("version", "scorer", "threshold", "calibration")

    @classmethod
    def of(cls, scorer, threshold: float) -> Signature:
        """The signature of a run with ``scorer`` (anything with ``signature() -> dict``)."""
        from align import __version__

        sig = cls(tool="align", version=__version__, threshold=threshold)
        sig.update(scorer.signature())
        sig["signature"] = "|".join(f"{k}:{sig[k]}" for k in cls.KEYS if k in sig)
        if "model_sha256" in sig:
            sig["signature"] += f"|model:e5-small-q4@{sig['model_sha256'][:12]}"
        if "standard" in sig:  # strict or lenient, and a reviewer's standard (align calibrate)
            sig["signature"] += f"|standard:{sig['standard']}"
        if "calibrated" in sig:
            sig["signature"] += f"|calibrated:{sig['calibrated']}"
        return sig

    @property
    def text(self) -> str:
        """The one-line form."""
        return str(self.get("signature", ""))


def make_signature(scorer, threshold: float) -> Signature:
    """``Signature.of(scorer, threshold)``."""
    return Signature.of(scorer, threshold)

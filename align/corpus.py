"""The ``Pair`` record and the corpus writers and readers (JSONL, TSV, TMX, Moses).

Every writer writes to a temporary file beside the target and renames it into place,
so a failed run never leaves a half-written corpus. Writers that cannot carry the run's
signature inside the file write it to a sidecar ``OUT.meta.json``.
"""
from __future__ import annotations

import contextlib
import json
import os
import re
import sys
import tempfile
import xml.etree.ElementTree as ET
from dataclasses import asdict, dataclass, field
from typing import IO, Callable, Iterable, Iterator

from .errors import InputError, OutputError

STDOUT = "-"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
# Characters XML 1.0 cannot carry at all.
_XML_INVALID = re.compile("[\x00-\x08\x0B\x0C\x0E-\x1F\uFFFE\uFFFF]")


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

    def to_dict(self) -> dict:
        """The JSONL form: ``doc, he, en, score, he_line, en_line, he_lines, en_lines``;
        ``mt`` when a translation model scored the pair, ``he_element``/``en_element``
        for HTML pages (and ``image``, the ``src`` of the image both sides caption) and
        ``count`` after deduplication."""
        row = asdict(self)
        for name in _OPTIONAL:
            if row[name] is None:
                del row[name]
        return row

    @classmethod
    def from_dict(cls, row: dict, doc: str = "") -> "Pair":
        """A pair from its JSONL form (``he`` and ``en`` required, the rest optional)."""
        return cls(doc=row.get("doc", doc), he=row["he"], en=row["en"],
                   score=float(row.get("score", 0.0)),
                   he_line=row.get("he_line"), en_line=row.get("en_line"),
                   he_lines=row.get("he_lines", []), en_lines=row.get("en_lines", []),
                   **{name: row.get(name) for name in _OPTIONAL})


_OPTIONAL = ("mt", "he_element", "en_element", "image", "count")


def make_signature(scorer, threshold: float) -> dict:
    """The settings that decide a corpus (sacrebleu-style), recorded with every output.

    ``scorer`` is any object with ``signature() -> dict`` (see ``align.scoring``).
    """
    from . import __version__

    sig = {"tool": "align", "version": __version__, "threshold": threshold}
    sig.update(scorer.signature())
    sig["signature"] = "|".join(f"{k}:{sig[k]}" for k in
                                ("version", "scorer", "threshold", "calibration") if k in sig)
    if "model_sha256" in sig:
        sig["signature"] += f"|model:e5-small-q4@{sig['model_sha256'][:12]}"
    if "standard" in sig:  # a reviewer's standard (align calibrate), not the built-in one
        sig["signature"] += f"|standard:{sig['standard']}"
    return sig


def meta_path(path: str) -> str:
    """Where the sidecar signature of ``path`` goes."""
    return path + ".meta.json"


def output_paths(fmt: str, path: str) -> list[str]:
    """Every file a writer of ``fmt`` creates for ``-o path``."""
    if fmt == "moses":
        return [path + ".he", path + ".en", meta_path(path)]
    if fmt in ("tmx", "parquet", "hf"):  # the signature is inside (header, schema, card)
        return [path]
    return [path, meta_path(path)]


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


@contextlib.contextmanager
def atomic_open(path: str, binary: bool = False) -> Iterator[IO]:
    """Open a temporary file beside ``path``; rename it to ``path`` only on success."""
    directory = os.path.dirname(os.path.abspath(path))
    try:
        fd, tmp = tempfile.mkstemp(prefix="." + os.path.basename(path) + ".", suffix=".tmp",
                                   dir=directory)
    except OSError as exc:
        raise OutputError(f"{path}: cannot write here ({exc.strerror}); "
                          "choose another -o path") from None
    try:
        os.chmod(tmp, 0o666 & ~_umask())  # mkstemp makes 0600; outputs get the usual mode
        with (os.fdopen(fd, "wb") if binary else
              os.fdopen(fd, "w", encoding="utf-8", newline="\n")) as fh:
            yield fh
        try:
            os.replace(tmp, path)
        except OSError as exc:
            raise OutputError(f"{path}: cannot be replaced ({exc.strerror}); "
                              "choose another -o path") from None
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise


@contextlib.contextmanager
def open_output(path: str | None) -> Iterator[IO[str]]:
    """Standard output for ``None`` or ``-``; otherwise ``atomic_open(path)``."""
    if path in (None, STDOUT):
        yield sys.stdout
        sys.stdout.flush()
    else:
        with atomic_open(path) as fh:
            yield fh


def write_meta(path: str, signature: dict) -> None:
    """Write the run's signature as ``path.meta.json``."""
    with atomic_open(meta_path(path)) as fh:
        json.dump(signature, fh, ensure_ascii=False, indent=2, sort_keys=True)
        fh.write("\n")


def _single_line(text: str, what: str) -> str:
    if "\t" in text or "\n" in text or "\r" in text:
        raise OutputError(f"{what}: text holds a tab or newline, which would break the "
                          f"row ({text[:40]!r}); use -f jsonl or tmx for such text")
    return text


def write_jsonl(pairs: Iterable[Pair], path: str, signature: dict) -> int:
    """One JSON object a line; the signature goes to a sidecar. Returns pairs written."""
    n = 0
    with open_output(path) as fh:
        for pair in pairs:
            fh.write(json.dumps(pair.to_dict(), ensure_ascii=False) + "\n")
            n += 1
    if path != STDOUT:
        write_meta(path, signature)
    return n


def write_tsv(pairs: Iterable[Pair], path: str, signature: dict) -> int:
    """``he<TAB>en<TAB>score`` rows, no header, and a fourth column ``count`` after
    deduplication; text with tabs or newlines is refused."""
    n = 0
    with open_output(path) as fh:
        for pair in pairs:
            count = "" if pair.count is None else f"\t{pair.count}"
            fh.write(f"{_single_line(pair.he, path)}\t{_single_line(pair.en, path)}\t{pair.score}{count}\n")
            n += 1
    if path != STDOUT:
        write_meta(path, signature)
    return n


def write_moses(pairs: Iterable[Pair], path: str, signature: dict) -> int:
    """Line-aligned ``path.he`` and ``path.en`` plus the sidecar signature."""
    if path == STDOUT:
        raise OutputError("the moses format writes two files: give -o PREFIX")
    n = 0
    with atomic_open(path + ".he") as he_fh, atomic_open(path + ".en") as en_fh:
        for pair in pairs:
            he_fh.write(_single_line(pair.he, path + ".he") + "\n")
            en_fh.write(_single_line(pair.en, path + ".en") + "\n")
            n += 1
    write_meta(path, signature)
    return n


def _xml_text(text: str, path: str) -> str:
    if _XML_INVALID.search(text):
        raise OutputError(f"{path}: text holds a control character XML cannot carry "
                          f"({text[:40]!r}); clean the input first")
    return text


def _prop(parent, kind: str, value) -> None:
    from lxml import etree

    etree.SubElement(parent, "prop", type=kind).text = _xml_text(str(value), kind)


def _tu(pair: Pair, path: str):
    """One TMX translation unit: score, doc, count and mt as ``prop``s, a ``tuv`` a side."""
    from lxml import etree

    tu = etree.Element("tu")
    _prop(tu, "x-score", pair.score)
    _prop(tu, "x-doc", pair.doc)
    for kind, value in (("x-count", pair.count), ("x-mt", pair.mt), ("x-image", pair.image)):
        if value is not None:
            _prop(tu, kind, value)
    for lang, text, line, element in (("he", pair.he, pair.he_line, pair.he_element),
                                      ("en", pair.en, pair.en_line, pair.en_element)):
        tuv = etree.SubElement(tu, "tuv", {XML_LANG: lang})
        if line is not None:
            _prop(tuv, "x-line", line)
        if element is not None:
            _prop(tuv, "x-element", element)
        etree.SubElement(tuv, "seg").text = _xml_text(text, path)
    return tu


@contextlib.contextmanager
def _binary_output(path: str):
    if path == STDOUT:
        yield sys.stdout.buffer
        sys.stdout.buffer.flush()
    else:
        with atomic_open(path, binary=True) as fh:
            yield fh


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
    with _binary_output(path) as fh:
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


def write_parquet(pairs: Iterable[Pair], path: str, signature: dict) -> int:
    """One Parquet file, the signature in its schema metadata (``align.parquet``)."""
    from .parquet import write_parquet as write

    return write(pairs, path, signature)


def write_hf(pairs: Iterable[Pair], path: str, signature: dict) -> int:
    """A folder ``datasets.load_dataset`` opens as it is (``align.parquet``)."""
    from .parquet import write_hf as write

    return write(pairs, path, signature)


Writer = Callable[[Iterable[Pair], str, dict], int]
_SURROGATE = re.compile("[\ud800-\udfff]")


def _valid_pairs(pairs: Iterable[Pair], path: str) -> Iterator[Pair]:
    """``pairs``, each checked to be writable as UTF-8: a lone surrogate (text decoded
    with errors, or built by hand) is refused with the pair it is in, never half-written."""
    for n, pair in enumerate(pairs, start=1):
        for name in ("he", "en", "doc", "mt", "he_element", "en_element", "image"):
            value = getattr(pair, name)
            if isinstance(value, str) and _SURROGATE.search(value):
                raise OutputError(f"{path}: pair {n} ({name} of {pair.doc[:60]!r}) holds a lone surrogate, "
                                  "text that is not valid Unicode (decoded with errors?); clean it first")
        yield pair


def _checked(writer: Writer) -> Writer:
    def write(pairs: Iterable[Pair], path: str, signature: dict) -> int:
        return writer(_valid_pairs(pairs, path), path, signature)
    write.__doc__, write.__name__ = writer.__doc__, writer.__name__
    return write


WRITERS: dict[str, Writer] = {name: _checked(w) for name, w in {
    "jsonl": write_jsonl,
    "tsv": write_tsv,
    "tmx": write_tmx,
    "moses": write_moses,
    "parquet": write_parquet,
    "hf": write_hf,
}.items()}


def _read_text(path: str) -> str:
    try:
        with open(path, encoding="utf-8") as fh:
            return fh.read()
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"{path}: cannot be read as UTF-8 text ({exc})") from None


def read_jsonl(path: str) -> list[Pair]:
    """Pairs from JSONL with at least ``he``, ``en`` (``doc`` and ``score`` optional);
    ``-`` reads standard input."""
    text = _read_stdin() if path == STDOUT else _read_text(path)
    pairs = []
    # split on "\n" only: JSON strings may hold U+2028, which splitlines() would cut at
    for number, line in enumerate(text.split("\n"), start=1):
        if not line.strip():
            continue
        try:
            pairs.append(Pair.from_dict(json.loads(line), path))
        except (ValueError, KeyError, TypeError, AttributeError) as exc:
            raise InputError(f"{path}:{number}: not a pair record ({exc})") from None
    return pairs


def _read_stdin() -> str:
    try:
        return sys.stdin.buffer.read().decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(f"<stdin>: not UTF-8 text ({exc})") from None


def read_tsv(path: str) -> list[Pair]:
    """Pairs from ``he<TAB>en[<TAB>score]`` rows."""
    pairs = []
    for number, line in enumerate(_read_text(path).split("\n"), start=1):
        line = line.removesuffix("\r")
        if not line:
            continue
        cols = line.split("\t")
        if len(cols) not in (2, 3, 4):
            raise InputError(f"{path}:{number}: expected 2 to 4 tab-separated columns "
                             f"(he, en, score, count), got {len(cols)}")
        try:
            score = float(cols[2]) if len(cols) >= 3 else 0.0
            count = int(cols[3]) if len(cols) == 4 else None
        except ValueError as exc:
            raise InputError(f"{path}:{number}: {exc}") from None
        pairs.append(Pair(doc=path, he=cols[0], en=cols[1], score=score, count=count))
    return pairs


def read_moses(path: str) -> list[Pair]:
    """Pairs from line-aligned ``path.he`` and ``path.en``."""
    he = _read_text(path + ".he").split("\n")
    en = _read_text(path + ".en").split("\n")
    if he and he[-1] == "" and en and en[-1] == "":
        he, en = he[:-1], en[:-1]
    if len(he) != len(en):
        raise InputError(f"{path}: {path}.he has {len(he)} lines but {path}.en has {len(en)}")
    return [Pair(doc=path, he=h, en=e, score=0.0, he_line=i, en_line=i)
            for i, (h, e) in enumerate(zip(he, en), start=1)]


def read_tmx(path: str) -> list[Pair]:
    """Pairs from the ``he`` and ``en`` variants of each translation unit."""
    try:
        root = ET.parse(path).getroot()
    except (ET.ParseError, OSError) as exc:
        raise InputError(f"{path}: not a readable TMX file ({exc})") from None
    pairs = []
    for tu in root.iter("tu"):
        props = {p.get("type"): p.text for p in tu.findall("prop")}
        segs = {tuv.get(XML_LANG, "").split("-")[0].lower(): tuv for tuv in tu.findall("tuv")}
        if "he" not in segs or "en" not in segs:
            continue

        def prop(tuv, kind):
            return {p.get("type"): p.text for p in tuv.findall("prop")}.get(kind)

        def line(tuv):
            value = prop(tuv, "x-line")
            return int(value) if value else None

        count = props.get("x-count")
        pairs.append(Pair(doc=props.get("x-doc") or path,
                          he=segs["he"].findtext("seg", ""), en=segs["en"].findtext("seg", ""),
                          score=float(props.get("x-score") or 0.0),
                          he_line=line(segs["he"]), en_line=line(segs["en"]), mt=props.get("x-mt"),
                          he_element=prop(segs["he"], "x-element"),
                          en_element=prop(segs["en"], "x-element"), image=props.get("x-image"),
                          count=int(count) if count else None))
    return pairs


def read_parquet(path: str) -> list[Pair]:
    from .parquet import read_parquet as read

    return read(path)


def read_hf(path: str) -> list[Pair]:
    from .parquet import read_hf as read

    return read(path)


READERS: dict[str, Callable[[str], list[Pair]]] = {
    "jsonl": read_jsonl,
    "tsv": read_tsv,
    "tmx": read_tmx,
    "moses": read_moses,
    "parquet": read_parquet,
    "hf": read_hf,
}


def corpus_format(path: str) -> tuple[str, str]:
    """``(format, path)`` of a corpus: by extension (.jsonl .tsv .tmx), or a Moses pair
    given as PREFIX, PREFIX.he or PREFIX.en (returns the prefix)."""
    if path == STDOUT:  # "-": JSONL on standard input, as `align captions` writes it
        return "jsonl", path
    lower = path.lower()
    for ext, fmt in ((".jsonl", "jsonl"), (".json", "jsonl"), (".tsv", "tsv"), (".tmx", "tmx"),
                     (".parquet", "parquet")):
        if lower.endswith(ext):
            return fmt, path
    if os.path.isdir(path):  # a dataset folder that -f hf wrote
        return "hf", path
    for ext in (".he", ".en"):
        if lower.endswith(ext):
            path = path[: -len(ext)]
    if os.path.isfile(path + ".he") and os.path.isfile(path + ".en"):
        return "moses", path
    raise InputError(f"{path}: cannot tell the corpus format; name it .jsonl, .tsv, .tmx or "
                     ".parquet, give a dataset folder (-f hf), or the prefix of a Moses pair "
                     "PREFIX.he + PREFIX.en")


def read_corpus(path: str) -> tuple[str, list[Pair]]:
    """Read any corpus the writers write; returns its format and its pairs."""
    fmt, real = corpus_format(path)
    if fmt not in ("moses", "hf") and real != STDOUT and not os.path.isfile(real):
        raise InputError(f"{path}: no such file; check the path")
    return fmt, READERS[fmt](real)

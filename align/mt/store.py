"""Offline translation models: where they live, what kind they are, how they get installed.

A model is a folder holding a CTranslate2 model and its SentencePiece model(s), plus
a ``manifest.json`` written by ``align models import``:

- ``argos``: an Argos Translate package (``metadata.json``, ``model/``,
  ``sentencepiece.model`` for both sides);
- ``opus``: an OPUS-MT model converted by CTranslate2 (``model.bin``, ``source.spm``
  encodes, ``target.spm`` decodes);
- ``multilingual``: an NLLB / M2M-100 style model whose vocabulary holds language
  tokens (``heb_Hebr``/``eng_Latn`` or ``__he__``/``__en__``); the target language
  token is given as a prefix.

Search path: ``--models DIR``, then ``$ALIGN_MODELS``, then ``./models``, then the user
data folder (``$XDG_DATA_HOME/align/models``, by default ``~/.local/share/align/models``).
Nothing is downloaded except by ``align models install``.
"""
from __future__ import annotations

import json
import os
import re
import shutil
import stat
import tempfile
import time
import zipfile
from pathlib import Path

from align.errors import ModelError
from align.mt.model import (
    LANG_TOKENS,
    MANIFEST,
    Model,
    _read_json,
    sha256_file,
    vocabulary,
)

MAX_MODEL_BYTES = int(os.environ.get("ALIGN_MAX_MODEL_BYTES", 4 * 1024 ** 3))
MAX_ZIP_ENTRIES = 10_000
# Models `align models install` knows how to fetch (network needed, and only there).
KNOWN = {
    "argos-he-en": {
        "url": "https://argos-net.com/v1/translate-he_en-1_5.argosmodel",
        "kind": "argos", "license": "CC BY 4.0 (Argos Translate he-en package)"},
    "opus-mt-he-en": {
        "url": "https://object.pouta.csc.fi/Tatoeba-MT-models/heb-eng/opus-2020-10-04.zip",
        "kind": "opus", "license": "CC BY 4.0 (OPUS-MT Tatoeba-Challenge heb-eng)"},
}




def user_dir() -> Path:
    """The per-user models folder."""
    base = os.environ.get("XDG_DATA_HOME") or os.path.join(os.path.expanduser("~"), ".local", "share")
    return Path(base) / "align" / "models"


def search_path(explicit: str | None = None) -> list[Path]:
    """Folders searched for models, in order."""
    dirs = [Path(explicit)] if explicit else []
    if os.environ.get("ALIGN_MODELS"):
        dirs.append(Path(os.environ["ALIGN_MODELS"]))
    dirs += [Path("models"), user_dir()]
    seen, out = set(), []
    for d in dirs:
        key = os.path.abspath(d)
        if key not in seen:
            seen.add(key)
            out.append(d)
    return out


def install_dir(explicit: str | None = None) -> Path:
    """Where imports go: ``--models DIR``, else ``$ALIGN_MODELS``, else the user folder."""
    return Path(explicit or os.environ.get("ALIGN_MODELS") or user_dir())


def installed(explicit: str | None = None) -> list[Model]:
    """Every model with a manifest on the search path (first one wins per name)."""
    found: dict[str, Model] = {}
    for root in search_path(explicit):
        if not root.is_dir():
            continue
        for sub in sorted(root.iterdir()):
            if (sub / MANIFEST).is_file() and sub.name not in found:
                found[sub.name] = Model.load(sub)
    return list(found.values())


def find(name: str | None = None, explicit: str | None = None,
         source: str = "he", target: str = "en") -> Model:
    """The model called ``name``, or the first installed ``source``→``target`` model."""
    models = installed(explicit)
    if name:
        for m in models:
            if m.name == name:
                return m
        raise ModelError(f"no model named {name!r} on the search path "
                         f"({', '.join(map(str, search_path(explicit)))}); see `align models list`")
    for m in models:
        if (m.source_lang, m.target_lang) == (source, target):
            return m
    raise ModelError(f"no {source}→{target} translation model installed; get one with "
                     f"`align models import PATH` (an .argosmodel file or a converted model "
                     f"folder; see models/README.md)")




# ---------------------------------------------------------------- validation

def _safe_extract(archive: Path, dest: Path, max_bytes: int) -> None:
    """Extract a zip after checking every entry: no absolute paths, no ``..``, no links,
    no more than ``max_bytes`` uncompressed, no more than ``MAX_ZIP_ENTRIES`` entries."""
    try:
        zf = zipfile.ZipFile(archive)
    except (zipfile.BadZipFile, OSError) as exc:
        raise ModelError(f"{archive}: not a readable zip archive ({exc})") from None
    with zf:
        infos = zf.infolist()
        if len(infos) > MAX_ZIP_ENTRIES:
            raise ModelError(f"{archive}: {len(infos)} entries is more than a model has; refused")
        total = 0
        for info in infos:
            name = info.filename
            parts = Path(name.replace("\\", "/")).parts
            if name.startswith(("/", "\\")) or re.match(r"^[A-Za-z]:", name) or ".." in parts:
                raise ModelError(f"{archive}: entry {name!r} points outside the package "
                                 "(absolute path or '..'); refused")
            mode = info.external_attr >> 16
            if stat.S_ISLNK(mode):
                raise ModelError(f"{archive}: entry {name!r} is a symbolic link; refused")
            total += info.file_size
            if total > max_bytes:
                raise ModelError(f"{archive}: unpacks to more than {max_bytes} bytes; refused "
                                 "(raise ALIGN_MAX_MODEL_BYTES if the model really is that big)")
        for info in infos:
            target = dest.joinpath(*Path(info.filename.replace("\\", "/")).parts)
            if info.is_dir():
                target.mkdir(parents=True, exist_ok=True)
                continue
            target.parent.mkdir(parents=True, exist_ok=True)
            written = 0
            with zf.open(info) as src, open(target, "wb") as dst:
                for chunk in iter(lambda: src.read(1 << 20), b""):
                    written += len(chunk)
                    if written > info.file_size:  # a header that lies about its size
                        raise ModelError(f"{archive}: entry {info.filename!r} is larger than "
                                         "its header says; refused")
                    dst.write(chunk)


def _copy_folder(src: Path, dest: Path, max_bytes: int) -> None:
    """Copy a model folder after checking it holds no symbolic links and is not too big."""
    total = 0
    for root, dirs, files in os.walk(src, followlinks=False):
        for name in dirs + files:
            p = Path(root) / name
            if p.is_symlink():
                raise ModelError(f"{src}: {p.relative_to(src)} is a symbolic link; refused "
                                 "(copy the real file into the folder)")
        for name in files:
            total += (Path(root) / name).stat().st_size
            if total > max_bytes:
                raise ModelError(f"{src}: holds more than {max_bytes} bytes; refused "
                                 "(raise ALIGN_MAX_MODEL_BYTES if the model really is that big)")
    shutil.copytree(src, dest, dirs_exist_ok=True)


def _unwrap(folder: Path) -> Path:
    """An archive holding one top folder (as Argos packages do) is that folder."""
    entries = [e for e in folder.iterdir() if not e.name.startswith("__MACOSX")]
    if len(entries) == 1 and entries[0].is_dir():
        return entries[0]
    return folder






def identify(folder: Path, langs: str | None = None,
             label: str | None = None) -> tuple[str, str, str, str]:
    """``(kind, source_lang, target_lang, license)`` of a model folder, or ModelError.

    ``langs`` ("he-en") names the direction when the files cannot (plain OPUS-MT);
    otherwise it is guessed from ``label`` (the path the user gave), e.g. "opus-mt-he-en".
    """
    label = label or str(folder)
    given = tuple(langs.split("-", 1)) if langs else None
    if (folder / "metadata.json").is_file() and (folder / "model").is_dir():
        meta = _read_json(folder / "metadata.json")
        if not (folder / "sentencepiece.model").is_file():
            raise ModelError(f"{label}: Argos package without sentencepiece.model; refused")
        return ("argos", meta.get("from_code", ""), meta.get("to_code", ""),
                meta.get("package_license", meta.get("license", "")))
    if not (folder / "model.bin").is_file():
        raise ModelError(f"{label}: no model.bin and no Argos metadata.json: not a "
                         "CTranslate2 model (convert it with ct2-opus-mt-converter or "
                         "ct2-transformers-converter first)")
    vocab = set(vocabulary(folder))
    for he_tok, en_tok in LANG_TOKENS.values():
        if he_tok in vocab and en_tok in vocab:
            src, tgt = given or ("he", "en")
            return "multilingual", src, tgt, ""
    if (folder / "source.spm").is_file() and (folder / "target.spm").is_file():
        if given:
            return "opus", given[0], given[1], ""
        m = re.search(r"(?<![a-z])(he|heb|en|eng)[-_](he|heb|en|eng)(?![a-z])", Path(label).name.lower())
        if m:
            norm = {"heb": "he", "eng": "en"}
            return "opus", norm.get(m[1], m[1]), norm.get(m[2], m[2]), ""
        raise ModelError(f"{label}: an OPUS-MT model does not say its languages; "
                         "pass --langs he-en")
    raise ModelError(f"{label}: model.bin without source.spm/target.spm or language tokens; "
                     "copy the SentencePiece models into the folder")


# ---------------------------------------------------------------- import

def import_model(path: str, models_dir: str | None = None, name: str | None = None,
                 langs: str | None = None, force: bool = False,
                 max_bytes: int | None = None) -> Model:
    """Validate and install a model from a ``.argosmodel``/zip file or a folder.

    Everything happens in a staging folder beside the destination: extraction (with
    zip-slip, link and size checks), identification, a test translation through
    CTranslate2, the manifest. Only then is the folder renamed into place, so a refused
    or broken model leaves nothing behind.
    """
    src = Path(path)
    if not src.exists():
        raise ModelError(f"{path}: no such file or folder")
    max_bytes = MAX_MODEL_BYTES if max_bytes is None else max_bytes
    root = install_dir(models_dir)
    root.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".import-", dir=root))
    try:
        unpacked = staging / "unpacked"
        unpacked.mkdir()
        if src.is_dir():
            _copy_folder(src, unpacked, max_bytes)
        else:
            _safe_extract(src, unpacked, max_bytes)
        folder = _unwrap(unpacked)
        kind, source_lang, target_lang, licence = identify(folder, langs, label=path)
        if (source_lang, target_lang) != ("he", "en"):
            raise ModelError(f"{path}: translates {source_lang or '?'}→{target_lang or '?'}, "
                             "but align needs he→en; import a Hebrew-to-English model")
        model_name = name or _default_name(src, kind)
        model = Model(name=model_name, path=folder, kind=kind, source_lang=source_lang,
                      target_lang=target_lang, source=str(src.resolve()), license=licence)
        _smoke_test(model, path)
        model.files = {str(p.relative_to(folder)): sha256_file(p)
                       for p in sorted(folder.rglob("*")) if p.is_file()}
        model.size = sum((folder / rel).stat().st_size for rel in model.files)
        (folder / MANIFEST).write_text(json.dumps(model.manifest(), indent=2, ensure_ascii=False) + "\n",
                                       "utf-8")
        final = root / model_name
        if final.exists() or final.is_symlink():
            if not (final.is_dir() and not final.is_symlink() and (final / MANIFEST).is_file()):
                raise ModelError(f"{final} is in the way and is not a model align installed (it has no "
                                 f"{MANIFEST}); it is kept: give --name another name, or move it away")
            if not force:
                raise ModelError(f"a model named {model_name!r} is already installed in {root}; "
                                 "pass --force to replace it or --name to keep both")
            trash = staging / "replaced"
            final.rename(trash)
        folder.rename(final)
        model.path = final
        return model
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def _default_name(src: Path, kind: str) -> str:
    stem = src.name
    for suffix in (".argosmodel", ".zip"):
        if stem.endswith(suffix):
            stem = stem[: -len(suffix)]
    return re.sub(r"[^A-Za-z0-9._-]+", "-", stem).strip("-.") or kind


def _smoke_test(model: Model, path: str) -> None:
    """Load the model through CTranslate2 and translate one sentence, or refuse it."""
    from align.mt.translator import Translator

    try:
        out = Translator(model, beam_size=1, max_decoding_length=16).translate(["שלום לכולם."])
    except ModelError as exc:
        raise ModelError(f"{path}: refused: {exc}") from None
    if len(out) != 1:
        raise ModelError(f"{path}: the model gave no translation for a test sentence; refused")


# ---------------------------------------------------------------- other commands

def verify(model: Model) -> list[str]:
    """Files whose sha256 differs from the manifest, or that are missing."""
    bad = []
    for rel, digest in model.files.items():
        p = model.path / rel
        if not p.is_file() or sha256_file(p) != digest:
            bad.append(rel)
    return bad


def remove(name: str, models_dir: str | None = None) -> Path:
    """Delete an installed model folder (one with a manifest) and return its path."""
    model = find(name, models_dir)
    shutil.rmtree(model.path)
    return model.path


def install(name: str, models_dir: str | None = None, force: bool = False,
            timeout: float = 10.0) -> Model:
    """Download a known model, then import it (validation, test translation, manifest).

    With no network this fails at once, saying how to import a file instead.
    """
    import urllib.error
    import urllib.request

    if name not in KNOWN:
        raise ModelError(f"unknown model {name!r}; known: {', '.join(KNOWN)}")
    url = KNOWN[name]["url"]
    root = install_dir(models_dir)
    if (root / name).exists() and not force:  # before spending a download on it
        raise ModelError(f"{name} is already installed in {root}; pass --force to replace it")
    root.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix=".download-", dir=root) as tmp:
        archive = Path(tmp) / os.path.basename(url)
        started = time.monotonic()
        try:
            with urllib.request.urlopen(url, timeout=timeout) as resp, open(archive, "wb") as fh:
                shutil.copyfileobj(resp, fh, 1 << 20)
        except (urllib.error.URLError, OSError, TimeoutError) as exc:
            raise ModelError(
                f"cannot download {name} from {url} ({getattr(exc, 'reason', exc)}; "
                f"{time.monotonic() - started:.1f}s): no network? On a machine with access, "
                f"download that file, copy it here and run `align models import FILE`") from None
        folder = archive
        if KNOWN[name]["kind"] == "opus":
            folder = _convert_opus(archive, Path(tmp))
        model = import_model(str(folder), models_dir, name=name, langs="he-en", force=force)
        if not model.license:
            model.license = KNOWN[name]["license"]
            (model.path / MANIFEST).write_text(json.dumps(model.manifest(), indent=2) + "\n", "utf-8")
        return model


def _convert_opus(archive: Path, work: Path) -> Path:
    """Convert an original OPUS-MT (Marian) zip with CTranslate2's own converter."""
    from ctranslate2.converters import OpusMTConverter

    raw = work / "marian"
    _safe_extract(archive, raw, MAX_MODEL_BYTES)
    out = work / "opus-mt-he-en"
    try:
        OpusMTConverter(str(_unwrap(raw))).convert(str(out), quantization="int8")
    except Exception as exc:  # the converter raises many kinds; report them as one
        raise ModelError(f"{archive}: the OPUS-MT converter failed ({exc})") from None
    for spm in ("source.spm", "target.spm"):
        shutil.copy(_unwrap(raw) / spm, out / spm)
    return out

"""What a model folder is: an installed translation model described by its manifest
(name, kind, languages, files and their sha256), and the files of a CTranslate2 model."""
from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from align.errors import ModelError

MANIFEST = "manifest.json"


# Language tokens of multilingual models: (Hebrew, English) per family.
LANG_TOKENS = {"nllb": ("heb_Hebr", "eng_Latn"), "m2m100": ("__he__", "__en__")}


@dataclass
class Model:
    """An installed model: its folder and what its manifest says."""

    name: str
    path: Path
    kind: str
    source_lang: str
    target_lang: str
    files: dict[str, str] = field(default_factory=dict)   # relative path -> sha256
    size: int = 0
    source: str = ""
    license: str = ""

    @property
    def ct2_dir(self) -> Path:
        """The CTranslate2 model folder."""
        return self.path / "model" if self.kind == "argos" else self.path

    @property
    def model_sha256(self) -> str:
        """sha256 of the weights file, as recorded at import."""
        rel = "model/model.bin" if self.kind == "argos" else "model.bin"
        return self.files.get(rel, "")

    def manifest(self) -> dict:
        """The JSON form kept in the model folder."""
        return {"name": self.name, "kind": self.kind, "source_lang": self.source_lang,
                "target_lang": self.target_lang, "files": self.files, "size": self.size,
                "source": self.source, "license": self.license}

    @classmethod
    def load(cls, path: Path) -> Model:
        """Read ``path/manifest.json``."""
        try:
            data = json.loads((path / MANIFEST).read_text("utf-8"))
            return cls(name=data["name"], path=path, kind=data["kind"],
                       source_lang=data["source_lang"], target_lang=data["target_lang"],
                       files=data.get("files", {}), size=data.get("size", 0),
                       source=data.get("source", ""), license=data.get("license", ""))
        except (OSError, ValueError, KeyError) as exc:
            raise ModelError(f"{path}: unreadable {MANIFEST} ({exc}); "
                             f"remove the folder and import the model again") from None


def known_sha256(path: str | Path) -> str:
    """``sha256_file``, computed once per process while the file's size and time stay
    the same (a model's identity asked for by every run; ``verify`` reads afresh)."""
    st = os.stat(path)
    return _known_sha256(os.fspath(path), st.st_size, st.st_mtime_ns)


@lru_cache(maxsize=64)
def _known_sha256(path: str, size: int, mtime_ns: int) -> str:
    return sha256_file(path)


def sha256_file(path: str | Path) -> str:
    """Hex sha256 of a file."""
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _read_json(path: Path) -> dict:
    try:
        return json.loads(path.read_text("utf-8"))
    except (OSError, ValueError) as exc:
        raise ModelError(f"{path}: unreadable JSON ({exc})") from None


def vocabulary(ct2_dir: Path) -> list[str]:
    """The source (or shared) vocabulary of a CTranslate2 model folder."""
    for name in ("shared_vocabulary.json", "source_vocabulary.json"):
        if (ct2_dir / name).is_file():
            return list(_read_json(ct2_dir / name))
    for name in ("shared_vocabulary.txt", "source_vocabulary.txt"):
        if (ct2_dir / name).is_file():
            return (ct2_dir / name).read_text("utf-8").splitlines()
    return []

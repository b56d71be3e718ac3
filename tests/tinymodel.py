"""Build real, tiny CTranslate2 models for tests and benchmarks (their output is nonsense).

A SentencePiece model is trained on a few hundred Tatoeba lines (tests/data), and a
one-layer Transformer gets seeded random numpy weights; CTranslate2 saves it as a
genuine model directory that ``ctranslate2.Translator`` loads and runs.
"""
from __future__ import annotations

import io
import json
import os
import zipfile
from pathlib import Path

import numpy as np

DATA = Path(__file__).parent / "data"


def train_spm(out_prefix: str, vocab_size: int = 300) -> str:
    """Train a SentencePiece model on Hebrew and English lines; returns the .model path."""
    import sentencepiece as spm

    lines = []
    for row in (DATA / "tatoeba-400.tsv").read_text("utf-8").splitlines():
        lines += row.split("\t")
    spm.SentencePieceTrainer.train(
        sentence_iterator=iter(lines), model_prefix=out_prefix, vocab_size=vocab_size,
        character_coverage=1.0, model_type="unigram", num_threads=1, seed_sentencepiece_size=20000,
        minloglevel=2)
    return out_prefix + ".model"


def vocabulary(spm_path: str, extra: tuple[str, ...] = ()) -> list[str]:
    """The pieces of a SentencePiece model (ids 0..n-1), plus ``extra`` tokens."""
    import sentencepiece as spm

    sp = spm.SentencePieceProcessor(model_file=spm_path)
    return [sp.id_to_piece(i) for i in range(sp.get_piece_size())] + list(extra)


def save_transformer(out_dir: str, vocab: list[str], d_model: int = 16, ffn: int = 32,
                     heads: int = 2, seed: int = 0) -> str:
    """Save a one-layer Transformer with seeded random weights over ``vocab`` to ``out_dir``."""
    from ctranslate2.specs import transformer_spec

    rng = np.random.default_rng(seed)
    spec = transformer_spec.TransformerSpec.from_config(num_layers=1, num_heads=heads)
    V = len(vocab)

    def shape(path: list[str]) -> tuple[int, ...]:
        layer, parent = path[-2], path[-3] if len(path) > 2 else ""
        if path[-1] in ("gamma", "beta"):
            return (d_model,)
        if layer in ("embeddings_0", "embeddings", "projection"):
            return (V, d_model)
        if parent == "self_attention" and layer == "linear_0":
            return (3 * d_model, d_model)       # fused query, key, value
        if parent == "attention" and layer == "linear_1":
            return (2 * d_model, d_model)       # fused key, value over the encoder output
        if parent == "ffn":
            return (ffn, d_model) if layer == "linear_0" else (d_model, ffn)
        return (d_model, d_model)

    def fill(layer, name, value):
        if value is not None:  # set already, or an optional variable
            return
        path = name.split("/")
        if path[-1] == "gamma":
            arr = np.ones(d_model)
        elif path[-1] == "beta":
            arr = np.zeros(d_model)
        else:
            arr = rng.normal(0, 0.4, shape(path))
        setattr(layer, path[-1], arr.astype(np.float32))

    spec._visit(fill)
    spec.register_source_vocabulary(vocab)
    spec.register_target_vocabulary(vocab)
    spec.validate()
    spec.optimize(quantization=None)
    os.makedirs(out_dir, exist_ok=True)
    spec.save(out_dir)
    return out_dir


def argos_package(out_path: str, work: str, from_code: str = "he", to_code: str = "en",
                  version: str = "0.1") -> str:
    """A .argosmodel zip: one folder with metadata.json, model/ and sentencepiece.model.

    ``version="1.5"`` gives the layout of the real Argos 1.5 packages: the vocabulary as
    ``model/shared_vocabulary.txt`` (one token a line, as older CTranslate2 wrote it),
    a ``stanza/`` sentence-splitter folder and a README beside the model."""
    sp_path = train_spm(os.path.join(work, "sp"))
    model_dir = save_transformer(os.path.join(work, "ct2"), vocabulary(sp_path))
    top = f"translate-{from_code}_{to_code}-{version.replace('.', '_')}"
    meta = {"package_version": version, "argos_version": "1.9.0", "from_code": from_code,
            "from_name": from_code, "to_code": to_code, "to_name": to_code,
            "package_license": "CC0 (test model)"}
    files = {name: os.path.join(model_dir, name) for name in sorted(os.listdir(model_dir))}
    with zipfile.ZipFile(out_path, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr(f"{top}/metadata.json", json.dumps(meta))
        zf.write(sp_path, f"{top}/sentencepiece.model")
        if version == "1.5":
            tokens = json.loads(open(files.pop("shared_vocabulary.json"), encoding="utf-8").read())
            zf.writestr(f"{top}/model/shared_vocabulary.txt", "\n".join(tokens) + "\n")
            zf.writestr(f"{top}/stanza/he/tokenize/htb.pt", b"not a real stanza model")
            zf.writestr(f"{top}/README.md", "# Hebrew-English (tiny test model)\n")
        for name, path in files.items():
            zf.write(path, f"{top}/model/{name}")
    return out_path


def opus_folder(out_dir: str, work: str) -> str:
    """An OPUS-MT-style folder: model.bin, config, vocabulary, source.spm, target.spm."""
    sp_path = train_spm(os.path.join(work, "sp"))
    save_transformer(out_dir, vocabulary(sp_path))
    for name in ("source.spm", "target.spm"):
        with open(sp_path, "rb") as src, open(os.path.join(out_dir, name), "wb") as dst:
            dst.write(src.read())
    return out_dir


def multilingual_folder(out_dir: str, work: str) -> str:
    """An NLLB-style folder: language tokens in the vocabulary, sentencepiece.bpe.model."""
    sp_path = train_spm(os.path.join(work, "sp"))
    save_transformer(out_dir, vocabulary(sp_path, ("heb_Hebr", "eng_Latn", "fra_Latn")))
    with open(sp_path, "rb") as src, open(os.path.join(out_dir, "sentencepiece.bpe.model"), "wb") as dst:
        dst.write(src.read())
    return out_dir


def zip_bytes(entries: dict[str, bytes]) -> bytes:
    """A zip holding ``entries`` (name -> content)."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        for name, data in entries.items():
            zf.writestr(name, data)
    return buf.getvalue()

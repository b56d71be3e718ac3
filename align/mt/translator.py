"""Hebrew→English translation with an offline CTranslate2 + SentencePiece model.

The ``Translator`` loads nothing until its first ``translate`` call. It translates each
unique text once per run (results are cached by text), in batches of inputs of similar
length. Inputs longer than ``max_input_tokens`` SentencePiece tokens are truncated to
that length, with one warning per run naming how many were cut. Decoding is bounded by
the input: a translation has at most three times its source's tokens and ten more, and
never the same 4-gram twice, so a poor model cannot answer a two-word caption with a
page of repeats. Each translation keeps the model's mean token log-probability
(``confidence``), how sure the model was.
"""
from __future__ import annotations

import hashlib
import json
import logging
import os
import time
from collections.abc import Sequence
from typing import Any

from align.errors import ModelError
from align.mt.model import LANG_TOKENS, Model, vocabulary
from align.text import strip_points

log = logging.getLogger(__name__)

DEFAULT_BEAM = 2
DEFAULT_MAX_BATCH_TOKENS = 2048
DEFAULT_MAX_INPUT_TOKENS = 256
DEFAULT_NO_REPEAT = 4      # no 4-gram twice in one translation: a looping model stops
COMPUTE_TYPES = ("int8", "int8_float32", "float32")  # on CPU; int8 is the fastest
EOS = "</s>"


CACHE_LIMIT = 50_000  # translations kept; long runs forget the oldest half
KIND = "mt"           # the persistent cache's name for translations

class Translator:
    """Translate Hebrew strings to English with one installed model.

    ``inter_threads * intra_threads`` is kept within the machine's cores: by default
    one translation worker using every core.
    """

    def __init__(self, model: Model, beam_size: int = DEFAULT_BEAM, compute_type: str = "int8",
                 inter_threads: int = 1, intra_threads: int | None = None,
                 max_batch_tokens: int = DEFAULT_MAX_BATCH_TOKENS,
                 max_input_tokens: int = DEFAULT_MAX_INPUT_TOKENS,
                 max_decoding_length: int = 256, no_repeat_ngram_size: int = DEFAULT_NO_REPEAT):
        cores = os.cpu_count() or 1
        inter_threads = max(1, min(inter_threads, cores))
        self.model = model
        self.beam_size = beam_size
        self.compute_type = compute_type
        self.inter_threads = inter_threads
        self.intra_threads = intra_threads or max(1, cores // inter_threads)
        if self.inter_threads * self.intra_threads > cores:
            raise ModelError(f"{inter_threads} workers × {self.intra_threads} threads is more "
                             f"than this machine's {cores} cores; lower one of them")
        self.max_batch_tokens = max_batch_tokens
        self.max_input_tokens = max_input_tokens
        self.max_decoding_length = max_decoding_length
        self.no_repeat_ngram_size = no_repeat_ngram_size
        # CTranslate2's translator and SentencePiece's processors (untyped libraries), built on first use
        self._ct2: Any = None
        self._encoder: Any = None
        self._decoder: Any = None
        self._source_prefix: list[str] = []
        self._source_suffix: list[str] = []
        self._target_prefix: list[str] = []
        self._cache: dict[str, str] = {}
        self._logprob: dict[str, float] = {}  # mean token log-probability of each translation
        # a persistent cache (``align.runs.cache.EvidenceCache``) asked before the model
        self.store = None
        self.from_store = 0        # texts the persistent cache answered
        self.translated = 0        # texts sent to the model
        self.truncated = 0         # texts cut to max_input_tokens
        self.seconds = 0.0         # time inside translate_batch

    # ------------------------------------------------------------ loading
    def _load(self) -> None:
        if self._ct2 is not None:
            return
        import ctranslate2
        import sentencepiece as spm

        m = self.model
        try:
            self._ct2 = ctranslate2.Translator(str(m.ct2_dir), device="cpu",
                                               compute_type=self.compute_type,
                                               inter_threads=self.inter_threads,
                                               intra_threads=self.intra_threads)
        except (RuntimeError, ValueError, OSError) as exc:
            raise ModelError(f"model {m.name} at {m.ct2_dir} cannot be loaded by CTranslate2 "
                             f"({exc}); is model.bin complete? Run `align models verify` or "
                             "import the model again") from None
        src, tgt = self._spm_paths()
        try:
            self._encoder = spm.SentencePieceProcessor(model_file=str(src))
            self._decoder = spm.SentencePieceProcessor(model_file=str(tgt))
        except (RuntimeError, OSError) as exc:
            raise ModelError(f"model {m.name}: SentencePiece model cannot be loaded ({exc})") from None
        self._set_special_tokens()

    def _spm_paths(self):
        p = self.model.path
        if self.model.kind == "argos":
            return p / "sentencepiece.model", p / "sentencepiece.model"
        if self.model.kind == "opus":
            return p / "source.spm", p / "target.spm"
        for name in ("sentencepiece.bpe.model", "sentencepiece.model", "spm.model"):
            if (p / name).is_file():
                return p / name, p / name
        raise ModelError(f"model {self.model.name}: no SentencePiece model in {p}")

    def _set_special_tokens(self) -> None:
        """Language tokens for multilingual models, and ``</s>`` where the model expects
        it on the source (models converted from Transformers do not add it themselves)."""
        config = {}
        config_path = self.model.ct2_dir / "config.json"
        if config_path.is_file():
            config = json.loads(config_path.read_text("utf-8"))
        if self.model.kind == "multilingual":
            vocab = set(vocabulary(self.model.ct2_dir))
            for he_tok, en_tok in LANG_TOKENS.values():
                if he_tok in vocab and en_tok in vocab:
                    self._source_prefix, self._target_prefix = [he_tok], [en_tok]
                    break
            self._source_suffix = [EOS]
        elif self.model.kind == "opus" and not config.get("add_source_eos", False):
            self._source_suffix = [EOS]

    # ------------------------------------------------------------ translating
    def _tokens(self, text: str) -> list[str]:
        pieces = self._encoder.encode(text, out_type=str)
        room = self.max_input_tokens - len(self._source_prefix) - len(self._source_suffix)
        if len(pieces) > room:
            self.truncated += 1
            pieces = pieces[:room]
        return self._source_prefix + pieces + self._source_suffix

    def bound(self, source_tokens: int) -> int:
        """The most tokens a translation of ``source_tokens`` SentencePiece tokens may
        have: three times the source and ten more (a poor model can loop for ever)."""
        return min(self.max_decoding_length, 3 * source_tokens + 10)

    def _groups(self, todo: list[str], tokens: dict[str, list[str]]) -> list[list[str]]:
        """``todo`` in batches of similar length (shortest first), each within
        ``max_batch_tokens`` padded tokens, so that a batch's decoding bound is close to
        each of its inputs' own."""
        groups: list[list[str]] = []
        for key in sorted(todo, key=lambda k: (len(tokens[k]), k)):
            if groups and (len(groups[-1]) + 1) * len(tokens[key]) <= self.max_batch_tokens:
                groups[-1].append(key)
            else:
                groups.append([key])
        return groups

    def translate(self, texts: Sequence[str]) -> list[str]:
        """English for each Hebrew text, in order; each unique text is translated once."""
        keys = [strip_points(t).strip() for t in texts]
        if len(self._cache) > CACHE_LIMIT:  # keep memory flat on endless input
            for key in list(self._cache)[: len(self._cache) - CACHE_LIMIT // 2]:
                del self._cache[key]
                self._logprob.pop(key, None)
        todo = [k for k in dict.fromkeys(keys) if k and k not in self._cache]
        if todo and self.store is not None:
            for key, value in self.store.get_raw(KIND, self.cache_key, todo).items():
                logprob, _, text = value.decode("utf-8").partition("\t")
                self._cache[key], self._logprob[key] = text, float(logprob)
                self.from_store += 1
            todo = [k for k in todo if k not in self._cache]
        if todo:
            self._translate(todo)
        return [self._cache.get(k, "") if k else "" for k in keys]

    def confidence(self, texts: Sequence[str]) -> list[float | None]:
        """The model's mean token log-probability of each text's translation (None for
        a text not translated yet, or empty): how sure the model was."""
        return [self._logprob.get(strip_points(t).strip()) for t in texts]

    def _translate(self, todo: list[str]) -> None:
        self._load()
        truncated_before = self.truncated
        tokens = {k: self._tokens(k) for k in todo}
        skip = len(self._target_prefix)
        start = time.perf_counter()
        for group in self._groups(todo, tokens):
            limits = [self.bound(len(tokens[k]) - len(self._source_prefix) - len(self._source_suffix))
                      for k in group]
            results = self._ct2.translate_batch(
                [tokens[k] for k in group],
                target_prefix=[list(self._target_prefix) for _ in group] if skip else None,
                beam_size=self.beam_size, max_batch_size=self.max_batch_tokens, batch_type="tokens",
                max_input_length=0, max_decoding_length=max(limits) + skip,
                no_repeat_ngram_size=self.no_repeat_ngram_size, return_scores=True)
            for key, limit, result in zip(group, limits, results):
                pieces = [p for p in result.hypotheses[0][skip:] if p != EOS][:limit]
                self._cache[key] = self._decoder.decode(pieces)
                self._logprob[key] = float(result.scores[0]) if result.scores else 0.0
        self.seconds += time.perf_counter() - start
        self.translated += len(todo)
        if self.store is not None:
            self.store.put_raw(KIND, self.cache_key, {k: f"{self._logprob[k]!r}\t{self._cache[k]}".encode()
                                                      for k in todo})
        cut = self.truncated - truncated_before
        if cut:
            log.warning("%d input(s) longer than %d tokens were truncated before translation",
                        cut, self.max_input_tokens)

    @property
    def cache_key(self) -> str:
        """What a translation depends on besides its text: the sha256 of every file of
        the model (weights, SentencePiece models, config, as its manifest records them)
        and the decoding settings (the persistent cache's key for this translator)."""
        files = hashlib.sha256(json.dumps(self.model.files, sort_keys=True).encode()).hexdigest()
        return (f"{files}:beam{self.beam_size}:{self.compute_type}:in{self.max_input_tokens}"
                f":out{self.max_decoding_length}:3n+10:norepeat{self.no_repeat_ngram_size}")

    def signature(self) -> dict:
        """Model identity for corpus signatures."""
        return {"translation_model": self.model.name, "translation_kind": self.model.kind,
                "translation_sha256": self.model.model_sha256, "beam_size": self.beam_size,
                "compute_type": self.compute_type,
                "decoding": f"at most 3 x source tokens + 10 (cap {self.max_decoding_length}), "
                            f"no {self.no_repeat_ngram_size}-gram twice"}

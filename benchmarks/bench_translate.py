"""Speed of ``align.translate.Translator`` on a real tiny CTranslate2 model.

- translations per second for several token batch sizes;
- the wrapper against ``ctranslate2.Translator.translate_batch`` called directly on the
  same, already tokenised input with the same options (beam 2, no 4-gram twice,
  scores): in the wrapper's own batches with their bounds (``same_batches``: what the
  wrapper adds is SentencePiece encoding and decoding, grouping and caching), and in one
  call capped at the longest input's bound (``one_call``: what grouping saves);
- the longest translation against its bound (3 x source tokens + 10): as its batch
  generated it, before the wrapper cuts it at its own bound, and its text encoded
  again by SentencePiece;
- how many translations run when one caption appears N times (must be 1).

The tiny model (tests/tinymodel.py: one layer, d=16, random weights) makes the model's
own work small, so the overhead measured here is an upper bound for real models.

    python benchmarks/bench_translate.py
"""
from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, ".."))
sys.path.insert(0, os.path.join(HERE, "..", "tests"))

import tinymodel  # noqa: E402

from align.mt.store import import_model  # noqa: E402
from align.mt.translator import Translator  # noqa: E402


def hebrew_lines() -> list[str]:
    rows = (tinymodel.DATA / "tatoeba-400.tsv").read_text("utf-8").splitlines()
    return [row.split("\t")[0] for row in rows]


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--copies", type=int, default=3, help="input = the 400 lines this many times, made unique")
    args = parser.parse_args(argv)
    texts = [f"{line} {k}" for k in range(args.copies) for line in hebrew_lines()]
    report: dict = {"inputs": len(texts), "beam_size": 2, "batches": []}
    with tempfile.TemporaryDirectory() as tmp:
        package = tinymodel.argos_package(os.path.join(tmp, "tiny-he_en.argosmodel"), tmp)
        model = import_model(package, os.path.join(tmp, "models"))
        for tokens in (256, 1024, 4096):
            # One engine for both measurements, runs interleaved: idle OpenMP threads
            # of a second engine, or a drifting machine, would otherwise decide the result.
            t = Translator(model, max_batch_tokens=tokens)
            t.translate(texts[:1])
            batch = [t._tokens(x) for x in texts]
            tokens_of = dict(zip(texts, batch))
            sources = [len(t._encoder.encode(x)) for x in texts]
            cap = max(t.bound(n) for n in sources)  # one call: the longest input's bound for all
            groups = [(g, max(t.bound(len(tokens_of[k]) - 1) for k in g)) for g in t._groups(texts, tokens_of)]
            options = {"beam_size": 2, "max_batch_size": tokens, "batch_type": "tokens", "max_input_length": 0,
                       "no_repeat_ngram_size": t.no_repeat_ngram_size, "return_scores": True}
            one_call, same_batches, wrapped_times = [], [], []
            for _ in range(args.repeat):
                start = time.perf_counter()
                t._ct2.translate_batch(batch, max_decoding_length=cap, **options)
                one_call.append(time.perf_counter() - start)
                start = time.perf_counter()
                generated = []
                for group, limit in groups:
                    found = t._ct2.translate_batch([tokens_of[k] for k in group], max_decoding_length=limit,
                                                   **options)
                    generated += [(len(r.hypotheses[0]), t.bound(len(tokens_of[k]) - 1))
                                  for k, r in zip(group, found)]
                same_batches.append(time.perf_counter() - start)
                t._cache.clear()
                start = time.perf_counter()
                out = t.translate(texts)
                wrapped_times.append(time.perf_counter() - start)
            one_s, same_s, wrapped_s = min(one_call), min(same_batches), min(wrapped_times)
            # a translation's tokens as its batch generated them (the wrapper then cuts each at
            # its own bound), and its text encoded again
            before_cut = max(n / bound for n, bound in generated)
            again = max(len(t._decoder.encode(e)) / (3 * n + 10) for e, n in zip(out, sources))
            report["batches"].append({
                "max_batch_tokens": tokens,
                "translate_batch_one_call_per_s": round(len(texts) / one_s, 1),
                "translate_batch_same_batches_per_s": round(len(texts) / same_s, 1),
                "wrapper_translations_per_s": round(len(texts) / wrapped_s, 1),
                "wrapper_over_same_batches": round(wrapped_s / same_s, 3),
                "wrapper_over_one_call": round(wrapped_s / one_s, 3),
                "generated_before_cut_over_bound_max": round(before_cut, 3),
                "reencoded_tokens_over_bound_max": round(again, 3),
            })
            del t
        for n in (1, 10, 1000):
            t = Translator(model)
            t.translate(["מערכת חץ 3"] * n)
            report.setdefault("translations_for_n_copies", {})[n] = t.translated
    print(json.dumps(report, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())

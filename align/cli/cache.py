"""``align cache stats|clear``: what the evidence cache holds, and emptying it."""
from __future__ import annotations

import argparse
import os
import sys


def _cache(args, parser) -> int:
    from align.runs.cache import FILE, EvidenceCache, default_folder

    folder = os.path.abspath(args.cache) if args.cache else default_folder()
    path = os.path.join(folder, FILE)
    if not os.path.exists(path):
        print(f"align cache: no cache at {path}" + (" (nothing to clear)" if args.action == "clear" else ""))
        return 0
    store = EvidenceCache(folder)
    if args.action == "clear":
        n = store.entries()
        store.clear()
        print(f"align cache: {n} entries removed from {path}")
        return 0
    size = store.bytes_used()
    last = store.last_run()
    print(f"cache   {path}")
    print(f"entries {store.entries()}")
    print(f"size    {size / 1024 ** 2:.1f} MiB of vectors, {os.path.getsize(path) / 1024 ** 2:.1f} MiB on disk")
    if last is not None:
        asked = last.hits + last.misses
        rate = f"{last.hits / asked:.1%}" if asked else "-"
        print(f"last run: {last.hits} of {asked} strings from the cache (hit rate {rate}), {last.written} stored")
    sys.stdout.flush()
    return 0


def _add_cache(sub) -> None:
    c = sub.add_parser("cache", help="what the evidence cache holds (stats), or empty it (clear)",
                       description="The evidence cache keeps what cost a model call between runs (sentence\n"
                                   "and word embeddings, latent terms, machine translations, langdetect's\n"
                                   "verdicts), keyed by the sha256 of the model and its settings and of the\n"
                                   "exact text (default folder: $ALIGN_CACHE, else ~/.cache/align). Commands\n"
                                   "that score take --cache DIR, --no-cache and --cache-size.",
                       epilog="examples:\n  align cache stats                 # entries, size, hit rate of the "
                              "last run\n  align cache clear --cache /tmp/c   # empty that cache",
                       formatter_class=argparse.RawDescriptionHelpFormatter)
    c.add_argument("action", choices=["stats", "clear"])
    c.add_argument("--cache", metavar="DIR", help="the cache folder (default: $ALIGN_CACHE, else ~/.cache/align)")
    c.set_defaults(func=_cache, subparser=c)

"""The persistent evidence cache (``align.runs.cache``): answers, faults, load."""
import multiprocessing
import os
import signal
import sqlite3
import stat

import numpy as np
import pytest

from align.runs.cache import FILE, CacheError, EvidenceCache


def vectors(texts, dim=8, seed=0):
    rng = np.random.default_rng(seed)
    return {t: rng.standard_normal(dim).astype(np.float32) for t in texts}


def test_what_is_stored_comes_back_exactly(tmp_path):
    cache = EvidenceCache(str(tmp_path))
    items = vectors(["שלום", "hello", "a"])
    cache.put("e5", "m1", items)
    found = EvidenceCache(str(tmp_path)).get("e5", "m1", ["hello", "שלום", "missing", "hello"])
    assert set(found) == {"hello", "שלום"}
    for text, vector in found.items():
        assert vector.dtype == np.float32 and np.array_equal(vector, items[text])


@pytest.mark.parametrize("kind, model", [("e5", "m2"), ("latent", "m1")])
def test_another_model_or_kind_never_sees_the_vectors(tmp_path, kind, model):
    cache = EvidenceCache(str(tmp_path))
    cache.put("e5", "m1", vectors(["hello"]))
    assert cache.get(kind, model, ["hello"]) == {}
    assert cache.stats.misses == 1


def test_counts_hits_misses_and_writes(tmp_path):
    cache = EvidenceCache(str(tmp_path))
    cache.put("e5", "m", vectors(["a", "b"]))
    cache.get("e5", "m", ["a", "b", "c"])
    assert (cache.stats.hits, cache.stats.misses, cache.stats.written) == (2, 1, 2)


@pytest.mark.parametrize("content, why", [
    (b"hello, I am a text file" * 100, "not a usable align cache"),
    (b"", None),                       # an empty file is a new database: used
])
def test_a_foreign_or_damaged_file_is_refused_naming_it(tmp_path, content, why):
    (tmp_path / FILE).write_bytes(content)
    if why is None:
        EvidenceCache(str(tmp_path)).put("e5", "m", vectors(["a"]))
        return
    with pytest.raises(CacheError, match=f"{FILE} is {why}.*align cache clear"):
        EvidenceCache(str(tmp_path))


def test_another_programs_sqlite_file_is_refused(tmp_path):
    db = sqlite3.connect(tmp_path / FILE)
    db.execute("CREATE TABLE t (x)")
    db.commit()
    db.close()
    with pytest.raises(CacheError, match="holds no align cache"):
        EvidenceCache(str(tmp_path))


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes read-only folders")
def test_a_read_only_folder_reads_and_says_so_once(tmp_path):
    EvidenceCache(str(tmp_path)).put("e5", "m", vectors(["a"]))
    said = []
    os.chmod(tmp_path, stat.S_IRUSR | stat.S_IXUSR)
    try:
        cache = EvidenceCache(str(tmp_path), warn=said.append)
        cache.put("e5", "m", vectors(["b"]))
        assert set(cache.get("e5", "m", ["a", "b"])) <= {"a"}
    finally:
        os.chmod(tmp_path, stat.S_IRWXU)
    assert len(said) <= 1


def test_a_folder_that_cannot_be_made_means_no_cache(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    said = []
    cache = EvidenceCache(str(blocker / "cache"), warn=said.append)
    cache.put("e5", "m", vectors(["a"]))
    assert cache.get("e5", "m", ["a"]) == {} and len(said) == 1 and "running without it" in said[0]


def test_the_least_recently_used_go_first_past_the_size(tmp_path):
    one = 8 * 4  # bytes of one vector
    cache = EvidenceCache(str(tmp_path), size=10 * one)
    for k in range(10):
        cache.put("e5", "m", vectors([f"s{k}"], seed=k))
    cache.get("e5", "m", ["s0"])          # s0 is used again: it stays
    cache.put("e5", "m", vectors(["new"]))
    kept = cache.get("e5", "m", [f"s{k}" for k in range(10)] + ["new"])
    assert "s0" in kept and "new" in kept and "s1" not in kept
    assert cache.bytes_used() <= 10 * one


def _writer(folder, start, n):
    cache = EvidenceCache(folder)
    for k in range(start, start + n, 10):
        cache.put("e5", "m", {f"t{j}": np.full(8, j, dtype=np.float32) for j in range(k, k + 10)})


def test_several_processes_write_at_once(tmp_path):
    ctx = multiprocessing.get_context("spawn")
    procs = [ctx.Process(target=_writer, args=(str(tmp_path), 1000 * w, 300)) for w in range(3)]
    for p in procs:
        p.start()
    for p in procs:
        p.join(60)
        assert p.exitcode == 0
    texts = [f"t{j}" for w in range(3) for j in range(1000 * w, 1000 * w + 300)]
    found = EvidenceCache(str(tmp_path)).get("e5", "m", texts)
    assert len(found) == 900 and all(v[0] == int(t[1:]) for t, v in found.items())


def _endless_writer(folder):
    cache = EvidenceCache(folder)
    k = 0
    while True:
        cache.put("e5", "m", {f"t{j}": np.full(64, j, dtype=np.float32) for j in range(k, k + 200)})
        k += 200


def test_a_write_killed_half_way_leaves_a_cache_that_answers(tmp_path):
    ctx = multiprocessing.get_context("spawn")
    p = ctx.Process(target=_endless_writer, args=(str(tmp_path),))
    p.start()
    cache = EvidenceCache(str(tmp_path))
    for _ in range(200):   # wait until it has written something
        if cache.entries() >= 400:
            break
        p.join(0.05)
    os.kill(p.pid, signal.SIGKILL)
    p.join()
    again = EvidenceCache(str(tmp_path))
    n = again.entries()
    assert n >= 400 and n % 200 == 0      # whole batches only
    found = again.get("e5", "m", [f"t{j}" for j in range(n)])
    assert len(found) == n and all(v[0] == int(t[1:]) for t, v in found.items())
    assert again.db_ok()


class _FullDisk:
    """A connection whose writes fail as SQLite's do on a full disk."""

    def __init__(self, db):
        self.db = db

    def execute(self, sql, *args):
        if sql.startswith(("BEGIN", "INSERT", "UPDATE")):
            raise sqlite3.OperationalError("database or disk is full")
        return self.db.execute(sql, *args)

    def executemany(self, sql, *args):
        raise sqlite3.OperationalError("database or disk is full")


def test_a_full_disk_lets_the_run_go_on_and_says_so_once(tmp_path):
    said = []
    cache = EvidenceCache(str(tmp_path), warn=said.append)
    cache.put("e5", "m", vectors(["a"]))
    cache._db = _FullDisk(cache._db)
    cache.put("e5", "m", vectors(["b"]))
    cache.put("e5", "m", vectors(["c"]))
    assert set(cache.get("e5", "m", ["a", "b", "c"])) == {"a"}
    assert len(said) == 1 and "disk is full" in said[0] and not cache.writable


def test_the_embedder_asks_the_cache_before_the_model_and_gives_the_same_vectors(tmp_path):
    from align.scoring.embedding import Embedder

    texts = ["שלום לכולם", "Hello everyone", "Tom was poor."]
    cold = Embedder(store=EvidenceCache(str(tmp_path)))
    first = cold.embed(texts)
    assert cold.embedded == 3 and cold.from_store == 0
    warm = Embedder(store=EvidenceCache(str(tmp_path)))
    again = warm.embed(texts + ["new one"])
    assert warm.from_store == 3 and warm.embedded == 1
    assert np.array_equal(again[:3], first)
    assert np.array_equal(again[3], Embedder().embed(["new one"])[0])


def test_latent_terms_come_from_the_cache_the_same_and_another_head_misses(tmp_path):
    from align.scoring.embedding import Embedder
    from align.scoring.sparse import LatentTerms

    texts = ["שלום לכולם", "Hello everyone"]
    cold = LatentTerms(Embedder(store=EvidenceCache(str(tmp_path))))
    first = cold.encode(texts)
    assert cold.encoded == 2
    warm = LatentTerms(Embedder(store=EvidenceCache(str(tmp_path))))
    again = warm.encode(texts)
    assert warm.encoded == 0
    for (i1, v1), (i2, v2) in zip(first, again):
        assert i2.dtype == np.int32 and np.array_equal(i1, i2) and np.array_equal(v1, v2)
    other = LatentTerms(Embedder(store=EvidenceCache(str(tmp_path))))
    other._model_key = "another sparse head"
    other.encode(texts)
    assert other.encoded == 2


def test_translations_come_from_the_cache_and_a_changed_setting_misses(tmp_path, tiny):
    from align.mt import store as models
    from align.mt.translator import Translator

    model = models.import_model(str(tiny["argos"]), str(tmp_path / "models"))
    texts = ["שלום לכולם", "מה שלומך?"]
    cold = Translator(model)
    cold.store = EvidenceCache(str(tmp_path / "cache"))
    first = cold.translate(texts)
    assert cold.translated == 2
    warm = Translator(model)
    warm.store = EvidenceCache(str(tmp_path / "cache"))
    assert warm.translate(texts + [""]) == first + [""]
    assert (warm.translated, warm.from_store) == (0, 2)
    wider = Translator(model, beam_size=4)
    wider.store = EvidenceCache(str(tmp_path / "cache"))
    wider.translate(texts)
    assert wider.translated == 2


# --- the command line ------------------------------------------------------------------

def _captions(capsys, *args):
    from conftest import SAMPLE

    from align.cli import main

    status = main(["captions", str(SAMPLE), *args])
    out, err = capsys.readouterr()
    return status, out, err


def test_a_warm_run_embeds_nothing_and_writes_the_same_bytes(tmp_path, capsys):
    from align.runs.cache import EvidenceCache

    folder = tmp_path / "c"
    cold = _captions(capsys, "--cache", str(folder), "--standard", "lenient")
    n = EvidenceCache(str(folder)).entries()
    assert cold[0] == 0 and n > 0
    warm = _captions(capsys, "--cache", str(folder), "--standard", "lenient")
    plain = _captions(capsys, "--no-cache", "--standard", "lenient")
    assert warm[1] == cold[1] == plain[1] and cold[1].count("\n") == 2
    assert EvidenceCache(str(folder)).entries() == n
    from align.cli import main

    assert main(["cache", "stats", "--cache", str(folder)]) == 0
    stats = capsys.readouterr().out
    assert f"entries {n}" in stats and "hit rate" in stats


def test_no_cache_writes_no_cache(tmp_path, capsys):
    assert _captions(capsys, "--no-cache")[0] == 0
    assert not (tmp_path / "home").exists() or not any((tmp_path / "home").rglob("evidence.sqlite"))


def test_cache_clear_empties_it(tmp_path, capsys):
    from align.cli import main
    from align.runs.cache import EvidenceCache

    EvidenceCache(str(tmp_path)).put("e5", "m", vectors(["a", "b"]))
    assert main(["cache", "clear", "--cache", str(tmp_path)]) == 0
    assert "2 entries removed" in capsys.readouterr().out
    assert EvidenceCache(str(tmp_path)).entries() == 0


def test_a_damaged_cache_stops_the_run_naming_it_and_the_way_out(tmp_path, capsys):
    (tmp_path / FILE).write_bytes(b"not sqlite at all" * 200)
    status, out, err = _captions(capsys, "--cache", str(tmp_path))
    assert status == 1 and out == ""
    assert str(tmp_path / FILE) in err and "align cache clear" in err and "--no-cache" in err


@pytest.mark.parametrize("size, message", [("lots", "is not a size"), ("0", "must be above 0")])
def test_a_bad_cache_size_is_a_usage_error(capsys, size, message):
    with pytest.raises(SystemExit) as exit_:
        _captions(capsys, "--cache-size", size)
    assert exit_.value.code == 2 and message in capsys.readouterr().err


@pytest.mark.parametrize("text, size", [
    ("500M", 500 * 1024 ** 2), ("2G", 2 * 1024 ** 3), ("1.5GB", int(1.5 * 1024 ** 3)), ("4096", 4096),
    ("10KiB", 10 * 1024),
])
def test_sizes_read_as_people_write_them(text, size):
    from align.runs.cache import parse_size

    assert parse_size(text) == size


def test_the_summary_says_how_many_strings_came_from_the_cache(tmp_path, capsys):
    folder = str(tmp_path / "c")
    _captions(capsys, "--cache", folder)
    status, _, err = _captions(capsys, "--cache", folder, "-v")
    assert status == 0
    line = next(ln for ln in err.splitlines() if "from the cache" in ln)
    hits, asked = line.split()[1], line.split()[3]
    assert hits == asked and int(hits) > 0 and "0 stored" in line


@pytest.mark.slow
def test_worker_processes_share_the_cache_and_the_output_stays_the_same(tmp_path, capsys):
    from conftest import PAGES

    from align.cli import main
    from align.runs.cache import EvidenceCache

    pages = sorted(str(p) for p in PAGES.glob("*.txt"))[:8]
    outs = []
    for k, args in enumerate([["--no-cache"], ["--cache", str(tmp_path / "c")], ["--cache", str(tmp_path / "c")]]):
        out = tmp_path / f"out{k}.jsonl"
        assert main(["captions", *pages, "--workers", "2", "-o", str(out), *args]) == 0
        outs.append(out.read_bytes())
        if k == 1:
            filled = EvidenceCache(str(tmp_path / "c")).entries()
    capsys.readouterr()
    assert outs[0] == outs[1] == outs[2] and outs[0].count(b"\n") > 5
    assert filled > 0 and EvidenceCache(str(tmp_path / "c")).entries() == filled
    last = EvidenceCache(str(tmp_path / "c")).last_run()  # the workers' answers, counted by the parent
    assert last is not None and last.hits >= filled and last.misses == last.written == 0


def test_calibrate_then_captions_with_the_calibration_computes_nothing_new(tmp_path, capsys):
    from test_calibrate import LABELS, PAGES

    from align.cli import main

    folder = str(tmp_path / "c")
    cal = str(tmp_path / "cal.json")
    assert main(["calibrate", str(LABELS), *map(str, PAGES), "-o", cal, "--cache", folder]) == 0
    capsys.readouterr()
    assert main(["captions", *map(str, PAGES), "-o", str(tmp_path / "p.jsonl"), "--calibration", cal,
                 "--cache", folder, "-v"]) == 0
    line = next(ln for ln in capsys.readouterr().err.splitlines() if "from the cache" in ln)
    hits, asked = map(int, line.split("align: ")[1].split(" strings")[0].split(" of "))
    assert hits == asked > 0 and line.endswith(", 0 stored")


@pytest.mark.parametrize("command", [
    ["check", "tests/data/check/corrupted.tsv", "-o", "{out}.jsonl"],
    ["documents", "tests/data/docs/doc000.he", "tests/data/docs/doc000.en", "-o", "{out}.jsonl"],
])
def test_check_and_documents_fill_the_cache_and_a_second_run_computes_nothing(tmp_path, capsys, command):
    from pathlib import Path

    from align.cli import main

    root = Path(__file__).parent.parent
    folder = str(tmp_path / "c")
    for k in range(2):
        args = [a.format(out=tmp_path / f"out{k}") if "{out}" in a else str(root / a) if "/" in a else a
                for a in command]
        assert main([*args, "--cache", folder, "--force"]) in (0, 3)
        if k == 0:
            filled = EvidenceCache(folder).entries()
    capsys.readouterr()
    last = EvidenceCache(folder).last_run()
    assert filled > 0 and last is not None and last.hits > 0 and last.misses == last.written == 0
    assert (tmp_path / "out0.jsonl").read_bytes() == (tmp_path / "out1.jsonl").read_bytes()

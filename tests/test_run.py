"""Corpus-scale runs: the same output for any number of workers or engine, resumable
after SIGKILL, deduplication, progress."""
from __future__ import annotations

import io
import json
import os
import signal
import subprocess
import sys
import time
from dataclasses import asdict
from pathlib import Path

import pytest

from align.cli import main
from align.formats import read_corpus
from align.records import Pair
from align.runs.engine import Result
from align.runs.journal import Journal, dedup
from align.runs.progress import Progress
from align.runs.registry import Settings

DATA = Path(__file__).parent / "data"
HEADER = {"settings": asdict(Settings()), "format": "jsonl", "dedup": False}  # a default run
PAGES = sorted((DATA / "pages").glob("*.txt"))
HTML = sorted((DATA / "html").glob("*.html"))


@pytest.fixture(scope="module")
def records(tmp_path_factory):
    """160 documents as JSONL records: the text fixture pages and the HTML pages, repeated
    under different ids."""
    path = tmp_path_factory.mktemp("records") / "records.jsonl"
    rows = []
    for copy in range(5):
        rows += [{"id": f"{copy}/{p.name}", "text": p.read_text("utf-8")} for p in PAGES]
        rows += [{"id": f"{copy}/{p.name}", "html": p.read_bytes().decode("utf-8", "replace")}
                 for p in HTML[:4]]
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), "utf-8")
    return path


@pytest.fixture(scope="module")
def reference(records, tmp_path_factory):
    """The uninterrupted single-process run over ``records``."""
    out = tmp_path_factory.mktemp("reference") / "pairs.jsonl"
    assert main(["captions", str(records), "-o", str(out)]) == 0
    return out.read_bytes()


def test_reference_run_finds_pairs_and_leaves_no_journal(reference, records, tmp_path):
    assert reference.count(b"\n") > 250  # the 32 pages five times, under the strict standard
    out = tmp_path / "pairs.jsonl"
    assert main(["captions", str(records), "-o", str(out)]) == 0
    assert sorted(os.listdir(tmp_path)) == ["pairs.jsonl", "pairs.jsonl.meta.json"]


@pytest.mark.slow
def test_two_workers_give_the_same_output(records, reference, tmp_path):
    out = tmp_path / "pairs.jsonl"
    assert main(["captions", str(records), "-o", str(out), "--workers", "2"]) == 0
    assert out.read_bytes() == reference


@pytest.mark.slow
def test_dask_engine_on_a_local_cluster_gives_the_same_output_one_model_per_worker(
        records, reference, tmp_path):
    from dask.distributed import Client, LocalCluster

    out = tmp_path / "pairs.jsonl"
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                      dashboard_address=None) as cluster, Client(cluster) as client:
        status = main(["captions", str(records), "-o", str(out), "--engine", "dask",
                       "--scheduler", cluster.scheduler_address])
        loads = client.run(lambda: __import__("align.runs.registry").runs.registry.COUNTS.copy())
    assert status == 0
    assert out.read_bytes() == reference
    used = [c for c in loads.values() if c["chunks"]]
    assert used and all(c["scorers"] == 1 for c in used)  # one model per worker process
    assert sum(c["chunks"] for c in used) == 5            # 160 documents, 32 a chunk


@pytest.mark.slow
def test_resume_after_sigkill_gives_exactly_the_uninterrupted_output(records, reference, tmp_path):
    out = tmp_path / "pairs.jsonl"
    progress = tmp_path / "pairs.jsonl.progress"
    cmd = [sys.executable, "-m", "align", "captions", str(records), "-o", str(out)]
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and proc.poll() is None:
        if progress.exists() and progress.read_text("utf-8").count("\n") > 40:
            break  # the header and more than one chunk of documents are recorded
        time.sleep(0.01)
    assert proc.poll() is None, "the run ended before it could be killed"
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    assert not out.exists() and progress.exists()
    done = progress.read_text("utf-8").count("\n") - 1
    assert 0 < done < 160

    r = subprocess.run(cmd, capture_output=True)
    assert r.returncode == 2 and b"--resume" in r.stderr  # no silent restart

    r = subprocess.run(cmd + ["--resume", "-v"], capture_output=True)
    assert r.returncode == 0, r.stderr
    assert f"resumed after {done}".encode() in r.stderr
    assert out.read_bytes() == reference
    assert not progress.exists() and not Path(str(out) + ".partial").exists()


def _journal_run(records, out, *extra):
    return main(["captions", str(records), "-o", str(out), *extra])


@pytest.mark.slow
@pytest.mark.parametrize("damage", ["torn manifest line", "pairs past the manifest", "both"])
def test_resume_cuts_back_to_the_last_recorded_document(records, reference, tmp_path, damage):
    """What a kill between writing pairs and recording them leaves behind."""
    out = tmp_path / "pairs.jsonl"
    assert _journal_run(records, out) == 0
    # Rebuild the state of a run killed after 64 documents.
    journal = Journal(str(out))
    rows = reference.decode("utf-8").splitlines(keepends=True)
    docs = [json.loads(line)["id"] for line in records.read_text("utf-8").splitlines()]
    kept = [r for r in rows if json.loads(r)["doc"] in set(docs[:64])]
    header = HEADER
    journal.start(header)
    journal.close()
    with open(journal.partial, "w", encoding="utf-8") as fh:
        fh.writelines(kept)
    end = os.path.getsize(journal.partial)
    with open(journal.progress, "a", encoding="utf-8") as fh:
        for i, doc in enumerate(docs[:64]):
            fh.write(json.dumps({"i": i, "doc": doc, "pairs": 0, "end": end}) + "\n")
        if damage in ("torn manifest line", "both"):
            fh.write('{"i": 64, "doc": "tor')
    if damage in ("pairs past the manifest", "both"):
        with open(journal.partial, "a", encoding="utf-8") as fh:
            fh.write(rows[len(kept)])
            fh.write('{"doc": "half a li')
    os.unlink(out)
    assert _journal_run(records, out, "--resume", "--workers", "2") == 0
    assert out.read_bytes() == reference


@pytest.mark.parametrize("change, message", [
    (["-f", "jsonl", "--threshold", "0.7"], "other settings (settings differ)"),
    (["-f", "jsonl", "--dedup"], "other settings (dedup differ)"),
    (["-f", "tsv"], "other settings (format differ)"),
])
def test_resume_refuses_other_settings(records, tmp_path, capsys, change, message):
    out = tmp_path / "pairs.out"  # a name that says no format: -f decides
    Journal(str(out)).start(HEADER)
    assert _journal_run(records, out, "--resume", *change) == 1
    assert message in capsys.readouterr().err


def test_resume_refuses_changed_inputs(records, tmp_path, capsys):
    out = tmp_path / "pairs.jsonl"
    journal = Journal(str(out))
    journal.start(HEADER)
    journal.record([Result(0, "some/other/doc")])
    journal.close()
    assert _journal_run(records, out, "--resume") == 1
    assert "the inputs changed since the interrupted run" in capsys.readouterr().err


@pytest.mark.parametrize("args, message", [
    (["--resume"], "--resume continues the run that writes -o OUT"),
    (["-o", "X.jsonl", "--resume", "--force"], "choose one"),
    (["--scheduler", "tcp://h:1"], "--scheduler is for --engine dask"),
    (["--workers", "0"], "must be 1 or more"),
])
def test_run_usage_errors(records, tmp_path, capsys, args, message):
    with pytest.raises(SystemExit) as exc:
        main(["captions", str(records), *[str(tmp_path / a) if a.startswith("X") else a for a in args]])
    assert exc.value.code == 2
    assert message in capsys.readouterr().err


def test_resume_of_a_finished_run_does_nothing(records, tmp_path, capsys):
    out = tmp_path / "pairs.jsonl"
    out.write_text("done\n")
    assert _journal_run(records, out, "--resume") == 0
    assert "finished already" in capsys.readouterr().err
    assert out.read_text() == "done\n"


def _pair(he, en, doc="d", score=0.9):
    return Pair(doc=doc, he=he, en=en, score=score)


def test_dedup_keeps_first_place_and_counts():
    pairs = [_pair("א", "a", "d1"), _pair("ב", "b", "d1"), _pair("א", "a", "d2"),
             _pair("א", "A", "d2"), _pair("א", "a", "d3")]
    out = list(dedup(lambda: iter(pairs)))
    assert [(p.he, p.en, p.doc, p.count) for p in out] == [
        ("א", "a", "d1", 3), ("ב", "b", "d1", 1), ("א", "A", "d2", 1)]


@pytest.mark.parametrize("fmt, name", [("jsonl", "c.jsonl"), ("tsv", "c.tsv"), ("tmx", "c.tmx")])
def test_dedup_on_the_command_line_writes_counts_each_format_can_read(tmp_path, fmt, name):
    page = DATA / "ynetnews-gallant-trip.txt"
    copies = []
    for i in range(3):
        copies.append(tmp_path / f"copy{i}.txt")
        copies[-1].write_bytes(page.read_bytes())
    out = tmp_path / name
    assert main(["captions", *map(str, copies), "-f", fmt, "-o", str(out), "--dedup", "--standard", "lenient"]) == 0
    _, pairs = read_corpus(str(out))
    assert len(pairs) == 2 and {p.count for p in pairs} == {3}


def test_dedup_to_stdout(capsys):
    page = str(DATA / "ynetnews-gallant-trip.txt")
    assert main(["captions", page, page, "--dedup", "--standard", "lenient"]) == 0
    rows = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [r["count"] for r in rows] == [2, 2]


class _Tty(io.StringIO):
    def isatty(self):
        return True


@pytest.mark.parametrize("stream, shown", [(_Tty(), True), (io.StringIO(), False)])
def test_progress_line_only_on_a_terminal(stream, shown):
    progress = Progress(stream=stream, every=0)
    for i in range(3):
        progress.update(Result(i, f"d{i}", [_pair("א", "a")] * 2, None if i else "bad"))
    progress.close()
    text = stream.getvalue()
    assert ("align: 3 docs [" in text and "6 pairs, 1 failed]" in text and "doc/s" in text) == shown
    assert (text == "") != shown


# --- document alignment in batch form uses the same runner ---------------------------

DOCS = DATA / "docs"


@pytest.fixture(scope="module")
def doc_list(tmp_path_factory):
    folder = tmp_path_factory.mktemp("doclist")
    stems = sorted(p.stem for p in DOCS.glob("*.he"))
    path = folder / "list.tsv"
    path.write_text("".join(f"{DOCS / s}.he\t{DOCS / s}.en\n" for s in stems))
    return path, len(stems)


@pytest.fixture(scope="module")
def doc_reference(doc_list, tmp_path_factory):
    out = tmp_path_factory.mktemp("docref") / "beads.jsonl"
    assert main(["documents", str(doc_list[0]), "--presplit", "-o", str(out)]) == 0
    return out.read_bytes()


@pytest.mark.slow
def test_documents_batch_rows_hold_every_bead_with_its_doc(doc_reference, doc_list):
    rows = [json.loads(line) for line in doc_reference.decode("utf-8").splitlines()]
    assert len({r["doc"] for r in rows}) == doc_list[1]
    assert set(rows[0]) - {"below_threshold"} == {"doc", "he_ids", "en_ids", "he", "en", "score", "he_lines",
                                                   "en_lines", "encoding"}
    assert {r["encoding"] for r in rows} == {"utf-8"}
    assert any(not r["he_ids"] or not r["en_ids"] for r in rows)  # 1-0 / 0-1 beads kept


@pytest.mark.slow
def test_documents_batch_two_workers_same_output(doc_list, doc_reference, tmp_path):
    out = tmp_path / "beads.jsonl"
    assert main(["documents", str(doc_list[0]), "--presplit", "-o", str(out), "--workers", "2"]) == 0
    assert out.read_bytes() == doc_reference


@pytest.mark.slow
def test_documents_batch_resumes_after_a_crash(doc_list, doc_reference, tmp_path):
    from align.formats.beads import write_beads
    from align.inputs.pairs import document_pairs, pair_items
    from align.runs.journal import run

    out = tmp_path / "beads.jsonl"

    def dying(items, after):
        for n, item in enumerate(items):
            if n == after:
                raise KeyboardInterrupt  # the process dies mid-run
            yield item

    items = dying(pair_items(document_pairs([str(doc_list[0])])), 5)
    settings = Settings(task="documents", presplit=True)
    with pytest.raises(KeyboardInterrupt):
        run(items, settings, str(out), "jsonl", {}, writer=write_beads, progress=None)
    assert not out.exists() and Path(str(out) + ".progress").exists()
    assert main(["documents", str(doc_list[0]), "--presplit", "-o", str(out), "--resume"]) == 0
    assert out.read_bytes() == doc_reference


@pytest.mark.slow
def test_documents_corpus_format_from_a_batch_leaves_out_one_sided_beads(doc_list, tmp_path):
    out = tmp_path / "corpus.tsv"
    assert main(["documents", str(doc_list[0]), "--presplit", "-f", "tsv", "-o", str(out)]) == 0
    rows = [line.split("\t") for line in out.read_text("utf-8").splitlines()]
    assert rows and all(r[0] and r[1] for r in rows)
    meta = json.loads(Path(str(out) + ".meta.json").read_text())
    assert meta["scorer"] == "auto" and meta["presplit"] is True   # beads scored as pairs are


def test_a_journal_that_cannot_be_written_is_a_clear_error(tmp_path, capsys):
    out = tmp_path / "pairs.jsonl"
    (tmp_path / "pairs.jsonl.partial").mkdir()  # in the way of the journal: refused before any work
    assert main(["captions", str(DATA / "ynetnews-gallant-trip.txt"), "-o", str(out)]) == 2
    assert "pairs.jsonl.partial (the run's journal) is a folder in the way" in capsys.readouterr().err
    assert not out.exists()


@pytest.mark.slow
def test_an_unreachable_dask_scheduler_is_a_clear_error(records, tmp_path, capsys, monkeypatch):
    import socket

    monkeypatch.setattr("align.runs.engine.SCHEDULER_TIMEOUT", "1s")
    with socket.socket() as probe:  # a free port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    status = main(["captions", str(records), "-o", str(tmp_path / "p.jsonl"), "--engine", "dask",
                   "--scheduler", f"tcp://127.0.0.1:{port}"])
    assert status == 1
    assert f"cannot reach the Dask scheduler at tcp://127.0.0.1:{port}" in capsys.readouterr().err


@pytest.mark.slow
def test_a_worker_killed_mid_run_is_a_clear_error_and_the_run_resumes(records, reference, tmp_path, capsys):
    """A worker process dies (as the OOM killer would do it): the run stops with a message,
    and --resume then ends with the uninterrupted output."""
    out = tmp_path / "pairs.jsonl"
    import align.runs.engine as runner

    original = runner.align_chunk
    try:
        runner.TASKS["captions"] = _die_on_third_chunk
        status = main(["captions", str(records), "-o", str(out), "--workers", "2"])
    finally:
        runner.TASKS["captions"] = original
    assert status == 1
    assert "a worker was lost (BrokenProcessPool" in capsys.readouterr().err
    assert main(["captions", str(records), "-o", str(out), "--resume"]) == 0
    assert out.read_bytes() == reference


def _die_on_third_chunk(settings, chunk):
    from align.runs.engine import align_chunk

    if chunk[0][0] == 64:
        os.kill(os.getpid(), signal.SIGKILL)
    return align_chunk(settings, chunk)


# --- Nothing lost, nothing left behind: killed parents, SIGTERM, concurrent runs, full disks.

def _children(pid: int) -> list[int]:
    found = []
    for task in os.listdir(f"/proc/{pid}/task"):
        try:
            found += [int(p) for p in Path(f"/proc/{pid}/task/{task}/children").read_text().split()]
        except OSError:
            pass
    return found


def _alive(pid: int) -> bool:
    """Running, not a zombie waiting for a reaper."""
    try:
        state = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return False
    return "\nState:\tZ" not in state


def _start(cmd, progress: Path, lines: int, timeout: float = 120):
    """Start ``cmd``; return it once its manifest holds more than ``lines`` lines."""
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and proc.poll() is None:
        if progress.exists() and progress.read_text("utf-8").count("\n") > lines:
            return proc
        time.sleep(0.01)
    raise AssertionError(f"the run ended or stalled before its manifest had {lines} lines")


@pytest.mark.slow
@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
@pytest.mark.parametrize("engine", ["local", "dask"])
def test_workers_die_with_their_parent_however_it_dies(big_records, tmp_path, engine):
    out = tmp_path / "pairs.jsonl"
    cmd = [sys.executable, "-m", "align", "captions", str(big_records[0]), "-o", str(out), "--workers", "2",
           "--engine", engine]
    proc = _start(cmd, Path(str(out) + ".progress"), 1)
    workers = [p for p in _children(proc.pid) if _alive(p)]
    assert len(workers) >= 2
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    _gone_within(workers, 5)


def _gone_within(pids: list[int], seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline and any(_alive(p) for p in pids):
        time.sleep(0.05)
    left = {p: Path(f"/proc/{p}/cmdline").read_bytes()[:120] for p in pids if _alive(p)}
    assert not left, f"processes outlived their parent: {left}"


@pytest.mark.slow
@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
def test_sigterm_is_ctrl_c_exit_143_journal_kept_no_worker_left_and_resume_is_exact(records, reference, tmp_path):
    out = tmp_path / "pairs.jsonl"
    progress = Path(str(out) + ".progress")
    cmd = [sys.executable, "-m", "align", "captions", str(records), "-o", str(out), "--workers", "2"]
    proc = _start(cmd, progress, 1)
    workers = [p for p in _children(proc.pid) if _alive(p)]
    proc.send_signal(signal.SIGTERM)
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 143
    assert b"terminated (SIGTERM)" in err and b"--resume" in err
    assert not out.exists() and progress.exists()
    _gone_within(workers, 5)
    r = subprocess.run(cmd + ["--resume"], capture_output=True)
    assert r.returncode == 0, r.stderr
    assert out.read_bytes() == reference


@pytest.mark.slow
def test_a_second_run_writing_the_same_output_is_refused_naming_the_first(records, tmp_path, capsys):
    out = tmp_path / "pairs.jsonl"
    cmd = [sys.executable, "-m", "align", "captions", str(records), "-o", str(out)]
    proc = _start(cmd, Path(str(out) + ".progress"), 1)
    try:
        assert main(["captions", str(records), "-o", str(out), "--resume"]) == 1
        err = capsys.readouterr().err
        assert f"another align run is writing it now (pid {proc.pid}, started " in err
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.wait()
    # the killed run's lock is not stale: the same command resumes at once
    assert main(["captions", str(records), "-o", str(out), "--resume"]) == 0
    assert sorted(os.listdir(tmp_path)) == ["pairs.jsonl", "pairs.jsonl.meta.json"]


def _limited(limit: int):
    def set_limit():
        import resource

        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))
    return set_limit


@pytest.mark.slow
@pytest.mark.parametrize("where", ["journal", "output"])
def test_a_full_disk_is_a_clear_error_and_resume_on_a_freed_disk_is_exact(records, tmp_path, where):
    """A file-size limit stands in for a full disk. ``journal``: the limit is hit while
    documents are recorded; ``output``: the journal fits but the TMX written from it at
    the end does not (TMX is larger than the JSONL journal)."""
    reference = tmp_path / "reference.tmx"
    assert main(["captions", str(records), "-f", "tmx", "-o", str(reference)]) == 0
    journal_size = sum(len(json.dumps(p.to_dict(), ensure_ascii=False).encode()) + 1
                       for p in read_corpus(str(reference))[1])
    limit = journal_size // 2 if where == "journal" else journal_size + 4096
    assert limit < reference.stat().st_size
    out = tmp_path / "pairs.tmx"
    cmd = [sys.executable, "-m", "align", "captions", str(records), "-f", "tmx", "-o", str(out)]
    r = subprocess.run(cmd, capture_output=True, text=True, preexec_fn=_limited(limit))
    assert r.returncode == 1, r.stderr
    assert "Traceback" not in r.stderr and "--resume" in r.stderr
    assert ("cannot write the run's journal" if where == "journal" else "cannot be written") in r.stderr
    assert not out.exists() and not [f for f in os.listdir(tmp_path) if f.endswith(".tmp")]
    assert Path(str(out) + ".progress").exists()
    r = subprocess.run(cmd + ["--resume"], capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    assert out.read_bytes() == reference.read_bytes()


@pytest.fixture(scope="module")
def big_records(records, tmp_path_factory):
    """Four times ``records`` under other ids (640 documents, 20 chunks), and the bytes
    of an uninterrupted run over them."""
    folder = tmp_path_factory.mktemp("big")
    rows = [json.loads(line) for line in records.read_text("utf-8").splitlines()]
    path = folder / "records.jsonl"
    path.write_text("".join(json.dumps({**r, "id": f"{k}/{r['id']}"}, ensure_ascii=False) + "\n"
                            for k in range(4) for r in rows), "utf-8")
    out = folder / "reference.jsonl"
    assert main(["captions", str(path), "-o", str(out)]) == 0
    return path, out.read_bytes()


@pytest.mark.slow
@pytest.mark.parametrize("workers", [1, 2])
def test_chaos_five_sigkills_at_random_moments_then_resume_is_byte_identical(big_records, tmp_path, workers):
    import random

    records, reference = big_records
    rng = random.Random(workers)
    out = tmp_path / "pairs.jsonl"
    progress = Path(str(out) + ".progress")
    cmd = [sys.executable, "-m", "align", "captions", str(records), "-o", str(out), "--workers", str(workers)]
    def recorded() -> int:
        return progress.read_text("utf-8").count("\n") - 1 if progress.exists() else 0

    kills = []
    for k in range(5):
        proc = subprocess.Popen(cmd + (["--resume"] if k else []), stdout=subprocess.DEVNULL,
                                stderr=subprocess.PIPE)
        # a random moment: after 0 to 3 more chunks are recorded (0: during start-up),
        # then up to half a second on, inside a chunk or a journal write
        target = min(recorded() + 32 * rng.randint(0, 4), 576)
        while proc.poll() is None and recorded() < target:
            time.sleep(0.005)
        time.sleep(rng.uniform(0.0, 0.3))
        if proc.poll() is None:
            proc.send_signal(signal.SIGKILL)
            kills.append(recorded())
        _, err = proc.communicate()
        assert proc.returncode in (0, -signal.SIGKILL), err
        if proc.returncode == 0:
            break
    assert len(kills) >= 3, kills
    print(f"workers={workers}: SIGKILL after {kills} recorded documents")
    if not out.exists():
        r = subprocess.run(cmd + ["--resume"], capture_output=True)
        assert r.returncode == 0, r.stderr
    assert out.read_bytes() == reference
    assert sorted(os.listdir(tmp_path)) == ["pairs.jsonl", "pairs.jsonl.meta.json"]


@pytest.mark.slow
def test_a_run_removes_what_a_killed_final_write_left(records, tmp_path):
    """Found by the chaos test: a SIGKILL during the final write left the writer's
    temporary file beside OUT for good."""
    out = tmp_path / "pairs.jsonl"
    (tmp_path / ".pairs.jsonl.k1f3x9ab.tmp").write_text("half a file")
    (tmp_path / ".pairs.jsonl.meta.json.q2w8e7cd.tmp").write_text("{")
    (tmp_path / ".other.jsonl.z9z9z9ef.tmp").write_text("not ours")
    assert main(["captions", str(records), "-o", str(out)]) == 0
    assert sorted(os.listdir(tmp_path)) == [".other.jsonl.z9z9z9ef.tmp", "pairs.jsonl", "pairs.jsonl.meta.json"]

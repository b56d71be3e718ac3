"""Every way two outputs of one command, or an output and an input, can be one file:
the table ``test_owned.py`` runs and ``benchmarks/bench_collisions.py`` counts.

Written from what the commands document (``--help``: a format's sidecar, a Moses pair's
two sides, a run's journal), not from align's own list of them, so that the table
checks that list too. Each case is a command line run in a folder holding the files of
``make_tree`` and a label; every one must be refused (exit 2) before any work, and
leave every file as it was.
"""
from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

HERE = Path(__file__).parent
DATA = HERE / "data"
NOTES = "my notes: do not lose\n"

# what each command reads and the outputs it has: option -> the formats it may write
# (None: one file of a fixed kind)
COMMANDS = {
    "captions": (["p.html"], {"-o": ["jsonl", "tsv", "tmx", "moses", "parquet", "hf"], "--report": [None]}),
    "check": (["mine.tsv"], {"-o": [None], "--report": [None],
                             "--keep": ["jsonl", "tsv", "tmx", "moses", "parquet", "hf"]}),
    "documents": (["article.txt", "notes.txt"], {"-o": ["jsonl", "vecalign", "tsv", "tmx", "moses", "parquet",
                                                          "hf"]}),
    "calibrate": (["labels.jsonl", "p.html"], {"-o": [None]}),
}
NAMED = {".jsonl": "jsonl", ".tsv": "tsv", ".tmx": "tmx", ".parquet": "parquet"}  # -o's name says the format
JOURNALED = {("captions", "-o")}  # a run with a journal beside -o OUT


def make_tree(work: Path) -> None:
    """The files a case runs among: a page, an article, notes, a corpus, labels, and a
    symlink to each input (``lnk-NAME``); a subfolder ``sub`` with notes."""
    (work / "sub").mkdir(parents=True)
    shutil.copy(DATA / "html" / "news-gallery.html", work / "p.html")
    shutil.copy(DATA / "ynetnews-gallant-trip.txt", work / "article.txt")
    (work / "notes.txt").write_text(NOTES)
    (work / "sub" / "notes.txt").write_text(NOTES)
    (work / "mine.tsv").write_text("שלום\thello\t0.9\n")
    (work / "labels.jsonl").write_text(json.dumps({"he": "א", "en": "a", "label": "T", "doc": "p.html"}) + "\n")
    for name in ("p.html", "article.txt", "notes.txt", "mine.tsv", "labels.jsonl"):
        os.symlink(name, work / f"lnk-{name}")


def files_of(command: str, option: str, fmt: str | None, value: str) -> list[str]:
    """The files ``option value`` writes, as the help says."""
    if option == "--report" or (option == "-o" and command in ("check", "calibrate")):
        return [value]
    files = {"moses": [value + ".he", value + ".en", value + ".meta.json"], "tmx": [value],
             "parquet": [value], "hf": [value]}.get(fmt or "", [value, value + ".meta.json"])
    if (command, option) in JOURNALED:
        files += [value + ".partial", value + ".progress", value + ".lock"]
    return files


def _format_args(command: str, option: str, fmt: str | None) -> list[str]:
    if fmt is None:
        return []
    return ["--keep-format", fmt] if option == "--keep" else ["-f", fmt]


def _base(command: str) -> list[str]:
    inputs, _ = COMMANDS[command]
    return [command, *inputs] + (["-q"] if command == "check" else [])


def spellings(name: str) -> list[str]:
    """One file named five ways: plain, ./, through .., absolute (``{work}``: the folder
    the case runs in), through a symlink."""
    return [name, f"./{name}", f"sub/../{name}", f"{{work}}/{name}", f"lnk-{name}"]


def cases() -> list[tuple[str, list[str]]]:
    """``(label, argv)`` of every clash: for each command, each output option and format,
    each file it writes, named again by another output option (two spellings), or an
    output named as each input (each spelling), or a dataset folder holding an input."""
    out: list[tuple[str, list[str]]] = []
    for command, (inputs, options) in COMMANDS.items():
        base = _base(command)
        for a, formats in options.items():
            for fmt in formats:
                for f in files_of(command, a, fmt, "out"):
                    for b in options:
                        if b == a:
                            continue
                        for spelled in (f, f"sub/../{f}"):
                            label = f"{command} {a} out [{fmt}] / {b} {spelled}"
                            out.append((label, [*base, a, "out", *_format_args(command, a, fmt), b, spelled,
                                                *_format_args(command, b, options[b][0])]))
                if fmt == "hf":
                    for b in options:
                        if b != a:
                            out.append((f"{command} {a} out [hf] / {b} inside it",
                                        [*base, a, "out", *_format_args(command, a, fmt), b, "out/x.html",
                                         *_format_args(command, b, options[b][0])]))
                for name in inputs:
                    for spelled in spellings(name):
                        ext = os.path.splitext(spelled)[1]
                        if fmt == "moses" or NAMED.get(ext, fmt) != fmt:
                            continue  # a prefix (none of the inputs is a .he or .en); a name saying another format
                        out.append((f"{command} {a} [{fmt}] = input {spelled}",
                                    [*base, a, spelled, *_format_args(command, a, fmt), "--force"]))
                if fmt == "hf":
                    for folder in (".", "sub", "{work}"):
                        argv = [*base, a, folder, *_format_args(command, a, fmt), "--force"]
                        if folder == "sub":  # an input in it
                            argv = [command, "sub/notes.txt", *argv[len(base):]] if command == "captions" else None
                        if argv:
                            out.append((f"{command} {a} [hf] = folder {folder} holding an input", argv))
    return out


def snapshot(root: Path) -> dict[str, str]:
    """Every file under ``root`` (symlinks as their target) and its bytes."""
    import hashlib

    out = {}
    for folder, dirs, files in os.walk(root):
        for name in files + [d for d in dirs if os.path.islink(os.path.join(folder, d))]:
            path = os.path.join(folder, name)
            rel = os.path.relpath(path, root)
            out[rel] = ("-> " + os.readlink(path) if os.path.islink(path)
                        else hashlib.sha256(Path(path).read_bytes()).hexdigest())
    return out


# --- any combination (the property test) ----------------------------------------------

NAMES = [".", "..", "p.html", "./p.html", "sub/../p.html", "lnk-p.html", "notes.txt", "sub", "sub/notes.txt",
         "sub/x.jsonl", "out.jsonl", "out.jsonl.meta.json", "out.jsonl.partial", "ds", "ds/r.html", "mine.tsv",
         "labels.jsonl", "r.html", "c", "c.he"]
FORMATS = ["jsonl", "tsv", "tmx", "moses", "parquet", "hf"]


def any_command():
    """A hypothesis strategy: a captions or check command line with any outputs named
    from ``NAMES`` (inputs, folders above, one another's sidecars...), with or
    without --force. captions uses the surface scorer: no model, fast."""
    from hypothesis import strategies as st

    @st.composite
    def build(draw):
        if draw(st.booleans()):
            argv = ["captions", draw(st.sampled_from(["p.html", ".", "sub", "lnk-p.html"])), "--scorer", "surface",
                    "-q"]
            if draw(st.booleans()):
                argv += ["-f", draw(st.sampled_from(FORMATS))]
        else:
            argv = ["check", draw(st.sampled_from(["mine.tsv", "lnk-mine.tsv"])), "-q"]
            if draw(st.booleans()):
                argv += ["--keep", draw(st.sampled_from(NAMES)), "--keep-format", draw(st.sampled_from(FORMATS))]
        for option in ("-o", "--report"):
            if draw(st.booleans()):
                argv += [option, draw(st.sampled_from(NAMES))]
        return argv + (["--force"] if draw(st.booleans()) else [])

    return build()


def changed_by(root: Path, runs, chdir) -> list[str]:
    """Make the tree in ``root``/work (a sentinel in ``root``, which is ``..``), run each
    command line of ``runs`` there (``chdir``: how to enter it), and return the files
    that were there before and are changed or gone after."""
    from align.cli import main

    work = root / "work"
    make_tree(work)
    (root / "sentinel.txt").write_text(NOTES)
    chdir(work)
    before = snapshot(root)
    for argv in runs:
        try:
            main(list(argv))
        except SystemExit:  # a usage error argparse reports (e.g. -f moses to stdout)
            pass
    after = snapshot(root)
    return sorted(name for name, digest in before.items() if after.get(name) != digest)

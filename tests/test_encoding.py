"""Every input as it comes (issue 33): pages in every encoding a Hebrew site declares,
mislabelled or declaring nothing, read as browsers read them; never a traceback."""
from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from align.encoding import check_label, decode, decode_text, detect, visual_to_logical
from align.errors import InputError
from align.inputs.html import parse_html

ALT = "שר האוצר מציג את התקציב"
TITLE = "The finance minister presents the budget"


def page(meta: str | None = None, alt: str = ALT) -> str:
    head = f'<head><meta charset="{meta}"></head>' if meta is not None else ""
    return f"<html>{head}<body><p>חדשות</p><img src='a.jpg' alt='{alt}' title='{TITLE}'></body></html>"


EXPECTED = parse_html(page().encode("utf-8"), "p.html").lines

# Every WHATWG label of the encodings a Hebrew page is written in (the Encoding Standard's
# table, as of 2024), with a codec that writes such bytes.
LABELS = {
    "utf-8": ["unicode-1-1-utf-8", "unicode11utf8", "unicode20utf8", "utf-8", "utf8", "x-unicode20utf8", "UTF-8",
              " utf-8 "],
    "cp1255": ["cp1255", "windows-1255", "x-cp1255", "Windows-1255"],
    "iso8859_8": ["csiso88598i", "iso-8859-8-i", "logical", "ISO-8859-8-I"],
}


@pytest.mark.parametrize("codec, label", [(c, label) for c, labels in LABELS.items() for label in labels])
@pytest.mark.parametrize("where", ["meta", "transport"])
def test_every_label_of_a_hebrew_encoding_reads_the_page(codec, label, where):
    if where == "meta":
        lines = parse_html(page(label).encode(codec), "p.html").lines
    else:
        lines = parse_html(page().encode(codec), "p.html", charset=label).lines
    assert lines == EXPECTED


# Labels that declare nothing usable: unknown to the standard, typos, and the standard's
# own "replacement" and "x-user-defined".
UNUSABLE = ["x-mac-hebrew", "bogus-charset", "utf-9", "hebrew-ish", "", "iso-2022-kr", "csiso2022kr", "hz-gb-2312",
            "replacement", "x-user-defined", "iso-8859-8-x", "ISO_8859-8-I"]


@pytest.mark.parametrize("label", UNUSABLE)
@pytest.mark.parametrize("codec", ["utf-8", "cp1255"])
def test_an_unknown_or_unusable_label_falls_through_to_the_bytes(label, codec):
    assert parse_html(page(label).encode(codec), "p.html").lines == EXPECTED
    assert parse_html(page().encode(codec), "p.html", charset=label).lines == EXPECTED


@pytest.mark.parametrize("label", ["windows-1252", "latin1", "ascii", "iso-8859-1", "us-ascii", "utf-16",
                                   "utf-16le", "windows-1255", "iso-8859-8"])
def test_a_page_in_utf8_labelled_otherwise_is_read_as_utf8(label):
    decoded = decode(page(label).encode("utf-8"), html=True)
    assert decoded.encoding == "utf-8"
    assert parse_html(page(label).encode("utf-8"), "p.html").lines == EXPECTED


def test_a_western_page_is_still_read_as_declared():
    text = "<html><head><meta charset='latin1'></head><body><p>Café au lait, déjà vu</p></body></html>"
    assert parse_html(text.encode("cp1252"), "p.html").lines == ["Café au lait, déjà vu"]


@pytest.mark.parametrize("codec, expected", [("cp1255", "windows-1255"), ("utf-8", "utf-8")])
def test_a_page_declaring_nothing(codec, expected):
    document = parse_html(page().encode(codec), "p.html")
    assert document.lines == EXPECTED and document.encoding == expected


def test_a_byte_order_mark_wins_over_the_meta():
    data = page("windows-1255").encode("utf-16")
    assert decode(data, html=True).how == "bom"
    assert parse_html(data, "p.html").lines == EXPECTED


# Visual Hebrew (iso-8859-8, also "visual"): stored as displayed, left to right.
VISUAL_LINES = [
    ("ביצקתה תא גיצמ רצואה רש", "שר האוצר מציג את התקציב"),
    ("2023 תנשב", "בשנת 2023"),
    ("Blinken ןקניילב", "בליינקן Blinken"),
    ("(רצואה רש)", "(שר האוצר)"),
    ("No Hebrew here (2023)", "No Hebrew here (2023)"),
]


@pytest.mark.parametrize("visual, logical", VISUAL_LINES)
def test_visual_order_is_put_back_into_logical_order(visual, logical):
    assert visual_to_logical(visual) == logical


@pytest.mark.parametrize("label", ["iso-8859-8", "visual", "iso88598", "iso-8859-8-e", "hebrew", "csisolatinhebrew"])
def test_a_page_in_visual_hebrew_is_read_in_logical_order(label):
    visual = page(label, alt=VISUAL_LINES[0][0]).replace("<p>חדשות</p>", "<p>תושדח</p>")
    assert parse_html(visual.encode("iso8859_8"), "p.html").lines == EXPECTED


@pytest.mark.parametrize("codec, text, expected", [
    ("cp1255", "שלום\thello\t0.9\n", "windows-1255"),
    ("utf-16", "שלום\thello\t0.9\n", "utf-16le"),
    ("utf-16-le", "שלום\thello\t0.9\n", "utf-16le"),
    ("utf-16-be", "שלום\thello\t0.9\n", "utf-16be"),
    ("utf-8-sig", "שלום\thello\t0.9\n", "utf-8"),
    ("cp1252", "café\thello\t0.9\n", "windows-1252"),
])
def test_plain_text_in_a_hebrew_or_western_encoding_is_read(codec, text, expected):
    decoded = decode_text(text.encode(codec), "pairs.tsv")
    assert decoded.text == text and decoded.encoding == expected


def test_binary_data_is_still_refused_by_name():
    with pytest.raises(InputError, match="photo.txt: looks like a binary file"):
        decode_text(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x01", "photo.txt", binary="pass the text")


@pytest.mark.parametrize("label, name", [("logical", "iso-8859-8-i"), ("cp1255", "windows-1255"),
                                         ("latin1", "windows-1252")])
def test_a_forced_encoding_wins_over_every_declaration(label, name):
    data = page("utf-8").encode("cp1255")
    decoded = decode(data, html=True, transport="utf-8", forced=check_label(label))
    assert decoded.encoding == name and decoded.how == "forced"


@pytest.mark.parametrize("label", ["x-mac-hebrew", "nonsense", "replacement"])
def test_a_forced_encoding_must_be_known(label):
    with pytest.raises(InputError, match=f"--encoding {label}: not an encoding"):
        check_label(label)


def test_detection_tells_a_hebrew_page_from_a_western_one():
    hebrew_in_english = ("The minister spoke in Jerusalem on Sunday. " * 20 + ALT).encode("cp1255")
    western = ("Le ministre a parlé à Jérusalem, déjà célèbre. " * 5).encode("cp1252")
    assert detect(hebrew_in_english)[0] == "windows-1255"
    assert detect(western)[0] == "windows-1252"


CHARSETS = st.one_of(st.sampled_from(UNUSABLE + [label for labels in LABELS.values() for label in labels]),
                     st.text(max_size=30))


@settings(max_examples=300, derandomize=True, deadline=None)
@given(meta=CHARSETS, transport=st.one_of(st.none(), CHARSETS), body=st.binary(max_size=200))
def test_no_charset_and_no_bytes_make_a_traceback(meta, transport, body):
    data = b"<html><head><meta charset=\"" + meta.encode("utf-8", "replace") + b"\"></head><body><p>" + body + \
        b"</p><img alt='" + ALT.encode("cp1255") + b"' title='x'></body></html>"
    try:
        parse_html(data, "p.html", charset=transport)
    except InputError:
        pass  # a binary page (NUL bytes) is refused by name: an error of that page only
    decode_text(body, "t.txt")


# --- through the command line ------------------------------------------------------------

def _captions(capsys, *argv) -> tuple[int, list[tuple[str, str]]]:
    import json

    from align.cli import main

    status = main(["captions", *map(str, argv), "--standard", "lenient"])
    rows = [json.loads(line) for line in capsys.readouterr().out.splitlines() if line.strip()]
    return status, [(r["he"], r["en"]) for r in rows]


def test_a_warc_record_declaring_iso_8859_8_i_gives_its_pairs(tmp_path, capsys):
    from warcs import write_warc

    utf8 = tmp_path / "p.html"
    utf8.write_text(page(), encoding="utf-8")
    expected = _captions(capsys, utf8)[1]
    assert expected == [(ALT, TITLE)]
    write_warc(tmp_path / "c.warc.gz", [("response", "https://example.org/p", "text/html; charset=iso-8859-8-i",
                                         page().encode("iso8859_8"))])
    assert _captions(capsys, tmp_path / "c.warc.gz") == (0, expected)


@pytest.mark.parametrize("meta", ["iso-8859-8-i", "csiso88598i", "logical", "visual", "iso88598", "iso-8859-8-e",
                                  "x-cp1255", "unicode-1-1-utf-8", "x-user-defined", "x-mac-hebrew",
                                  "bogus-charset"])
def test_no_label_ends_a_run_and_every_page_is_written(tmp_path, capsys, meta):
    """Issue 33: <meta charset="iso-8859-8-i"> (and 14 other labels) ended the whole run
    with a LookupError; the good page in the same run wrote nothing."""
    codec = "iso8859_8" if "8859-8" in meta or meta in ("logical", "visual", "iso88598") else \
        "utf-8" if "utf-8" in meta else "cp1255"
    alt = VISUAL_LINES[0][0] if meta in ("visual", "iso88598", "iso-8859-8-e") else ALT
    (tmp_path / "a.html").write_bytes(page(meta, alt=alt).encode(codec))
    (tmp_path / "b.html").write_text(page(), encoding="utf-8")
    assert _captions(capsys, tmp_path / "a.html", tmp_path / "b.html") == (0, [(ALT, TITLE)] * 2)


def test_encoding_forces_one_for_every_input(tmp_path, capsys):
    wrong = tmp_path / "wrong.html"
    wrong.write_bytes(page("windows-1252").encode("cp1255"))  # declares Western, is Hebrew
    assert _captions(capsys, wrong)[1] == []
    assert _captions(capsys, wrong, "--encoding", "windows-1255") == (0, [(ALT, TITLE)])


def test_a_page_declaring_utf8_in_a_legacy_encoding_is_detected():
    document = parse_html(page("utf-8").encode("cp1255"), "p.html")
    assert document.lines == EXPECTED and document.encoding == "windows-1255"


def test_an_unknown_encoding_is_a_usage_error(capsys):
    from align.cli import main

    with pytest.raises(SystemExit) as exit_info:
        main(["captions", "x.html", "--encoding", "x-mac-hebrew"])
    assert exit_info.value.code == 2
    assert "not an encoding a browser knows" in capsys.readouterr().err


def test_check_reads_a_corpus_in_the_encoding_it_is_given(tmp_path, capsys):
    import json

    from align.cli import main

    corpus = tmp_path / "c.tsv"
    corpus.write_bytes("שלום\thello\t0.9\n".encode("cp1255"))
    assert main(["check", str(corpus), "-q", "--encoding", "windows-1252"]) == 0  # forced: read as Western
    assert json.loads(capsys.readouterr().out)["he"] == "ùìåí"
    assert main(["check", str(corpus), "-q"]) == 0  # as found: Hebrew
    assert json.loads(capsys.readouterr().out)["he"] == "שלום"


def test_calibrate_reads_its_pages_in_the_encoding_it_is_given(tmp_path, scorer):
    from align.review.calibration import page_cells

    wrong = tmp_path / "p.html"
    wrong.write_bytes(page("windows-1252").encode("cp1255"))  # declares Western, is Hebrew
    assert (ALT, TITLE) not in page_cells(scorer, [str(wrong)], print)[str(wrong)]
    assert (ALT, TITLE) in page_cells(scorer, [str(wrong)], print, "windows-1255")[str(wrong)]

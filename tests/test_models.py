"""`align models`: import (validated, atomic), list, verify, remove, install offline."""
import json
import os
import shutil
import stat
import zipfile

import pytest
import tinymodel

from align.errors import ModelError
from align.mt import store as models


def _leftovers(root):
    return sorted(os.listdir(root)) if os.path.isdir(root) else []


def test_import_argos_package_through_the_cli(run_cli, tiny, tmp_path):
    root = tmp_path / "m"
    r = run_cli("models", "import", tiny["argos"], "--models", root)
    assert r.returncode == 0, r.stderr
    assert _leftovers(root) == ["translate-he_en-0_1"]
    manifest = json.loads((root / "translate-he_en-0_1" / "manifest.json").read_text())
    assert (manifest["kind"], manifest["source_lang"], manifest["target_lang"]) == ("argos", "he", "en")
    assert set(manifest["files"]) >= {"metadata.json", "sentencepiece.model", "model/model.bin"}
    assert all(len(h) == 64 for h in manifest["files"].values())
    assert manifest["license"] == "CC0 (test model)"
    listed = run_cli("models", "list", "--models", root).stdout.decode()
    assert "translate-he_en-0_1\the->en\targos" in listed and "sha256:" in listed
    assert run_cli("models", "verify", "--models", root).stdout.decode().strip() == "translate-he_en-0_1: ok"


@pytest.mark.parametrize("key, kind", [("opus", "opus"), ("multi", "multilingual")])
def test_import_folders(tiny, tmp_path, key, kind):
    m = models.import_model(str(tiny[key]), str(tmp_path / "m"))
    assert (m.kind, m.source_lang, m.target_lang) == (kind, "he", "en")
    assert (m.path / "manifest.json").is_file() and m.model_sha256


def test_opus_folder_without_languages_needs_langs(tiny, tmp_path):
    anonymous = tmp_path / "some-model"
    shutil.copytree(tiny["opus"], anonymous)
    with pytest.raises(ModelError, match="pass --langs he-en"):
        models.import_model(str(anonymous), str(tmp_path / "m"))
    assert models.import_model(str(anonymous), str(tmp_path / "m"), langs="he-en").kind == "opus"


def test_wrong_direction_is_refused(tiny, tmp_path):
    with pytest.raises(ModelError, match="translates en→he, but align needs he→en"):
        models.import_model(str(tiny["argos_en_he"]), str(tmp_path / "m"))
    assert _leftovers(tmp_path / "m") == []


def _argos_entries(tiny):
    with zipfile.ZipFile(tiny["argos"]) as zf:
        return {i.filename: zf.read(i) for i in zf.infolist() if not i.is_dir()}


def _symlink_zip(path, entries):
    with zipfile.ZipFile(path, "w") as zf:
        for name, data in entries.items():
            zf.writestr(name, data)
        link = zipfile.ZipInfo("translate-he_en-0_1/evil")
        link.external_attr = (stat.S_IFLNK | 0o777) << 16
        zf.writestr(link, "/etc/passwd")


@pytest.mark.parametrize("case, message", [
    ("zip-slip", "points outside the package"),
    ("absolute", "points outside the package"),
    ("symlink", "is a symbolic link"),
    ("oversize", "unpacks to more than"),
    ("corrupt", "cannot be loaded by CTranslate2"),
    ("not-a-zip", "not a readable zip archive"),
    ("empty-folder-zip", "not a CTranslate2 model"),
])
def test_bad_packages_are_refused_and_leave_nothing(tiny, tmp_path, case, message):
    entries = _argos_entries(tiny)
    bad = tmp_path / f"{case}.argosmodel"
    max_bytes = None
    if case == "zip-slip":
        bad.write_bytes(tinymodel.zip_bytes({**entries, "translate-he_en-0_1/../../evil.txt": b"x"}))
    elif case == "absolute":
        bad.write_bytes(tinymodel.zip_bytes({**entries, "/tmp/evil.txt": b"x"}))
    elif case == "symlink":
        _symlink_zip(bad, entries)
    elif case == "oversize":
        bad.write_bytes(tiny["argos"].read_bytes())
        max_bytes = 1000
    elif case == "corrupt":
        broken = dict(entries)
        broken["translate-he_en-0_1/model/model.bin"] = entries["translate-he_en-0_1/model/model.bin"][:500]
        bad.write_bytes(tinymodel.zip_bytes(broken))
    elif case == "not-a-zip":
        bad.write_bytes(b"this is not a zip file at all")
    elif case == "empty-folder-zip":
        bad.write_bytes(tinymodel.zip_bytes({"x/readme.txt": b"hello"}))
    root = tmp_path / "m"
    with pytest.raises(ModelError, match=message):
        models.import_model(str(bad), str(root), max_bytes=max_bytes)
    assert _leftovers(root) == []
    assert not (tmp_path / "evil.txt").exists()


def test_folder_with_a_symlink_is_refused(tiny, tmp_path):
    folder = tmp_path / "opus-mt-he-en"
    shutil.copytree(tiny["opus"], folder)
    os.symlink("/etc/passwd", folder / "extra")
    with pytest.raises(ModelError, match="symbolic link"):
        models.import_model(str(folder), str(tmp_path / "m"))
    assert _leftovers(tmp_path / "m") == []


def test_name_clash_needs_force(tiny, tmp_path):
    root = str(tmp_path / "m")
    models.import_model(str(tiny["argos"]), root)
    with pytest.raises(ModelError, match="already installed.*--force"):
        models.import_model(str(tiny["argos"]), root)
    models.import_model(str(tiny["argos"]), root, force=True)
    assert _leftovers(root) == ["translate-he_en-0_1"]


def test_force_never_replaces_a_folder_that_is_not_an_installed_model(tiny, tmp_path):
    root = tmp_path / "m"
    (root / "mine").mkdir(parents=True)
    (root / "mine" / "notes.txt").write_text("keep me")
    with pytest.raises(ModelError, match="not a model align installed.*it is kept"):
        models.import_model(str(tiny["argos"]), str(root), name="mine", force=True)
    assert (root / "mine" / "notes.txt").read_text() == "keep me"
    assert _leftovers(root) == ["mine"]


def test_verify_notices_a_changed_file_and_remove_deletes(run_cli, tiny, tmp_path):
    root = tmp_path / "m"
    m = models.import_model(str(tiny["argos"]), str(root))
    with open(m.path / "model" / "model.bin", "ab") as fh:
        fh.write(b"tampered")
    r = run_cli("models", "verify", "--models", root)
    assert r.returncode == 1 and b"CHANGED OR MISSING: model/model.bin" in r.stdout
    assert run_cli("models", "remove", m.name, "--models", root).returncode == 0
    assert _leftovers(root) == []


def test_install_offline_fails_at_once(monkeypatch, tmp_path):
    import urllib.error
    import urllib.request

    def offline(*a, **k):
        raise urllib.error.URLError("Name or service not known")

    monkeypatch.setattr(urllib.request, "urlopen", offline)
    with pytest.raises(ModelError, match="no network.*align models import FILE"):
        models.install("argos-he-en", str(tmp_path / "m"))
    assert _leftovers(tmp_path / "m") == []


def test_install_unknown_name(run_cli, tmp_path):
    r = run_cli("models", "install", "nope", "--models", tmp_path)
    assert r.returncode == 1 and b"unknown model 'nope'; known: argos-he-en, opus-mt-he-en" in r.stderr


@pytest.mark.parametrize("args", [["translate", "-"], ["captions", "-", "--scorer", "translation"],
                                  ["captions", "-", "--scorer", "all"]])
def test_no_model_installed_says_how_to_get_one(run_cli, tmp_path, args):
    env = {"ALIGN_MODELS": str(tmp_path / "none"), "XDG_DATA_HOME": str(tmp_path / "xdg")}
    r = run_cli(*args, stdin="שלום\n".encode(), cwd=tmp_path, env=env)
    assert r.returncode == 1
    assert b"no he\xe2\x86\x92en translation model installed" in r.stderr
    assert b"align models import" in r.stderr


def test_search_path_order(monkeypatch, tmp_path):
    monkeypatch.setenv("ALIGN_MODELS", str(tmp_path / "env"))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    paths = [str(p) for p in models.search_path(str(tmp_path / "cli"))]
    assert paths == [str(tmp_path / "cli"), str(tmp_path / "env"), "models",
                     str(tmp_path / "xdg" / "align" / "models")]


@pytest.mark.parametrize("action, what", [("import", "PATH"), ("install", "NAME"), ("remove", "NAME")])
def test_models_action_without_target_is_a_usage_error(run_cli, action, what):
    r = run_cli("models", action)
    assert r.returncode == 2 and f"usage: align models {action}".encode() in r.stderr
    assert f"required: {what}".encode() in r.stderr


@pytest.mark.parametrize("before", [True, False])
def test_every_models_subcommand_takes_its_options_before_or_after_the_name(tiny, tmp_path, capsys, before):
    from align.cli import main

    root = str(tmp_path / "m")

    def call(action, target, *options):
        return main(["models", action, *options, target] if before else ["models", action, target, *options])

    assert call("import", str(tiny["argos"]), "--models", root, "--name", "he-en-tiny", "--force") == 0
    assert call("verify", "he-en-tiny", "--models", root) == 0
    assert "he-en-tiny: ok" in capsys.readouterr().out
    assert call("install", "nope", "--models", root, "--force") == 1
    assert "unknown model 'nope'" in capsys.readouterr().err
    assert call("remove", "he-en-tiny", "--models", root) == 0
    assert _leftovers(root) == []
    assert main(["models", "list", "--models", root]) == 0
    assert "no models installed" in capsys.readouterr().err


def test_install_of_an_installed_name_fails_before_downloading(monkeypatch, tmp_path):
    import urllib.request

    (tmp_path / "m" / "argos-he-en").mkdir(parents=True)
    monkeypatch.setattr(urllib.request, "urlopen", lambda *a, **k: pytest.fail("downloaded"))
    with pytest.raises(ModelError, match="already installed.*--force"):
        models.install("argos-he-en", str(tmp_path / "m"))

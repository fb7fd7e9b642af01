"""Outputs are replaced atomically: a failed or crashed build never leaves a half-written file."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from cardsmith.build import build
from cardsmith.cli import main
from cardsmith.options import Options
from cardsmith.output import atomic_path, write_atomic

FORMATS = ["-f", "json", "-f", "apkg", "-f", "csv", "-f", "anki-csv", "-f", "pdf"]


def snapshot(folder):
    """The outputs a user sees (the build cache, a dotfile, is bookkeeping)."""
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if not p.name.startswith(".")}


def test_failed_rebuild_leaves_earlier_outputs_byte_identical(seed_copy, tmp_path):
    out = tmp_path / "out"
    first = CliRunner().invoke(main, ["build", str(seed_copy), "-o", str(out), *FORMATS])
    assert first.exit_code == 0, first.output
    before = snapshot(out)
    assert len(before) == 5
    with seed_copy.open("ab") as handle:
        handle.write(b"\n### 21. Broken?\nCaf\xe9\n")  # Latin-1: the deck no longer parses
    second = CliRunner().invoke(main, ["build", str(seed_copy), "-o", str(out), *FORMATS])
    assert second.exit_code == 1
    assert "error: not valid UTF-8" in second.stderr
    assert snapshot(out) == before


def test_crash_while_writing_leaves_no_partial_file(seed_copy, tmp_path, monkeypatch):
    import cardsmith.exporters.apkg as apkg

    out = tmp_path / "out"
    CliRunner().invoke(main, ["build", str(seed_copy), "-o", str(out), "-f", "apkg"])
    before = snapshot(out)
    real_add = apkg._add
    calls = []

    def crash_on_second_entry(zf, name, data):
        calls.append(name)
        if len(calls) == 2:
            raise KeyboardInterrupt  # the user hits Ctrl-C, or the machine dies, mid-archive
        real_add(zf, name, data)

    monkeypatch.setattr(apkg, "_add", crash_on_second_entry)
    seed_copy.write_text(seed_copy.read_text(encoding="utf-8") + "\n### 21. New?\nYes.\n", "utf-8")
    with pytest.raises(KeyboardInterrupt):
        build([seed_copy], out, ["apkg"], Options())
    assert calls == ["collection.anki2", "media"]
    assert snapshot(out) == before  # the old package, and no temp file beside it


def test_atomic_path_replaces_only_on_success(tmp_path):
    target = tmp_path / "file.txt"
    write_atomic(target, "old")
    with pytest.raises(RuntimeError), atomic_path(target) as temp:
        temp.write_text("half", encoding="utf-8")
        raise RuntimeError("boom")
    assert target.read_text() == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["file.txt"]
    write_atomic(target, "new")
    assert target.read_text() == "new"
    assert oct(target.stat().st_mode & 0o777) == "0o644"

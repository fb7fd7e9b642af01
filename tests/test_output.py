"""Outputs are replaced atomically: a failed or crashed build never leaves a half-written file."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

import pytest
from click.testing import CliRunner

from cardsmith.build.pipeline import build
from cardsmith.cli.commands import main
from cardsmith.output import atomic_path, write_atomic
from cardsmith.settings import Settings

from support.inputs import write
from support.library import settings_and_run

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
        build([seed_copy], out, ["apkg"], Settings())
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


def _build(*args: str):
    return CliRunner().invoke(main, ["build", *args])


def test_an_output_folder_that_is_a_file_is_an_error_not_a_traceback(seed_copy, tmp_path):
    taken = tmp_path / "out"
    taken.write_text("mine")
    result = _build(str(seed_copy), "-o", str(taken), "-f", "json")
    assert result.exit_code == 1
    assert f"{taken}: error: the output folder is a file" in result.stderr
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert taken.read_text() == "mine"

    below = taken / "sub"  # a folder that cannot be made: said once, why, in its own words
    result = _build(str(seed_copy), "-o", str(below), "-f", "apkg", "-f", "csv")
    assert result.exit_code == 1
    # the message names the output folder, never a temporary file
    assert result.stderr == f"{below}: error: cannot create the output folder: Not a directory\n"
    assert isinstance(result.exception, SystemExit)


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_a_lock_file_that_cannot_be_written_fails_the_build(project_of_two, monkeypatch, jobs):
    import cardsmith.output

    content, out = project_of_two
    real = cardsmith.output.atomic_path

    def refuse_locks(target):
        if target.name == "cardsmith.lock":
            raise PermissionError(13, "Permission denied", str(target))
        return real(target)

    monkeypatch.setattr(cardsmith.output, "atomic_path", refuse_locks)
    result = _build(str(content), "-o", str(out), "-f", "json", "-j", jobs)
    assert result.exit_code == 1
    lock = content / "cardsmith.lock"
    assert f"{lock}: error: cannot write the lock file: Permission denied" in result.stderr
    assert isinstance(result.exception, SystemExit)
    assert not lock.exists()


def test_a_build_cache_that_cannot_be_saved_is_a_warning(project_of_two, monkeypatch):
    from cardsmith.build import cache

    content, out = project_of_two

    def refuse(self):
        raise OSError(28, "No space left on device", str(self.path))

    monkeypatch.setattr(cache.BuildCache, "save", refuse)
    result = _build(str(content), "-o", str(out), "-f", "json")
    assert result.exit_code == 0, result.output
    assert "warning: cannot save the build cache: No space left on device" in result.stderr
    assert sorted(p.name for p in out.glob("*.json")) == ["a.json", "b.json"]


@pytest.fixture
def project_of_two(tmp_path):
    content = tmp_path / "content"
    content.mkdir()
    for name in ("a", "b"):
        (content / f"{name}.md").write_text(f"# {name}\n### Q {name}?\nYes.\n", encoding="utf-8")
    return content, tmp_path / "out"


def test_init_in_a_place_that_cannot_be_a_folder_says_why(tmp_path):
    (tmp_path / "file").write_text("x")
    result = CliRunner().invoke(main, ["init", str(tmp_path / "file" / "project")])
    assert result.exit_code == 1
    assert "cannot create" in result.stderr and "Not a directory" in result.stderr
    assert isinstance(result.exception, SystemExit)


def _snapshot(folder) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in folder.iterdir() if p.is_file()}


@pytest.mark.parametrize("jobs", [1, 2])
def test_a_deck_whose_one_format_fails_keeps_all_its_earlier_outputs(
    seed_copy, tmp_path, monkeypatch, jobs
):
    from cardsmith.exporters import csv as csv_exporter

    out = tmp_path / "out"
    formats = ["json", "apkg", "csv", "anki-csv"]
    assert not build([seed_copy], out, formats, Settings(jobs=jobs)).failed
    before = _snapshot(out)
    seed_copy.write_text(seed_copy.read_text(encoding="utf-8") + "\n### 21. New?\nNew.\n")

    def full_disk(deck, staged, options, report, renders):
        with staged.file(f"{deck.stem}.csv") as temp:
            temp.write_text("half")
            raise OSError(28, "No space left on device")

    monkeypatch.setattr(csv_exporter, "export", full_disk)
    result = build([seed_copy], out, formats, *settings_and_run(jobs=jobs, force=True))
    assert result.failed
    [error] = [d for d in result.all_diagnostics if d.is_error]
    assert str(error) == (
        f"{out / seed_copy.stem}.csv: error: cannot write the csv output: No space left on device"
    )
    after = _snapshot(out)
    assert {k: v for k, v in after.items() if k != ".cardsmith-cache.json"} == {
        k: v for k, v in before.items() if k != ".cardsmith-cache.json"
    }
    assert not [p for p in out.iterdir() if p.name.endswith((".tmp", "~"))]


def test_an_output_that_is_a_folder_replaces_none_of_the_deck(seed_copy, tmp_path):
    out = tmp_path / "out"
    assert not build([seed_copy], out, ["json"], Settings()).failed
    before = (out / f"{seed_copy.stem}.json").read_bytes()
    (out / f"{seed_copy.stem}.csv").mkdir()
    seed_copy.write_text(seed_copy.read_text(encoding="utf-8") + "\n### 21. New?\nNew.\n")
    result = build([seed_copy], out, ["json", "csv"], Settings())
    [error] = [d for d in result.all_diagnostics if d.is_error]
    assert (
        error.source.path == out / f"{seed_copy.stem}.csv" and "already new: none" in error.message
    )
    assert (out / f"{seed_copy.stem}.json").read_bytes() == before
    assert not [p for p in out.iterdir() if p.name.endswith(".tmp")]


def test_an_edit_made_while_the_deck_builds_is_built_next_time(seed_copy, tmp_path, monkeypatch):
    from cardsmith.exporters import json as json_exporter

    out = tmp_path / "out"
    real = json_exporter.export

    def edit_while_exporting(deck, staged, options, report, renders):
        written = real(deck, staged, options, report, renders)
        text = seed_copy.read_text(encoding="utf-8")
        seed_copy.write_text(text.replace("Hosted Jupyter", "Hosted JupyterLab"), encoding="utf-8")
        return written

    monkeypatch.setattr(json_exporter, "export", edit_while_exporting)
    assert not build([seed_copy], out, ["json"], Settings()).failed
    monkeypatch.setattr(json_exporter, "export", real)
    second = build([seed_copy], out, ["json"], Settings())
    assert second.decks[0].cached is None  # not "(unchanged)": the edit came after the parse
    assert "Hosted JupyterLab" in (out / f"{seed_copy.stem}.json").read_text(encoding="utf-8")


# --- temporary files of builds stopped from outside (real processes, real signals) ---------------


@pytest.fixture
def long_build(content, tmp_path):
    """A deck whose flashcards take seconds, written after its package and JSON are staged (so
    temporary files wait beside their targets meanwhile), and the command that builds it."""
    body = "".join(
        f"### {n}. What is concept {n}?\n\n"
        + f"Concept {n} explained at some length. " * 8
        + "\n\n"
        for n in range(1, 161)
    )
    write(content, "big.md", f"# Big deck\n\n{body}")
    out = tmp_path / "out"
    command = [sys.executable, "-m", "cardsmith", "build", str(content), "-o", str(out)]
    return [*command, "-f", "apkg", "-f", "json", "-f", "cards-pdf"], out


def _temporaries(out) -> list[str]:
    return sorted(p.name for p in out.rglob("*.tmp")) if out.exists() else []


def _until(condition, seconds: float = 60) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.02)
    return False


def _started(command, out):
    process = subprocess.Popen(
        command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True
    )
    assert _until(lambda: _temporaries(out)), "the build wrote no temporary file"
    return process


def test_temporaries_of_a_build_killed_with_kill_9_go_at_the_next_build(long_build):
    command, out = long_build
    process = _started([*command, "-j", "1"], out)
    process.kill()
    process.wait(timeout=10)
    left = _temporaries(out)
    assert left and all(f".{process.pid}-" in name for name in left)  # its own, by its number
    assert subprocess.run([*command[:7], "-f", "json"], capture_output=True).returncode == 0
    assert _temporaries(out) == []


@pytest.mark.parametrize("jobs", ["1", "2"])
@pytest.mark.parametrize("stop", [signal.SIGTERM, signal.SIGINT])
def test_a_build_stopped_by_sigterm_or_ctrl_c_leaves_no_temporary_file(long_build, stop, jobs):
    command, out = long_build
    process = _started([*command, "-j", jobs], out)
    os.kill(process.pid, stop)
    _, stderr = process.communicate(timeout=60)
    assert b"interrupted: outputs not yet written are as they were" in stderr
    assert _until(lambda: not _temporaries(out), seconds=15), _temporaries(out)


def test_ctrl_c_in_watch_leaves_no_temporary_file(long_build):
    command, out = long_build
    watch = [*command[:3], "watch", *command[4:], "-j", "1"]
    process = _started(watch, out)
    os.kill(process.pid, signal.SIGINT)
    process.communicate(timeout=60)
    assert _until(lambda: not _temporaries(out), seconds=15), _temporaries(out)


def test_a_temporary_file_of_a_running_build_stays(tmp_path):
    from cardsmith.output import remove_stale

    mine = tmp_path / f".x.apkg.{os.getpid()}-abcdefgh.tmp"
    gone = tmp_path / ".x.apkg.999999999-abcdefgh.tmp"  # no such process
    hidden = tmp_path / ".cardsmith-sheets" / "x"
    hidden.mkdir(parents=True)
    stale_inside = hidden / ".index.json.999999999-abcdefgh.tmp"
    for path in (mine, gone, stale_inside):
        path.write_text("half")
    remove_stale(tmp_path)
    assert mine.exists() and not gone.exists() and not stale_inside.exists()

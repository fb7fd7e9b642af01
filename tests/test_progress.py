"""A long build says what it is doing: on a terminal, one status line; elsewhere, nothing."""

from __future__ import annotations

import io
import os
import pty
import re
import subprocess
import sys
import time

from cardsmith.build.pipeline import build
from cardsmith.cli.terminal import Progress

from support.command_line import cardsmith
from support.inputs import ROOT, write
from support.library import settings_and_run

LONG = "\n\n".join(["lorem ipsum dolor sit amet consectetur adipiscing elit sed do"] * 30)


def _bank(folder, name: str, questions: int) -> None:
    write(
        folder, name, "# Bank\n" + "".join(f"### {n}. Q{n}?\n{LONG}\n\n" for n in range(questions))
    )


def test_pdf_exports_say_which_page_they_are_at(content, tmp_path):
    _bank(content, "d.md", 3)
    said: list[str] = []
    result = build(
        [content],
        tmp_path / "out",
        ["pdf", "cards-pdf"],
        *settings_and_run(jobs=1, activity=said.append),
    )
    assert not result.failed, result.all_diagnostics
    assert "d.pdf: page 1" in said
    assert any(re.fullmatch(r"d\.pdf: writing \d+ pages?", text) for text in said)
    assert "d.cards.pdf: fitting questions: page 1" in said
    assert "d.cards.pdf: fitting answers: page 1" in said
    assert "d.cards.pdf: sheets: page 1" in said


def test_worker_processes_tell_the_build_what_they_do(content, tmp_path):
    for n in range(3):
        _bank(content, f"d{n}.md", 2)
    said: list[str] = []
    result = build(
        [content], tmp_path / "out", ["pdf"], *settings_and_run(jobs=2, activity=said.append)
    )
    assert not result.failed, result.all_diagnostics
    # from the workers, through the queue (each worker says at most ten things a second)
    assert said and all(re.fullmatch(r"d\d\.pdf: (page|writing) \d+( pages?)?", t) for t in said)


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_status_line_shows_after_two_seconds_and_is_cleared(monkeypatch):
    terminal = _Terminal()
    monkeypatch.setattr(sys, "stderr", terminal)
    clock = [100.0]
    monkeypatch.setattr(time, "monotonic", lambda: clock[0])
    with Progress(quiet=False) as progress:
        progress.update(1, 3)
        progress.say("d.pdf: page 2")
        assert terminal.getvalue() == ""  # a quick build shows nothing
        clock[0] += 2.5
        progress.say("d.pdf: page 40")
        assert terminal.getvalue() == "\rbuilding 1/3 · d.pdf: page 40\x1b[K"
        clock[0] += 0.01
        progress.say("d.pdf: page 41")  # redrawn at most ten times a second
        assert terminal.getvalue().count("\r") == 1
    assert terminal.getvalue().endswith("\r\x1b[K")  # nothing left on the line
    with Progress(quiet=True) as progress:
        assert progress is None


def test_progress_bar_stays_silent_off_a_terminal(content, tmp_path):
    for n in range(3):
        write(content, f"d{n}.md", f"# T{n}\n### Q?\nA.\n")
    result = cardsmith("build", str(content), "-o", str(tmp_path / "out"), "-f", "json")
    assert "building" not in result.output and "[#" not in result.output


def test_a_build_on_a_terminal_shows_progress_then_its_summary(content, tmp_path):
    """The real command in a real pseudo-terminal, told to show progress at once (not after two
    seconds, which a fast machine may not need)."""
    _bank(content, "d.md", 6)
    leader, follower = pty.openpty()
    start = (
        "from cardsmith.cli import commands, terminal; terminal.Progress.QUIET_SECONDS = 0; "
        "commands.main()"
    )
    command = [sys.executable, "-c", start, "build", str(content), "-o", str(tmp_path / "o")]
    process = subprocess.Popen(
        [*command, "-f", "cards-pdf", "-j", "1"], stdout=follower, stderr=follower, cwd=ROOT
    )
    os.close(follower)
    shown = b""
    while True:
        try:
            chunk = os.read(leader, 4096)
        except OSError:  # the build ended and closed the terminal
            break
        if not chunk:
            break
        shown += chunk
    assert process.wait() == 0
    text = shown.decode()
    assert re.search(r"\rbuilding · d\.cards\.pdf: (fitting answers|sheets): page \d+\x1b\[K", text)
    assert "\r\x1b[K" in text  # the line is cleared before the summary
    assert "d: 6 questions" in text.rsplit("\r\x1b[K", 1)[1]

"""A long build says what it is doing: on a terminal, one status line; elsewhere, nothing."""

from __future__ import annotations

import io
import os
import pty
import re
import subprocess
import sys
import time

from wcwidth import wcswidth

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
    assert "d.cards.pdf: sheets: page 1/2" in said  # the sheets' count is known: a total
    assert said[:2] == ["reading 1 deck", "writing 1 deck"]  # the build's own stages


def test_worker_processes_tell_the_build_what_they_do(content, tmp_path):
    for n in range(3):
        _bank(content, f"d{n}.md", 2)
    said: list[str] = []
    result = build(
        [content], tmp_path / "out", ["pdf"], *settings_and_run(jobs=2, activity=said.append)
    )
    assert not result.failed, result.all_diagnostics
    # from the workers, through the queue (each worker says at most ten things a second)
    assert said[:2] == ["reading 3 decks", "writing 3 decks"]
    assert said[2:]
    assert all(re.fullmatch(r"d\d\.pdf: (page|writing) \d+( pages?)?", t) for t in said[2:])


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_status_line_shows_after_two_seconds_and_is_cleared(monkeypatch):
    terminal = _Terminal()
    monkeypatch.setattr(sys, "stderr", terminal)
    monkeypatch.setattr(Progress, "QUIET_SECONDS", 3600)  # the clock below decides, not the ticker
    clock = [100.0]
    monkeypatch.setattr(time, "monotonic", lambda: clock[0])
    with Progress(quiet=False) as progress:
        monkeypatch.setattr(progress, "QUIET_SECONDS", 2.0)
        progress.update(1, 3)
        progress.say("d.pdf: page 2")
        assert terminal.getvalue() == ""  # a quick build shows nothing
        clock[0] += 2.5
        progress.say("d.pdf: page 40")
        assert terminal.getvalue() == "\rdecks 1/3 · d.pdf: page 40\x1b[K"
        clock[0] += 0.01
        progress.say("d.pdf: page 41")  # redrawn at most ten times a second
        assert terminal.getvalue().count("\r") == 1
        clock[0] += 0.5
        progress.say("e.pdf: page 1")  # d.pdf goes on: it stays on the line
        assert terminal.getvalue().endswith("\rdecks 1/3 · d.pdf: page 41\x1b[K")
        clock[0] += 1.0
        progress.update(2, 3)  # d.pdf said nothing for a second: the latest news shows
        assert terminal.getvalue().endswith("\rdecks 2/3 · e.pdf: page 1\x1b[K")
    assert terminal.getvalue().endswith("\r\x1b[K")  # nothing left on the line
    with Progress(quiet=True) as progress:
        assert progress is None


def test_the_line_appears_after_two_seconds_even_with_no_news(monkeypatch):
    """README says two seconds: the line must not wait for the build's first news (a PDF's first
    page came 6.4 s in), so a thread of its own draws it."""
    terminal = _Terminal()
    monkeypatch.setattr(sys, "stderr", terminal)
    with Progress(quiet=False):
        time.sleep(1.5)
        assert terminal.getvalue() == ""
        deadline = time.monotonic() + 5
        while not terminal.getvalue() and time.monotonic() < deadline:
            time.sleep(0.05)
        assert terminal.getvalue() == "\rbuilding\x1b[K"
    assert terminal.getvalue() == "\rbuilding\x1b[K\r\x1b[K"


def test_the_line_counts_decks_and_unchanged_ones_are_done(content, tmp_path):
    for n in range(3):
        write(content, f"d{n}.md", f"# T{n}\n### Q?\nA.\n")
    seen: list[tuple[int, int]] = []
    out = tmp_path / "out"
    assert not build(
        [content], out, ["json", "csv"], *settings_and_run(progress=lambda *d: seen.append(d))
    ).failed
    assert seen == [(0, 3), (1, 3), (2, 3), (3, 3)]
    write(content, "d1.md", "# T1\n### Q?\nB.\n")
    seen.clear()
    assert not build(
        [content],
        out,
        ["json", "csv"],
        *settings_and_run(jobs=2, progress=lambda *d: seen.append(d)),
    ).failed
    assert seen == [(2, 3), (3, 3)]


def test_the_line_is_cut_by_display_width():
    progress = Progress(quiet=True)
    progress.update(3, 12)
    progress.say("日本語の質問集です.pdf: page 7")
    line = progress.line(30, time.monotonic())
    assert line == "decks 3/12 · 日本語の質問集で"  # 29 columns, the 30th left free
    assert progress.line(29, time.monotonic()).endswith("質問集 ")  # a wide one is not split
    assert wcswidth(line) == 29
    progress.say("\x1b[2Jevil\nname.pdf: page 1")  # a file name may hold anything
    assert "\x1b" not in progress.line(80, time.monotonic() + 5)


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
    assert re.search(
        r"\rbuilding · d\.cards\.pdf: (fitting answers|sheets): page \d+(/\d+)?\x1b\[K", text
    )
    assert "\r\x1b[K" in text  # the line is cleared before the summary
    assert "d: 6 questions" in text.rsplit("\r\x1b[K", 1)[1]


def _screen(output: str, columns: int) -> list[str]:
    """The rows a terminal `columns` wide shows after `output`: carriage returns, erase to the end
    of the line, and wrapping at the edge as xterm does (the character after the last column goes
    to a new row)."""
    rows: list[list[str]] = [[]]
    row = column = 0
    wrap_next = False
    position = 0
    while position < len(output):
        if output.startswith("\x1b[K", position):
            del rows[row][column:]
            position += 3
            continue
        char = output[position]
        position += 1
        if char == "\r":
            column, wrap_next = 0, False
        elif char == "\n":
            row, column, wrap_next = row + 1, 0, False
        elif (width := wcswidth(char)) > 0:
            if wrap_next or column + width > columns:
                row, column, wrap_next = row + 1, 0, False
            while len(rows) <= row:
                rows.append([])
            cells = rows[row]
            cells.extend(" " * (column + width - len(cells)))
            cells[column : column + width] = [char] + [""] * (width - 1)
            column += width
            if column == columns:
                column, wrap_next = columns - 1, True
        while len(rows) <= row:
            rows.append([])
    return ["".join(cells).rstrip() for cells in rows]


def test_at_50_columns_a_cjk_name_fits_the_line_and_leaves_no_stale_lines(content, tmp_path):
    """The real command in a pseudo-terminal 50 columns wide: every status line fits in 49
    columns, so each redraw replaces the one before, and at the end the screen holds the summary
    alone (the line cut by characters, not columns, left 67 stale lines)."""
    import fcntl
    import struct
    import termios

    name = "日本語の面接質問集_機械学習エンジニア向けのとても長い名前"
    _bank(content, f"{name}.md", 6)
    leader, follower = pty.openpty()
    fcntl.ioctl(follower, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 50, 0, 0))
    start = (
        "from cardsmith.cli import commands, terminal; terminal.Progress.QUIET_SECONDS = 0; "
        "commands.main()"
    )
    command = [sys.executable, "-c", start, "build", str(content), "-o", str(tmp_path / "o")]
    environment = {k: v for k, v in os.environ.items() if k not in ("COLUMNS", "LINES")}
    process = subprocess.Popen(
        [*command, "-f", "cards-pdf", "-j", "1"],
        stdout=follower,
        stderr=follower,
        cwd=ROOT,
        env=environment,
    )
    os.close(follower)
    shown = b""
    while True:
        try:
            chunk = os.read(leader, 4096)
        except OSError:
            break
        if not chunk:
            break
        shown += chunk
    assert process.wait() == 0
    text = shown.decode()
    drawn = re.findall(r"\r([^\r\n]*)\x1b\[K", text)
    assert any(f"{name[:5]}" in line for line in drawn), drawn
    assert all(wcswidth(line) <= 49 for line in drawn), [(wcswidth(x), x) for x in drawn]
    # the screen shows what was printed, and nothing of the status lines
    printed = re.sub(r"\r[^\r\n]*\x1b\[K", "", text)
    assert f"{name}: 6 questions, 1 section -> " in printed
    assert _screen(text, 50) == _screen(printed, 50)

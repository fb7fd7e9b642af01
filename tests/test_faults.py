"""A build stopped from outside (kill -9, SIGTERM, Ctrl-C) leaves no process and no half-written file
behind, and the earlier outputs as they were. Real processes, real signals (Linux `/proc`)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from support.inputs import write

pytestmark = pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs Linux /proc")


def _children(pid: int) -> list[int]:
    try:
        text = Path(f"/proc/{pid}/task/{pid}/children").read_text()
    except OSError:
        return []
    return [int(child) for child in text.split()]


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"  # a zombie has finished


def _wait_until(condition, seconds: float = 30) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.05)
    return condition()


@pytest.fixture
def slow_build(content, tmp_path):
    """A deck whose two PDFs take a few seconds each, earlier outputs in place, and the command."""
    body = "\n\n".join(
        f"### {n}. What is concept {n}?\n\n" + f"Concept {n} explained at some length. " * 12
        for n in range(1, 121)
    )
    write(content, "big.md", f"# Big deck\n\n{body}\n")
    out = tmp_path / "out"
    out.mkdir()
    earlier = {"big.pdf": b"earlier cheat sheet", "big.cards.pdf": b"earlier flashcards"}
    for name, data in earlier.items():
        (out / name).write_bytes(data)
    command = [
        sys.executable, "-m", "cardsmith", "build", str(content), "-o", str(out),
        "-f", "pdf", "-f", "cards-pdf", "-j", "2", "--force",
    ]  # fmt: skip
    return command, out, earlier


def _start(command, out: Path):
    process = subprocess.Popen(
        command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True
    )
    assert _wait_until(lambda: len(_children(process.pid)) >= 2), "no workers started"
    workers = _children(process.pid)
    # let them get well into laying out (the cheat sheet starts writing within a second or two)
    _wait_until(lambda: any(p.name.endswith(".tmp") for p in out.iterdir()), seconds=8)
    return process, workers


def _assert_clean(out: Path, workers: list[int], earlier: dict[str, bytes]) -> None:
    assert _wait_until(lambda: not any(_alive(w) for w in workers), seconds=15), "workers outlived"
    assert not [p.name for p in out.iterdir() if p.name.endswith(".tmp")]
    assert {name: (out / name).read_bytes() for name in earlier} == earlier


def test_killing_the_build_kills_its_workers_and_leaves_old_outputs(slow_build):
    command, out, earlier = slow_build
    process, workers = _start(command, out)
    os.kill(process.pid, signal.SIGKILL)
    process.wait(timeout=10)
    _assert_clean(out, workers, earlier)


@pytest.mark.parametrize("stop", [signal.SIGTERM, signal.SIGINT])
def test_sigterm_and_ctrl_c_stop_the_build_cleanly(slow_build, stop):
    command, out, earlier = slow_build
    process, workers = _start(command, out)
    os.kill(process.pid, stop)
    _, stderr = process.communicate(timeout=30)
    assert process.returncode == 130
    assert b"Traceback" not in stderr
    assert b"interrupted: outputs not yet written are as they were" in stderr
    _assert_clean(out, workers, earlier)

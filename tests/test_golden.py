"""Golden files: outputs whose exact text is the point. `make golden` rewrites them after a
deliberate change; review the diff before committing."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from cardsmith.build.pipeline import build

from support.inputs import DATA
from support.library import settings_and_run

GOLDEN = Path(__file__).resolve().parent / "golden"
UPDATE = os.environ.get("CARDSMITH_UPDATE_GOLDEN") == "1"
CASES = [
    ("golden.md", "json", "golden.json"),
    ("golden.md", "csv", "golden.csv"),
    ("golden.md", "anki-csv", "golden.anki.csv"),
]


@pytest.mark.parametrize(("source", "fmt", "expected"), CASES)
def test_output_matches_golden_file(tmp_path, monkeypatch, source, fmt, expected):
    (tmp_path / "content").mkdir()
    shutil.copy(DATA / source, tmp_path / "content" / source)
    monkeypatch.chdir(tmp_path)  # relative paths in the output, as a user's build would have
    result = build(
        [Path("content")], Path("output"), [fmt], *settings_and_run(clock=lambda: 1_700_000_000)
    )
    assert not result.failed, result.all_diagnostics
    produced = (tmp_path / "output" / expected).read_bytes()
    if UPDATE:
        (GOLDEN / expected).write_bytes(produced)
    assert produced == (GOLDEN / expected).read_bytes()

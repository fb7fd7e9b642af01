"""The command line: messages, exit codes, summaries, defaults."""

from __future__ import annotations

import json
import subprocess
import sys

from cardsmith import __version__
from cardsmith.build.pipeline import check
from cardsmith.identity import LOCK_NAME
from cardsmith.settings import Settings

from support.command_line import cardsmith
from support.inputs import ROOT, SEED, write


def test_check_reports_empty_answer_and_exits_0(content):
    path = write(content, "d.md", "# T\n## S\n### 1. Empty?\n\n### 2. Full?\nYes.\n")
    result = cardsmith("check", str(path))
    assert result.exit_code == 0
    assert f"{path}:3: warning: question has no answer" in result.stderr
    assert "d: 1 question, 1 section, 1 unanswered left out" in result.stdout


def test_check_strict_turns_warnings_into_errors(content):
    path = write(content, "d.md", "# T\n### 1. Empty?\n\n### 2. Full?\nYes.\n")
    result = cardsmith("check", "--strict", str(path))
    assert result.exit_code == 1
    assert f"{path}:2: error: question has no answer" in result.stderr


def test_check_error_exits_1_with_path_and_line(content):
    path = write(content, "d.md", "---\ntitle: [unclosed\n---\n# T\n### Q?\nA\n")
    result = cardsmith("check", str(path))
    assert result.exit_code == 1
    assert result.stderr.startswith(f"{path}:")
    assert ": error: front matter" in result.stderr
    assert "Traceback" not in result.output


def test_missing_source_is_an_error(tmp_path):
    result = cardsmith("check", str(tmp_path / "nope.md"))
    assert result.exit_code == 1
    assert "nope.md: error: no such file or folder" in result.stderr


def test_build_writes_json_and_prints_summary(mis_encoded_seed_copy, tmp_path):
    out = tmp_path / "out"
    result = cardsmith("build", str(mis_encoded_seed_copy.parent), "-o", str(out), "-f", "json")
    assert result.exit_code == 0, result.output
    expected = out / "aws-ml-engineer-interview.json"
    assert (
        f"aws-ml-engineer-interview: 20 questions, 4 sections -> {expected.as_posix()}"
        in result.stdout
    )
    assert ":33: warning: repaired mis-encoded text" in result.stderr
    data = json.loads(expected.read_text(encoding="utf-8"))
    assert sum(len(s["questions"]) for s in data["sections"]) == 20


def test_one_broken_deck_does_not_stop_the_others(content, tmp_path):
    write(content, "good.md", "# T\n### Q?\nA\n")
    write(content, "bad.md", b"# T\n### Q?\n\xff\n")
    out = tmp_path / "out"
    result = cardsmith("build", str(content), "-o", str(out), "-f", "json")
    assert result.exit_code == 1
    assert "bad.md:3: error: not valid UTF-8" in result.stderr
    assert (out / "good.json").exists()
    assert not (out / "bad.json").exists()


def test_fail_fast_stops_at_the_first_broken_deck(content, tmp_path):
    write(content, "a.md", b"# T\n### Q?\n\xff\n")
    write(content, "b.md", "# T\n### Q?\nA\n")
    out = tmp_path / "out"
    result = cardsmith("build", str(content), "-o", str(out), "-f", "json", "--fail-fast")
    assert result.exit_code == 1
    assert not (out / "b.json").exists()


def test_quiet_prints_only_problems(mis_encoded_seed_copy, tmp_path):
    result = cardsmith(
        "build", str(mis_encoded_seed_copy), "-o", str(tmp_path / "o"), "-f", "json", "-q"
    )
    assert result.stdout == ""
    assert "warning" in result.stderr


def test_unknown_format_is_a_usage_error():
    result = cardsmith("build", "-f", "docx")
    assert result.exit_code == 2


def test_version_and_help():
    assert __version__ in cardsmith("--version").output
    for command in ([], ["build"], ["check"]):
        result = cardsmith(*command, "--help")
        assert result.exit_code == 0
        assert "Example:" in result.output


def test_build_py_is_cardsmith_build_with_defaults(tmp_path):
    work = tmp_path / "project"
    (work / "content").mkdir(parents=True)
    (work / "content" / SEED.name).write_bytes(SEED.read_bytes())
    result = subprocess.run(
        [sys.executable, str(ROOT / "build.py"), "-f", "json"],
        cwd=work,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert (work / "output" / "aws-ml-engineer-interview.json").exists()


def test_the_shipped_sample_builds_without_a_warning_and_keeps_its_ids():
    """The sample once held a mis-encoded dash as a demo of the repair (now `mis_encoded_seed`);
    fixed, every question keeps the id and GUID its lock gave it."""
    result = check([SEED], Settings())
    assert result.all_diagnostics == []
    [deck] = [r.deck for r in result.decks]
    lock = json.loads((SEED.parent / LOCK_NAME).read_text(encoding="utf-8"))["questions"]
    assert sorted((q.id, q.guid) for q in deck.questions) == sorted(
        (e["id"], e["guid"]) for e in lock
    )

"""`cardsmith watch`: a change rebuilds what it touches, and the watch outlives errors."""

from __future__ import annotations

import json
import threading
import time

from cardsmith.cli.watch import watch
from cardsmith.settings import Settings

from support.inputs import write


def test_watch_rebuilds_the_changed_deck_and_survives_errors(content, tmp_path):
    path = write(content, "d.md", "# T\n### Q?\nA.\n")
    write(content, "other.md", "# O\n### R?\nB.\n")
    results, stop = [], threading.Event()
    thread = threading.Thread(
        target=watch, args=([content], tmp_path / "out", ["json"], Settings(), results.append, stop)
    )
    thread.start()

    def wait_for(count: int) -> None:
        deadline = time.monotonic() + 20
        while len(results) < count and time.monotonic() < deadline:
            time.sleep(0.05)
        assert len(results) >= count, f"no rebuild after {count - 1}"

    try:
        wait_for(1)
        time.sleep(0.5)  # let the watcher start before editing
        path.write_text("# T\n### Q?\nA, edited.\n", encoding="utf-8")
        wait_for(2)
        rebuilt = [r.path.name for r in results[1].decks if r.cached is None]
        assert rebuilt == ["d.md"]
        path.write_bytes(b"# T\n### Q?\n\xff\n")  # a content error: reported, watch goes on
        wait_for(3)
        assert results[2].failed
        path.write_text("# T\n### Q?\nFixed.\n", encoding="utf-8")
        wait_for(4)
        assert not results[3].failed
    finally:
        stop.set()
        thread.join(timeout=10)
    assert not thread.is_alive()
    assert (
        json.loads((tmp_path / "out" / "d.json").read_text())["sections"][0]["questions"][0][
            "answer"
        ]
        == "Fixed."
    )


def test_watch_rebuilds_a_vault_when_its_plugin_settings_change(tmp_path):
    vault = tmp_path / "Vault"
    settings = write(vault, ".obsidian/plugins/obsidian-spaced-repetition/data.json", "{}")
    write(vault, "n.md", "#flashcards\nterm;;definition\nq::a\n")
    results, stop = [], threading.Event()
    thread = threading.Thread(
        target=watch, args=([vault], tmp_path / "out", ["json"], Settings(), results.append, stop)
    )
    thread.start()
    try:
        deadline = time.monotonic() + 20
        while not results and time.monotonic() < deadline:
            time.sleep(0.05)
        assert [q.prompt for q in results[0].decks[0].deck.questions] == ["q"]
        time.sleep(0.5)  # let the watcher start before editing
        settings.write_text('{"singleLineCardSeparator": ";;"}', encoding="utf-8")
        deadline = time.monotonic() + 20
        while len(results) < 2 and time.monotonic() < deadline:
            time.sleep(0.05)
        assert [q.prompt for q in results[1].decks[0].deck.questions] == ["term"]
    finally:
        stop.set()
        thread.join(timeout=10)

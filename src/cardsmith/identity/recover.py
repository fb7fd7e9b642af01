"""Ids read back from an earlier build's outputs, for a content folder whose lock is missing."""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from pathlib import Path

from cardsmith.errors import Report
from cardsmith.files import open_regular, read_regular
from cardsmith.identity.fingerprints import answer_digest, simhash
from cardsmith.identity.ids import id_of_guid, legacy_guid
from cardsmith.identity.lockfile import GUID_FORM, ID_FORM, LOCK_NAME, Entry, Lock, relative_name
from cardsmith.model import Source

MAX_OUTPUT_BYTES = 256 << 20  # an earlier build's JSON or package, read back whole


def recover(lock: Lock, files: Iterable[Path], out_dir: Path, report: Report) -> Lock:
    """A content folder without a lock (deleted, never committed): read the ids back from an earlier
    build in `out_dir`, so a question reworded since then stays the same note. The JSON holds every id
    and GUID with its prompt and answer; an Anki package holds the GUIDs with the cards' text (its
    question ids are not in it, so new ones are made). Either way the user is told, loudly."""
    if lock.path.exists():
        return lock
    entries: list[Entry] = []
    for path in files:
        file = relative_name(path, lock.path.parent)
        for reader, suffix in ((_json_entries, ".json"), (_apkg_entries, ".apkg")):
            output = out_dir / f"{path.stem}{suffix}"
            if not output.is_file():
                continue
            try:
                found = reader(output, file)
            except Exception as exc:  # an old or hand-made file of any shape: say so, go on
                report.warn(Source(output, 0), f"cannot read ids back from it ({exc})")
                continue
            entries.extend(found)
            report.warn(
                Source(lock.path, 0),
                f"the lock file is missing: the ids of {len(found)} questions of {file} were read "
                f"back from {output}; commit {LOCK_NAME} with your Markdown to keep them",
            )
            break
    return Lock(lock.path, _unique(entries), lock.note_types) if entries else lock


def _unique(entries: list[Entry]) -> list[Entry]:
    ids: set[str] = set()
    guids: set[str] = set()
    kept = []
    for entry in entries:
        if entry.id not in ids and entry.guid not in guids:
            ids.add(entry.id)
            guids.add(entry.guid)
            kept.append(entry)
    return kept


def _recovered(qid: str, guid: str, file: str, section: str, prompt: str, answer: str) -> Entry:
    if not ID_FORM.fullmatch(qid) or not GUID_FORM.fullmatch(guid):
        raise ValueError(f"id {qid!r} or GUID {guid!r} is not one cardsmith writes")
    return Entry(
        id=qid,
        guid=guid,
        file=file,
        section=section,
        prompt=prompt,
        answer=answer_digest(answer),
        simhash=simhash(answer),
        content="0" * 16,  # unknown: the note counts as changed once, then is as before
        modified=0,
    )


def _json_entries(output: Path, file: str) -> list[Entry]:
    data = json.loads(read_regular(output, MAX_OUTPUT_BYTES))
    entries = []
    for section in data["sections"]:
        for q in section["questions"]:
            prompt = f"{q['prompt']}\n\n{q['front']}" if q.get("front") else q["prompt"]
            guid = q.get("guid") or legacy_guid(q["id"])  # JSON before GUIDs were kept
            entries.append(
                _recovered(q["id"], guid, file, "::".join(q["section"]), prompt, q["answer"])
            )
    return entries


def _apkg_entries(output: Path, file: str) -> list[Entry]:
    import html
    import sqlite3
    import tempfile
    import zipfile

    with (
        tempfile.TemporaryDirectory() as scratch,
        open_regular(output, MAX_OUTPUT_BYTES) as handle,
        zipfile.ZipFile(handle) as package,
    ):
        database = Path(scratch) / "collection.anki2"
        database.write_bytes(package.read("collection.anki2"))
        connection = sqlite3.connect(database)
        try:
            rows = connection.execute("SELECT guid, flds FROM notes ORDER BY id").fetchall()
        finally:
            connection.close()

    def text(field: str) -> str:
        return html.unescape(re.sub(r"<[^>]*>", " ", field))

    entries = []
    for guid, fields in rows:
        question, answer, section, *_ = fields.split("\x1f")
        qid = id_of_guid(guid)
        entries.append(
            _recovered(
                qid, guid, file, text(section).replace(" › ", "::"), text(question), text(answer)
            )
        )
    return entries

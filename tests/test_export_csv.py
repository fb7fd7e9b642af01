"""Spreadsheet CSV read back with Python's csv module; Anki CSV imported with the real Anki engine."""

from __future__ import annotations

import csv

import pytest
from anki.collection import Collection, ImportCsvRequest

from cardsmith.build.pipeline import check
from cardsmith.exporters.csv import HEADER, guard, unguard
from cardsmith.settings import Settings

from support.anki_engine import build_one, deck_names, notes
from support.inputs import SEED_SUBDECKS, write

TRICKY = """# Tricky

## Edge cases

### 1. Commas, "quotes" and lines?
First line, with a comma.
Second line with "quotes".

- a list item

### 2. =SUM(A1:A2)
-1 is negative; @home and +1.

### 3. Café, naïve, 日本語 — ok?
Ünïcödé answer ⭐.
"""


def read_rows(path, delimiter=","):
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.reader(handle, delimiter=delimiter))


@pytest.mark.parametrize("delimiter", [",", "\t"])
def test_spreadsheet_csv_round_trips_field_by_field(content, tmp_path, delimiter):
    path = write(content, "tricky.md", TRICKY)
    name = {",": "comma", "\t": "tab"}[delimiter]
    out = build_one(path, tmp_path / "out", "csv", csv_delimiter=name)
    assert out.suffix == (".csv" if delimiter == "," else ".tsv")
    raw = out.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    assert raw.count(b"\r\n") == 4  # one CRLF per record; line breaks inside fields stay LF
    header, *rows = read_rows(out, delimiter)
    assert tuple(header) == HEADER
    deck = check([path], Settings()).decks[0].deck
    assert len(rows) == len(deck.questions) == 3
    for row, question in zip(rows, deck.questions, strict=True):
        record = dict(zip(header, map(unguard, row), strict=True))
        assert record == {
            "id": question.id,
            "deck": "Tricky",
            "section": "Edge cases",
            "number": str(question.number),
            "question": question.prompt,
            "answer": question.answer,
            "tags": "edge-cases",
            "source": str(question.source),
        }
    assert rows[0][5] == 'First line, with a comma.\nSecond line with "quotes".\n\n- a list item'
    assert rows[1][4] == "'=SUM(A1:A2)" and rows[1][5] == "'-1 is negative; @home and +1."
    assert rows[2][4] == "Café, naïve, 日本語 — ok?"


@pytest.mark.parametrize("cell", ["=1+1", "+1", "-1", "@SUM(A1)", "\tx", "\rx"])
def test_formula_cells_are_guarded(cell):
    assert guard(cell) == "'" + cell
    assert unguard(guard(cell)) == cell


@pytest.mark.parametrize("cell", ["plain", "'quoted by the author", "1-2", ""])
def test_harmless_cells_are_left_alone(cell):
    assert guard(cell) == cell
    assert unguard(cell) == cell


def import_csv(collection: Collection, path):
    metadata = collection.get_csv_metadata(str(path), delimiter=None)
    return collection.import_csv(ImportCsvRequest(path=str(path), metadata=metadata)).log


def test_anki_csv_imports_20_notes_in_4_decks_and_again_adds_none(mis_encoded_seed_copy, tmp_path):
    out = build_one(mis_encoded_seed_copy, tmp_path / "out", "anki-csv")
    assert out.name == "aws-ml-engineer-interview.anki.csv"
    collection = Collection(str(tmp_path / "c.anki2"))
    try:
        log = import_csv(collection, out)
        assert len(log.new) == 20
        assert {name for name in deck_names(collection) if "::" in name} == SEED_SUBDECKS
        all_notes = notes(collection)
        assert len(all_notes) == 20
        assert all(note.note_type()["name"] == "Basic" for note in all_notes)
        assert all(note.tags for note in all_notes)
        first = next(n for n in all_notes if n["Front"].startswith("What are the three"))
        assert "<strong>Build</strong>" in first["Back"] and "<ol>" in first["Back"]
        assert first.tags == ["amazon-sagemaker"]
        assert not any("â€" in f for n in all_notes for f in n.fields)
        again = import_csv(collection, out)
        assert len(again.new) == 0
        assert collection.note_count() == 20
    finally:
        collection.close()


def test_anki_csv_guids_match_the_apkg(seed_copy, tmp_path):
    from support.anki_engine import import_package

    collection = Collection(str(tmp_path / "c.anki2"))
    try:
        import_package(collection, build_one(seed_copy, tmp_path / "out", "apkg"))
        apkg_guids = {n.guid for n in notes(collection)}
    finally:
        collection.close()
    rows = list(csv.reader((build_one(seed_copy, tmp_path / "out", "anki-csv")).open(newline="")))
    assert {row[0] for row in rows if not row[0].startswith("#")} == apkg_guids


def test_anki_csv_with_cloze_uses_a_notetype_column(golden_copy, tmp_path):
    out = build_one(golden_copy, tmp_path / "out", "anki-csv")
    collection = Collection(str(tmp_path / "c.anki2"))
    try:
        log = import_csv(collection, out)
        assert len(log.new) == 5
        kinds = sorted(n.note_type()["name"] for n in notes(collection))
        assert kinds == ["Basic"] * 4 + ["Cloze"]
        cloze = next(n for n in notes(collection) if n.note_type()["name"] == "Cloze")
        assert cloze["Text"] == "The {{c1::mitochondria}} is the powerhouse of the cell"
        assert len(cloze.cards()) == 1
        basics = {
            n["Front"]: n["Back"] for n in notes(collection) if n.note_type()["name"] == "Basic"
        }
        assert "<code>6</code>" in basics["What does this print?"]
    finally:
        collection.close()

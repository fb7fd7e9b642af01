"""CSV for Anki's own text import (File > Import, Anki 2.1.54+), driven by header lines.

Fields are card HTML, rendered like the .apkg's; the GUID column carries the same stable ids, so
re-importing updates notes. Every field is quoted: an unquoted line starting with `#` would be a
comment to Anki. Notes use the stock `Basic` note type (`Cloze` for cloze questions, `Basic (and
reversed card)` for reversed pairs).
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

from cardsmith.errors import Report
from cardsmith.exporters.anki_notes import (
    REMOVED_TAG,
    card_fields,
    note_guid,
    removed_deck,
    removed_fields,
    subdeck_name,
)
from cardsmith.model import Deck, Kind
from cardsmith.output import Staging
from cardsmith.render import Rendering, Renders, Target
from cardsmith.settings import Settings

# "Front" and "Back" match the Basic note type's field names: Anki maps columns to fields by name.
# Anki's stock note types (a quiz is a Basic note)
NOTETYPES = {Kind.CLOZE: "Cloze", Kind.REVERSED: "Basic (and reversed card)"}
COLUMNS = ("guid", "notetype", "deck", "Front", "Back", "tags")


def export(
    deck: Deck, out: Staging, settings: Settings, report: Report, renders: Renders
) -> list[Path]:
    rendering = Rendering.of(deck, Target.CARD, renders)
    kinds = {q.kind for q in deck.questions} | {r.kind for r in deck.removed}
    mixed = bool(kinds & {Kind.CLOZE, Kind.REVERSED})
    columns = COLUMNS if mixed else tuple(c for c in COLUMNS if c != "notetype")
    buffer = io.StringIO()
    buffer.write("#separator:Comma\n#html:true\n")
    if mixed:
        buffer.write(f"#notetype column:{columns.index('notetype') + 1}\n")
    else:
        buffer.write("#notetype:Basic\n")
    buffer.write(f"#deck column:{columns.index('deck') + 1}\n")
    buffer.write(f"#tags column:{columns.index('tags') + 1}\n")
    buffer.write(f"#guid column:{columns.index('guid') + 1}\n")
    buffer.write("#columns:" + ",".join(columns) + "\n")
    writer = csv.writer(buffer, quoting=csv.QUOTE_ALL, lineterminator="\n")
    for question in deck.questions:
        fields = card_fields(question, rendering, deck.lang)
        deck_name = subdeck_name(deck, question.section)
        row = _row(note_guid(question), question.kind, deck_name, fields, " ".join(question.tags))
        writer.writerow([row[c] for c in columns])
    for removed in deck.removed:  # imported again, tagged, so the import marks their notes
        fields = removed_fields(removed, rendering)
        row = _row(removed.guid, removed.kind, removed_deck(deck, removed), fields, REMOVED_TAG)
        writer.writerow([row[c] for c in columns])
    return [out.write(f"{deck.stem}.anki.csv", buffer.getvalue())]


def _row(guid: str, kind: Kind, deck_name: str, fields: list[str], tags: str) -> dict[str, str]:
    front, back, _section, _source = fields
    notetype = NOTETYPES.get(kind, "Basic")
    return {
        "guid": guid,
        "notetype": notetype,
        "deck": deck_name,
        "Front": front,
        "Back": back,
        "tags": tags,
    }

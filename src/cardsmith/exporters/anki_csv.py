"""CSV for Anki's own text import (File > Import, Anki 2.1.54+), driven by header lines.

Fields are card HTML, rendered like the .apkg's; the GUID column carries the same stable ids, so
re-importing updates notes. Every field is quoted: an unquoted line starting with `#` would be a
comment to Anki. Notes use the stock `Basic` note type (and `Cloze` for cloze questions).
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

from cardsmith.errors import Report
from cardsmith.exporters.anki_notes import card_fields, note_guid, subdeck_name
from cardsmith.model import Deck, Kind
from cardsmith.options import Options
from cardsmith.output import Staging
from cardsmith.render import Renders

# "Front" and "Back" match the Basic note type's field names: Anki maps columns to fields by name.
COLUMNS = ("guid", "notetype", "deck", "Front", "Back", "tags")


def export(
    deck: Deck, out: Staging, options: Options, report: Report, renders: Renders
) -> list[Path]:
    allow_html = deck.allow_html
    mixed = any(q.kind is Kind.CLOZE for q in deck.questions)
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
        front, back, _section, _source = card_fields(question, allow_html, renders, deck.lang)
        values = {
            "guid": note_guid(question),
            "notetype": "Cloze" if question.kind is Kind.CLOZE else "Basic",
            "deck": subdeck_name(deck, question.section),
            "Front": front,
            "Back": back,
            "tags": " ".join(question.tags),
        }
        writer.writerow([values[c] for c in columns])
    return [out.write(f"{deck.stem}.anki.csv", buffer.getvalue())]

"""Anki package export: one note per question, a sub-deck per section, stable ids, same bytes.

Note GUIDs are the lock's, deck and note-type ids are made from their names (both minted in
`cardsmith.identity.ids`), and every timestamp comes from the lock file (a note's `mod` is when its
content last changed), so rebuilding unchanged content gives a byte-identical package and an edited
note looks newer to Anki's importer.
"""

from __future__ import annotations

import functools
import hashlib
import itertools
import json
import sqlite3
import tempfile
import zipfile
from pathlib import Path

from cardsmith.errors import Report
from cardsmith.exporters.anki_notes import (
    REMOVED_TAG,
    card_fields,
    media_name,
    note_guid,
    removed_deck,
    removed_fields,
    subdeck_name,
)
from cardsmith.identity import anki_id
from cardsmith.model import Deck, Kind, Question
from cardsmith.output import Staging
from cardsmith.render import Rendering, Renders, Target, highlight_css
from cardsmith.settings import Settings
from cardsmith.templating import read_template

NOTETYPE_VERSION = 1
BASIC_NAME = "cardsmith"
CLOZE_NAME = "cardsmith Cloze"
REVERSED_NAME = "cardsmith (and reversed card)"
_ZIP_DATE = (1980, 1, 1, 0, 0, 0)


def export(
    deck: Deck, out: Staging, settings: Settings, report: Report, renders: Renders
) -> list[Path]:
    import genanki

    models = _notetypes()
    rendering = Rendering.of(deck, Target.CARD, renders)
    anki_decks: dict[str, object] = {}
    media: dict[str, Path] = {}

    def anki_deck(name: str):
        if name not in anki_decks:
            anki_decks[name] = genanki.Deck(anki_id(f"deck:{name}"), name)
        return anki_decks[name]

    for section in deck.sections:
        if not section.questions:  # an introduction, or unanswered questions: no empty sub-deck
            continue
        adding = anki_deck(subdeck_name(deck, section.path))
        for question in section.questions:
            media.update({media_name(image): image.path for image in question.images})
            adding.add_note(_note(question, models, rendering, deck.lang))
    for removed in deck.removed:  # sent again, newer and tagged, so an import marks their notes
        note = _timed_note_class()(
            models[removed.kind],
            removed_fields(removed, rendering),
            (REMOVED_TAG,),
            removed.guid,
            removed.modified,
        )
        anki_deck(removed_deck(deck, removed)).add_note(note)
    # Anki's importer replaces a note (or note type) only by a newer one: the package time is when
    # the newest note or the card templates changed
    changes = [q.modified for q in deck.questions] + [r.modified for r in deck.removed]
    timestamp = max([deck.note_types_modified, *changes])
    return [_write_package(list(anki_decks.values()), media, out, f"{deck.stem}.apkg", timestamp)]


def _note(question: Question, models, rendering: Rendering, lang: str):
    return _timed_note_class()(
        models[question.kind],
        card_fields(question, rendering, lang),
        question.tags,
        note_guid(question),
        question.modified,
    )


def note_types() -> str:
    """A fingerprint of the note types: a new one (templates, styling, fields) must reach collections
    that already hold these notes, so the build stamps its change time (`Deck.note_types_modified`)."""
    parts = [str(NOTETYPE_VERSION), _css(), *(read_template("card", name) for name in _TEMPLATES)]
    return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()[:16]


# Each note type: its name, fields and cards (name, question template, answer template); a quiz is
# a basic note. The templates' order makes the fingerprint (`note_types`): keep it.
_FIELDS = ("Question", "Answer", "Section", "Source")
_FORWARD = ("Card 1", "front.html", "back.html")
NOTE_TYPES = {
    Kind.BASIC: (BASIC_NAME, _FIELDS, (_FORWARD,)),
    Kind.CLOZE: (
        CLOZE_NAME,
        ("Text", "Back Extra", "Section", "Source"),
        (("Cloze", "cloze_front.html", "cloze_back.html"),),
    ),
    Kind.REVERSED: (
        REVERSED_NAME,
        _FIELDS,
        (_FORWARD, ("Card 2", "reverse_front.html", "reverse_back.html")),
    ),
}
_TEMPLATES = tuple(
    dict.fromkeys(t for _, _, cards in NOTE_TYPES.values() for _, q, a in cards for t in (q, a))
)


def _css() -> str:
    """The note types' CSS, the one place card CSS is put together: `templates/card/card.css`, then
    the code colours of cards, day and night (`render.highlight_css`)."""
    return read_template("card", "card.css") + "\n" + highlight_css(Target.CARD)


def _notetypes() -> dict:
    """The genanki note type of each kind of question (`NOTE_TYPES`)."""
    import genanki

    css = _css()
    models = {
        kind: genanki.Model(
            anki_id(f"notetype:{name}:v{NOTETYPE_VERSION}"),
            name,
            fields=[{"name": field} for field in fields],
            templates=[
                {"name": card, "qfmt": read_template("card", q), "afmt": read_template("card", a)}
                for card, q, a in cards
            ],
            css=css,
            model_type=genanki.Model.CLOZE if kind is Kind.CLOZE else genanki.Model.FRONT_BACK,
            sort_field_index=0,
        )
        for kind, (name, fields, cards) in NOTE_TYPES.items()
    }
    return {**models, Kind.CHOICE: models[Kind.BASIC]}


@functools.cache
def _timed_note_class():
    import genanki  # here, not at module level: genanki loads only when a package is written
    from genanki.note import _TagList

    class TimedNote(genanki.Note):
        """genanki's note, written at its own change time (genanki stamps every note with the
        package time), without three costs of each genanki note that cardsmith's do not need: its
        tags kept in a list that checks every change (they are checked once here: a note's tags
        never change), its cards kept by a `cached_property` that asks whether `cards` is a
        coroutine function at each note (they are asked for once: the note is written once), and
        each field searched for text that looks like a broken tag, in case a caller forgot to
        escape its text (the fields are HTML cardsmith rendered and escaped; the search reads on to
        each line's end at every `<`). A sixth of writing a 1,000-question package."""

        cards = property(genanki.Note.cards.func)

        def __init__(self, model, fields: list[str], tags, guid: str, modified: int):
            for tag in tags:
                _TagList._validate_tag(tag)
            self.model = model
            self.fields = fields
            self._sort_field = None
            self._tags = list(tags)
            self.due = 0
            self._guid = guid
            self.modified = modified

        def _check_invalid_html_tags_in_fields(self):
            pass

        def write_to_db(self, cursor, timestamp, deck_id, id_gen):
            super().write_to_db(cursor, self.modified, deck_id, id_gen)

    return TimedNote


def _write_package(decks, media: dict[str, Path], out: Staging, name: str, timestamp: int) -> Path:

    with tempfile.TemporaryDirectory() as scratch:
        database = Path(scratch) / "collection.anki2"
        connection = sqlite3.connect(database)
        try:
            # a scratch file, zipped once closed: nothing to make durable. SQLite's default syncs it
            # to disk at each transaction (the schema, the collection row, the notes), which took
            # seconds of waiting for 10 packages on a busy disk; the file's bytes are the same
            connection.execute("PRAGMA synchronous = OFF")
            connection.execute("PRAGMA journal_mode = MEMORY")
            id_gen = itertools.count(timestamp * 1000)
            _write_collection(connection.cursor(), decks, timestamp, id_gen)
            connection.commit()
        finally:
            connection.close()
        names = sorted(media)
        with out.file(name) as temp, zipfile.ZipFile(temp, "w", zipfile.ZIP_DEFLATED) as zf:
            _add(zf, "collection.anki2", database.read_bytes())
            _add(zf, "media", json.dumps({str(i): name for i, name in enumerate(names)}).encode())
            for index, media_file in enumerate(names):
                _add(zf, str(index), media[media_file].read_bytes())
    return out.folder / name


def _write_collection(cursor, decks, timestamp: int, id_gen) -> None:
    """What `genanki.Package.write_to_db` writes, with the deck and note-type tables written once:
    genanki rewrites both per sub-deck, so 4,000 sections took 95 s. Each note type records the
    last deck that uses it, as genanki's would."""
    from genanki.package import APKG_COL, APKG_SCHEMA

    cursor.executescript(APKG_SCHEMA)
    cursor.executescript(APKG_COL)
    (decks_json,) = cursor.execute("SELECT decks FROM col").fetchone()
    (models_json,) = cursor.execute("SELECT models FROM col").fetchone()
    deck_table, model_table = json.loads(decks_json), json.loads(models_json)
    last_deck: dict[int, int] = {}
    models = {}
    for deck in decks:
        deck_table[str(deck.deck_id)] = deck.to_json()
        for note in deck.notes:
            models[note.model.model_id] = note.model
            last_deck[note.model.model_id] = deck.deck_id
    for model_id, model in models.items():
        model_table[str(model_id)] = model.to_json(timestamp, last_deck[model_id])
    cursor.execute("UPDATE col SET decks = ?", (json.dumps(deck_table),))
    cursor.execute("UPDATE col SET models = ?", (json.dumps(model_table),))
    for deck in decks:
        for note in deck.notes:
            note.write_to_db(cursor, timestamp, deck.deck_id, id_gen)


def _add(zf: zipfile.ZipFile, name: str, data: bytes) -> None:
    info = zipfile.ZipInfo(name, date_time=_ZIP_DATE)  # no clock time in the archive
    info.compress_type = zipfile.ZIP_DEFLATED
    info.external_attr = 0o644 << 16
    zf.writestr(info, data)

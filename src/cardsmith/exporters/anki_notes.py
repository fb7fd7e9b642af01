"""What the two Anki exporters (.apkg and Anki CSV) share: the notes' GUIDs as the lock keeps them,
deck names, rendered fields, and the notes of removed questions."""

from __future__ import annotations

import html
import re
import time

from cardsmith.model import Deck, Image, Question, Removed, section_label
from cardsmith.render import Rendering, direction_of, question_html, to_html


def note_guid(question: Question) -> str:
    """The note's GUID, minted and kept by the lock (`cardsmith.identity`): Anki updates the note
    with it."""
    if not question.guid:
        raise ValueError(f"{question.source}: question has no GUID; ids are assigned by the build")
    return question.guid


def subdeck_name(deck: Deck, section_path: tuple[str, ...]) -> str:
    """`Deck::Part::Chapter`. `::` separates Anki sub-decks, so no run of colons may stand inside a
    name, nor a colon at its ends (`:star:` next to `::` made `:::`, which Anki splits too)."""
    return "::".join(_part(part) for part in (deck.name, *section_path))


def _part(name: str) -> str:
    return re.sub(r":{2,}", ":", name).strip(": ") or "-"


def media_name(image: Image) -> str:
    """A collision-free file name for an image in Anki's flat media folder: same bytes, same name."""
    stem = re.sub(r"[^A-Za-z0-9_-]+", "-", image.path.stem)[:40].strip("-") or "image"
    return f"cardsmith-{stem}-{image.digest[:12]}{image.path.suffix.lower()}"


def card_fields(question: Question, rendering: Rendering, lang: str = "en") -> list[str]:
    """The note's fields as card HTML (`rendering` is the deck's, for cards): Question/Text,
    Answer/Back Extra, Section, Source. Images point at their media names (`media_name`)."""
    images = {image.src: media_name(image) for image in question.images}
    prompt, answer = question_html(question, rendering.with_images(images))
    if direction_of(question.prompt) == "rtl":
        prompt = f'<div dir="rtl">{prompt}</div>'
    if lang != "en":  # the note type is every deck's: a deck's language goes with its fields
        prompt, answer = (
            f'<div lang="{html.escape(lang)}">{field}</div>' for field in (prompt, answer)
        )
    return [
        prompt,
        answer,
        html.escape(question.section_label),  # plain text going into an HTML field
        html.escape(str(question.source)),
    ]


# the tag on the note of a question deleted from the Markdown: `tag:cardsmith::removed` in Anki's
# browser selects them all for deletion
REMOVED_TAG = "cardsmith::removed"


def removed_deck(deck: Deck, removed: Removed) -> str:
    """The sub-deck a removed question's note goes in: its section's while the section is still in the
    deck, else the deck itself (an update leaves an existing note's cards where they are anyway)."""
    sections = {section.path for section in deck.sections if section.questions}
    return subdeck_name(deck, removed.section if removed.section in sections else ())


def removed_fields(removed: Removed, rendering: Rendering) -> list[str]:
    """A removed question's note fields: its last prompt, and on the back where it was and when it
    went, so a user who finds it while studying knows why. A cloze prompt keeps its deletions, so
    the note keeps its cards."""
    day = time.strftime("%Y-%m-%d", time.gmtime(removed.removed))
    where = html.escape(removed.source.path.name)
    notice = (
        f'<p class="cs-removed">Removed from <code>{where}</code> on {day}: delete this note '
        f"(tag <code>{REMOVED_TAG}</code>).</p>"
    )
    return [
        to_html(removed.prompt, rendering),
        notice,
        html.escape(section_label(removed.section)),
        where,
    ]

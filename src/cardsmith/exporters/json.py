"""JSON export: the whole model, the contract other tools (and the tests) read."""

from __future__ import annotations

import json
from pathlib import Path

from cardsmith.errors import Report
from cardsmith.model import Deck, Question
from cardsmith.output import Staging
from cardsmith.render import Renders
from cardsmith.settings import Settings

# 2: intro, skipped, choices, convention, guid; unanswered with prompts. 3: removed (tombstones)
SCHEMA_VERSION = 3


def export(
    deck: Deck, out: Staging, settings: Settings, report: Report, renders: Renders
) -> list[Path]:
    text = json.dumps(deck_to_dict(deck), ensure_ascii=False, indent=2) + "\n"
    return [out.write(f"{deck.stem}.json", text)]


def deck_to_dict(deck: Deck) -> dict:
    return {
        "schema": SCHEMA_VERSION,
        "title": deck.title,
        "deck": deck.name,
        "source": deck.source.path.as_posix(),
        "metadata": deck.metadata,
        "tags": list(deck.tags),
        "intro": deck.intro,
        "unanswered": [
            {
                "source": str(u.source),
                "section": list(u.section),
                "prompt": u.prompt,
                "body": u.body,
                "reason": u.reason,
            }
            for u in deck.unanswered
        ],
        "skipped": [
            # `source` names the file (a vault's deck is read from many notes) and first line
            {"source": str(s.source), "line": s.source.line, "end": s.end, "reason": s.reason}
            for s in deck.skipped
        ],
        "removed": [
            {
                "id": r.id,
                "guid": r.guid,
                "prompt": r.prompt,
                "section": list(r.section),
                "removed": r.removed,
            }
            for r in deck.removed
        ],
        "sections": [
            {
                "title": section.title,
                "path": list(section.path),
                "tag": section.tag,
                "source": str(section.source),
                "intro": section.intro,
                "questions": [_question(q) for q in section.questions],
            }
            for section in deck.sections
        ],
    }


def _question(question: Question) -> dict:
    return {
        "id": question.id,
        "guid": question.guid,
        "number": question.number,
        "section": list(question.section),
        "prompt": question.prompt,
        "front": question.front,
        "answer": question.answer,
        "tags": list(question.tags),
        "kind": str(question.kind),
        "choices": [
            {"label": c.label, "text": c.text, "correct": c.correct} for c in question.choices
        ],
        "convention": question.rule,
        "source": str(question.source),
        "images": [image.src for image in question.images],
    }

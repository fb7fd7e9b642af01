"""Stable question ids kept in a lock file, so a rebuild updates Anki notes instead of adding new ones.

`cardsmith.lock` sits in the content folder and is meant to be committed. For each question it keeps
the id, the file and section, the prompt, fingerprints of the answer and of everything that reaches a
card, and the time that content last changed. On a rebuild each question is matched to an entry, in
this order, and keeps that entry's id:

1. an explicit id in the Markdown (`### Question {#my-id}` or `<!-- id: my-id -->`);
2. the same prompt and the same answer;
3. the same prompt (the answer was edited);
4. the same answer (the prompt was reworded);
5. the most similar remaining entry (prompt text, answer words, same section, same file), when it
   is similar enough.

Only then is a new id minted, derived from the prompt so that two fresh builds agree. Entries left over
are questions that were deleted: they are reported and dropped from the lock.
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
import time
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, replace
from difflib import SequenceMatcher
from pathlib import Path

from cardsmith.errors import ContentError, Report
from cardsmith.model import Deck, Question, Source, question_text

LOCK_NAME = "cardsmith.lock"
LOCK_VERSION = 1
_MATCH_THRESHOLD = 0.62


@dataclass(frozen=True, slots=True)
class Entry:
    id: str
    file: str
    section: str
    prompt: str
    answer: str  # sha256 of the answer, shortened
    simhash: str  # 64-bit simhash of the answer's words, for similarity
    content: str  # sha256 of everything a card shows (line numbers excepted)
    modified: int


def _sha(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def _words(text: str) -> list[str]:
    return re.findall(r"\w+", text.casefold())


def _simhash(text: str) -> str:
    # over the word-frequency profile, capped, so a 5 MB answer costs what a short one does
    weights = [0] * 64
    for word, count in Counter(_words(text)).most_common(512):
        value = int.from_bytes(hashlib.blake2b(word.encode(), digest_size=8).digest(), "big")
        for bit in range(64):
            weights[bit] += count if value >> bit & 1 else -count
    return f"{sum(1 << bit for bit in range(64) if weights[bit] > 0):016x}"


def _simhash_similarity(a: str, b: str) -> float:
    return 1 - bin(int(a, 16) ^ int(b, 16)).count("1") / 64


def _normal(prompt: str) -> str:
    return " ".join(_words(prompt))


def content_fingerprint(question: Question) -> str:
    """What reaches a card. Line numbers are left out so that an edit above a question does not make
    every later note look changed (Anki would re-import them all)."""
    parts = [
        question.prompt,
        question.front,
        question.answer,
        "::".join(question.section),
        " ".join(question.tags),
        question.kind,
        str(question.source.path.name),
        *(f"{image.src}={_file_sha(image.path)}" for image in question.images),
    ]
    return _sha("\x1f".join(parts))


def _file_sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()[:16]


def mint_id(prompt: str, taken: set[str]) -> str:
    """A short id derived from the prompt; deterministic, so fresh builds of the same text agree."""
    seed = _normal(prompt)
    for attempt in range(1000):
        digest = hashlib.sha256(f"{seed}\x1f{attempt}".encode()).digest()
        candidate = _base32(digest)[:10]
        if candidate not in taken:
            return candidate
    raise AssertionError("unreachable: 1000 id collisions")


def _base32(data: bytes) -> str:
    return base64.b32encode(data).decode().lower().rstrip("=")


class Lock:
    """The lock file's entries, read from and written to `cardsmith.lock`."""

    def __init__(self, path: Path, entries: Iterable[Entry] = ()):
        self.path = path
        self.entries = list(entries)

    @classmethod
    def load(cls, content_root: Path) -> Lock:
        path = content_root / LOCK_NAME
        if not path.exists():
            return cls(path)
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            if data.get("version") != LOCK_VERSION:
                raise ValueError(f"unsupported lock version {data.get('version')!r}")
            entries = [Entry(**item) for item in data["questions"]]
        except (ValueError, KeyError, TypeError, UnicodeDecodeError) as exc:
            raise ContentError.at(
                Source(path, 1), f"cannot read the lock file ({exc}); fix it or delete it"
            ) from None
        return cls(path, entries)

    def dumps(self) -> str:
        # One entry a line, in file and document order: diffs read like the content's own diffs.
        lines = ",\n".join(
            "  " + json.dumps(asdict(entry), ensure_ascii=False) for entry in self.entries
        )
        return f'{{"version": {LOCK_VERSION}, "questions": [\n{lines}\n]}}\n'


def assign_ids(
    decks: list[Deck],
    lock: Lock,
    report: Report,
    clock: Callable[[], float] = time.time,
) -> tuple[list[Deck], Lock]:
    """Give every question of `decks` its stable id and modification time; return the new lock."""
    root = lock.path.parent
    files = {_relative(deck.source.path, root) for deck in decks}
    # Entries of files built now, or of files that no longer exist (a rename), may be matched;
    # entries of other files that exist but are not part of this build are kept untouched.
    candidates = [e for e in lock.entries if e.file in files or not (root / e.file).exists()]
    kept = [e for e in lock.entries if e not in candidates]
    questions = [(deck, q) for deck in decks for q in deck.questions]
    matched = _match(questions, candidates, root)

    now = int(clock())
    taken = {e.id for e in kept} | {q.id for _, q in questions if q.id}
    taken |= {entry.id for entry in matched.values()}
    new_entries: dict[int, Entry] = {}
    assigned: dict[int, Question] = {}
    for index, (deck, question) in enumerate(questions):
        old = matched.get(index)
        qid = question.id or (old.id if old else mint_id(question_text(question), taken))
        if qid in {e.id for e in new_entries.values()}:
            report.error(question.source, f"id {qid!r} is used by two questions")
            continue
        taken.add(qid)
        content = content_fingerprint(question)
        if old is not None and old.content == content:
            modified = old.modified
        else:
            modified = max(now, old.modified + 1) if old else now
        new_entries[index] = Entry(
            id=qid,
            file=_relative(deck.source.path, root),
            section="::".join(question.section),
            prompt=question_text(question),
            answer=_sha(question.answer),
            simhash=_simhash(question.answer),
            content=content,
            modified=modified,
        )
        assigned[index] = replace(question, id=qid, modified=modified)
    report.raise_errors()

    used = {e.id for e in new_entries.values()}
    for entry in candidates:
        if entry.id not in used:
            report.warn(
                Source(root / entry.file, 1),
                f"question removed since the last build: {entry.prompt!r} (id {entry.id})",
            )
    ordered = kept + [new_entries[i] for i in sorted(new_entries)]
    ordered.sort(key=lambda e: e.file)  # stable: keeps each file's questions in document order
    return _with_ids(decks, [assigned[i] for i in sorted(assigned)]), Lock(lock.path, ordered)


def _relative(path: Path, root: Path) -> str:
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return path.name


def _with_ids(decks: list[Deck], questions: list[Question]) -> list[Deck]:
    """Put `questions` (in deck, section, document order) back into copies of `decks`."""
    it = iter(questions)
    return [
        replace(
            deck,
            sections=tuple(
                replace(s, questions=tuple(next(it) for _ in s.questions)) for s in deck.sections
            ),
        )
        for deck in decks
    ]


def _match(questions, entries: list[Entry], root: Path) -> dict[int, Entry]:
    """Map question index -> lock entry, by the rules in this module's docstring."""
    free = list(entries)
    matched: dict[int, Entry] = {}

    def claim(index: int, entry: Entry) -> None:
        matched[index] = entry
        free.remove(entry)

    for index, (_, question) in enumerate(questions):
        if question.id:
            entry = next((e for e in free if e.id == question.id), None)
            if entry:
                claim(index, entry)
    keys: list[Callable[[Question], tuple] | Callable[[Entry], tuple]] = [
        (
            lambda q: (_normal(question_text(q)), _sha(q.answer)),
            lambda e: (_normal(e.prompt), e.answer),
        ),
        (lambda q: _normal(question_text(q)), lambda e: _normal(e.prompt)),
        (lambda q: _sha(q.answer), lambda e: e.answer),
    ]
    for question_key, entry_key in keys:
        for index, (_, question) in enumerate(questions):
            if index in matched or question.id:
                continue
            wanted = question_key(question)
            entry = next((e for e in free if entry_key(e) == wanted), None)
            if entry:
                claim(index, entry)

    scored = []
    for index, (deck, question) in enumerate(questions):
        if index in matched or question.id:
            continue
        file = _relative(deck.source.path, root)
        simhash = _simhash(question.answer)
        for entry in free:
            score = _similarity(question, file, simhash, entry)
            if score >= _MATCH_THRESHOLD:
                scored.append((score, index, entry.id))
    by_id = {e.id: e for e in free}
    for _score, index, entry_id in sorted(scored, key=lambda s: (-s[0], s[1], s[2])):
        if index not in matched and by_id.get(entry_id) in free:
            claim(index, by_id[entry_id])
    return matched


def _similarity(question: Question, file: str, simhash: str, entry: Entry) -> float:
    prompt = SequenceMatcher(None, _normal(question_text(question)), _normal(entry.prompt)).ratio()
    answer = max(0.0, (_simhash_similarity(simhash, entry.simhash) - 0.5) * 2)
    section = 1.0 if "::".join(question.section) == entry.section else 0.0
    same_file = 1.0 if file == entry.file else 0.0
    return 0.5 * prompt + 0.35 * answer + 0.1 * section + 0.05 * same_file

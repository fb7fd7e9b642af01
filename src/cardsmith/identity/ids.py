"""Every id cardsmith mints: question ids, note GUIDs, and Anki's deck and note-type ids.

All are derived from text, never random, so two fresh builds of the same content agree and a
rebuilt package updates what the last one imported. A question's id and GUID are minted once, by
`assign_ids`, and then kept by the lock; deck and note-type ids are made from their names each build.
"""

from __future__ import annotations

import base64
import hashlib

from cardsmith.identity.fingerprints import normal_prompt


def deck_scope(deck_name: str, file: str) -> str:
    """What makes a new id or GUID differ between decks: the deck's name and its file in the project."""
    return f"{deck_name}\x1f{file}"


def mint_id(
    scope: str, prompt: str, taken: set[str], attempts: dict[str, int] | None = None
) -> str:
    """A short id derived from the deck's scope and the prompt: deterministic, so fresh builds of the
    same text agree, and different for the same prompt in another deck. `attempts` remembers where
    each seed's search stopped, so a thousand identical prompts cost a thousand hashes, not a million."""
    seed = f"{scope}\x1f{normal_prompt(prompt)}"
    attempts = {} if attempts is None else attempts
    attempt = attempts.get(seed, 0)
    while True:
        digest = hashlib.sha256(f"{seed}\x1f{attempt}".encode()).digest()
        candidate = _base32(digest)[:10]
        attempt += 1
        if candidate not in taken:
            attempts[seed] = attempt
            return candidate


def id_of_guid(guid: str) -> str:
    """An id for a note known only by its GUID (read back from an Anki package): `g` and 9 letters."""
    return "g" + _base32(hashlib.sha256(guid.encode()).digest())[:9]


_BASE91 = (
    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789!#$%&()*+,-./:;<=>?@[]^_`{|}~"
)


def anki_guid(*parts: str) -> str:
    """A note GUID the way genanki's `guid_for` makes one (base 91 of a sha256), without importing
    genanki: `check` must stay light. Version 1 locks relied on `anki_guid("cardsmith", id)`."""
    value = int.from_bytes(hashlib.sha256("__".join(parts).encode()).digest()[:8], "big")
    letters = []
    while value:
        value, digit = divmod(value, len(_BASE91))
        letters.append(_BASE91[digit])
    return "".join(reversed(letters))


def new_guid(scope: str, qid: str) -> str:
    """A new question's GUID: scoped to its deck and file, so the same prompt (or explicit id) in two
    decks imported into one collection is two notes."""
    return anki_guid("cardsmith", scope, qid)


def legacy_guid(qid: str) -> str:
    """The GUID a version 1 lock's entry had: derived from its id alone."""
    return anki_guid("cardsmith", qid)


def anki_id(name: str) -> int:
    """A positive 63-bit Anki deck or note-type id derived from a name (genanki's random ids would
    defeat re-imports)."""
    value = int.from_bytes(hashlib.sha256(name.encode()).digest()[:8], "big")
    return (value & ((1 << 62) - 1)) | (1 << 30)


def _base32(data: bytes) -> str:
    return base64.b32encode(data).decode().lower().rstrip("=")

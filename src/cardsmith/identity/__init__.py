"""Stable question ids kept in a lock file, so a rebuild updates Anki notes instead of adding new ones.

One module a job, in the order a build uses them:

- `lockfile`: `cardsmith.lock` (entries, tombstones, note-type stamps), read, checked and written;
- `recover`: a missing lock's ids read back from an earlier build's outputs;
- `fingerprints`: what the lock remembers of a question's text (digests, simhash, normal prompt);
- `matching`: which entry each question is (explicit id, same prompt and answer, ..., most similar);
- `assign`: the ids, GUIDs and times given, tombstones for deleted questions, the new lock;
- `ids`: every id minted (question ids, note GUIDs, Anki's deck and note-type ids).
"""

from cardsmith.identity.assign import assign_ids, forget_removed
from cardsmith.identity.fingerprints import normal_prompt, question_prints
from cardsmith.identity.ids import anki_guid, anki_id
from cardsmith.identity.lockfile import LOCK_NAME, Lock, Tombstone, relative_name
from cardsmith.identity.recover import recover

__all__ = [
    "LOCK_NAME",
    "Lock",
    "Tombstone",
    "anki_guid",
    "anki_id",
    "assign_ids",
    "forget_removed",
    "normal_prompt",
    "question_prints",
    "recover",
    "relative_name",
]

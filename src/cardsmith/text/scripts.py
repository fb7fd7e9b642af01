"""Writing systems: which script a character is in, which way a text runs, which language a deck is
in, and which Debian package has fonts for a script.

Python's `unicodedata` has no script property, but a character's Unicode name starts with its script
(`ARABIC LETTER ALEF`, `HIRAGANA LETTER A`, `CJK UNIFIED IDEOGRAPH-4E2D`), which is enough here:
nothing below needs more than "which script, mostly".
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Script:
    name: str  # for people: "Arabic"
    language: str  # the BCP 47 tag a deck mostly in it gets: "ar"
    package: str  # the Debian package with fonts for it
    rtl: bool = False


_CORE = "fonts-noto-core"
_CJK = "fonts-noto-cjk"
# Unicode name prefix -> script (the longest prefix that matches wins)
SCRIPTS: dict[str, Script] = {
    "CJK": Script("Chinese", "zh", _CJK),
    "IDEOGRAPHIC": Script("Chinese", "zh", _CJK),
    "HIRAGANA": Script("Japanese", "ja", _CJK),
    "KATAKANA": Script("Japanese", "ja", _CJK),
    "HALFWIDTH KATAKANA": Script("Japanese", "ja", _CJK),
    "HANGUL": Script("Korean", "ko", _CJK),
    "BOPOMOFO": Script("Chinese", "zh-TW", _CJK),
    "ARABIC": Script("Arabic", "ar", _CORE, rtl=True),
    "HEBREW": Script("Hebrew", "he", _CORE, rtl=True),
    "SYRIAC": Script("Syriac", "syr", _CORE, rtl=True),
    "THAANA": Script("Thaana", "dv", _CORE, rtl=True),
    "NKO": Script("N'Ko", "nqo", _CORE, rtl=True),
    "DEVANAGARI": Script("Devanagari", "hi", _CORE),
    "BENGALI": Script("Bengali", "bn", _CORE),
    "GURMUKHI": Script("Gurmukhi", "pa", _CORE),
    "GUJARATI": Script("Gujarati", "gu", _CORE),
    "ORIYA": Script("Odia", "or", _CORE),
    "TAMIL": Script("Tamil", "ta", _CORE),
    "TELUGU": Script("Telugu", "te", _CORE),
    "KANNADA": Script("Kannada", "kn", _CORE),
    "MALAYALAM": Script("Malayalam", "ml", _CORE),
    "SINHALA": Script("Sinhala", "si", _CORE),
    "THAI": Script("Thai", "th", _CORE),
    "LAO": Script("Lao", "lo", _CORE),
    "TIBETAN": Script("Tibetan", "bo", _CORE),
    "MYANMAR": Script("Myanmar", "my", _CORE),
    "KHMER": Script("Khmer", "km", _CORE),
    "GEORGIAN": Script("Georgian", "ka", _CORE),
    "ARMENIAN": Script("Armenian", "hy", _CORE),
    "ETHIOPIC": Script("Ethiopic", "am", _CORE),
    "GREEK": Script("Greek", "el", _CORE),
    "CYRILLIC": Script("Cyrillic", "ru", _CORE),
    "LATIN": Script("Latin", "en", "fonts-dejavu-core"),
}
EMOJI = Script("emoji", "", "fonts-noto-color-emoji")
OTHER = Script("other", "", _CORE)
LATIN = SCRIPTS["LATIN"]


@functools.lru_cache(maxsize=4096)
def script_of(character: str) -> Script | None:
    """The script of a letter (None for digits, punctuation, spaces and other shared characters)."""
    if _is_emoji(character):
        return EMOJI
    point = ord(character)
    if 0x3000 <= point <= 0x303F or 0xFF00 <= point <= 0xFFEF:
        return SCRIPTS["CJK"]  # CJK punctuation and full-width forms: in CJK fonts
    name = unicodedata.name(character, "")
    for words in (3, 2, 1):
        prefix = " ".join(name.split(" ")[:words])
        if prefix in SCRIPTS:
            return SCRIPTS[prefix]
    if unicodedata.category(character).startswith("L"):
        return OTHER
    return None


def _is_emoji(character: str) -> bool:
    point = ord(character)
    return (
        0x1F000 <= point <= 0x1FAFF
        or 0x2600 <= point <= 0x27BF
        or 0x1F1E6 <= point <= 0x1F1FF
        or point in (0x2B50, 0x2B55, 0x231A, 0x231B, 0x23F0, 0x23F3, 0x2328, 0x3030, 0x303D)
    )


def direction(text: str) -> str:
    """ "rtl" when the first letter with a direction runs right to left (Unicode's rule, as HTML's
    `dir="auto"`, which WeasyPrint does not follow), else "ltr"."""
    for character in text:
        kind = unicodedata.bidirectional(character)
        if kind in ("R", "AL"):
            return "rtl"
        if kind == "L":
            return "ltr"
    return "ltr"


# Unicode's explicit direction controls: embeddings, overrides, isolates and their ends. Each shows
# what follows it in another order than it is written (U+202E makes `txt.exe` of `exe.txt`), so a
# prompt could read as something else; a card sets its own direction (`direction`, `dir="auto"`).
# The marks U+200E and U+200F, which only say a direction, are kept.
DIRECTION_CONTROLS = re.compile("[\u202a-\u202e\u2066-\u2069]")


def without_direction_controls(text: str) -> tuple[str, str]:
    """`text` (a prompt) without its direction controls, and the warning that says which were
    taken out ("" when none were)."""
    found = sorted(set(DIRECTION_CONTROLS.findall(text)))
    if not found:
        return text, ""
    named = ", ".join(f"U+{ord(c):04X} ({unicodedata.name(c).lower()})" for c in found)
    warning = f"removed from the prompt: {named}, which would show it in another order than written"
    return DIRECTION_CONTROLS.sub("", text), warning


def language(text: str) -> str:
    """The language a text is mostly in, as far as its script tells: the most common script other
    than Latin when at least one letter in twenty is in it (a Japanese vocabulary deck with English
    meanings is Japanese: its Han characters must take Japanese forms), else English. Kana make Han
    text Japanese."""
    if text.isascii():
        return "en"  # only Latin letters
    counts: Counter[str] = Counter()
    letters = 0
    # each distinct character looked up once (counting them is one pass in C): a deck's text is
    # a megabyte of a few hundred characters
    for character, times in Counter(text).items():
        script = script_of(character)
        if script is None or script is EMOJI:
            continue
        letters += times
        if script is not LATIN and script is not OTHER:
            counts[script.language] += times
    if not counts:
        return "en"
    if counts["ja"] and counts["zh"]:
        counts["ja"] += counts.pop("zh")  # kanji among kana
    tag, count = counts.most_common(1)[0]
    return tag if 20 * count >= letters else "en"


def is_rtl_language(tag: str) -> bool:
    return tag.split("-")[0] in {s.language for s in SCRIPTS.values() if s.rtl}

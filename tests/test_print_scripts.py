"""Printing any bank (issue #18): every script draws (or is reported), right-to-left text runs right
to left, a deck's language reaches its pages and cards, and long questions lay out on their page."""

from __future__ import annotations

import os
import re
import subprocess
import sys

import pypdf
import pytest
from anki.collection import Collection
from pypdf.generic import ContentStream

from cardsmith.build.pipeline import build
from cardsmith.exporters.cheat_sheet import cheat_sheet_html
from cardsmith.settings import Settings

from support.anki_engine import build_one, import_package, notes
from support.inputs import write

SCRIPTS = (
    "# Many scripts\n\n## 日本語\n\n### 1. 「ありがとう」はどういう意味ですか？\n感謝を表す言葉です。\n\n"
    "### 2. 中文里“谢谢”是什么意思？\n表示感谢。\n\n### 3. “감사합니다”는 무슨 뜻인가요?\n고맙다는 뜻입니다.\n\n"
    '## العربية\n\n### 4. ما معنى كلمة شكرا؟\nتعني الامتنان. مثال: `print("شكرا")` في بايثون.\n\n'
    "### 5. מה פירוש המילה תודה?\nמילה של הכרת תודה.\n\n## Other scripts\n\n"
    "### 6. धन्यवाद का क्या अर्थ है?\nआभार व्यक्त करना।\n\n### 7. คำว่า ขอบคุณ หมายความว่าอะไร?\nแสดงความขอบคุณ\n\n"
    "### 8. Τι σημαίνει ευχαριστώ;\nΣημαίνει ευγνωμοσύνη.\n\n"
    "### 9. Что значит спасибо?\nВыражение благодарности. 🎉 👍\n\n"
    "### 10. What is a thank-you in English?\nGratitude, said plainly.\n"
)


def _glyphs(reader: pypdf.PdfReader) -> list[int]:
    """Every glyph id drawn: WeasyPrint writes text as two-byte ids (Identity-H); 0 is .notdef."""
    drawn = []
    for page in reader.pages:
        content = ContentStream(page.get_contents(), reader)
        for operands, operator in content.operations:
            if operator == b"Tj":
                strings = [operands[0]]
            elif operator == b"TJ":
                strings = [item for item in operands[0] if not isinstance(item, int | float)]
            else:
                continue
            for string in strings:
                data = bytes(string.original_bytes if hasattr(string, "original_bytes") else string)
                drawn += [int.from_bytes(data[i : i + 2], "big") for i in range(0, len(data), 2)]
    return drawn


@pytest.mark.parametrize("fmt", ["pdf", "cards-pdf"])
def test_every_script_and_emoji_prints_with_a_real_glyph(content, tmp_path, fmt):
    path = write(content, "scripts.md", SCRIPTS)
    result = build([path], tmp_path / "out", [fmt], Settings())
    assert not result.failed
    assert not [d for d in result.all_diagnostics if "no installed font" in d.message]
    reader = pypdf.PdfReader(
        tmp_path / "out" / f"scripts.{'cards.pdf' if fmt == 'cards-pdf' else 'pdf'}"
    )
    glyphs = _glyphs(reader)
    assert len(glyphs) > 200 and 0 not in glyphs  # no .notdef box anywhere
    fonts = {
        str(font.get_object()["/BaseFont"])
        for page in reader.pages
        for font in page["/Resources"]["/Font"].values()
    }
    for family in ("CJK-JP", "Devanagari", "Thai", "Color-Emoji"):
        assert any(family in name for name in fonts), (family, fonts)


def test_text_without_a_font_is_a_warning_naming_the_script_and_package(content, tmp_path):
    """A machine with DejaVu alone (fontconfig pointed at it, as WeasyPrint would be)."""
    write(content, "scripts.md", SCRIPTS)
    conf = write(
        tmp_path,
        "fonts.conf",
        '<?xml version="1.0"?><!DOCTYPE fontconfig SYSTEM "fonts.dtd"><fontconfig>'
        "<dir>/usr/share/fonts/truetype/dejavu</dir>"
        f"<cachedir>{tmp_path / 'fc-cache'}</cachedir></fontconfig>",
    )
    # the fonts are asked when printing (`check` prints nothing): build the cheat sheet
    done = subprocess.run(
        [sys.executable, "-m", "cardsmith", "build", str(content), "-o", str(tmp_path / "out"),
         "-f", "pdf"],
        env={**os.environ, "FONTCONFIG_FILE": str(conf)},
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    warnings = re.findall(r"(\d+): warning: no installed font has these (\w+)", done.stderr)
    assert ("5", "Japanese") in warnings and ("24", "Devanagari") in warnings
    assert ("27", "Thai") in warnings and ("33", "emoji") in warnings
    assert (
        "install fonts-noto-cjk (Debian/Ubuntu: sudo apt-get install fonts-noto-cjk)" in done.stderr
    )
    assert "Cyrillic" not in done.stderr  # DejaVu has it


def test_right_to_left_text_is_set_right_to_left(content, tmp_path):
    path = write(content, "scripts.md", SCRIPTS)
    [deck] = build([path], tmp_path / "out", ["json"], Settings()).decks
    sheet = cheat_sheet_html(deck.deck, Settings())
    assert '<p dir="rtl">تعني الامتنان.' in sheet and '<h2 dir="rtl">العربية</h2>' in sheet
    assert '<h3 class="q" dir="rtl">' in sheet
    assert "<p>Gratitude, said plainly.</p>" in sheet  # left to right stays as it was
    reader = pypdf.PdfReader(build_one(path, tmp_path / "out", "pdf"))
    starts: dict[str, float] = {}

    def where(text, cm, tm, font, size):
        for word in ("感謝", "מילה"):  # two answers in the first column
            if word in text and word not in starts:
                starts[word] = tm[4] * cm[0] + cm[4]

    reader.pages[0].extract_text(visitor_text=where)
    # the short Hebrew answer is set against the right edge of its column, the Japanese one the left
    assert starts["מילה"] > starts["感謝"] + 100


def test_a_deck_s_language_reaches_its_pages_and_cards(content, tmp_path):
    path = write(
        content, "ja.md", "# 日本語\n\n### 1. 「猫」は何ですか？\n動物です。cat とも言います。\n"
    )
    [deck] = build([path], tmp_path / "out", ["json"], Settings()).decks
    assert deck.deck.lang == "ja"
    assert cheat_sheet_html(deck.deck, Settings()).startswith('<!doctype html>\n<html lang="ja">')
    collection = Collection(str(tmp_path / "c.anki2"))
    try:
        import_package(collection, build_one(path, tmp_path / "out", "apkg"))
        [note] = notes(collection)
    finally:
        collection.close()
    assert note["Question"].startswith('<div lang="ja">') and note["Answer"].startswith(
        '<div lang="ja">'
    )
    zh = write(content, "zh.md", "---\nlang: zh-TW\n---\n# 中文\n\n### 1. 貓是什麼？\n動物。\n")
    [deck] = build([zh], tmp_path / "out", ["json"], Settings()).decks
    assert deck.deck.lang == "zh-TW"  # front matter wins over the script (Han alone says zh)


def test_english_decks_are_untouched_by_languages(content, tmp_path):
    path = write(content, "en.md", "# T\n### What is a closure?\nA function with its scope.\n")
    collection = Collection(str(tmp_path / "c.anki2"))
    try:
        import_package(collection, build_one(path, tmp_path / "out", "apkg"))
        [note] = notes(collection)
    finally:
        collection.close()
    assert note["Question"] == "What is a closure?"
    assert note["Answer"] == "<p>A function with its scope.</p>"


def test_a_tall_first_answer_starts_on_page_one(content, tmp_path):
    long_answer = "\n\n".join(
        f"Paragraph {n} of a long answer, in enough words to wrap." for n in range(120)
    )
    path = write(
        content,
        "long.md",
        f"# Long\n\n### 1. What is long?\n\n{long_answer}\n\n### 2. Short?\nYes.\n",
    )
    reader = pypdf.PdfReader(build_one(path, tmp_path / "out", "pdf"))
    assert "Paragraph 0 of a long answer" in reader.pages[0].extract_text()
    short = write(content, "short.md", "# S\n\n### 1. Short?\nYes, and kept in one piece.\n")
    html = cheat_sheet_html(
        build([short], tmp_path / "out", ["json"], Settings()).decks[0].deck, Settings()
    )
    assert '<article id="cs-q0" class="qa">' in html and "tall" not in html


def test_a_long_front_stays_on_its_card(content, tmp_path):
    code = "```python\n" + "\n".join(f"line_{n} = something({n})" for n in range(40)) + "\n```"
    options = "\n".join(f"- [{'x' if k == 2 else ' '}] option {k} in words" for k in range(6))
    text = f"# F\n\n### 1. What does this print?\n\n{code}\n\n{options}\n\n### 2. Short?\n\nShort answer.\n"
    path = write(content, "f.md", text)
    reader = pypdf.PdfReader(build_one(path, tmp_path / "out", "cards-pdf"))
    questions, answers = (page.extract_text() for page in reader.pages[:2])
    assert "line_0" in questions and "cut off" in questions
    assert (
        "line_0" not in answers and "Short answer." in answers and "Short answer." not in questions
    )

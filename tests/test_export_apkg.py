"""The .apkg export, imported with the real Anki engine."""

from __future__ import annotations

import re

from anki.collection import Collection

from support.anki_engine import build_one, deck_names, import_package, notes, package_media
from support.inputs import SEED_SUBDECKS, SEED_TITLE, write
from support.preview_cards import write_previews


def test_seed_imports_20_notes_in_4_subdecks(mis_encoded_seed_copy, tmp_path, collection):
    package = build_one(mis_encoded_seed_copy, tmp_path / "out")
    log = import_package(collection, package)
    assert len(log.new) == 20
    assert deck_names(collection) == {SEED_TITLE, *SEED_SUBDECKS}
    all_notes = notes(collection)
    assert len(all_notes) == 20
    assert all(note.tags for note in all_notes)
    assert all(note.note_type()["name"] == "cardsmith" for note in all_notes)
    by_question = {note["Question"]: note for note in all_notes}
    first = by_question["What are the three main components of SageMaker?"]
    assert "<ol>" in first["Answer"] and "<strong>Build</strong>" in first["Answer"]
    assert first["Section"] == "Amazon SageMaker"
    assert re.fullmatch(r".*aws-ml-engineer-interview\.md:10", first["Source"])
    assert first.tags == ["amazon-sagemaker"]
    bedrock = by_question["What is Amazon Bedrock?"]
    assert 'Serverless AI" – no infrastructure' in bedrock["Answer"].replace("&quot;", '"')
    assert not any("â€" in field for note in all_notes for field in note.fields)
    cards = collection.find_cards(f'"deck:{SEED_TITLE}::Amazon SageMaker"')
    assert len(cards) == 4


def test_sort_field_is_the_question(seed_copy, tmp_path, collection):
    import_package(collection, build_one(seed_copy, tmp_path / "out"))
    notetype = collection.models.by_name("cardsmith")
    assert [f["name"] for f in notetype["flds"]] == ["Question", "Answer", "Section", "Source"]
    assert notetype["sortf"] == 0


def test_cloze_question_becomes_a_cloze_note_with_a_card(content, tmp_path, collection):
    path = write(
        content,
        "c.md",
        "# T\n### The {{c1::mitochondria}} is the {{c2::powerhouse}}\nOf the *cell*.\n",
    )
    import_package(collection, build_one(path, tmp_path / "out"))
    [note] = notes(collection)
    assert note.note_type()["name"] == "cardsmith Cloze"
    assert note.note_type()["type"] == 1  # MODEL_CLOZE
    assert note["Text"] == "The {{c1::mitochondria}} is the {{c2::powerhouse}}"
    assert "<em>cell</em>" in note["Back Extra"]
    cards = note.cards()
    assert len(cards) == 2
    visible = re.sub(r"<[^>]+>", "", cards[0].question())
    assert "[...] is the powerhouse" in visible and "mitochondria" not in visible


def test_math_becomes_mathjax_delimiters(content, tmp_path, collection):
    path = write(
        content,
        "m.md",
        "# T\n### Euler?\nInline $e^{i\\pi} + 1 < 2$ and\n\n$$\n\\int_0^1 x\\,dx\n$$\n",
    )
    import_package(collection, build_one(path, tmp_path / "out"))
    [note] = notes(collection)
    assert "\\(e^{i\\pi} + 1 &lt; 2\\)" in note["Answer"]
    assert (
        "\\[\n\\int_0^1 x\\,dx\n\\]" in note["Answer"] or "\\[\\int_0^1 x\\,dx\\]" in note["Answer"]
    )
    assert "$" not in note["Answer"]


def test_fenced_code_is_highlighted_with_night_mode_css(content, tmp_path, collection):
    path = write(content, "c.md", "# T\n### Print?\n```python\ndef f(x):\n    return x + 1\n```\n")
    import_package(collection, build_one(path, tmp_path / "out"))
    [note] = notes(collection)
    assert '<pre class="highlight"><code class="language-python">' in note["Answer"]
    assert '<span class="k">def</span>' in note["Answer"]
    css = note.note_type()["css"]
    assert ".highlight .k" in css and ".nightMode .highlight .k" in css


def test_image_is_bundled_and_referenced(content, tmp_path, collection):
    png = bytes.fromhex(
        "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
        "1f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082"
    )
    write(content, "img/diagram one.png", png)
    path = write(content, "i.md", "# T\n### Look?\n![the diagram](img/diagram%20one.png)\n")
    package = build_one(path, tmp_path / "out")
    media = package_media(package)
    [(name, data)] = media.items()
    assert data == png and name.startswith("cardsmith-diagram-one-") and name.endswith(".png")
    import_package(collection, package)
    [note] = notes(collection)
    assert f'<img src="{name}" alt="the diagram">' in note["Answer"]
    assert (tmp_path / "collection.media" / name).read_bytes() == png


def test_same_image_in_two_questions_is_bundled_once(content, tmp_path):
    write(content, "a.png", b"\x89PNG one")
    path = write(content, "i.md", "# T\n### A?\n![](a.png)\n### B?\n![x](a.png)\n")
    assert len(package_media(build_one(path, tmp_path / "out"))) == 1


def test_raw_html_is_sanitised_unless_opted_in(content, tmp_path, collection):
    text = (
        "# T\n### XSS?\n<script>alert(1)</script>\n\n"
        "<img src=https://x.example/a.png onerror=alert(2)> [x](javascript:alert(3)) <kbd>Ctrl</kbd>\n"
    )
    path = write(content, "x.md", text)
    import_package(collection, build_one(path, tmp_path / "out"))
    [note] = notes(collection)
    assert "<script" not in note["Answer"] and "alert(1)" not in note["Answer"]
    assert "onerror" not in note["Answer"] and "<img" not in note["Answer"]
    assert '<a class="remote-image" href="https://x.example/a.png">' in note["Answer"]
    assert 'href="javascript' not in note["Answer"]
    assert "<kbd>Ctrl</kbd>" in note["Answer"]  # presentational HTML renders

    opted = write(content, "y.md", "---\nhtml: true\n---\n# T\n### Trusted?\n<kbd>Ctrl</kbd> ok\n")
    out = build_one(opted, tmp_path / "out2")
    collection.close()
    second = Collection(str(tmp_path / "second.anki2"))
    try:
        import_package(second, out)
        assert "<kbd>Ctrl</kbd>" in notes(second)[0]["Answer"]
    finally:
        second.close()


def test_remote_image_stays_a_link(content, tmp_path, collection):
    path = write(content, "r.md", "# T\n### Remote?\n![logo](https://example.com/logo.png)\n")
    import_package(collection, build_one(path, tmp_path / "out"))
    [note] = notes(collection)
    assert '<a class="remote-image" href="https://example.com/logo.png">' in note["Answer"]
    assert "<img" not in note["Answer"]


def test_card_preview_pages_render_in_light_and_night_mode(seed_copy, tmp_path):
    pages = write_previews(build_one(seed_copy, tmp_path / "out"), tmp_path / "preview")
    assert len(pages) == 20 * 4
    back_night = (tmp_path / "preview" / "001-back-night.html").read_text()
    assert 'class="card nightMode night_mode"' in back_night
    assert "cs-answer" in back_night and ".nightMode" in back_night

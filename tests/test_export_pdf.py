"""The cheat sheet and flashcard PDFs, read back with pypdf: pages, paper, text, outline, fonts."""

from __future__ import annotations

import functools
import re
import shutil
from pathlib import Path

import pypdf
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cardsmith.build.pipeline import check
from cardsmith.exporters.fitting import PLAIN
from cardsmith.settings import Settings

from support.anki_engine import build_one
from support.inputs import SEED, mis_encoded_seed, write

A4 = (595, 842)
LETTER = (612, 792)


def squash(text: str) -> str:
    """Text without spacing and hyphens, so line breaks and hyphenation do not matter."""
    return re.sub(r"[\s\-\u00ad]+", "", text)


def spans(page) -> list[tuple[float, float, str]]:
    """(x, y, text) of each text run on a page, in PDF points from the bottom left."""
    found = []

    def visit(text, cm, tm, _font, _size):
        if text.strip():
            x = tm[4] * cm[0] + tm[5] * cm[2] + cm[4]
            y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
            found.append((x, y, text.strip()))

    page.extract_text(visitor_text=visit)
    return found


def where(page, text: str) -> tuple[float, float]:
    return next((x, y) for x, y, t in spans(page) if t.startswith(text))


def fonts_embedded(reader: pypdf.PdfReader) -> bool:
    fonts = []
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            descriptor = (
                font.get("/FontDescriptor")
                or font["/DescendantFonts"][0].get_object()["/FontDescriptor"]
            )
            fonts.append(
                any(k in descriptor.get_object() for k in ("/FontFile", "/FontFile2", "/FontFile3"))
            )
    return bool(fonts) and all(fonts)


@pytest.fixture(scope="module")
def seed_pdfs(tmp_path_factory):
    folder = tmp_path_factory.mktemp("seed")
    content = folder / "content"
    content.mkdir()
    source = mis_encoded_seed(content)  # the PDF shows the repaired text
    deck = check([source], Settings()).decks[0].deck
    sheet = pypdf.PdfReader(build_one(source, folder / "out", "pdf"))
    cards = pypdf.PdfReader(build_one(source, folder / "out", "cards-pdf"))
    return deck, sheet, cards


def test_cheat_sheet_fits_seed_on_two_a4_pages_with_every_question(seed_pdfs):
    deck, sheet, _ = seed_pdfs
    assert 1 <= len(sheet.pages) <= 2
    assert all(tuple(round(v) for v in p.mediabox[2:]) == A4 for p in sheet.pages)
    text = "\n".join(page.extract_text() for page in sheet.pages)
    for question in deck.questions:
        assert squash(question.prompt) in squash(text), question.prompt
    assert "–" in text and "â€" not in text
    assert "**" not in text and "<strong>" not in text


def test_cheat_sheet_outline_metadata_and_fonts(seed_pdfs):
    deck, sheet, _ = seed_pdfs
    assert [item.title for item in sheet.outline] == [s.title for s in deck.sections]
    assert sheet.metadata.title == deck.title
    assert sheet.metadata.creator.startswith("cardsmith")
    assert sheet.metadata["/CreationDate"].startswith("D:20240701")
    assert fonts_embedded(sheet)
    assert "Page 1 of" in sheet.pages[0].extract_text()


def test_cheat_sheet_prompts_hang_clear_of_their_numbers(seed_pdfs):
    # "3." and "11." are numbers of wrapped prompts: the second line starts under the first word
    page = seed_pdfs[1].pages[0]
    for number, first, second in [
        ("3.", "What is SageMaker Endpoints", 'Endpoints"?'),
        ("11.", "Security: How do you secure", "instance?"),
    ]:
        (number_x, number_y), (first_x, first_y) = where(page, number), where(page, first)
        second_x, second_y = where(page, second)
        assert number_y == first_y and second_y < first_y
        assert second_x == pytest.approx(first_x, abs=0.5) and first_x > number_x + 8


@pytest.mark.parametrize("columns", [1, 3])
def test_cheat_sheet_paper_and_column_count(tmp_path, columns):
    shutil.copy(SEED, tmp_path / SEED.name)
    reader = pypdf.PdfReader(
        build_one(tmp_path / SEED.name, tmp_path / "o", "pdf", paper="letter", columns=columns)
    )
    assert tuple(round(v) for v in reader.pages[0].mediabox[2:]) == LETTER
    deck = check([tmp_path / SEED.name], Settings()).decks[0].deck
    starts = {
        round(x / 20)
        for page in reader.pages
        for x, _, text in spans(page)
        for q in deck.questions
        if q.prompt[:15] in text
    }
    assert len(starts) == columns


def test_cheat_sheet_renders_math_code_and_cloze_readably(golden_copy, tmp_path):
    reader = pypdf.PdfReader(build_one(golden_copy, tmp_path / "out", "pdf"))
    text = reader.pages[0].extract_text()
    assert "$" not in text  # math became MathML, not raw LaTeX
    assert "print(sum(range(4)))" in text.replace(" ", "")
    # a cloze is printed filled in, its deletion marked, not as Anki's markup
    assert squash("The mitochondria is the powerhouse") in squash(text) and "{{c1" not in text
    assert [o.title for o in reader.outline] == ["Basics", "Code & Math"]


def test_cheat_sheet_stacks_limits_and_keeps_accented_letters_on_the_line(content, tmp_path):
    # WeasyPrint has no math layout: print.css stacks ∑'s limits and floats accents over their letter
    path = write(
        content, "m.md", "# M\n### 1. Sum?\n$$\n\\sum_{i=1}^{n} x_i + \\bar{z}\n$$\nDone.\n"
    )
    page = pypdf.PdfReader(build_one(path, tmp_path / "out", "pdf")).pages[0]
    (sum_x, sum_y), (n_x, n_y), (i_x, i_y) = where(page, "∑"), where(page, "n"), where(page, "i")
    assert i_y < sum_y < n_y  # the lower limit under the sign, the upper one over it
    assert abs(n_x - sum_x) < 6 and abs(i_x - sum_x) < 6  # ...and not beside it
    (z_x, z_y), (bar_x, bar_y) = where(page, "z"), where(page, "¯")
    assert z_y == where(page, "x")[1]  # the accented letter stays on the formula's line
    assert bar_y > z_y and abs(bar_x - z_x) < 3


def test_cheat_sheet_stacks_sub_and_superscripts_in_prompts_and_answers(content, tmp_path):
    # the prompt hangs by a negative text-indent, which the scripts' little table must not inherit
    path = write(content, "s.md", "# S\n### 1. Why $a_k^m$?\nSee $b_j^q$.\n")
    page = pypdf.PdfReader(build_one(path, tmp_path / "out", "pdf")).pages[0]
    runs = spans(page)
    for base, sub, sup in (("a", "k", "m"), ("b", "j", "q")):
        base_x, base_y = where(page, base)
        # the superscript is drawn first, raised, right after the base; the subscript under it comes
        # next (pypdf reads the column as one run). Side by side, the subscript would come first; with
        # the prompt's hanging indent inherited, the column would start left of the base.
        [(x, y, text)] = [(x, y, t) for x, y, t in runs if sub in t.split()]
        assert text.split() == [sup, sub] and y > base_y and x > base_x


def test_a_long_formula_wraps_after_an_operator_inside_its_column(content, tmp_path):
    terms = " + ".join(f"z_{{{n}}}" for n in range(1, 31))
    path = write(
        content, "f.md", f"# F\n### 1. Sum?\nIt is ${terms}$ in all.\n### 2. Next?\nYes.\n"
    )
    page = pypdf.PdfReader(build_one(path, tmp_path / "out", "pdf")).pages[0]
    letters = [(x, y) for x, y, t in spans(page) if t.startswith("z")]
    assert len({round(y) for _, y in letters}) >= 2  # on one line it ran over the next column
    assert max(x for x, _ in letters) < float(page.mediabox.width) / 2


def test_cheat_sheet_drops_script_and_never_fetches(content, tmp_path):
    write(
        content,
        "pic.png",
        bytes.fromhex(
            "89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c489"
            "0000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082"
        ),
    )
    path = write(
        content,
        "x.md",
        "# T\n### Q?\n<script>alert(1)</script>\n\n![local](pic.png) "
        "![remote](https://example.com/r.png)\n",
    )
    reader = pypdf.PdfReader(build_one(path, tmp_path / "out", "pdf"))
    text = reader.pages[0].extract_text()
    assert "alert(1)" not in text and "script" not in text  # sanitised away, with its content
    assert "[image: remote]" in text
    images = [image for page in reader.pages for image in page.images]
    assert len(images) == 1


def test_flashcards_have_questions_then_mirrored_answers(seed_pdfs):
    deck, _, cards = seed_pdfs
    assert len(cards.pages) % 2 == 0
    assert len(cards.pages) == 6  # 20 cards, 8 a sheet: 3 sheets, front and back
    front, back = cards.pages[0], cards.pages[1]
    front_text, back_text = squash(front.extract_text()), squash(back.extract_text())
    for question in deck.questions[:8]:
        assert squash(question.prompt) in front_text
    assert squash("Hosted Jupyter notebooks") not in front_text
    assert squash("Hosted Jupyter notebooks") in back_text
    middle = float(front.mediabox.width) / 2
    answers = [
        "Build",
        "Spot Instances",
        "Endpoint",
        "It captures requests",
        "A fully managed",
        "Fine-Tuning",
        "Serialize",
        "Real-time",
    ]
    for index, (question, answer) in enumerate(zip(deck.questions[:8], answers, strict=True)):
        qx, qy = where(front, question.prompt[:12])
        ax, ay = where(back, answer)
        assert (qx < middle) == (index % 2 == 0)
        assert (ax < middle) != (qx < middle), f"answer {index + 1} is not behind its question"
        assert abs(qy - ay) < float(front.mediabox.height) / 4  # same row


def test_flashcards_fonts_embedded_and_letter_paper(golden_copy, tmp_path):
    reader = pypdf.PdfReader(build_one(golden_copy, tmp_path / "out", "cards-pdf", paper="letter"))
    assert len(reader.pages) == 2
    assert tuple(round(v) for v in reader.pages[0].mediabox[2:]) == LETTER
    assert fonts_embedded(reader)


def test_long_answer_shrinks_and_too_long_one_is_listed_in_one_warning(content, tmp_path):
    medium = " ".join(["lorem ipsum dolor sit amet consectetur"] * 40)
    huge = " ".join(["sed do eiusmod tempor incididunt labore"] * 400)
    path = write(content, "long.md", f"# L\n### 1. Medium?\n{medium}\n\n### 2. Huge?\n{huge}\n")
    from cardsmith.build.pipeline import build

    result = build([path], tmp_path / "out", ["cards-pdf"], Settings())
    [warning] = result.all_diagnostics  # one line for the deck, whatever the count
    assert warning.message.startswith("1 flashcard cut off: too long for a card")
    assert warning.details == (f"{path}:5: answer cut off: Huge?",)
    back = pypdf.PdfReader(tmp_path / "out" / "long.cards.pdf").pages[1].extract_text()
    assert "cut off — see the cheat sheet" in back
    # short words, never hyphenated: the medium answer is all there, shrunk; the huge one is laid
    # out only as far as a card shows it, and a little more
    assert back.count("sit") == 40
    assert 5 < back.count("sed") < 100


def test_flashcard_prompt_with_an_unbreakable_word_wraps_inside_its_card(content, tmp_path):
    word = "Supercalifragilistic" * 5
    path = write(content, "w.md", f"# W\n### 1. {word}?\nYes.\n### 2. Short?\nYes.\n")
    front = pypdf.PdfReader(build_one(path, tmp_path / "out", "cards-pdf")).pages[0]
    margin = 10 / 25.4 * 72  # SHEET_MARGIN_MM
    half = float(front.mediabox.width) / 2
    pieces = [(x, y, t) for x, y, t in spans(front) if "Supercali" in t or "fragilistic" in t]
    assert squash("".join(t for _, _, t in pieces)).startswith(word[:60])
    assert len({y for _, y, _ in pieces}) >= 2  # broken over lines, not clipped at the card's edge
    assert all(margin < x < half for x, _, _ in pieces)


def test_a_question_cut_off_starts_under_the_head_with_the_mark_painted_over_it(content, tmp_path):
    prompt = " ".join(["why is this question far too long for one card"] * 40)
    path = write(content, "q.md", f"# Q\n### 1. {prompt}?\nBecause.\n")
    front = pypdf.PdfReader(build_one(path, tmp_path / "out", "cards-pdf")).pages[0]
    text = front.extract_text()
    assert text.rindex("why is this") < text.index("cut off — see the cheat sheet")  # painted last
    margin = 10 / 25.4 * 72  # SHEET_MARGIN_MM
    _, y = where(front, "why is this")
    top = float(front.mediabox.height) - margin
    assert top - 40 < y < top  # the first line right under the head, not pushed up out of the card


def test_flashcard_questions_sit_in_the_middle_of_their_card(seed_pdfs):
    _, _, cards = seed_pdfs
    front = cards.pages[0]
    height = float(front.mediabox.height)
    margin = 10 / 25.4 * 72  # SHEET_MARGIN_MM
    card = (height - 2 * margin) / 4
    for row, prompt in enumerate(["What are the three main", "What is SageMaker Endpoints"]):
        top = height - margin - row * card
        _, y = where(front, prompt)
        # centred below the head; a prompt at the top of its card would be ~65 pt off
        assert abs(y - (top - card / 2)) < card / 8


def _cards(content, markdown: str):
    from cardsmith.errors import Report
    from cardsmith.exporters import flashcards as cards_pdf
    from cardsmith.reading.bank import read_bank

    path = write(content, "fit.md", markdown)
    deck = read_bank(path, content, Report())
    return deck, cards_pdf.deck_cards(deck), cards_pdf.geometry_of("a4")


def _paginated_fits(cards, deck, geometry) -> list[tuple[int, bool]]:
    """(size, cut off) of each card as laying them out whole, each alone on card-sized pages, at
    every size, largest first, finds: the first size at which a card takes one page."""
    from dataclasses import replace

    from cardsmith.exporters.fitting import FIT_LEVELS
    from cardsmith.exporters.printing import document, render_template

    last = FIT_LEVELS - 1
    found: list[tuple[int, bool] | None] = [None] * len(cards)
    for level in range(FIT_LEVELS):
        html = render_template(
            "flashcards.html",
            mode="probe",
            side="back",
            cards=[replace(card, fit=level) for card in cards],
            deck=deck,
            title="",
            pages=[],
            probe_page_height=geometry["card_height"],
            **geometry,
        )
        paginated = f"@page {{ margin: {geometry['card_padding']}mm; }} "
        paginated += ".probe { display: block; } .probe-end + .probe { break-before: page; }"
        pages = document(html.replace("</style>", paginated + "</style>"), deck, "oracle").pages
        starts = {}
        for number, page in enumerate(pages):
            for anchor in page.anchors:
                if anchor.startswith("probe-") and not anchor.startswith("probe-end"):
                    starts.setdefault(int(anchor.removeprefix("probe-")), number)
        ends = [starts.get(i + 1, len(pages)) for i in range(len(cards))]
        for i in range(len(cards)):
            if found[i] is None and ends[i] - starts[i] == 1:
                found[i] = (level, False)
    return [(last, True) if size is None else size for size in found]


def test_flashcard_sizes_are_what_laying_out_every_card_alone_gives(content):
    """The fitting measures heights on tall pages, starts first and long cards at the smallest size
    first: the sizes it gives are the ones that laying out every card whole, alone on card-sized
    pages, at every size, largest first, gives."""
    from cardsmith.exporters import fitting, run_here
    from cardsmith.exporters import flashcards as cards_pdf
    from cardsmith.exporters.printing import PrintDeck

    lorem = "lorem ipsum dolor sit amet"
    answers = [
        "Yes.",
        " ".join([lorem] * 30),  # one size smaller
        " ".join([lorem] * 45),
        " ".join([lorem] * 70),
        " ".join([lorem] * 400),  # cut off: its start already spills
        "\n".join(["word"] * 30) + "\n" + " ".join([lorem] * 300),  # start fits, whole does not
        "\n".join(["word"] * 45),  # 45 source lines (estimated long), one short paragraph
        "\n".join(f"- item {n}" for n in range(40)),  # long, cut off
    ]
    # near each size's limit: lists (margins of their last items), code, tables, quotes
    answers += ["\n".join(f"- item {n}\n\n  more" for n in range(k)) for k in (6, 9, 12)]
    answers += ["```python\n" + "x = 1\n" * k + "```" for k in (20, 26, 32)]
    answers += ["| a | b |\n|---|---|\n" + "| one | two |\n" * k for k in (12, 16, 20)]
    answers += ["> " + " ".join([lorem] * k) + "\n>\n> end" for k in (20, 35)]
    markdown = "# Fit\n" + "".join(f"### {n}. Q{n}?\n{a}\n\n" for n, a in enumerate(answers, 1))
    deck, cards, geometry = _cards(content, markdown)
    found = run_here(fitting.fit(cards, "back", PrintDeck.of(deck), geometry))
    fitted = [cards_pdf._fitted(card, f, "back") for card, f in zip(cards, found, strict=True)]

    expected = _paginated_fits(cards, deck, geometry)
    assert [(card.fit, card.overflow) for card in fitted] == expected
    assert [level for level, _ in expected][:8] == [0, 1, 2, 3, 3, 3, 0, 3]  # every path taken
    assert [overflow for _, overflow in expected][4:6] == [True, True]
    # a card cut off shows its start when the start alone spills, else all of it
    assert fitted[4].question.answer.count("lorem") < 100
    assert fitted[5].question.answer.count("lorem") == 300


QUIZ = """# Quiz
### 1. Which one is right?
- [ ] Apple
- [x] Banana
- [ ] Cherry

Bananas are right.
"""


def test_quiz_flashcard_keeps_the_answer_off_the_question_side(content, tmp_path):
    path = write(content, "quiz.md", QUIZ)
    front, back = pypdf.PdfReader(build_one(path, tmp_path / "out", "cards-pdf")).pages
    question, answer = front.extract_text(), back.extract_text()
    assert "Apple" in question and "Banana" in question and "✓" not in question
    assert "✓" in answer and "Banana" in answer and "Apple" not in answer
    sheet = pypdf.PdfReader(build_one(path, tmp_path / "sheet", "pdf")).pages[0].extract_text()
    assert re.search(r"✓\s*B\s+Banana", sheet)  # the cheat sheet marks the right one


def test_text_past_a_bottom_card_never_reaches_the_next_page(content, tmp_path):
    """Cards of the sheet's last row whose text runs past their foot (cut off, or centred and tall):
    the rest stays hidden in the card, never printed at the top of the next page."""
    long = " ".join(["overflowing"] * 700)
    code = "\n".join(f"line_{n} = {n}" for n in range(40))
    questions = [f"### {n}. Short {n}?\nFine.\n" for n in range(1, 7)]
    # a quiz: its code is on the question side
    questions.append(f"### 7. Tall front?\n```python\n{code}\n```\n- [ ] one\n- [x] two\n")
    questions.append(f"### 8. Long back?\n{long}\n")
    questions.append("### 9. Next sheet?\nNine.\n")
    path = write(content, "rows.md", "# Rows\n" + "".join(questions))
    pages = pypdf.PdfReader(build_one(path, tmp_path / "out", "cards-pdf")).pages
    assert len(pages) == 4
    texts = [page.extract_text() for page in pages]
    # the tall question's code is on the questions' page only, the long answer on the answers'
    assert [("line_2" in text, "overflowing" in text) for text in texts] == [
        (True, False),
        (False, True),
        (False, False),
        (False, False),
    ]
    assert "Next sheet?" in texts[2]


def test_a_tall_centred_question_stays_on_its_page_in_every_slot(content, tmp_path):
    """A question that fits only when set small, in each of a sheet's eight slots in turn: all of it
    on its page of questions. Centred from the card's middle, the last row's ran on at the top of
    the page of answers."""
    words = "why does this question run on for so many words that it fills most of the card"
    long = " ".join((words.split() * 8)[:95]) + " lastword?"
    questions = []
    for sheet in range(8):
        for slot in range(8):
            n = sheet * 8 + slot + 1
            prompt = f"Long {n} {long}" if slot == sheet else f"Short {n}?"
            questions.append(f"### {n}. {prompt}\nAnswer {n}.\n")
    path = write(content, "tall.md", "# Tall\n" + "".join(questions))
    pages = pypdf.PdfReader(build_one(path, tmp_path / "out", "cards-pdf")).pages
    assert len(pages) == 16
    texts = [squash(page.extract_text()) for page in pages]
    assert [text.count("lastword") for text in texts] == [1, 0] * 8
    assert all(squash(long) in text for text in texts[::2])


_WORDS = st.text(alphabet=PLAIN.replace(" ", ""), min_size=1, max_size=14)


@settings(
    max_examples=3, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    st.lists(
        st.tuples(
            st.lists(_WORDS, min_size=1, max_size=40).map(" ".join),
            st.lists(
                st.lists(_WORDS, min_size=1, max_size=60).map(" ".join), min_size=1, max_size=4
            ),
        ),
        min_size=40,
        max_size=40,
    )
)
def test_a_card_the_bound_passes_fits_when_laid_out(tmp_path_factory, sides):
    """The bound skips the probes of plain cards it finds certain to fit at the largest size: each
    such card, laid out, fits there (it never spills because of the bound)."""
    from cardsmith.exporters import fitting, run_here
    from cardsmith.exporters.printing import PrintDeck

    content = tmp_path_factory.mktemp("bound")
    markdown = "# Bound\n" + "".join(
        f"### {n}. {_escaped(prompt)}\n" + "\n\n".join(map(_escaped, answer)) + "\n\n"
        for n, (prompt, answer) in enumerate(sides, 1)
    )
    deck, cards, geometry = _cards(content, markdown)
    layout = PrintDeck.of(deck)
    bound = _bound()
    for side in ("front", "back"):
        passed = [i for i, card in enumerate(cards) if bound.fits(card.question, side)]
        probed = run_here(fitting.fit([cards[i] for i in passed], side, layout, geometry))
        assert [f.level for f in probed] == [0] * len(passed), side
    assert passed  # the bound passes some of these cards, or this test tests nothing


def _escaped(text: str) -> str:
    """Plain text as Markdown that renders it as it is: a backslash before every punctuation mark
    (none of a list's, heading's or emphasis' marks act)."""
    return re.sub(r"([!-/:-@\[-`{-~])", r"\\\1", text)


@functools.cache
def _bound(geometry_key=None):
    from cardsmith.exporters import flashcards as cards_pdf
    from cardsmith.exporters.fitting import Bound
    from cardsmith.exporters.printing import PrintDeck

    return Bound.measure(PrintDeck("b", "b", "en", Path.cwd()), cards_pdf.geometry_of("a4"))


def test_cheat_sheet_tables_share_their_width_by_their_columns_text(content, tmp_path):
    """Tables on paper are laid out fixed, each column's share from its longest cell (cells are not
    measured first): a long column gets most of the width, and no cell's text is lost."""
    long = "a description long enough to need most of the column and then some more words"
    rows = "".join(f"| k{n} | {long} {n} | {n} ms |\n" for n in range(4))
    path = write(
        content, "t.md", f"# T\n### 1. Table?\n| Key | Text | Time |\n|---|---|--:|\n{rows}"
    )
    page = pypdf.PdfReader(build_one(path, tmp_path / "out", "pdf")).pages[0]
    left, column = where(page, "Key")[0], float(page.mediabox.width) / 2  # two columns on A4
    times = [x for x, _, t in spans(page) if t.endswith(" ms")]
    assert len(times) == 4 and min(times) > left + 0.75 * column  # "Text" has the widest share
    assert all(f"{n}ms" in squash(page.extract_text()) for n in range(4))
    for n in range(4):
        assert squash(f"{long} {n}") in squash(page.extract_text())


def _bank(sections: int, per_section: int, lines: int) -> str:
    """A bank of short Q&As, each answer `lines` sentences long, a link in the first answer."""
    text = ["# Bank\n"]
    for s in range(sections):
        text.append(f"## Part {s}\n")
        for q in range(per_section):
            n = s * per_section + q
            body = " ".join(f"Sentence {k} of answer {n} says a little more." for k in range(lines))
            link = " See [the site](https://example.com/q0)." if n == 0 else ""
            text.append(f"### {n + 1}. What is item {n}?\n{body}{link}\n")
    return "\n".join(text)


def _column_of(x: float, page) -> int:
    return 0 if x < float(page.mediabox.width) / 2 else 1


def test_cheat_sheet_last_sheet_columns_are_level(content, tmp_path):
    """The columns are laid out one by one and set on the sheet; the last sheet's are balanced as
    CSS balances columns: the left one does not run to the foot with the right one nearly empty."""
    path = write(content, "b.md", _bank(2, 9, 3))
    page = pypdf.PdfReader(build_one(path, tmp_path / "out", "pdf")).pages[0]
    runs = [(x, y, t) for x, y, t in spans(page) if "answer" in t or "What is item" in t]
    lowest = [min(y for x, y, _ in runs if _column_of(x, page) == c) for c in (0, 1)]
    assert abs(lowest[0] - lowest[1]) < 45  # within a Q&A's height of each other
    items = [int(m) for _, _, t in runs for m in re.findall(r"What is item (\d+)", t)]
    assert items == list(range(18))  # every Q&A, in order: the left column, then the right


def test_cheat_sheet_outline_running_heads_and_links_point_into_the_sheets(content, tmp_path):
    path = write(content, "b.md", _bank(3, 20, 6))
    reader = pypdf.PdfReader(build_one(path, tmp_path / "out", "pdf"))
    assert len(reader.pages) >= 3
    heads = {}  # the section each sheet's running head names
    top = float(reader.pages[0].mediabox.height) - 13 / 25.4 * 72  # above it: the running heads
    for number, page in enumerate(reader.pages):
        heads[number] = [t for x, y, t in spans(page) if y > top and t.startswith("Part")]
    for item in reader.outline:
        number = reader.get_destination_page_number(item)
        page_text = reader.pages[number].extract_text()
        assert item.title.upper() in page_text.upper(), item.title
        # the bookmark points at its heading: the heading's run is near the point it gives
        x, y = where_upper(reader.pages[number], item.title, below=top)
        assert abs(float(item.left) - x) < 12 and abs(float(item.top) - y) < 20
    for number in range(1, len(reader.pages)):
        # a sheet's head is the section it starts in: the last one begun on an earlier sheet, or
        # its own first heading
        begun = [o.title for o in reader.outline if reader.get_destination_page_number(o) < number]
        here = [o.title for o in reader.outline if reader.get_destination_page_number(o) == number]
        assert heads[number] in ([begun[-1]], here[:1]), number
    [link] = [a.get_object() for a in reader.pages[0]["/Annots"]]
    assert link["/A"]["/URI"] == "https://example.com/q0"
    x, y = where(reader.pages[0], "the site")
    left, bottom, right, top = (float(v) for v in link["/Rect"])
    assert left - 1 <= x <= right and bottom - 3 <= y <= top


def where_upper(page, text: str, below: float) -> tuple[float, float]:
    """Where a text starts on a page, whatever its case, under the running heads."""
    found = spans(page)
    return next((x, y) for x, y, t in found if y < below and t.upper().startswith(text.upper()))

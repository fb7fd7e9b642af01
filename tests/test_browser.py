"""Cards and the study page in a real Chromium at phone size (390x844), light and dark: every card as
the real Anki engine renders it, and the study page's search, keys, saved progress and accessibility."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from playwright.sync_api import expect

from support.anki_engine import build_one
from support.browser import (
    PHONE,
    axe_violations,
    chromium,
    low_contrast,
    open_page,
    overflow,
    shown,
)
from support.inputs import SEED, write
from support.preview_cards import write_previews

DATA = Path(__file__).resolve().parent / "data"

# what breaks cards on phones: wide code and tables, long words and formulas, images, quizzes,
# cloze, right-to-left and CJK text, quotes, nested lists, keyboard keys
STRESS = """\
# Stress

## Code and tables

### What does this long line of code do?
```python
result = some_function_with_a_long_name(first_argument=1, second_argument="a long string value", third=[1, 2, 3])  # and a long comment
```
It calls a function. Inline `code_that_is_rather_long_and_has_no_spaces_in_it_at_all_for_wrapping` too.

### Compare the services in a wide table.
| Service | Purpose | Pricing model | Regions | Notes about the service and its limits |
|---|---|---|---|---|
| SageMaker | Training and hosting machine learning models | Per instance-hour | Most regions | Endpoints can autoscale |
| Bedrock | Foundation models through one API | Per token | Some regions | Provisioned throughput exists |

### What does [PEP 8](https://peps.python.org/pep-0008/) say about ![a remote image](https://example.com/i.png) names?
Use `snake_case`; see [`rm -r`](https://example.com/rm) and
<a href="https://example.com/badge"><img src="https://example.com/badge.svg" alt=""></a>.

### What is Pneumonoultramicroscopicsilicovolcanoconiosisandevenlongerwordsthatneverbreak?
A very long word: Pneumonoultramicroscopicsilicovolcanoconiosisandevenlongerwordsthatneverbreak.

## Formats

### Which option is right?
- [ ] A. `let`
- [x] B. `const`
- [ ] C. `var`

### Which keys copy?
Press <kbd>Ctrl</kbd>+<kbd>C</kbd>; see the figure.

![event loop](img/event-loop.png)

> A quote with **bold** and a [link](https://example.com/a/very/long/path/that/goes/on).

1. one
   - nested *one*
     - nested two with `code`

### The {{c1::event loop}} runs callbacks.
Back extra text.

### ما هي عاصمة مصر؟
القاهرة هي العاصمة، وفيها `code` أيضاً.

### 日本の首都はどこですか？
東京です。とても長い文章がここに続きます、東京都は日本の首都であり最大の都市です。

### What is $e^{i\\pi}$?
$$e^{i\\pi} + 1 = 0$$
"""


VAULT_NOTE = """\
#flashcards/words
perro:::dog
Why ==cells== matter
?
They make up living things.
> [!warning] Careful
> Not all of them are alike.

The ==mitochondria== is the powerhouse of the ==cell==.
"""


@pytest.fixture(scope="module")
def browser():
    with chromium() as chrome:
        yield chrome


@pytest.fixture
def decks(content, tmp_path):
    """The seed, the golden sample, the conventions' samples and the stress deck, each a package."""
    shutil.copyfile(SEED, content / SEED.name)
    shutil.copyfile(DATA / "golden.md", content / "golden.md")
    shutil.copyfile(DATA / "conventions" / "details.md", content / "details.md")
    shutil.copytree(DATA / "conventions" / "img", content / "img")
    write(content, "stress.md", STRESS)
    out = tmp_path / "out"
    packages = [build_one(content / name, out) for name in ("aws-ml-engineer-interview.md",
                                                            "golden.md", "details.md", "stress.md")]  # fmt: skip
    vault = tmp_path / "Vault"  # an Obsidian vault: reversed cards, clozes, callouts, highlights
    write(vault, ".obsidian/app.json", "{}")
    write(vault, "Notes.md", VAULT_NOTE)
    return [*packages, build_one(vault, out)]


def test_every_card_reads_well_on_a_phone_in_light_and_night_mode(browser, decks, tmp_path):
    problems = []
    pages = 0
    tabs = {scheme: open_page(browser, "about:blank", scheme) for scheme in ("light", "dark")}
    for package in decks:
        for path in write_previews(package, tmp_path / "cards" / package.stem):
            page, watched = tabs["dark" if "-night" in path.name else "light"]
            watched.clear()
            page.goto(path.as_uri())
            pages += 1
            where = f"{package.name} {path.name}"
            if (wider := overflow(page)) > 0:
                problems.append(f"{where}: {wider}px wider than the phone")
            if found := low_contrast(page):
                problems.append(f"{where}: low contrast {shown(found)}")
            if watched.requests:
                problems.append(f"{where}: requests {watched.requests}")
            if watched.errors:
                problems.append(f"{where}: console errors {watched.errors}")
    for page, _ in tabs.values():
        page.context.close()
    assert not problems, "\n".join(problems)
    assert pages == 4 * (38 + 5)  # every card of the five decks, front and back, light and night


def test_a_wide_code_block_scrolls_inside_itself_on_a_card(browser, decks, tmp_path):
    [front] = [
        path
        for path in write_previews(decks[3], tmp_path / "cards")
        if path.name == "001-back-light.html"
    ]
    page, _ = open_page(browser, front.as_uri())
    sizes = page.evaluate(
        "() => { const pre = document.querySelector('pre');"
        " return [pre.scrollWidth, pre.clientWidth, getComputedStyle(pre).overflowX]; }"
    )
    assert sizes[0] > sizes[1] and sizes[2] == "auto"
    page.context.close()


# --- the study page ------------------------------------------------------------------------------


@pytest.fixture
def study_page(decks, tmp_path):
    content = decks[0].parent.parent / "content"
    return build_one(content / "stress.md", tmp_path / "page", "html")


def test_the_study_page_reads_well_light_and_dark_and_stays_offline(browser, study_page):
    backgrounds = {}
    for scheme in ("light", "dark"):
        page, watched = open_page(browser, study_page.as_uri(), scheme)
        page.click("#expand")  # every answer shown
        assert overflow(page) <= 0
        assert low_contrast(page) == [], shown(low_contrast(page))
        assert axe_violations(page) == [], shown(axe_violations(page))
        page.click("#study-mode")
        page.keyboard.press("Space")
        assert overflow(page) <= 0
        assert low_contrast(page) == [], shown(low_contrast(page))
        assert axe_violations(page) == [], shown(axe_violations(page))
        backgrounds[scheme] = page.evaluate("getComputedStyle(document.body).backgroundColor")
        assert watched.requests == [] and watched.errors == []
        page.context.close()
    assert backgrounds == {"light": "rgb(255, 255, 255)", "dark": "rgb(13, 17, 23)"}


def test_the_study_page_allows_no_network_at_all(browser, study_page, tmp_path):
    """The page's Content-Security-Policy refuses a request even if markup got one in: an image and
    a script added to the page stay unloaded."""
    page, watched = open_page(browser, study_page.as_uri())
    page.evaluate(
        "() => { const img = document.createElement('img'); img.src = 'https://example.com/x.png';"
        " document.body.append(img); const s = document.createElement('script');"
        " s.src = 'https://example.com/x.js'; document.body.append(s); }"
    )
    page.wait_for_timeout(300)
    assert watched.requests == []
    assert sorted(watched.refused) == ["https://example.com/x.js", "https://example.com/x.png"]
    page.context.close()


def test_search_filters_and_marks_matches(browser, study_page):
    page, _ = open_page(browser, study_page.as_uri())
    total = page.locator("li.q").count()
    count = expect(page.locator("#count"))
    page.fill("#search", "東京")  # in an answer only, and not a word of Latin letters
    count.to_have_text(re.compile("^1 of"))
    assert page.locator("li.q:visible").count() == 1
    assert page.locator("li.q:visible mark.hit").all_text_contents() == ["東京", "東京"]
    assert page.locator("section.group:visible").count() == 1
    page.fill("#search", "wide table")
    expect(page.locator("li.q:visible summary")).to_contain_text("in a wide table")
    count.to_have_text(re.compile("^1 of"))
    page.fill("#search", "no such words anywhere")
    count.to_have_text(re.compile("^0 of"))
    assert page.locator("#none").is_visible()
    page.keyboard.press("Escape")
    count.to_have_text(f"{total} questions")
    assert page.locator("mark.hit").count() == 0
    page.context.close()


def test_study_by_keyboard_and_progress_survives_a_reload(browser, study_page):
    context = browser.new_context(viewport=PHONE)
    page, watched = open_page(browser, study_page.as_uri(), context=context)
    total = page.locator("li.q").count()
    page.click("#study-mode")
    first = page.locator("#front").text_content()
    assert page.locator("#back").is_hidden()
    page.keyboard.press("Space")  # flip
    assert page.locator("#back").is_visible()
    assert page.locator("#show").get_attribute("aria-expanded") == "true"
    page.keyboard.press("2")  # knew it
    assert page.locator("#progress-text").text_content() == f"1 of {total} known"
    assert page.locator("#bar").get_attribute("aria-valuenow") == "1"
    second = page.locator("#front").text_content()
    assert second != first
    page.keyboard.press("Space")
    page.keyboard.press("1")  # again: it comes back after three others
    order = []
    for _ in range(4):
        order.append(page.locator("#front").text_content())
        page.keyboard.press("Space")
        page.keyboard.press("2")
    assert order[3] == second and second not in order[:3]

    page.reload()
    assert page.locator("#study").is_visible()  # still studying
    assert page.locator("#progress-text").text_content() == f"5 of {total} known"
    page.click("#browse-mode")
    page.locator("#search").focus()
    page.keyboard.press("Escape")
    assert watched.errors == []
    context.close()


def test_progress_is_kept_by_question_id_across_a_rebuild(browser, decks, tmp_path):
    content = decks[0].parent.parent / "content"
    page_path = build_one(content / "stress.md", tmp_path / "page", "html")
    context = browser.new_context(viewport=PHONE)
    page, _ = open_page(browser, page_path.as_uri(), context=context)
    page.click("#study-mode")
    known = page.locator("#front").text_content()
    page.keyboard.press("Space")
    page.keyboard.press("2")
    # the deck is rebuilt with a question added in front of all others
    stress = content / "stress.md"
    stress.write_text(
        stress.read_text(encoding="utf-8").replace(
            "## Code and tables\n", "## Code and tables\n\n### What is new?\nThis.\n", 1
        ),
        encoding="utf-8",
    )
    build_one(stress, tmp_path / "page", "html")
    page.reload()
    total = page.locator("li.q").count()
    # the page's script writes the progress after load: wait for it (a loaded machine is slower)
    expect(page.locator("#progress-text")).to_have_text(f"1 of {total} known")
    fronts = []
    for _ in range(total - 1):
        fronts.append(page.locator("#front").text_content())
        page.keyboard.press("Space")
        page.keyboard.press("2")
    assert known not in fronts and any("What is new?" in f for f in fronts)
    assert page.locator("#done").is_visible()
    context.close()


def test_printing_the_study_page_shows_every_answer_and_no_controls(browser, study_page):
    import io

    import pypdf

    page, _ = open_page(browser, study_page.as_uri())
    reader = pypdf.PdfReader(io.BytesIO(page.pdf(format="A4")))
    text = " ".join(p.extract_text() for p in reader.pages)
    assert "It calls a function." in text and "Back extra text." in text  # answers, all closed
    assert "Show answer" not in text and "Expand all" not in text
    page.context.close()


SECTION_TEXT = """\
# Review

## Key review

- Arrays are contiguous.
- Lists grow.

## Questions

### 1. What is an array?

Contiguous memory.

### 2. What is a list?

TBD

## To do

### 3. What is a deque?

Answer coming soon.

## Summary

Arrays and lists, summed up.
"""


def test_section_text_and_unanswered_questions_on_the_study_page(browser, tmp_path):
    """A section's own text shows under its heading while nothing is filtered (and when its section
    is chosen); a search hides it with the sections whose questions do not match. The "not answered
    yet" lists read well light and dark and pass axe."""
    source = write(tmp_path / "content", "review.md", SECTION_TEXT)
    built = build_one(source, tmp_path / "page", "html")
    for scheme in ("light", "dark"):
        page, watched = open_page(browser, built.as_uri(), scheme)
        groups = page.locator("section.group")
        assert groups.count() == 4  # Key review, Questions, To do, Summary
        expect(page.locator("section.group:visible")).to_have_count(4)
        page.locator("details.unanswered summary").first.click()
        page.locator("details.unanswered summary").last.click()
        expect(page.locator("details.unanswered li:visible")).to_have_count(2)
        assert low_contrast(page) == [], shown(low_contrast(page))
        assert axe_violations(page) == [], shown(axe_violations(page))
        assert overflow(page) <= 0
        page.fill("#search", "array")
        expect(page.locator("section.group:visible")).to_have_count(1)
        expect(page.locator("section.group:visible h2")).to_have_text("Questions")
        page.fill("#search", "")
        page.dispatch_event("#search", "input")
        expect(page.locator("section.group:visible")).to_have_count(4)
        page.select_option("#section", label="Summary")
        expect(page.locator("section.group:visible")).to_have_count(1)
        expect(page.locator("section.group:visible .intro")).to_contain_text("summed up")
        assert watched.requests == [] and watched.errors == []
        page.context.close()

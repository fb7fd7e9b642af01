"""Glossaries written as lists or tables: each term a card, its definition the answer

    - Epoch: A complete pass through the training dataset.
    - **Epoch** – a complete pass through the training dataset.
    - epoch
        - A complete pass through the training dataset.
    | Term | Definition |

A top-level list whose items are *mostly* (two thirds, and at least two) a term and its definition:
`Term: definition` (a colon, full-width too), a term in bold or code then a colon or a dash (`-`,
`–`, `—`), a plain term then a spaced en or em dash, or a short line (the term) with the definition
as a nested list. Every item of such a list is a card; one that is no term (`- See also`) keeps its
line as the prompt and is reported unanswered. A definition that is only a promise (`TBD`) is
unanswered (`placeholders`); a nested list of links only (`- Acronyms` / `- [ML acronyms](...)`) is
no definition. A table is a glossary when its header names a term and a definition (`Term |
Definition`, `Acronym | Meaning`, `术语 | 定义`, `Begriff | Bedeutung`; further columns, such as
a link, follow the definition under their headers), or when it has two columns and the heading
above it names a glossary (`Glossary`, `Terms`, `Acronyms`, `术语表`): each row a card, a row
with no definition unanswered. Other tables (`Method | Purpose`) are comparisons, left as
they are.

Glossaries are for topics, never for questions: a list under a heading that asks (`## What are
the HTTP methods?`), or after a paragraph that asks, is that question's answer, whatever shape its
items have. The rule is *weak*: outside a question its cards count only in a file with no other
questions (a glossary file), as bold paragraphs do.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import replace

from cardsmith.reading.bank.answers import Part
from cardsmith.reading.bank.asking import asks, without_marks
from cardsmith.reading.bank.document import Document, closing, content_indent, tag_change
from cardsmith.reading.bank.rules.rule import Candidate, Given, Placed, Rule

# `Term: definition` (the term at most eight words, no sentence before the colon, no URL's `http:`)
_COLON = re.compile(r"^(?P<term>(?!https?:)[^:：.?!。？！\n]{1,60}?)\s*[:：]\s*(?P<rest>.*)$", re.S)
# `**Term** – definition`, `**Term:** definition`, `` `term` - definition ``
_MARKED = re.compile(
    r"^(?P<mark>\*\*|__|`)(?P<term>[^*_`\n]{1,60}?)[:：]?(?P=mark)\s*(?:[:：]|[-–—]+)?\s*(?P<rest>.*)$",
    re.S,
)
# `Term – definition`, `Term — definition`, `Term - definition` (spaced)
_DASHED = re.compile(r"^(?P<term>[^\n:：.?!]{1,60}?)\s+[-–—]{1,2}\s+(?P<rest>\S.*)$", re.S)
_ONLY_LINKS = re.compile(r"^(?:\s*[-*+]\s*\[[^\]]*\]\([^)]*\)\s*)+$")

# a two-column table's header that names a term and its definition, in the common languages
_TERM_WORDS = (
    r"terms?|words?|acronyms?|abbreviations?|concepts?|names?|keywords?|expressions?|"
    r"begriffe?|abkürzung(?:en)?|termes?|sigles?|mots?|términos?|siglas?|palabras?|"
    r"термины?|понятия?|аббревиатуры?|терміни?|术语|術語|名词|名詞|概念|缩写|縮寫|词汇|詞彙|"
    r"用語|略語|単語|용어|약어|단어|"
    # a table of questions and answers reads the same way: `| Question | Answer |`
    r"questions?|q|prompts?|fronts?|fragen?|preguntas?|вопросы?|питання|问题|問題|質問|질문"
)
_DEFINITION_WORDS = (
    r"definitions?|meanings?|descriptions?|explanations?|stands for|expansion|"
    r"bedeutung|definition|erklärung|beschreibung|définitions?|significations?|"
    r"definici[oó]n|significado|descripci[oó]n|определение|значение|описание|визначення|"
    r"значення|опис|定义|定義|含义|含義|解释|解釋|说明|說明|意思|意味|説明|정의|의미|설명|"
    r"answers?|a|backs?|antwort(?:en)?|respuestas?|réponses?|ответы?|відповідь|答案|回答|解答|답"
)
_TERM_HEADER = re.compile(rf"^\W*(?:{_TERM_WORDS})\W*$", re.I)
_DEFINITION_HEADER = re.compile(rf"^\W*(?:{_DEFINITION_WORDS})\W*$", re.I)
# a heading that names a glossary: then any two-column table under it is one
_GLOSSARY_HEADING = re.compile(
    r"glossar|glossaire|glosario|глоссарий|глосарій|словарь|словник|terminolog|"
    r"\b(?:terms|definitions|acronyms|abbreviations|vocabulary|key terms|dictionary)\b|"
    r"术语|術語|词汇|詞彙|名词解释|名詞解釋|用語集|용어",
    re.I,
)


def find(document: Document, given: Given) -> list[Candidate]:
    found: list[Candidate] = []
    terms = 0
    hidden = _details_lines(document)
    for top in document.lists:
        start = document.tokens[top.open].map
        if not start or _within(hidden, start[0]) or _asked(document, start[0]):
            continue
        items = _joined([_item(document, index) for index in top.items])
        mine = sum(is_term for _, is_term in items)
        if mine and 3 * mine >= 2 * len(items):
            found += [c for c, _ in items]
            terms += mine
    for index, token in enumerate(document.tokens):
        if (
            token.type == "table_open"
            and token.level == 0
            and token.map
            and not _within(hidden, token.map[0])
            and not _asked(document, token.map[0])
        ):
            rows = _rows(document, index, given.forced)
            found += rows
            terms += len(rows)
    return found if terms >= 2 else []


def _joined(items: list[tuple[Candidate, str]]) -> list[tuple[Candidate, bool]]:
    """Each item's card and whether it is a term. A term alone on its item (`bare`) followed by an
    item that is no term is one card: the second its definition, indented too little to nest
    (`- Foundation Model` / ` - A model trained on ...`)."""
    joined: list[tuple[Candidate, bool]] = []
    waiting = False  # the last card is a bare term
    for candidate, what in items:
        if waiting and what == "other":
            before, _ = joined[-1]
            end = candidate.item_end
            joined[-1] = (replace(before, item_end=end, hard_end=end), True)
            waiting = False
            continue
        waiting = what == "bare"
        joined.append((candidate, what == "term"))
    return joined


def split(document: Document, placed: Placed, body: Part) -> tuple[Part, Part]:
    """No front: the definition is the answer. A table row's is its second cell; a list item's
    what follows its term on its line and the item's further lines, a nested definition of one
    item without its bullet."""
    at = placed.candidate.answer_at
    if at is None:
        return Part([]), _unlisted(body)
    line, column = at
    if column < 0:  # a table row: its second cell, then any further cell under its header
        return Part([]), Part([(line, _row_answer(document, line))])
    first = document.lines[line][column:].strip()
    rest = Part([(n, t) for n, t in body.lines if n > line])
    if not first:
        return Part([]), _unlisted(rest)
    return Part([]), Part([(line, first), *rest.lines])


_BULLET = re.compile(r"^([-*+]\s+)")


def _unlisted(part: Part) -> Part:
    """`- its definition` (a list of one item, its lines indented under it) -> `its definition`."""
    lines = [(n, t) for n, t in part.lines]
    texts = [t for _, t in lines if t.strip()]
    bullets = [t for t in texts if _BULLET.match(t.lstrip(" "))]
    if len(bullets) != 1 or texts[0] is not bullets[0] or not _BULLET.match(texts[0]):
        return part  # a list of several, or one with a list of its own: a list
    width = len(_BULLET.match(bullets[0]).group(1))
    out = []
    for n, t in lines:
        if t is bullets[0]:
            out.append((n, t[width:]))
        else:
            out.append((n, t[min(width, len(t) - len(t.lstrip(" "))) :]))
    return Part(out)


def _item(document: Document, index: int) -> tuple[Candidate, str]:
    """The card an item of a candidate list makes, and what it is: `term` (a term and its
    definition), `bare` (a term alone: its definition may be the next item), or `other`."""
    tokens, lines = document.tokens, document.lines
    item = tokens[index]
    start, end = item.map
    indent = content_indent(lines[start])
    first = tokens[index + 1] if index + 1 < len(tokens) else None
    card = Candidate(Rule.GLOSSARY, "", start, start + 1, indent=indent, item_end=end, hard_end=end)
    if first is None or first.type != "paragraph_open" or not first.map:
        return card, "other"
    text = tokens[index + 2].content
    head = text.split("\n", 1)[0]
    card = replace(card, prompt=head.strip(), body_start=first.map[1])
    nested = _nested_definition(document, index)
    term, column = _term(head, lines[start], indent)
    more = "\n" in text or any(lines[n].strip() for n in range(first.map[1], end))
    if term is not None and (column < len(lines[start].rstrip()) or more):
        return replace(card, prompt=term, body_start=start, answer_at=(start, column)), "term"
    short = "\n" not in text.strip() and len(head.split()) <= 8 and not asks(without_marks(head))
    if short and not re.search(r"[.:;,]\s*$", head):
        return card, "term" if nested else "bare"
    # not a term: its line is the prompt, the rest of the item its answer (or it is unanswered)
    return card, "other"


def _term(head: str, line: str, indent: int) -> tuple[str | None, int]:
    """(the term, the column on the item's line where its definition starts), or (None, 0)."""
    for pattern in (_MARKED, _COLON, _DASHED):
        match = pattern.match(head)
        if match is None:
            continue
        term = match.group("term").strip()
        words = len(without_marks(term).split())
        if not term or words > 8 or "](" in term:
            continue
        if pattern is _MARKED:
            term = f"{match.group('mark')}{term}{match.group('mark')}"
        elif asks(without_marks(term)):
            continue  # `- Why? Because ...` is no term; a marked term may ask (`**Why?** – ...`)
        if pattern is _DASHED and words > 4:
            continue
        rest = match.group("rest")
        column = len(line.rstrip()) - len(rest.split("\n", 1)[0].rstrip()) if rest else len(line)
        return term, max(column, indent)
    return None, 0


def _nested_definition(document: Document, index: int) -> bool:
    """Whether the item holds a nested list that defines (prose, not only links)."""
    tokens = document.tokens
    level = tokens[index].level + 1
    for position in range(index + 1, closing(tokens, index)):
        token = tokens[position]
        if token.level == level and token.type.endswith("_list_open") and token.map:
            text = "\n".join(document.lines[token.map[0] : token.map[1]]).strip()
            return bool(text) and not _ONLY_LINKS.match(text)
    return False


def _asked(document: Document, line: int) -> bool:
    """Whether a question holds line `line`: a heading above it that asks (the nearest, or one it
    stands under), or a paragraph that asks between the nearest heading and it."""
    headings = document.headings
    position = bisect_left(document.heading_lines, line) - 1
    since = headings[position].end if position >= 0 else 0
    level = 7
    for nearer in range(position, -1, -1):  # (not a reversed copy of all the headings above)
        heading = headings[nearer]
        if heading.level < level:
            if asks(without_marks(heading.text)):
                return True
            level = heading.level
    for index in document.token_range(since, line):
        token = document.tokens[index]
        if token.type == "inline" and token.level == 1 and asks(without_marks(token.content)):
            return True
    return False


def _rows(document: Document, index: int, forced: bool = False) -> list[Candidate]:
    """A two-column glossary table's rows as cards (the first takes the header's lines too)."""
    tokens = document.tokens
    end = closing(tokens, index)
    rows = [
        position
        for position in range(index, end)
        if tokens[position].type == "tr_open" and tokens[position].map
    ]
    if len(rows) < 2:
        return []
    header = _cells(document, tokens[rows[0]].map[0])
    if len(header) < 2:
        return []
    named = _TERM_HEADER.match(header[0]) and _DEFINITION_HEADER.match(header[1])
    if (
        not named
        and not forced  # `questions: glossary`: the author says every table is one
        and (len(header) > 2 or not _glossary_heading(document, tokens[index].map[0]))
    ):
        return []  # `| Method | Notes | Parametric |` compares; only a named glossary has more
    found = []
    table_line = tokens[index].map[0]
    for position in rows[1:]:
        line = tokens[position].map[0]
        cells = _cells(document, line)
        if len(cells) != len(header) or not cells[0].strip():
            continue
        found.append(
            Candidate(
                Rule.GLOSSARY,
                cells[0].strip(),
                table_line if not found else line,
                line,
                hard_end=line + 1,
                answer_at=(line, -1),
            )
        )
    return found if len(found) >= 2 else []


def _row_answer(document: Document, line: int) -> str:
    """A glossary row's definition, and its further cells under their headers (`**Link:** ...`);
    nothing when the definition is empty (the term is unanswered)."""
    cells = _cells(document, line)
    if not cells[1].strip():
        return ""
    position = document.token_range(line, line + 1).start
    table = next(i for i in range(position, -1, -1) if document.tokens[i].type == "table_open")
    header = _cells(document, document.tokens[table].map[0])
    extra = [
        f"**{without_marks(name).strip()}:** {cell.strip()}"
        for name, cell in zip(header[2:], cells[2:], strict=False)
        if cell.strip()
    ]
    return "\n\n".join([cells[1].strip(), *extra])


def _cells(document: Document, line: int) -> list[str]:
    """The cells' Markdown of the table row on `line`."""
    return [
        document.tokens[i].content
        for i in document.token_range(line, line + 1)
        if document.tokens[i].type == "inline"
        and i
        and document.tokens[i - 1].type in ("th_open", "td_open")
    ]


def _glossary_heading(document: Document, line: int) -> bool:
    position = bisect_left(document.heading_lines, line) - 1
    return position >= 0 and bool(_GLOSSARY_HEADING.search(document.headings[position].plain))


def _details_lines(document: Document) -> list[tuple[int, int]]:
    """Lines of every top-level `<details>` (a glossary there is another question's answer)."""
    found, depth, start = [], 0, 0
    for token in document.tokens if document.has_details_tags else ():
        change = tag_change(token)
        if not change or not token.map:
            continue
        if depth == 0 and change > 0:
            start = token.map[0]
        depth = max(0, depth + change)
        if depth == 0:
            found.append((start, token.map[1]))
    return found


def _within(spans: list[tuple[int, int]], line: int) -> bool:
    return any(start <= line < end for start, end in spans)

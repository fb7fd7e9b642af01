"""The words authors label an answer with, by language: a `<details>` summary or a collapsible
admonition's title that reveals one ("Show answer", `查看答案`, `Antwort`, `Ответ`), and the heading
words that only say what a part of a question is (`### Question`, `### 题目`, `### 解析`).

One row per language, each a few alternatives of a regular expression (matched ignoring case):

- `verbs`: what may stand before the word ("Show", "Click to see", `点击查看`, `Показать`);
- `articles`: what may stand between them ("the", `la`, `die`);
- `words`: the label itself ("Answer", "Solution", `参考答案`, `정답`);
- `after`: what may stand after it ("anzeigen", `보기`, `を見る`);
- `parts`: a heading word that names a part of a question and asks nothing ("Question",
  "Explanation", `题目`, `解析`).

`cardsmith.reading.bank.boilerplate` builds its reveal pattern from these rows; adding a language is
one row here and a case in `tests/test_layouts.py`'s answer-label bank.
"""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Labels:
    verbs: tuple[str, ...] = ()
    articles: tuple[str, ...] = ()
    words: tuple[str, ...] = ()
    after: tuple[str, ...] = ()
    parts: tuple[str, ...] = ()


LABELS: dict[str, Labels] = {
    "en": Labels(
        verbs=(
            "show",
            "hide",
            "see",
            "view",
            "reveal",
            "toggle",
            "check",
            "expand",
            "open",
            r"click(?: here)?(?: to)?(?: show| see| view| expand| reveal| open)?",
        ),
        articles=("the", "me"),
        words=(
            "answers?",
            "solutions?",
            "explanations?",
            "hints?",
            "output",
            "results?",
            "details",
            "more",
            "code",
            "examples?",
            "spoilers?",
            "expand",
        ),
        parts=("question", "problem", "answer", "solution", "explanation"),
    ),
    "de": Labels(
        verbs=("zeige", "zeigen", "anzeigen", "siehe"),
        articles=("die", "der"),
        words=("antwort(?:en)?", "lösung(?:en)?", "erklärung(?:en)?", "musterlösung"),
        after=("anzeigen", "zeigen", "ansehen"),
        parts=("frage", "aufgabe", "antwort", "lösung", "erklärung"),
    ),
    "fr": Labels(
        verbs=("voir", "afficher", "montrer"),
        articles=("la", "les", "le"),
        words=("réponses?", "solutions?", "corrigé", "explications?"),
        parts=("question", "énoncé", "réponse", "solution", "explication"),
    ),
    "es": Labels(
        verbs=("ver", "mostrar"),
        articles=("la", "las", "el"),
        words=("respuestas?", "soluci[oó]n(?:es)?", "explicaci[oó]n"),
        parts=("pregunta", "enunciado", "respuesta", "soluci[oó]n", "explicaci[oó]n"),
    ),
    "ru": Labels(
        verbs=("показать", "посмотреть", "смотреть"),
        words=("ответы?", "решение", "объяснение", "пояснение"),
        parts=("вопрос", "задание", "ответ", "решение", "объяснение"),
    ),
    "uk": Labels(
        verbs=("показати", "переглянути"),
        words=("відповідь", "відповіді", "рішення", "розв'язок", "пояснення"),
        parts=("питання", "завдання", "відповідь", "рішення", "пояснення"),
    ),
    # no spaces between words: `第 1 题的答案` ("question 1's answer"), `点击查看答案`
    "zh": Labels(
        verbs=(r"第\s*\d+\s*[题題]\s*的", "点击", "點擊", "查看", "显示", "顯示", "展开", "展開"),
        words=(
            "参考答案",
            "參考答案",
            "正确答案",
            "正確答案",
            "答案(?:与|和|及)?解析",
            "答案",
            "解答",
            "解析",
            "回答",
        ),
        parts=("题目", "題目", "问题", "問題", "答案", "解析", "解答", "正确答案", "正確答案"),
    ),
    "ja": Labels(
        words=("解答", "回答", "答え", "正解", "解説"),
        after=("を?見る", "を?表示"),
        parts=("問題", "設問", "解答", "正解", "解説"),
    ),
    "ko": Labels(
        words=("정답", "답", "해설", "해답"),
        after=("보기", "확인"),
        parts=("문제", "정답", "해설"),
    ),
}


def _any(field: str) -> str:
    return "|".join(alternative for row in LABELS.values() for alternative in getattr(row, field))


# a summary or title that reveals an answer: `Show the answer`, `第 1 题的答案`, `Antwort anzeigen`,
# `Solution 2 (recursive)` (what it says beyond the word: the group `more`)
REVEAL = re.compile(
    rf"^\W*(?:(?:(?:{_any('verbs')})\s*)+(?:(?:{_any('articles')})\s*)?)?"
    rf"(?P<word>{_any('words')})?(?:\s*(?:{_any('after')}))?"
    r"(?P<more>\s*(?:#?\d+|[A-Z])?\s*(?:\([^)]*\)|[:：\-–—].*)?)\W*$",
    re.I,
)

# a heading that only names a part of the question above it (`### 题目`, `### 📖 解析`, `### Answer`)
PART_HEADING = re.compile(rf"^\W*(?:{_any('parts')})\W*$", re.I)

"""The words authors label an answer with, by language: a `<details>` summary or a collapsible
admonition's title that reveals one ("Show answer", `查看答案`, `Antwort`, `Ответ`), and the heading
words that only say what a part of a question is (`### Question`, `### 题目`, `### 解析`).

One row per language, each a few alternatives of a regular expression (matched ignoring case):

- `verbs`: what may stand before the word ("Show", "Click to see", `点击查看`, `Показать`);
- `articles`: what may stand between them ("the", `la`, `die`);
- `words`: the label itself ("Answer", "Solution", `参考答案`, `정답`);
- `after`: what may stand after it ("anzeigen", `보기`, `を見る`);
- `parts`: a heading word that names the question's own text and asks nothing ("Question",
  `题目`, `Aufgabe`): deeper than a question, its text; as deep, it may start one (`### Question 2`);
- `answer_parts`: a heading word that names the rest of a question ("Answer", "Explanation",
  "Options", `解析`, `选项`): never a question of its own, part of the one above it even as deep;
- `keys`: the words before the right option's letter in an answer key ("Correct answer: B",
  `正确答案：B`, `Richtige Antwort: C`).

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
    answer_parts: tuple[str, ...] = ()
    keys: tuple[str, ...] = ()


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
        parts=("question", "problem", "exercise", "task"),
        answer_parts=("answer", "solution", "explanation", "options", "choices"),
        keys=(r"(?:the\s+)?(?:correct\s+|right\s+)?(?:answers?|ans)",),
    ),
    "de": Labels(
        verbs=("zeige", "zeigen", "anzeigen", "siehe"),
        articles=("die", "der"),
        words=("antwort(?:en)?", "lösung(?:en)?", "erklärung(?:en)?", "musterlösung"),
        after=("anzeigen", "zeigen", "ansehen"),
        parts=("frage", "aufgabe"),
        answer_parts=("antwort", "lösung", "erklärung", "optionen", "auswahl"),
        keys=(r"(?:die\s+)?(?:richtige\s+)?antwort(?:en)?", "lösung"),
    ),
    "fr": Labels(
        verbs=("voir", "afficher", "montrer"),
        articles=("la", "les", "le"),
        words=("réponses?", "solutions?", "corrigé", "explications?"),
        parts=("question", "énoncé", "exercice"),
        answer_parts=("réponse", "solution", "explication", "options", "choix"),
        keys=(r"(?:la\s+)?(?:bonne\s+)?réponses?(?:\s+correctes?)?",),
    ),
    "es": Labels(
        verbs=("ver", "mostrar"),
        articles=("la", "las", "el"),
        words=("respuestas?", "soluci[oó]n(?:es)?", "explicaci[oó]n"),
        parts=("pregunta", "enunciado", "ejercicio"),
        answer_parts=("respuesta", "soluci[oó]n", "explicaci[oó]n", "opciones"),
        keys=(r"(?:la\s+)?respuestas?(?:\s+correctas?)?",),
    ),
    "ru": Labels(
        verbs=("показать", "посмотреть", "смотреть"),
        words=("ответы?", "решение", "объяснение", "пояснение"),
        parts=("вопрос", "задание", "задача"),
        answer_parts=("ответ", "решение", "объяснение", "пояснение", "варианты(?: ответа)?"),
        keys=(r"(?:правильный\s+)?ответ",),
    ),
    "uk": Labels(
        verbs=("показати", "переглянути"),
        words=("відповідь", "відповіді", "рішення", "розв'язок", "пояснення"),
        parts=("питання", "завдання", "задача"),
        answer_parts=("відповідь", "рішення", "пояснення", "варіанти(?: відповіді)?"),
        keys=(r"(?:правильна\s+)?відповідь",),
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
        parts=("题目", "題目", "问题", "問題", "题干", "題幹"),
        answer_parts=(
            "答案",
            "解析",
            "解答",
            "正确答案",
            "正確答案",
            "答案(?:与|和|及)?解析",
            "选项",
            "選項",
        ),
        keys=("正确答案", "正確答案", "参考答案", "參考答案", "答案"),
    ),
    "ja": Labels(
        words=("解答", "回答", "答え", "正解", "解説"),
        after=("を?見る", "を?表示"),
        parts=("問題", "設問"),
        answer_parts=("解答", "正解", "解説", "選択肢"),
        keys=("正解", "答え"),
    ),
    "ko": Labels(
        words=("정답", "답", "해설", "해답"),
        after=("보기", "확인"),
        parts=("문제",),
        answer_parts=("정답", "해설", "보기"),
        keys=("정답",),
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

# a heading that only names a part of a question: its text (`### 题目`, `### Question`), or the rest
# of it (`### 📖 解析`, `### Answer`, `### Options`): `ANSWER_PART` alone
PART_HEADING = re.compile(rf"^\W*(?:{_any('parts')}|{_any('answer_parts')})\W*$", re.I)
ANSWER_PART = re.compile(rf"^\W*(?:{_any('answer_parts')})\W*$", re.I)

# the words of an answer key before its letter: `Correct answer`, `正确答案`, `Richtige Antwort`
KEY_WORDS = _any("keys")

# a heading that starts a question's answer (`### Answer`, `### 答案`, `### Lösung`), not its
# explanation: what stands above it is the question's front
ANSWER_HEADING = re.compile(rf"^\W*(?:{KEY_WORDS}|solutions?|解答)\W*$", re.I)

"""Lesson generators' blocks, read as the mkdocs admonitions they mean, line for line (issue #27,
open class I). Course material is written with exercise and solution blocks of three syntaxes:

- pandoc's fenced divs (The Carpentries' lessons): `::::: challenge`, a `## Title` heading as its first
  line, a nested `:::: solution` (`## Solution`), each closed by a line of colons; pandoc closes the
  innermost open div at any line of three or more colons, and so does this module;
- The Carpentries' older (Jekyll, kramdown) lessons: a block quote `> ## Title` followed by an attribute
  list naming its kind, `{: .challenge}`, its solution a nested quote `> > ## Solution` + `> {: .solution}`;
  a code block's language an attribute list after its closing fence, `{: .language-bash}`;
- MyST's colon fences (Jupyter Book): `:::{exercise} Title` ... `:::`, options (`:label: ex1`) first;
- MyST's directives, code fences whose info is `{name} argument`: a box (```` ```{note} ````,
  ```` ```{admonition} Answer ```` with `:class: dropdown`, ```` ```{exercise} ````, ```` ```{solution}
  ex1 ````), sphinx-exercise's gated pair ```` ```{exercise-start} ```` ... ```` ```{exercise-end} ````
  (and `solution-start`/`-end`) with Markdown between, code (`{code-cell} python3`, `{code-block}`),
  math (`{math}`), and directives that show no text of their own on a card (`{index}`, `{raw}`,
  `{toctree}`, ...).

`admonitions(text)` writes each box as the mkdocs admonition it is (`!!! exercise "Title"`, its body
indented under it; a dropdown one collapsible, `??? solution "Solution"`), each code directive as a
plain fence, math as `$$`, a directive with no text (and a MyST target, `(label)=`) as an HTML comment
that says what it was, so the bank reader's rules for admonitions read them (`rules/details.py`: an
exercise is a question, a solution in or right after it its answer). Every line stays on its line:
line numbers in messages and `explain` are the file's. Options (`:label:`, `:class:`) and closing
fences become blank lines (syntax, no text); a div's title heading moves onto its marker line.

Why not mdit-py-plugins' `container` and `colon_fence`: `container` closes a block only at a fence as
long as its own (pandoc and The Carpentries' lessons close at any), and both keep the block's lines
in markdown-it's tokens, not in the text the bank reader slices answers from; a sphinx-exercise gated
pair is two separate fences that no block rule joins.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# blocks that are a question: their body is its front, a solution in or right after it the answer
EXERCISE_NAMES = frozenset({"exercise", "challenge", "problem", "exercise-start"})
SOLUTION_NAMES = frozenset({"solution", "answer", "solution-start"})
# lesson boxes that are never a question, whatever their title asks (a callout titled "Why Isn't It
# Doing Anything?" explains; `questions` lists the episode's questions; `keypoints` sums it up)
NOTE_NAMES = frozenset(
    {
        "callout",
        "objectives",
        "questions",
        "keypoints",
        "prereq",
        "checklist",
        "discussion",
        "instructor",
        "testimonial",
        "spoiler",
        "margin",
        "sidebar",
        "epigraph",
    }
)
# MyST directives whose body is code, or math
_CODE = frozenset({"code-cell", "code-block", "code", "sourcecode", "ipython"})
_MATH = frozenset({"math"})
# MyST directives that put no text of theirs on a card (an index entry, a notebook's raw header,
# a table of contents, an included file): an HTML comment naming them (skipped with that reason)
_NO_TEXT = frozenset(
    {
        "index",
        "raw",
        "toctree",
        "include",
        "literalinclude",
        "contents",
        "tableofcontents",
        "bibliography",
        "glue",
        "glue:any",
        "glue:figure",
        "eval-rst",
        "only",
        "figure",
        "image",
        "list-table",
        "exercise-end",
        "solution-end",
    }
)

_COLON_OPEN = re.compile(
    r"^ {0,3}:{3,}\s*(?:\{(?P<myst>[A-Za-z][\w:-]*)\}\s*(?P<arg>.*?)|\{(?P<attrs>[^}]*)\}"
    r"|(?P<name>[A-Za-z][\w-]*))\s*:*\s*$"
)
_COLON_CLOSE = re.compile(r"^ {0,3}:{3,}\s*$")
_FENCE = re.compile(r"^ {0,3}(?P<fence>`{3,}|~{3,})\s*(?P<info>.*?)\s*$")
_DIRECTIVE = re.compile(r"^\{(?P<name>[A-Za-z][\w:-]*)\}\s*(?P<arg>.*)$")
_OPTION = re.compile(r"^\s*:[\w-]+:(?:\s.*)?$")
_TARGET = re.compile(r"^ {0,3}\((?P<name>[^()\s]+)\)=\s*$")
_TITLE_HEADING = re.compile(r"^ {0,3}#{1,6}\s+(?P<title>.+?)(?:\s+#+)?\s*$")
_MAY_HOLD = re.compile(r"^ {0,3}(?::::|```+[ \t]*\{|~~~+[ \t]*\{)", re.M)
_INDENT = "    "

# a comment made here: `<!-- myst {index}: ... -->`, `<!-- myst (label)= -->`
COMMENT = re.compile(r"^\s*<!-- myst (?P<what>\{[\w:-]+\}|\([^()\s]+\)=|\S)")


@dataclass
class _Open:
    """A block open at this line: a box (its body one level deeper), a gated pair, or code."""

    syntax: str  # "colon", "fence" (a box directive), "gate", "code", "comment"
    level: int  # indentation level of its body
    fence: str = ""  # the fence that closes a fence or code block
    closer: str = ""  # what its closing fence becomes ("" for a blank line)
    name: str = ""
    label: str = ""


@dataclass
class _Closed:
    line: int
    level: int  # the level its marker stood at
    exercise: bool
    label: str


OPTION = "MyST directive option"


def admonitions(text: str) -> str:
    """`text` with its lesson blocks written as mkdocs admonitions, line for line."""
    return rewrite(text)[0]


def rewrite(text: str) -> tuple[str, list[tuple[int, str]]]:
    """`text` with its lesson blocks written as mkdocs admonitions, line for line (the module's
    docstring), and the lines whose text it left out, with why: the options of a code or math
    directive (inside a box they are comments that say so). Text with none is returned as it is."""
    if _IAL_LINE.search(text):
        text = "\n".join(_kramdown_boxes(text.split("\n")))
    if not _MAY_HOLD.search(text):
        return text, []
    lines = text.split("\n")
    left_out: list[tuple[int, str]] = []
    out = list(lines)
    stack: list[_Open] = []
    last: _Closed | None = None
    exercises = 0
    closers = _Closers(lines)
    myst = bool(_DIRECTIVE_FILE.search(text))
    titles: set[int] = set()  # a div's title heading, moved onto its marker line
    index = 0
    while index < len(lines):
        line = lines[index]
        top = stack[-1] if stack else None
        level = top.level if top else 0
        if index in titles:
            out[index] = _at(level, "")
            index += 1
            continue
        if top is not None and top.syntax in ("code", "comment"):
            if _closes(line, top.fence):
                out[index] = _at(level, top.closer or line)  # a plain fence's own closing line
                stack.pop()
            else:  # a comment's text cannot end it
                out[index] = (
                    _at(level, line) if top.syntax == "code" else line.replace("-->", "-- >")
                )
            index += 1
            continue
        if top is not None and (
            (top.syntax == "colon" and _COLON_CLOSE.match(line))
            or (top.syntax == "fence" and _closes(line, top.fence))
        ):
            stack.pop()
            last = _Closed(index, top.level - 1, top.name in EXERCISE_NAMES, top.label)
            out[index] = _at(top.level - 1, "")
            index += 1
            continue
        fence = _FENCE.match(line)
        colon = None if fence else _COLON_OPEN.match(line)
        if fence:
            directive = _DIRECTIVE.match(fence.group("info"))
            if directive is not None and closers.longest(index + 1, fence.group("fence")) < len(
                fence.group("fence")
            ):
                directive = None  # never closed: code to the end, as GitHub shows it (`fences`)
            if directive is None:  # plain code
                out[index] = _at(level, line)
                stack.append(_Open("code", level, fence.group("fence")))
                index += 1
                continue
            name, arg = directive.group("name").lower(), directive.group("arg").strip()
            after = _options(lines, index + 1, fence.group("fence"))
            at_once = after > index + 1 and _closes(lines[after - 1], fence.group("fence"))
            if name in _CODE or name in _MATH:
                opener = "$$" if name in _MATH else fence.group("fence") + (arg.split() or [""])[0]
                closer = "$$" if name in _MATH else fence.group("fence")
                last_option = after - 1 if at_once else after
                for number in range(index, after):
                    out[number] = _at(level, "")
                for number in range(index + 1, last_option):  # options: left out, said
                    if lines[number].strip() and lines[number].strip() != "---":
                        left_out.append((number, OPTION))
                out[last_option - 1] = _at(level, opener)  # the code opens after them
                if at_once:  # empty: an empty block, opened and closed
                    out[after - 1] = _at(level, closer)
                else:
                    stack.append(_Open("code", level, fence.group("fence"), closer))
                index = after
                continue
            if name in _NO_TEXT:
                if name in ("exercise-end", "solution-end"):
                    gate = name.removesuffix("-end") + "-start"
                    if any(o.syntax == "gate" and o.name == gate for o in stack):
                        while stack:
                            closed = stack.pop()
                            if closed.syntax == "gate" and closed.name == gate:
                                last = _Closed(
                                    index, closed.level - 1, gate in EXERCISE_NAMES, closed.label
                                )
                                break
                        end = _fence_end(lines, index + 1, fence.group("fence"))
                        outer = stack[-1].level if stack else 0
                        for number in range(index, end):
                            out[number] = _at(outer, "")
                        index = end
                        continue
                out[index] = _at(level, f"<!-- myst {{{name}}} {arg}".rstrip())
                stack.append(_Open("comment", level, fence.group("fence"), "-->"))
                index += 1
                continue
            label = _option(lines[index + 1 : after], "label")
            base, exercises = _open_box(name, arg, last, level, out, lines, index, after, exercises)
            if name.endswith("-start") and not at_once:  # its own fence closes after its options
                after = _fence_end(lines, after, fence.group("fence"))
            for number in range(index + 1, after):
                out[number] = _syntax(base + 1, lines[number])
            if name.endswith("-start"):
                stack.append(_Open("gate", base + 1, name=name, label=label))
            elif at_once:  # an empty box: its marker alone
                last = _Closed(after - 1, base, name in EXERCISE_NAMES, label)
                if after - 1 > index:
                    out[after - 1] = _at(level, "")
            else:
                stack.append(_Open("fence", base + 1, fence.group("fence"), name=name, label=label))
            index = after
            continue
        if colon:
            name = (colon.group("myst") or colon.group("name") or "").lower()
            arg = (colon.group("arg") or "").strip()
            if colon.group("attrs") is not None:
                classes = re.findall(r"\.([\w-]+)", colon.group("attrs"))
                name = classes[0].lower() if classes else "div"
            after = _options(lines, index + 1, None)
            first = _first_text(lines, after)
            if not arg and not colon.group("myst") and first is not None:
                heading = _TITLE_HEADING.match(lines[first])
                if heading:  # pandoc: the div's first heading is its title
                    arg = heading.group("title")
                    titles.add(first)
            label = _option(lines[index + 1 : after], "label")
            base, exercises = _open_box(name, arg, last, level, out, lines, index, after, exercises)
            for number in range(index + 1, after):
                out[number] = _syntax(base + 1, lines[number])
            stack.append(_Open("colon", base + 1, name=name, label=label))
            index = after
            continue
        target = _TARGET.match(line)
        if target and myst:
            out[index] = _at(level, f"<!-- myst ({target.group('name')})= -->")
        else:
            out[index] = _at(level, line)
        index += 1
    return "\n".join(out), left_out


# The Carpentries' older lessons (their Jekyll template, kramdown): a box is a block quote whose first
# line is its `## Title` and whose next line is an attribute list naming its kind, `{: .challenge}`;
# a solution is a quote nested in it, `> > ## Solution` then `> {: .solution}`; a code block's
# language is an attribute list after its closing fence, `{: .language-bash}` (or `.output`).
_IAL_LINE = re.compile(r"^ {0,3}(?:> ?)*\{: *\.[\w-]+[^}\n]*\}[ \t]*$", re.M)
_IAL = re.compile(r"^ {0,3}\{: *\.(?P<kind>[\w-]+)[^}\n]*\}[ \t]*$")
_QUOTE = re.compile(r"^ {0,3}> ?")
_CLOSING_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})[ \t]*$")


def _kramdown_boxes(lines: list[str]) -> list[str]:
    """Lines with each quoted lesson box (`> ## Title` ... then `{: .challenge}`) written as an
    admonition, nested ones inside, and each code block's attribute list taken onto its fence."""
    lines = _fence_attributes(lines)
    out: list[str] = []
    index = 0
    while index < len(lines):
        if not _QUOTE.match(lines[index]):
            out.append(lines[index])
            index += 1
            continue
        end = index
        while end < len(lines) and _QUOTE.match(lines[end]):
            end += 1
        attribute = _IAL.match(lines[end]) if end < len(lines) else None
        kind = attribute.group("kind").lower() if attribute else ""
        inner = [_QUOTE.sub("", line, count=1) for line in lines[index:end]]
        heading = _TITLE_HEADING.match(inner[0])
        if not kind or kind not in _LESSON_KINDS or not (heading or not inner[0].strip()):
            out += lines[index:end]
            index = end
            continue
        inner = _kramdown_boxes(inner)
        title = heading.group("title") if heading else ""
        out.append(_marker(kind, title, [], 0) if title or kind not in EXERCISE_NAMES else "")
        out += [_at(1, line) for line in inner[1:]]
        out.append("")  # the attribute list
        index = end + 1
    return out


def _fence_attributes(lines: list[str]) -> list[str]:
    """`{: .language-bash}` (or `.output`, `.error`, `.source`) right after a closing fence, at its
    indentation (a list item's code too): the language onto the opening fence, the attribute list
    left out."""
    out = list(lines)
    opened: int | None = None
    fence = ""
    for number, line in enumerate(lines):
        if opened is None:
            found = _ITEM_FENCE.match(line)
            if found:
                opened, fence = number, found.group("fence")
            continue
        stripped = line.strip()
        if not (stripped and set(stripped) == {fence[0]} and len(stripped) >= len(fence)):
            continue
        after = number + 1
        attribute = _ANY_IAL.match(lines[after]) if after < len(lines) else None
        if attribute and attribute.group("kind").lower() not in _LESSON_KINDS:
            language = attribute.group("kind").removeprefix("language-")
            if attribute.group("kind") != language:
                out[opened] = re.sub(r"(`{3,}|~{3,})[ \t]*$", rf"\g<1>{language}", out[opened])
            out[after] = ""
        opened = None
    return out


_ITEM_FENCE = re.compile(r"^\s*(?:(?:[-+*]|\d{1,9}[.)])\s+)?(?P<fence>`{3,}|~{3,})")
_ANY_IAL = re.compile(r"^\s*\{: *\.(?P<kind>[\w-]+)[^}\n]*\}[ \t]*$")


_DIRECTIVE_FILE = re.compile(r"^ {0,3}(?:`{3,}|~{3,}|:{3,})[ \t]*\{[A-Za-z]", re.M)


class _Closers:
    """For each fence character, the longest closing fence at or after each line (found once)."""

    def __init__(self, lines: list[str]) -> None:
        self.after: dict[str, list[int]] = {}
        for char in "`~":
            longest = [0] * (len(lines) + 1)
            for number in range(len(lines) - 1, -1, -1):
                line = lines[number]
                width = (
                    len(line.strip()) if _closes(line, char * 3) and line.strip()[0] == char else 0
                )
                longest[number] = max(width, longest[number + 1])
            self.after[char] = longest

    def longest(self, line: int, fence: str) -> int:
        return self.after[fence[0]][min(line, len(self.after[fence[0]]) - 1)]


_LESSON_KINDS = EXERCISE_NAMES | SOLUTION_NAMES | NOTE_NAMES


def is_lesson_note(kind: str) -> bool:
    """A lesson box that is never a question (a callout, the episode's objectives, a hint)."""
    return kind.lower() in NOTE_NAMES


def _at(level: int, line: str) -> str:
    """`line` at a box's level (outside boxes, as it is); a blank line inside a box keeps the box's
    indentation (markdown-it's admonition ends at two unindented blank lines in a row)."""
    return f"{_INDENT * level}{line}" if level else line


def _syntax(level: int, line: str) -> str:
    """A directive's option line (`:label: ex1`, a YAML option) as an HTML comment that says it
    was one (skipped with that reason); a closing fence or `---` as a blank line."""
    text = line.strip()
    if not text or set(text) <= {"`"} or set(text) <= {"~"} or set(text) <= {"-"}:
        return _at(level, "")
    return _at(level, f"<!-- myst {text.replace('-->', '-- >')} -->")


def _closes(line: str, fence: str) -> bool:
    stripped = line.strip()
    return (
        len(line) - len(line.lstrip(" ")) <= 3
        and bool(stripped)
        and set(stripped) == {fence[0]}
        and len(stripped) >= len(fence)
    )


def _fence_end(lines: list[str], start: int, fence: str) -> int:
    """The line after the fence that closes at or after `start` (`start` when none does)."""
    for number in range(start, min(len(lines), start + 50)):
        if _closes(lines[number], fence):
            return number + 1
        if lines[number].strip() and not _OPTION.match(lines[number]):
            break
    return start


def _options(lines: list[str], start: int, fence: str | None) -> int:
    """The line after a directive's options (`:label: ex1` lines, or a `---` YAML block) from
    `start`. For a gated directive (`{exercise-start}` and its own closing fence right after its
    options) the closing fence is counted with them."""
    number = start
    if number < len(lines) and lines[number].strip() == "---":
        end = next((n for n in range(number + 1, len(lines)) if lines[n].strip() == "---"), None)
        if end is not None:
            number = end + 1
    while number < len(lines) and _OPTION.match(lines[number]):
        number += 1
    if fence is not None and number < len(lines) and _closes(lines[number], fence):
        # an empty directive closed at once: `{exercise-start}` + options + its fence
        return number + 1
    return number


def _option(options: list[str], key: str) -> str:
    for line in options:
        match = re.match(rf"^\s*:{key}:\s*(.*)$", line)
        if match:
            return match.group(1).strip()
    return ""


def _first_text(lines: list[str], start: int) -> int | None:
    for number in range(start, min(len(lines), start + 5)):
        if lines[number].strip():
            return number
    return None


def _open_box(
    name: str,
    arg: str,
    last: _Closed | None,
    level: int,
    out: list[str],
    lines: list[str],
    index: int,
    after: int,
    exercises: int,
) -> tuple[int, int]:
    """A box opening at `index` (its options up to `after`), whichever syntax wrote it: its marker
    written, and the lines since the exercise it attaches to kept inside that one. Returns the
    box's level and the count of exercises so far."""
    attach = _attaches(name, arg, last, level, out, index)
    base = level + 1 if attach else level
    if attach and last is not None:  # the lines between stay inside the exercise
        for number in range(last.line, index):
            out[number] = _at(base, "")
    if name in EXERCISE_NAMES:
        exercises += 1
    out[index] = _at(base, _marker(name, arg, lines[index + 1 : after], exercises))
    return base, exercises


def _attaches(name: str, arg: str, last: _Closed | None, level: int, out: list[str], line: int):
    """Whether a solution block stands right after an exercise (nothing but blank lines between,
    at the same level) and answers it (its argument, when given, is the exercise's label)."""
    if name not in SOLUTION_NAMES or last is None or not last.exercise or last.level != level:
        return False
    if any(out[n].strip() for n in range(last.line + 1, line)):
        return False
    reference = arg.split()[0] if arg.split() else ""
    return not reference or not last.label or reference == last.label


def _marker(name: str, arg: str, options: list[str], exercises: int) -> str:
    """The admonition line for a box: `!!! exercise "Title"`, `??? solution "Solution"`."""
    classes = _option(options, "class").split()
    collapsible = "dropdown" in classes or name == "dropdown"
    kind, title = name, arg
    if name in EXERCISE_NAMES:
        kind, title = "exercise", arg or _option(options, "title") or f"Exercise {exercises}"
    elif name in SOLUTION_NAMES:
        kind, title = "solution", "Solution"  # its argument is the exercise's label
    elif name in ("admonition", "dropdown"):
        kind = "note" if name == "admonition" else "dropdown"
    kind = re.sub(r"[^\w-]", "-", kind) or "note"
    title = title.replace('"', "'").strip()
    mark = "???" if collapsible else "!!!"
    return f'{mark} {kind} "{title}"' if title else f"{mark} {kind}"

"""Every setting cardsmith has, declared once, and `Settings`, the typed record of a build's values.

A setting is one field of `Settings` made with `setting(...)`: its type (the annotation), default,
choices (a literal tuple: the modules that use a choice key their tables by these names, and a test
checks that the two agree), range, help, where it may be given (command line, config file, front
matter) and whether it changes what a deck's outputs hold. The command line's options
(`cardsmith.cli`), the config file's checks (`cardsmith.build.config`), `cardsmith init`'s example
config and the build cache's key are all made from these declarations, the way mkdocs makes its CLI
and checks from one config schema. Adding a setting is adding one field here and reading it where it
is used.

`Settings` holds only what is declared: it is picklable, goes to worker processes as it is, and is the
build cache's key (`output_key`). How one build runs (force, fail fast, callbacks, the clock) is a
`cardsmith.run.Run`, kept apart.

Deck settings (`tags`, `questions`, `question_level`, `html`) are also read from front matter.
Their precedence, the only one there is: the command line, then a deck's front matter, then the
config file, then the default (`DeckSettings.resolve`).
"""

from __future__ import annotations

import dataclasses
import difflib
import os
import re
import types
import typing
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

COMMAND_LINE, CONFIG, FRONT_MATTER = "command line", "config file", "front matter"
_EVERYWHERE = frozenset({COMMAND_LINE, CONFIG, FRONT_MATTER})


# The choices of settings, as literals: the modules that act on them key their tables by these names
# (`exporters.FORMATS`, `exporters.printing.PAPER`, `exporters.csv.DELIMITERS`, the reader's rules),
# and `tests/test_settings.py` checks that each table and its names agree.
FORMATS = ("apkg", "csv", "anki-csv", "pdf", "cards-pdf", "json", "html")
PAPERS = ("a4", "letter")
CSV_DELIMITERS = ("comma", "tab")
QUESTIONS = (
    "auto",
    "heading",
    "list-heading",
    "list-bold",
    "list-details",
    "list-item",
    "details",
    "qa",
    "bold",
    "glossary",
    "pattern",
)
CLOZE_MARKS = ("highlight", "bold", "curly")


@dataclass(frozen=True, slots=True)
class Setting:
    """One setting, as declared by `setting(...)` on a field of `Settings`."""

    name: str  # the field's name, and the config file's key
    kind: type  # str, int, bool or tuple (a list of texts)
    default: Any
    help: str
    choices: tuple[str, ...] = ()
    low: int | None = None
    high: int | None = None
    output: bool = False  # changes what a deck's outputs hold: part of the build cache's key
    where: frozenset[str] = frozenset({COMMAND_LINE, CONFIG})
    flags: tuple[str, ...] = ()  # command-line names, when not `--name-with-dashes`
    key: str = ""  # front matter key, when not the name
    pattern: str = ""  # a regular expression a text value must match
    regex: bool = False  # the value is a regular expression (checked when given)
    path: bool = False  # a file or folder: in a config file, relative to the config's folder
    writing: bool = False  # only about the files written: commands that write none do not take it

    @property
    def allowed(self) -> tuple[str, ...]:
        """The values the setting (or each item of a list) may take; () for any."""
        return self.choices

    @property
    def deck(self) -> bool:
        """A deck setting: front matter may set it too."""
        return FRONT_MATTER in self.where

    @property
    def front_matter_key(self) -> str:
        return self.key or self.name

    @property
    def cli_names(self) -> tuple[str, ...]:
        return self.flags or (f"--{self.name.replace('_', '-')}",)


def setting(
    default: Any,
    help: str,
    *,
    choices: tuple[str, ...] = (),
    low: int | None = None,
    high: int | None = None,
    output: bool = False,
    where: frozenset[str] | set[str] = frozenset({COMMAND_LINE, CONFIG}),
    flags: tuple[str, ...] = (),
    key: str = "",
    pattern: str = "",
    regex: bool = False,
    path: bool = False,
    writing: bool = False,
) -> Any:
    """Declare a field of `Settings` as a setting (see `Setting`). A deck setting's field holds the
    command line's value, None when it was not given: its default applies after front matter and
    config (`DeckSettings`)."""
    declared = {
        "default": default,
        "help": help,
        "choices": choices,
        "low": low,
        "high": high,
        "output": output,
        "where": frozenset(where),
        "flags": flags,
        "key": key,
        "pattern": pattern,
        "regex": regex,
        "path": path,
        "writing": writing,
    }
    field_default = None if FRONT_MATTER in where else default
    return field(default=field_default, metadata={"setting": declared})


@dataclass(frozen=True, slots=True)
class Settings:
    # what to build, and where
    sources: tuple[str, ...] = setting(
        ("content",), "Markdown files or folders to build", where={CONFIG}, path=True
    )
    exclude: tuple[str, ...] = setting(
        (),
        "files a folder's build leaves out, as globs (README.md, drafts/*)",
    )
    out: str = setting(
        "output", "folder the outputs go to", flags=("-o", "--out"), path=True, writing=True
    )
    formats: tuple[str, ...] = setting(
        (),
        "formats to build (none: all)",
        choices=FORMATS,
        flags=("-f", "--format"),
        writing=True,
    )
    # how outputs look
    paper: str = setting("a4", "PDF paper size", choices=PAPERS, output=True, writing=True)
    columns: int = setting(
        0, "cheat-sheet columns (0: fit the paper)", low=0, high=6, output=True, writing=True
    )
    csv_delimiter: str = setting(
        "comma",
        "spreadsheet CSV separator",
        choices=CSV_DELIMITERS,
        output=True,
        writing=True,
    )
    strict: bool = setting(False, "treat warnings as errors", output=True)
    jobs: int = setting(0, "worker processes (0: one per CPU)", low=0, flags=("-j", "--jobs"))
    backups: int = setting(
        5,
        "backups of an Anki collection `sync` keeps, one made before each change (0: none)",
        low=0,
        high=1000,
        where={CONFIG},
    )
    # deck settings (also in front matter): None here means "not given on the command line"
    tags: tuple[str, ...] | None = setting(
        (), "tags added to every card", where={CONFIG, FRONT_MATTER}, output=True
    )
    questions: str | None = setting(
        "auto",
        "how questions are written",
        choices=QUESTIONS,
        where=_EVERYWHERE,
        output=True,
    )
    question_level: int | None = setting(
        0,
        "heading level of questions (0: found from the headings)",
        low=0,
        high=6,
        where=_EVERYWHERE,
        key="question-level",
        output=True,
    )
    pattern: str | None = setting(
        "",
        "regular expression of the line a question starts on, for shapes no rule knows",
        where=_EVERYWHERE,
        output=True,
        regex=True,
    )
    answer_pattern: str | None = setting(
        "",
        "regular expression of the line its answer starts on (none: the lines after the question)",
        where=_EVERYWHERE,
        key="answer-pattern",
        output=True,
        regex=True,
    )
    html: bool | None = setting(
        False,
        "keep raw HTML unsanitised (trusted content only)",
        where=_EVERYWHERE,
        flags=("--allow-html",),
        output=True,
    )
    lang: str | None = setting(
        "auto",
        "the deck's language, such as ja or zh-TW (auto: from its script)",
        where=_EVERYWHERE,
        pattern=r"auto|[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*",
        output=True,
    )
    prefix_tags: bool | None = setting(
        False,
        "section tags under the deck's name (aws-ml::basics), so two decks' sections keep apart",
        where=_EVERYWHERE,
        key="prefix-tags",
        output=True,
    )
    # Obsidian vaults (`cardsmith.reading.obsidian`)
    flashcard_tags: tuple[str, ...] = setting(
        ("flashcards",),
        "Obsidian tags that make a note hold cards (else the vault's plugin settings say)",
        flags=("--flashcard-tag",),
        output=True,
    )
    cloze: tuple[str, ...] = setting(
        ("highlight",),
        "what makes a cloze deletion in an Obsidian note (else the vault's plugin settings say)",
        choices=CLOZE_MARKS,
        output=True,
    )
    # the config file's deck settings; each deck's front matter wins over them
    deck_defaults: Mapping[str, Any] = field(default_factory=dict, compare=False)

    @property
    def workers(self) -> int:
        return self.jobs or os.cpu_count() or 1

    @property
    def deck(self) -> DeckSettings:
        """The deck settings given on the command line (or by a Python caller) and in the config."""
        given = {s.name: getattr(self, s.name) for s in SETTINGS if s.deck}
        return DeckSettings(
            {name: value for name, value in given.items() if value is not None},
            dict(self.deck_defaults),
        )

    def output_key(self) -> str:
        """Everything the settings change in a deck's outputs, for the build cache's key."""
        values = {s.name: getattr(self, s.name) for s in SETTINGS if s.output and not s.deck}
        deck = self.deck
        return repr(sorted({**values, "deck": (deck.overrides, deck.defaults)}.items(), key=str))


@dataclass(frozen=True, slots=True)
class DeckSettings:
    """Deck settings from the command line (`overrides`) and the config file (`defaults`)."""

    overrides: dict[str, Any] = field(default_factory=dict)
    defaults: dict[str, Any] = field(default_factory=dict)

    def resolve(self, front_matter: Mapping[str, Any]) -> dict[str, Any]:
        """Each deck setting's value for one deck: the command line's, else the front matter's, else
        the config file's, else the default."""
        values = {}
        for declared in SETTINGS:
            if not declared.deck:
                continue
            for layer, key in (
                (self.overrides, declared.name),
                (front_matter, declared.front_matter_key),
                (self.defaults, declared.name),
            ):
                if layer.get(key) is not None:
                    values[declared.name] = layer[key]
                    break
            else:
                values[declared.name] = declared.default
        return values


def _schema() -> tuple[Setting, ...]:
    hints = typing.get_type_hints(Settings)
    declared = []
    for item in dataclasses.fields(Settings):
        if "setting" in item.metadata:
            declared.append(Setting(item.name, _kind(hints[item.name]), **item.metadata["setting"]))
    return tuple(declared)


def _kind(annotation: Any) -> type:
    """str, int, bool or tuple: what `X | None` and `tuple[str, ...]` come down to."""
    if typing.get_origin(annotation) in (typing.Union, types.UnionType):
        annotation = next(a for a in typing.get_args(annotation) if a is not type(None))
    kind = typing.get_origin(annotation) or annotation
    return tuple if kind is list else kind


SETTINGS: tuple[Setting, ...] = _schema()
SETTING: dict[str, Setting] = {s.name: s for s in SETTINGS}


_KINDS = {str: "text", int: "a whole number", bool: "true or false", tuple: "a list"}


def did_you_mean(name: str, known: Iterable[str]) -> str:
    """` (did you mean 'paper'?)` when `name` is close to one of `known`, else nothing: for the
    unknown keys of a config file and of front matter."""
    close = difflib.get_close_matches(name.replace("-", "_"), [*known], n=1, cutoff=0.6)
    if not close:
        close = difflib.get_close_matches(name.replace("_", "-"), [*known], n=1, cutoff=0.6)
    return f" (did you mean {close[0]!r}?)" if close else ""


def problem(declared: Setting, value: Any) -> str | None:
    """What is wrong with `value` for a setting, or None. The config file and front matter both ask."""
    kind = declared.kind
    if kind is tuple:
        if not isinstance(value, list | tuple):
            return f"{declared.name} must be a list"
        if not all(isinstance(item, str) for item in value):
            return f"{declared.name} must be a list of texts in quotes"
    elif not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
        return f"{declared.name} must be {_KINDS[kind]}"
    items = value if kind is tuple else [value]
    allowed = declared.allowed
    if allowed and (wrong := [item for item in items if item not in allowed]):
        return f"{declared.name}: {wrong[0]!r} is not one of {', '.join(allowed)}"
    if declared.regex and value:
        import regex  # the reader's regular expressions (`reading.bank.rules.pattern`)

        try:
            regex.compile(value)
        except regex.error as exc:
            return f"{declared.name}: not a regular expression: {exc}"
    if declared.pattern and not re.fullmatch(declared.pattern, value):
        return f"{declared.name}: {value!r} is not one of auto, or a language tag such as ja"
    low, high = declared.low, declared.high
    if low is not None and (value < low or (high is not None and value > high)):
        return (
            f"{declared.name} must be {low} to {high}"
            if high is not None
            else (f"{declared.name} must be {low} or more")
        )
    return None

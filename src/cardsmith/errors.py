"""Content problems: one exception type, and the diagnostics it and the warnings carry."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field

from cardsmith.model import Source


class Severity(enum.StrEnum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True, slots=True)
class Diagnostic:
    source: Source
    severity: Severity
    message: str
    # lines that say where, one per place, shown with `-v` (152 flashcards cut off: which ones)
    details: tuple[str, ...] = ()

    def __str__(self) -> str:
        return f"{self.source}: {self.severity}: {self.message}"

    @property
    def is_error(self) -> bool:
        return self.severity is Severity.ERROR


def fails(diagnostics, strict: bool) -> bool:
    """The one rule for failing: an error fails a deck (or a build), and so does a warning under
    `--strict`."""
    return any(strict or d.is_error for d in diagnostics)


def shown(diagnostic: Diagnostic, strict: bool) -> Diagnostic:
    """A diagnostic as the user is told it: under `--strict` a warning is an error."""
    if strict and not diagnostic.is_error:
        return Diagnostic(diagnostic.source, Severity.ERROR, diagnostic.message, diagnostic.details)
    return diagnostic


class ContentError(Exception):
    """Bad input: the content, not cardsmith, is at fault. Carries one or more diagnostics."""

    def __init__(self, diagnostics: list[Diagnostic] | Diagnostic):
        if isinstance(diagnostics, Diagnostic):
            diagnostics = [diagnostics]
        self.diagnostics = tuple(diagnostics)
        super().__init__("\n".join(map(str, self.diagnostics)))

    @classmethod
    def at(cls, source: Source, message: str) -> ContentError:
        return cls(Diagnostic(source, Severity.ERROR, message))


class NoQuestions(ContentError):
    """A file with no question in it (`empty`: nothing at all). Named alone it is an error; found in
    a folder it is left out of the build, with a warning (a README beside the decks, say)."""

    def __init__(self, source: Source, message: str, *, empty: bool = False):
        super().__init__(Diagnostic(source, Severity.ERROR, message))
        self.empty = empty


@dataclass
class Report:
    """Collects diagnostics while a deck is read or written; errors are raised together at the end."""

    diagnostics: list[Diagnostic] = field(default_factory=list)
    _said: set[Diagnostic] = field(default_factory=set, repr=False)

    def warn(self, source: Source, message: str, details: tuple[str, ...] = ()) -> None:
        self.add(Diagnostic(source, Severity.WARNING, message, details))

    def error(self, source: Source, message: str) -> None:
        self.add(Diagnostic(source, Severity.ERROR, message))

    def add(self, diagnostic: Diagnostic) -> None:
        """Say it, once: two exporters of one deck find the same things."""
        if diagnostic not in self._said:
            self._said.add(diagnostic)
            self.diagnostics.append(diagnostic)

    @property
    def errors(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.severity is Severity.ERROR]

    @property
    def warnings(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.severity is Severity.WARNING]

    def raise_errors(self) -> None:
        if self.errors:
            raise ContentError(self.errors)

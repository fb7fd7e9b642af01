"""Where rendered HTML is shown (`Target`), and the one value every render call is given (`Rendering`).

The targets differ in two things only: how math is written (an Anki card hands `\\(..\\)`/`\\[..\\]`
to Anki's MathJax; paper and the study page get MathML, since WeasyPrint runs no MathJax and the page
loads nothing), and the colours code is drawn in (`render.highlight`: day and night on cards and the
page, grayscale on paper).
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import dataclass, field, replace

from cardsmith.model import Deck


class Target(enum.StrEnum):
    """Where rendered HTML is shown: an Anki card (MathJax, day and night code colours), paper
    (MathML, grayscale code) or the study page (MathML, day and night code colours)."""

    CARD = "card"
    PRINT = "print"
    PAGE = "page"

    @property
    def mathml(self) -> bool:
        """Whether math is MathML here (else MathJax's delimiters, for Anki to typeset)."""
        return self is not Target.CARD


class Renders(dict):
    """Renders kept for the exporters of one deck, which ask for the same HTML (the .apkg and the
    Anki CSV; the cheat sheet and the flashcards): given as a `Rendering`'s `memo`, each is made once.
    The build makes one per export task and hands it to every exporter of the task, with what was
    rendered as the deck was read (`render.render_ahead`). Keyed by `key`."""

    @staticmethod
    def key(inline: bool, markdown: str, rendering: Rendering) -> tuple:
        """What a render's HTML depends on: inline or block Markdown, the text, and the rendering."""
        images = rendering.images
        images_key = tuple(sorted(images.items())) if images else ()
        return (inline, markdown, rendering.allow_html, rendering.target, images_key)

    def for_targets(self, targets: set[Target]) -> Renders:
        """The renders for any of `targets`."""
        return Renders({key: html for key, html in self.items() if key[3] in targets})


@dataclass(frozen=True, slots=True)
class Rendering:
    """How one deck's Markdown becomes HTML for one target: made once per deck and target by the
    exporter, then given to every render call. `images` maps each image `src` as written to the URL
    the output uses (an image missing from it, a remote URL, becomes a plain link and is never
    fetched); they are a question's own (`with_images`). `allow_html`: the deck trusts its raw HTML,
    which is then not sanitised."""

    target: Target = Target.CARD
    allow_html: bool = False
    images: Mapping[str, str] = field(default_factory=dict)
    memo: Renders | None = None

    @classmethod
    def of(cls, deck: Deck, target: Target, memo: Renders | None = None) -> Rendering:
        """How `deck` renders for `target` (its raw-HTML setting), before any question's images."""
        return cls(target, deck.allow_html, memo=memo)

    def with_images(self, images: Mapping[str, str]) -> Rendering:
        """This rendering for one question: its images (`src` as written -> the output's URL)."""
        if not images and not self.images:  # most questions have none: this one does as well
            return self
        return replace(self, images=images)

"""LaTeX math as MathML for print. WeasyPrint has no math layout and runs no MathJax, so the MathML
gets small tree edits that let CSS (`templates/pdf/print.css`) set it the way TeX would: scripts
stacked, function names upright, lines that may break after operators."""

from __future__ import annotations

import html
import xml.etree.ElementTree as ET

from cardsmith.render.sanitize import sanitize_mathml


def latex_to_mathml(latex: str, display: str) -> str:
    """LaTeX as MathML for print. latex2mathml's own `convert` un-escapes its whole output to keep the
    character references it stores as text, and so lets `\\text{<img ...>}` through as markup; this
    takes its element tree instead and serialises it with every text escaped."""
    from latex2mathml.converter import convert_to_element

    try:
        root = convert_to_element(latex, display=display)
    except Exception:  # latex2mathml raises many types on malformed LaTeX; show the source instead
        return f'<code class="math">{html.escape(latex)}</code>'
    for element in root.iter():
        # "&#x0003C;" is how latex2mathml writes a character; an author's "<" stays a character
        element.text = html.unescape(element.text) if element.text else element.text
        element.tail = html.unescape(element.tail) if element.tail else element.tail
        if (
            element.tag == "mi"
            and len(element.text or "") > 1
            and "mathvariant" not in element.attrib
        ):
            element.attrib.update(mathvariant="normal", **{"class": "cs-fn"})  # log, sin: upright
    _stack_scripts(root)
    _break_after_operators(root)
    # latex2mathml turns `\\href{url}{x}` into `<mrow href="url">` (and `\\style`, `\\class` into
    # attributes): what is kept is MathML's presentation only, through the same nh3 as raw HTML
    return sanitize_mathml(ET.tostring(root, encoding="unicode"))


_BREAK_AFTER = set("=+−-<>≤≥≈≠∼≃≅∝→←↦⇒⇔∈∉⊂⊆∪∩×·,")


def _break_after_operators(element) -> None:
    """Let a formula wrap after its relations and operators, as TeX breaks inline math, instead of
    running over the next column: a zero-width space after each `mo` that is not inside a fraction,
    root or script (only rows are entered)."""
    for child in element:
        if child.tag == "mo" and (child.text or "").strip() in _BREAK_AFTER:
            child.tail = (child.tail or "") + "\u200b"
        elif child.tag in ("math", "mrow"):
            _break_after_operators(child)


def _stack_scripts(root) -> None:
    """`x_i^2` as MathML is `<msubsup>` base, sub, sup: CSS alone (WeasyPrint has no math layout) can
    only set the scripts side by side. Wrapped as one `<mrow class="cs-scripts">` sup, sub, print.css
    stacks them like TeX: `∑` then `n` over `i=1`."""
    for element in root.iter("msubsup"):
        if len(element) == 3:
            base, sub, sup = list(element)
            scripts = ET.Element("mrow", {"class": "cs-scripts"})
            scripts.extend([sup, sub])
            element[:] = [base, scripts]

"""Raw HTML in question banks made safe to show: one allowlist, applied by nh3 (Rust's ammonia).

Question banks mix small pieces of HTML into their Markdown (`<br/>`, `<p align="center"><img ...>`,
`<kbd>`, `<sup>`, `<details>`, tables). Those render; scripts, event handlers, `<style>`, frames,
objects, forms and `javascript:`/`data:` URLs do not. Applied to whole rendered fragments (an opening
and a closing tag are separate Markdown tokens), so the allowlist also holds what cardsmith writes
itself: Pygments' spans, task-list checkboxes, footnotes, quiz options and, in print, MathML.
"""

from __future__ import annotations

import functools

# what authors may write (issue #16), and what markdown-it and cardsmith write around it
TAGS = frozenset(
    [
        "br",
        "p",
        "div",
        "span",
        "b",
        "strong",
        "i",
        "em",
        "u",
        "s",
        "del",
        "ins",
        "kbd",
        "sub",
        "sup",
        "small",
        "mark",
        "code",
        "pre",
        "samp",
        "var",
        "blockquote",
        "q",
        "cite",
        "abbr",
        "ul",
        "ol",
        "li",
        "dl",
        "dt",
        "dd",
        "table",
        "thead",
        "tbody",
        "tfoot",
        "tr",
        "th",
        "td",
        "caption",
        "colgroup",
        "col",
        "hr",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "img",
        "a",
        "details",
        "summary",
        "figure",
        "figcaption",
        "section",
        "input",
    ]
)
MATHML = frozenset(
    [
        "math",
        "semantics",
        "annotation",
        "mrow",
        "mi",
        "mo",
        "mn",
        "ms",
        "mtext",
        "mspace",
        "msub",
        "msup",
        "msubsup",
        "mfrac",
        "msqrt",
        "mroot",
        "mover",
        "munder",
        "munderover",
        "mtable",
        "mtr",
        "mtd",
        "mstyle",
        "mpadded",
        "mphantom",
        "menclose",
        "merror",
    ]
)
_COMMON = {"class", "title", "align", "dir", "lang", "style"}
ATTRIBUTES = {
    "*": _COMMON,
    "a": {"href", "name"},
    "img": {"src", "alt", "width", "height"},
    "td": {"colspan", "rowspan", "valign", "width"},
    "th": {"colspan", "rowspan", "valign", "width", "scope"},
    "col": {"span", "width"},
    "colgroup": {"span", "width"},
    "table": {"width"},
    "ol": {"start", "type", "reversed"},
    "li": {"value"},
    "details": {"open"},
    "input": {"checked", "disabled"},  # `type` only as a checkbox: tag_attribute_values
    "div": {"width"},
    "p": {"width"},
}
MATH_ATTRIBUTES = {
    "display",
    "xmlns",
    "mathvariant",
    "stretchy",
    "fence",
    "separator",
    "lspace",
    "rspace",
    "accent",
    "accentunder",
    "linethickness",
    "columnalign",
    "width",
    "height",
    "depth",
    "notation",
    "minsize",
    "maxsize",
    "movablelimits",
    "form",
    "scriptlevel",
    "displaystyle",
    # what latex2mathml also writes (`\\color`, `\\large`, matrices, `\\raisebox`)
    "mathcolor",
    "mathbackground",
    "mathsize",
    "rowspacing",
    "columnspacing",
    "columnlines",
    "rowlines",
    "frame",
    "voffset",
    "linebreak",
}
# style is allowed for layout and colour only: no `url(...)`, no positioning over other content
STYLE_PROPERTIES = frozenset(
    [
        "color",
        "background-color",
        "text-align",
        "vertical-align",
        "font-weight",
        "font-style",
        "font-size",
        "text-decoration",
        "width",
        "height",
        "max-width",
        "min-width",
        "margin",
        "margin-left",
        "margin-right",
        "padding",
        "border",
        "border-collapse",
        "white-space",
    ]
)
URL_SCHEMES = frozenset({"http", "https", "mailto"})


def sanitize(html: str, *, mathml: bool = False, local: frozenset[str] = frozenset()) -> str:
    """`html` with only the allowlisted tags, attributes, styles and URLs. `local` holds the image
    URLs cardsmith made itself (media names, `file:` URLs of images inside the content folder, or the
    study page's `data:` URLs of them); `mathml` keeps the MathML cardsmith writes for print and the
    study page."""
    import nh3

    tags = TAGS | MATHML if mathml else TAGS
    attributes = {tag: set(values) for tag, values in ATTRIBUTES.items()}
    if mathml:
        for tag in MATHML:
            attributes[tag] = set(MATH_ATTRIBUTES)
    return nh3.clean(
        html,
        tags=set(tags),
        attributes=attributes,
        attribute_filter=_filter(local),
        url_schemes=set(URL_SCHEMES | {"file", "data"}),
        link_rel=None,
        filter_style_properties=set(STYLE_PROPERTIES),
        tag_attribute_values={"input": {"type": {"checkbox"}}},
        set_tag_attribute_values={"input": {"disabled": ""}},
        strip_comments=True,
    )


def sanitize_mathml(markup: str) -> str:
    """MathML (latex2mathml's, for print and the study page) with only MathML's presentational tags
    and attributes: LaTeX is never markup, so `\\href{javascript:...}{x}`, `\\style{...}` and any
    other attribute that is not about how math looks go, whatever the deck's `html` setting."""
    return _mathml_cleaner().clean(markup)


@functools.cache
def _mathml_cleaner():
    import nh3

    # made once: nh3.clean builds its allowlist at every call (780 us a formula; 120 us with this)
    return nh3.Cleaner(
        tags=set(MATHML),
        attributes={tag: set(MATH_ATTRIBUTES) | {"class"} for tag in MATHML},
        url_schemes=set(),
        link_rel=None,
        strip_comments=True,
    )


@functools.cache
def _filter(local: frozenset[str]):
    def keep(tag: str, attribute: str, value: str) -> str | None:
        # file: and data: URLs only where cardsmith put them (images inside the content folder)
        if value.strip().lower().startswith(("file:", "data:")) and value not in local:
            return None
        if attribute == "style" and "url(" in value.lower().replace(" ", ""):
            return None
        return value

    return keep

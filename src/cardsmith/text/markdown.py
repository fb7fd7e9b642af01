"""The one configured Markdown parser that both the structure reader and the renderer build on.

GitHub's flavour, since most question banks are READMEs: tables, strikethrough, task lists, alerts
(`> [!NOTE]`), bare-URL autolinks and footnotes (mdit-py-plugins' `gfm`), plus `$`/`$$` math and YAML
front matter. Raw HTML is always read as HTML tokens; whether it is shown, sanitised or escaped is the
renderer's decision. Because both sides share this configuration, a `# ` line inside `$$` math is math
to both, never a heading to one of them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from markdown_it import MarkdownIt


def configured(autolinks: bool = True) -> MarkdownIt:
    """A new MarkdownIt with cardsmith's configuration (callers add their own render rules).

    `autolinks=False` leaves out GitHub's bare-URL links: an inline rule that never changes a file's
    structure but is tried at every word (it doubles the inline pass), so the structure reader goes
    without it, and the renderer uses it only for text with `://`, `www.` or `@` in it."""
    from markdown_it import MarkdownIt
    from mdit_py_plugins.dollarmath import dollarmath_plugin
    from mdit_py_plugins.gfm import gfm_plugin

    md = MarkdownIt("commonmark", {"html": True})
    md.use(gfm_plugin, front_matter=True)
    md.use(dollarmath_plugin, double_inline=True)
    if not autolinks:
        md.inline.ruler.disable(["gfm_autolink_www", "gfm_autolink_protocol", "gfm_autolink_email"])
    return md


def may_autolink(text: str) -> bool:
    """Whether `text` may hold a bare URL or e-mail address that GitHub would make a link."""
    return "://" in text or "www." in text or "@" in text

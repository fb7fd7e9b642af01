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


def configured() -> MarkdownIt:
    """A new MarkdownIt with cardsmith's configuration (callers add their own render rules)."""
    from markdown_it import MarkdownIt
    from mdit_py_plugins.dollarmath import dollarmath_plugin
    from mdit_py_plugins.gfm import gfm_plugin

    md = MarkdownIt("commonmark", {"html": True})
    md.use(gfm_plugin, front_matter=True)
    md.use(dollarmath_plugin, double_inline=True)
    return md

"""The parser's promise, fuzzed: any input parses into a deck or raises ContentError, nothing else."""

from __future__ import annotations

from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cardsmith.errors import ContentError, Report
from cardsmith.parse import parse_file

LINES = st.one_of(
    st.sampled_from(
        [
            "---",
            "title: x",
            "tags: [a",
            "# T",
            "## S",
            "### 1. Q?",
            "#### Q",
            "```",
            "```python",
            "$$",
            "> quote",
            "- item",
            "1. item",
            "| a | b |",
            "|---|---|",
            "<details>",
            "</details>",
            "![i](x.png)",
            "![r](../../etc/passwd)",
            "<!-- id: x -->",
            "{{c1::x}}",
            "â€“",
            "",
            "   ",
        ]
    ),
    st.text(max_size=40),
)


@settings(
    max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(lines=st.lists(LINES, max_size=30), crlf=st.booleans(), raw=st.binary(max_size=20))
def test_any_text_parses_or_raises_content_error(tmp_path: Path, lines, crlf, raw):
    text = "\n".join(lines)
    data = (text.replace("\n", "\r\n") if crlf else text).encode("utf-8", "surrogatepass") + raw
    path = tmp_path / "fuzz.md"
    path.write_bytes(data)
    try:
        deck = parse_file(path, tmp_path, Report())
    except ContentError as exc:
        assert exc.diagnostics
        assert all(d.source.path == path and d.source.line >= 1 for d in exc.diagnostics)
    else:
        assert deck.questions
        assert all(q.prompt and q.answer.strip() for q in deck.questions)

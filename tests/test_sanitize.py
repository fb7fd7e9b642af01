"""Raw HTML in the Markdown renders, sanitised (issue #16): presentational tags reach every output,
nothing that runs does, and `<img>` in HTML follows the rules of Markdown images."""

from __future__ import annotations

import csv
import io
import json
import re

import pypdf
import pytest
from anki.collection import Collection

from cardsmith.build.pipeline import build
from cardsmith.exporters.cheat_sheet import cheat_sheet_html
from cardsmith.settings import Settings

from support.anki_engine import build_one, import_package, notes, package_media
from support.inputs import write

PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c489"
    "0000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082"
)

# tag -> a snippet using it, and a word that must reach the card and the page
ALLOWED = {
    "br": ("one<br/>two", "two"),
    "p": ('<p align="center">centred words</p>', "centred"),
    "div": ('<div align="right">aligned words</div>', "aligned"),
    "span": ("<span>spanned</span>", "spanned"),
    "b": ("<b>bold</b>", "bold"),
    "strong": ("<strong>strong</strong>", "strong"),
    "i": ("<i>italic</i>", "italic"),
    "em": ("<em>emphasis</em>", "emphasis"),
    "u": ("<u>underlined</u>", "underlined"),
    "s": ("<s>struck</s>", "struck"),
    "kbd": ("<kbd>Ctrl</kbd>", "Ctrl"),
    "sub": ("H<sub>2</sub>O", "H"),
    "sup": ("x<sup>squared</sup>", "squared"),
    "small": ("<small>small print</small>", "small"),
    "mark": ("<mark>marked</mark>", "marked"),
    "code": ("<code>coded</code>", "coded"),
    "pre": ("<pre>preformatted</pre>", "preformatted"),
    "blockquote": ("<blockquote>quoted</blockquote>", "quoted"),
    "ul": ("<ul><li>bulleted</li></ul>", "bulleted"),
    "ol": ("<ol><li>numbered</li></ol>", "numbered"),
    "li": ("<ul><li>item</li></ul>", "item"),
    "dl": ("<dl><dt>term</dt><dd>definition</dd></dl>", "definition"),
    "dt": ("<dl><dt>termed</dt><dd>x</dd></dl>", "termed"),
    "dd": ("<dl><dt>x</dt><dd>described</dd></dl>", "described"),
    "table": ('<table><tr><td colspan="2">celled</td></tr></table>', "celled"),
    "thead": ("<table><thead><tr><th>headed</th></tr></thead></table>", "headed"),
    "tbody": ("<table><tbody><tr><td>bodied</td></tr></tbody></table>", "bodied"),
    "tr": ("<table><tr><td>rowed</td></tr></table>", "rowed"),
    "th": ("<table><tr><th>headcell</th></tr></table>", "headcell"),
    "td": ('<table><tr><td rowspan="2">datacell</td></tr></table>', "datacell"),
    "caption": ("<table><caption>captioned</caption><tr><td>x</td></tr></table>", "captioned"),
    "hr": ("above<hr>below", "below"),
    "h1": ("<h1>headline</h1>", "headline"),
    "h2": ("<h2>subhead</h2>", "subhead"),
    "h3": ("<h3>third</h3>", "third"),
    "h4": ("<h4>fourth</h4>", "fourth"),
    "h5": ("<h5>fifth</h5>", "fifth"),
    "h6": ("<h6>sixth</h6>", "sixth"),
    "img": ('<img src="pic.png" width="50" alt="a picture">', None),
    "a": ('<a href="https://example.org" title="t">linked</a>', "linked"),
    "details": ("<details><summary>more</summary>hidden</details>", "hidden"),
    "summary": ("<details><summary>summarised</summary>x</details>", "summarised"),
    "figure": ("<figure>figured<figcaption>legend</figcaption></figure>", "legend"),
    "figcaption": ("<figure><figcaption>captioned figure</figcaption></figure>", "figure"),
}


def _deck(content, snippets: list[str]) -> object:
    write(content, "pic.png", PNG)
    questions = "\n".join(
        f"### What is tag {n}?\n\nText before {snippet} text after.\n"
        for n, snippet in enumerate(snippets)
    )
    return write(content, "tags.md", f"# Tags\n\n{questions}")


def test_every_allowed_tag_reaches_the_card_and_the_page(content, tmp_path):
    path = _deck(content, [snippet for snippet, _ in ALLOWED.values()])
    collection = Collection(str(tmp_path / "c.anki2"))
    try:
        import_package(collection, build_one(path, tmp_path / "out", "apkg"))
        answers = {int(re.search(r"\d+", n["Question"])[0]): n["Answer"] for n in notes(collection)}
    finally:
        collection.close()
    for n, tag in enumerate(ALLOWED):
        assert re.search(rf"<{tag}[\s>/]", answers[n]), (tag, answers[n])
        assert "&lt;" not in answers[n], (tag, answers[n])
    assert 'width="50"' in answers[list(ALLOWED).index("img")]
    text = " ".join(
        page.extract_text()
        for page in pypdf.PdfReader(build_one(path, tmp_path / "out", "pdf")).pages
    )
    for tag, (_, word) in ALLOWED.items():
        if word is not None:
            assert word in text, tag
    assert "<" not in text.replace("<-", "")  # no tag printed as text


XSS = [
    "<script>alert(1)</script>",
    "<ScRiPt>alert(1)</sCrIpT>",
    '<img src="pic.png" onerror="alert(1)">',
    "<img src=pic.png onload=alert(1)>",
    '<a href="javascript:alert(1)">j</a>',
    '<a href="JaVaScRiPt:alert(1)">j</a>',
    '<a href="java&#115;cript:alert(1)">j</a>',
    '<a href="&#106;avascript:alert(1)">j</a>',
    '<a href="  javascript:alert(1)">j</a>',
    '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">d</a>',
    '<a href="vbscript:msgbox(1)">v</a>',
    '<form action="javascript:alert(1)"><button formaction="javascript:alert(1)">b</button></form>',
    "<svg><script>alert(1)</script></svg>",
    '<svg onload="alert(1)"><a xlink:href="javascript:alert(1)">x</a></svg>',
    "<style>body { display: none }</style>",
    '<iframe srcdoc="<script>alert(1)</script>"></iframe>',
    '<iframe src="javascript:alert(1)"></iframe>',
    '<object data="javascript:alert(1)"></object>',
    '<embed src="javascript:alert(1)">',
    '<div style="background: url(javascript:alert(1))">styled</div>',
    '<div style="background-image: url(https://example.org/x.png)">tracked</div>',
    '<p onclick="alert(1)" onmouseover="alert(1)">handled</p>',
    '<table background="javascript:alert(1)"><tr><td>t</td></tr></table>',
    '<video poster="javascript:alert(1)"></video>',
    "<img src=x onerror=alert(1)//",
    "<scr<script>ipt>alert(1)</script>",
    '<math><a xlink:href="javascript:alert(1)">m</a></math>',
    '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
    '<base href="javascript:alert(1)//">',
    '<input onfocus="alert(1)" autofocus>',
    '<details open ontoggle="alert(1)"><summary>s</summary>d</details>',
    "<!-- <script>alert(1)</script> -->",
    '<noscript><p title="</noscript><img src=x onerror=alert(1)>">',
]
LIVE = [
    re.compile(
        r"<\s*(script|style|iframe|object|embed|form|meta|base|button|video|noscript)\b", re.I
    ),
    re.compile(r"<[^>]*\son\w+\s*=", re.I),  # an event handler
    re.compile(
        r"""(href|src|action|formaction|poster|background|data)\s*=\s*["']?\s*(javascript|vbscript|data):""",
        re.I,
    ),
    re.compile(r"url\s*\(", re.I),
]


def _assert_inert(html: str, where: str) -> None:
    for pattern in LIVE:
        match = pattern.search(html)
        assert match is None, (where, match and html[max(0, match.start() - 60) : match.end() + 60])


def test_no_script_handler_or_dangerous_url_survives_in_any_output(content, tmp_path):
    write(content, "pic.png", PNG)
    body = "\n".join(
        f"### What does sample {n} do?\n\n{sample}\n\nAnd inline {sample} too.\n"
        for n, sample in enumerate(XSS)
    )
    path = write(content, "xss.md", f"# XSS\n\n{body}")
    out = tmp_path / "out"
    result = build([path], out, ["apkg", "anki-csv", "json", "csv"], Settings())
    assert not result.failed, [str(d) for d in result.all_diagnostics]
    collection = Collection(str(tmp_path / "c.anki2"))
    try:
        import_package(collection, out / "xss.apkg")
        for note in notes(collection):
            _assert_inert(" ".join(note.fields), f"card {note['Question']}")
        assert len(notes(collection)) == len(XSS)
    finally:
        collection.close()
    anki_csv = (out / "xss.anki.csv").read_text(encoding="utf-8")
    rows = csv.reader(
        io.StringIO("".join(x for x in anki_csv.splitlines(True) if not x.startswith("#")))
    )
    for row in rows:
        _assert_inert(" ".join(row[:-1]), "anki csv")
    [deck] = result.decks
    sheet = cheat_sheet_html(deck.deck, Settings())
    _assert_inert(sheet[sheet.index("<main") :], "cheat sheet")  # the template's own head aside
    pdf = build_one(path, tmp_path / "pdf", "pdf")
    for page in pypdf.PdfReader(pdf).pages:
        for annotation in page.get("/Annots") or []:
            uri = annotation.get_object().get("/A", {}).get("/URI", "")
            assert not str(uri).lower().startswith(("javascript", "data", "vbscript")), uri
    # JSON and the spreadsheet CSV keep the author's Markdown: text for programs, never rendered
    data = json.loads((out / "xss.json").read_text(encoding="utf-8"))
    assert data["sections"][0]["questions"][0]["answer"].startswith("<script>")


MATH_LINKS = [
    r"$\href{javascript:alert(1)}{x}$",
    r"$\href{https://example.org}{y}$",
    r"$$\href{data:text/html,<script>alert(1)</script>}{z}$$",
    r"$\style{background:url(https://example.org/t.png)}{w} \class{cs-card}{v}$",
]


@pytest.mark.parametrize("allow_html", [False, True], ids=["sanitised", "trusted"])
def test_math_makes_no_links_or_styles_on_the_page_or_paper(content, tmp_path, allow_html):
    """README: such URLs are never made into links. LaTeX is never markup, even in a trusted deck:
    latex2mathml wrote `\\href` as `<mrow href=...>`."""
    body = "".join(f"### Link {n}?\n\nSee {m} here.\n\n" for n, m in enumerate(MATH_LINKS))
    path = write(content, "math.md", f"# Math\n\n{body}")
    out = tmp_path / "out"
    result = build([path], out, ["html"], Settings(html=allow_html))
    assert not result.failed, [str(d) for d in result.all_diagnostics]
    page = (out / "math.html").read_text(encoding="utf-8")
    [deck] = result.decks
    sheet = cheat_sheet_html(deck.deck, Settings(html=allow_html))
    for shown in (page, sheet):
        maths = re.findall(r"<math.*?</math>", shown, re.S)
        assert len(maths) == len(MATH_LINKS)
        for math in maths:
            assert not re.search(r"\b(href|style)=", math), math
            assert "javascript" not in math and "url(" not in math
        assert all(word in shown for word in ("<mi>x</mi>", "<mi>y</mi>", "<mi>z</mi>"))


def test_trusted_html_is_kept_as_written(content, tmp_path):
    path = write(
        content, "t.md", '---\nhtml: true\n---\n# T\n### Q?\n<span onclick="go()">x</span>\n'
    )
    collection = Collection(str(tmp_path / "c.anki2"))
    try:
        import_package(collection, build_one(path, tmp_path / "out"))
        assert 'onclick="go()"' in notes(collection)[0]["Answer"]
    finally:
        collection.close()


def test_html_images_are_bundled_like_markdown_images(content, tmp_path):
    write(content, "assets/x.png", PNG)
    text = (
        '# T\n### What is shown?\n\n<p align="center"><img src="assets/x.png" width="500"></p>\n\n'
        '### And remotely?\n\nSee <img src="https://example.org/r.png" alt="remote"> here.\n'
    )
    path = write(content, "i.md", text)
    out = tmp_path / "out"
    result = build([path], out, ["apkg", "pdf"], Settings())
    assert not result.failed
    assert any(
        d.source.line == 8 and "remote image 'https://example.org/r.png'" in d.message
        for d in result.all_diagnostics
    )
    [media_name] = package_media(out / "i.apkg")
    collection = Collection(str(tmp_path / "c.anki2"))
    try:
        import_package(collection, out / "i.apkg")
        answers = {n["Question"]: n["Answer"] for n in notes(collection)}
    finally:
        collection.close()
    assert f'<img src="{media_name}" width="500">' in answers["What is shown?"]
    remote = '<a class="remote-image" href="https://example.org/r.png">[image: remote]</a>'
    assert remote in answers["And remotely?"]
    images = [i for page in pypdf.PdfReader(out / "i.pdf").pages for i in page.images]
    assert len(images) == 1


@pytest.mark.parametrize(
    ("src", "severity", "message"),
    [
        ("../outside.png", "error", "is outside the content folder"),
        ("missing.png", "warning", "not found"),
        (
            "/etc/passwd",
            "warning",
            "not found (a path starting with / is read from the content folder",
        ),
    ],
)
def test_html_images_outside_are_errors_and_missing_are_warnings_at_their_line(
    content, tmp_path, src, severity, message
):
    write(tmp_path, "outside.png", PNG)
    path = write(content, "e.md", f'# T\n### Q?\n\n<div>\n  <img src="{src}">\n</div>\n')
    result = build([path], tmp_path / "out", ["json"], Settings())
    assert result.failed == (severity == "error")
    [found] = result.all_diagnostics
    assert found.severity == severity
    assert found.source.line == 5 and message in found.message


def test_readme_html_shows_no_escaped_tag_on_any_card(content, tmp_path):
    """The shapes of a README full of HTML: `<br/>` after answer lines, centred images, right-aligned
    back-to-top blocks, `<b>`, `<kbd>`, `<sup>`, tables."""
    write(content, "assets/logo.png", PNG)
    parts = [
        '<p align="center"><img src="assets/logo.png" width="120"></p>\n\n# README bank\n',
    ]
    for n in range(1, 21):
        parts.append(
            f"## Q{n}. What does <kbd>Ctrl</kbd>+<kbd>{n}</kbd> do?\n\n"
            f"It does thing {n}.<br/>\nThen <b>more</b> x<sup>{n}</sup>.<br/>\n\n"
            f"<table><tr><td>{n}</td><td>cell</td></tr></table>\n\n"
            '<div align="right">\n    <b><a href="#table-of-contents">↥ back to top</a></b>\n</div>\n'
        )
    path = write(content, "readme.md", "\n".join(parts))
    collection = Collection(str(tmp_path / "c.anki2"))
    try:
        import_package(collection, build_one(path, tmp_path / "out"))
        fields = [f for n in notes(collection) for f in n.fields[:2]]
    finally:
        collection.close()
    assert len(fields) == 40
    assert not any("&lt;" in f for f in fields)
    assert not any("back to top" in f for f in fields)
    assert all("<kbd>Ctrl</kbd>" in f for f in fields[0::2])

"""A real Chromium (Debian's `chromium`, driven by Playwright) for the tests that look at cards and the
study page at phone size: what overflows, what is hard to read, what tries to reach the network."""

from __future__ import annotations

import contextlib
import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

CHROMIUM = "/usr/bin/chromium"
# as the machine's notes say: no background traffic, which a closed network refuses loudly
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
PHONE = {"width": 390, "height": 844}
AXE = Path(__file__).resolve().parents[1] / "browser" / "node_modules" / "axe-core" / "axe.min.js"

# Each text element's colour against the backgrounds painted under it (composited from the root
# down), as WCAG 2 computes contrast; large text (24 px, or 18.66 px bold) needs 3:1, the rest 4.5:1.
CONTRAST = """() => {
  const parse = (c) => {
    const m = c.match(/rgba?\\(([^)]+)\\)/);
    if (!m) return null;
    const p = m[1].split(/[\\s,\\/]+/).filter(Boolean).map(Number);
    return {r: p[0], g: p[1], b: p[2], a: p.length > 3 ? p[3] : 1};
  };
  const blend = (top, under) => ({
    r: top.r * top.a + under.r * (1 - top.a),
    g: top.g * top.a + under.g * (1 - top.a),
    b: top.b * top.a + under.b * (1 - top.a), a: 1});
  const channel = (v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; };
  const luminance = (c) => 0.2126 * channel(c.r) + 0.7152 * channel(c.g) + 0.0722 * channel(c.b);
  const canvas = matchMedia('(prefers-color-scheme: dark)').matches
    && getComputedStyle(document.documentElement).colorScheme.includes('dark')
    ? {r: 18, g: 18, b: 18, a: 1} : {r: 255, g: 255, b: 255, a: 1};
  const backdrop = (element) => {
    const chain = [];
    for (let e = element; e; e = e.parentElement) chain.unshift(e);
    let under = canvas;
    for (const e of chain) {
      const c = parse(getComputedStyle(e).backgroundColor);
      if (c && c.a > 0) under = blend(c, under);
    }
    return under;
  };
  const found = [];
  const seen = new Set();
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    const node = walker.currentNode;
    const element = node.parentElement;
    if (!node.nodeValue.trim() || seen.has(element)) continue;
    seen.add(element);
    const style = getComputedStyle(element);
    if (style.visibility === 'hidden' || element.getClientRects().length === 0) continue;
    if (element.closest('[hidden], .skip')) continue;
    const under = backdrop(element);
    const text = blend(parse(style.color), under);
    const [a, b] = [luminance(text), luminance(under)];
    const ratio = (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
    const size = parseFloat(style.fontSize);
    const large = size >= 24 || (parseInt(style.fontWeight) >= 700 && size >= 18.66);
    if (ratio < (large ? 3 : 4.5)) {
      found.push({text: node.nodeValue.trim().slice(0, 40), color: style.color,
                  background: `rgb(${under.r|0}, ${under.g|0}, ${under.b|0})`,
                  ratio: Math.round(ratio * 100) / 100});
    }
  }
  return found;
}"""

OVERFLOW = "() => document.documentElement.scrollWidth - window.innerWidth"


@dataclass
class Watched:
    """What a page did besides drawing itself: requests off the file, console errors."""

    requests: list[str] = field(default_factory=list)  # those not refused by the page's own policy
    refused: list[str] = field(default_factory=list)  # by its Content-Security-Policy
    errors: list[str] = field(default_factory=list)

    def clear(self) -> None:
        for seen in (self.requests, self.refused, self.errors):
            seen.clear()

    def failed(self, request) -> None:
        if request.failure in ("csp", "net::ERR_BLOCKED_BY_CSP") and request.url in self.requests:
            self.requests.remove(request.url)
            self.refused.append(request.url)
            # and the console's report of it is the policy working, not a page error
            self.errors[:] = [e for e in self.errors if request.url not in e]


@contextlib.contextmanager
def chromium() -> Iterator:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            yield browser
        finally:
            browser.close()


def open_page(browser, url: str, scheme: str = "light", context=None):
    """(page, Watched) for `url` at phone size in `scheme`; every request and error is recorded."""
    context = context or browser.new_context(viewport=PHONE, color_scheme=scheme)
    page = context.new_page()
    watched = Watched()
    page.on(
        "request",
        lambda request: (
            None
            if request.url.startswith(("file:", "data:"))
            else watched.requests.append(request.url)
        ),
    )
    page.on("requestfailed", watched.failed)
    page.on(
        "console",
        lambda message: watched.errors.append(message.text) if message.type == "error" else None,
    )
    page.on("pageerror", lambda error: watched.errors.append(str(error)))
    page.goto(url)
    return page, watched


def low_contrast(page) -> list[dict]:
    return page.evaluate(CONTRAST)


def overflow(page) -> int:
    """How many pixels the page is wider than the screen (0: nothing to scroll sideways)."""
    return page.evaluate(OVERFLOW)


def axe_violations(page, impacts=("serious", "critical")) -> list[dict]:
    """axe-core's accessibility scan of the page: the violations of these impacts. The engine is run
    through the debugging protocol, which the page's Content-Security-Policy does not govern."""
    page.evaluate(AXE.read_text(encoding="utf-8") + "\n;undefined")
    result = page.evaluate("async () => await axe.run(document)")
    return [
        {"id": v["id"], "impact": v["impact"], "nodes": [n["html"][:120] for n in v["nodes"][:3]]}
        for v in result["violations"]
        if v["impact"] in impacts
    ]


def shown(found) -> str:
    return json.dumps(found, ensure_ascii=False, indent=1)[:3000]

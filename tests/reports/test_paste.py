"""The report pasted anywhere: CommonMark and Python-Markdown render its Markdown alike,
what the broker typed never becomes markup, and the HTML page says what the Markdown says."""

import re
from datetime import date
from html.parser import HTMLParser
from pathlib import Path

import markdown as python_markdown
import pytest
from markdown_it import MarkdownIt

from megler import store
from megler.orgs import OrgFields, add_org
from megler.reports import parse_period, report
from megler.reports.i18n import LANGS
from megler.reports.markdown import escape
from megler.visits import VisitDraft, add_visit
from tests.reports.conftest import Q3_END_NEXT_DAY

# What a broker might type, each a piece of Markdown or HTML if left as it is.
pytestmark = pytest.mark.usefixtures("any_db")  # each test on SQLite and on PostgreSQL


HOSTILE_ORG = "#1 *Stjerne* <b>Bygg</b> & [Co](http://x.example) AS"
HOSTILE_SINCE = ("1. Første punkt\n- ikke en liste\n# ikke en overskrift\n"
                 "<b>fet</b> og [lenke](http://x.example) og `kode` og a|b og _under_ og &amp;")
HOSTILE_STEPS = "===\n+ pluss\n> sitat\n10) tiende\n<script>alert(1)</script>"
HOSTILE_FOLLOWUP = "[Ring](http://evil.example) | `nå` <img src=x>"
TYPED = [HOSTILE_ORG, *HOSTILE_SINCE.splitlines(), *HOSTILE_STEPS.splitlines(), HOSTILE_FOLLOWUP]


def commonmark(text: str) -> str:
    return MarkdownIt("commonmark").enable("table").render(text)


def python_md(text: str) -> str:
    return python_markdown.markdown(text, extensions=["tables", "fenced_code"])


class Tokens(HTMLParser):
    """An HTML document as (tag, attributes) and text tokens, whitespace and style spelling
    evened out, so two renderers' output compares by what it means."""

    def __init__(self, html: str):
        super().__init__(convert_charrefs=True)
        self.tokens: list[tuple] = []
        self.elements: list[tuple[str, str]] = []  # (tag, its whole text), for block tags
        self._open: list[tuple[str, list[str]]] = []
        self.feed(html)
        self.close()

    def handle_starttag(self, tag, attrs):
        attrs = tuple(sorted((k, re.sub(r"[\s;]", "", v or "")) for k, v in attrs))
        self.tokens.append(("start", tag, attrs))
        if tag != "br":
            self._open.append((tag, []))

    def handle_endtag(self, tag):
        self.tokens.append(("end", tag))
        if self._open and self._open[-1][0] == tag:
            name, text = self._open.pop()
            self.elements.append((name, " ".join("".join(text).split())))
            if self._open:
                self._open[-1][1].append("".join(text))

    def handle_data(self, data):
        words = " ".join(data.split())
        if words:
            if self.tokens and self.tokens[-1][0] == "text":
                words = self.tokens.pop()[1] + " " + words
            self.tokens.append(("text", words))
        if self._open:
            self._open[-1][1].append(data)

    def tags(self) -> set[str]:
        return {t[1] for t in self.tokens if t[0] == "start"}

    def text(self) -> str:
        return " ".join(t[1] for t in self.tokens if t[0] == "text")

    def of(self, *tags: str) -> list[tuple[str, str]]:
        return [(tag, text) for tag, text in self.elements if tag in tags]


@pytest.fixture
def hostile_db(scenario_db) -> Path:
    """The scenario, and one Q3 visit whose every field is written as markup."""
    with store.session(scenario_db, write=True) as s:
        org = add_org(s, OrgFields(name=HOSTILE_ORG))
        add_visit(s, VisitDraft(orgs=[org], date=date(2026, 9, 10), since_last=HOSTILE_SINCE,
                                next_steps=HOSTILE_STEPS, needs=["Behov med *stjerne* | <i>tag</i>"],
                                follow_up=date(2026, 12, 20), follow_up_text=HOSTILE_FOLLOWUP))
    return scenario_db


def _report(db: Path, lang: str, fmt: str = "md", period: str = "2026Q3") -> str:
    with store.session(db) as s:
        return report(s, parse_period(period, Q3_END_NEXT_DAY), lang=lang, fmt=fmt)


def _sections(text: str) -> list[str]:
    return re.split(r"\n(?=## )", text)


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("period", ["2026Q3", "2026"])
def test_commonmark_and_python_markdown_render_each_section_alike(hostile_db, lang, period):
    sections = _sections(_report(hostile_db, lang, period=period))
    assert len(sections) == 9  # the title and the eight sections
    for section in sections:
        assert Tokens(commonmark(section)).tokens == Tokens(python_md(section)).tokens, section


def test_python_markdown_renders_each_meeting_as_a_list(hostile_db):
    """Section 7 was `**date** (kind)` and then its bullets on the next line: one run-on
    paragraph in Python-Markdown."""
    meetings = next(s for s in _sections(_report(hostile_db, "nb")) if s.startswith("## 7."))
    parsed = Tokens(python_md(meetings))
    leads = [text for tag, text in parsed.of("p")]
    assert "15. september 2026 (besøk)" in leads
    assert ("li", "Siden sist: Har kartlagt behovet for demensutbildning.") in parsed.of("li")
    assert ("li", "Siden sist: Seks sveisere er påmeldt kurset. Ordren fra Equinor er sikret.") in (
        parsed.of("li"))


@pytest.mark.parametrize("render", [commonmark, python_md])
def test_what_the_broker_typed_never_becomes_markup(hostile_db, render):
    parsed = Tokens(render(_report(hostile_db, "nb")))
    # Only the report's own structure: no link, image, script, bold tag, quote or numbered list.
    assert parsed.tags() <= {"h1", "h2", "h3", "p", "strong", "em", "ul", "li", "table", "thead",
                             "tbody", "tr", "th", "td", "pre", "code"}
    assert sum(1 for t in parsed.tokens if t[:2] == ("start", "h1")) == 1
    assert [t for t in parsed.tokens if t[:2] == ("start", "code")] == [
        t for t in parsed.tokens if t[:2] == ("start", "code") and "language-mermaid" in str(t)]
    shown = parsed.text()
    for typed in TYPED:
        assert typed.strip() in shown, typed
    assert ("h3", HOSTILE_ORG) in parsed.of("h3")


@pytest.mark.parametrize("typed, spelt", [
    ("Plåt & Svets AS", "Plåt & Svets AS"),  # nothing to escape stays as typed
    ("a*b_c", "a\\*b\\_c"),
    ("<b>fet</b>", "&lt;b>fet&lt;/b>"),
    ("AT&amp;T", "AT&amp;amp;T"),
    ("[x](y) `z` #1 a|b", "\\[x\\](y) \\`z\\` \\#1 a\\|b"),
    ("1. punkt\n\n- strek\n  + pluss", "1\\. punkt\n\\- strek\n\\+ pluss"),
    ("=== \n> sitat", "&#61;==\n\\> sitat"),
    ("1.5 mill", "1.5 mill"),
])
def test_escape(typed, spelt):
    assert escape(typed, line_start=True) == spelt


def test_a_number_opens_a_heading_but_not_a_list():
    assert escape("1. Sammendrag") == "1. Sammendrag"  # inside `## `, no list can start
    assert escape("1. Sammendrag", line_start=True) == "1\\. Sammendrag"


# -- the HTML page -------------------------------------------------------------------------

SVG = {"svg", "title", "text", "rect", "path", "circle", "line", "polyline"}


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("period", ["2026Q3", "2026", "2025Q1"])
def test_the_html_page_says_what_the_markdown_says(hostile_db, lang, period):
    page = Tokens(_report(hostile_db, lang, "html", period))
    text = _report(hostile_db, lang, "md", period)
    rendered = Tokens(commonmark(text))
    for tags in (("h1", "h2", "h3"), ("p", "li"), ("th", "td")):  # headings, words, figures
        assert page.of(*tags) == rendered.of(*tags), tags
    assert sum(1 for t in page.tokens if t[:2] == ("start", "svg")) == text.count("```mermaid")


def test_the_html_page_is_self_contained_and_escaped(hostile_db):
    html = _report(hostile_db, "nb", "html")
    page = Tokens(html)
    assert html.startswith("<!DOCTYPE html>\n<html lang=\"nb\">")
    assert page.tags() <= {"html", "head", "meta", "title", "style", "body", "h1", "h2", "h3", "p",
                           "strong", "em", "br", "ul", "li", "table", "thead", "tbody", "tr",
                           "th", "td", "figure"} | SVG
    attributes = {k for t in page.tokens if t[0] == "start" for k, _ in t[2]}
    assert not attributes & {"src", "href", "xlink:href", "onload", "onclick", "style"}
    style = html[html.index("<style>"):html.index("</style>")]
    assert "url(" not in style and "@import" not in style
    shown = page.text()
    for typed in TYPED:
        assert typed.strip() in shown, typed
    assert sum(1 for tag, _ in page.of("svg")) == 3  # visits per month, needs, referrals


def test_report_format_html_on_the_command_line(cli, hostile_db, tmp_path):
    out = tmp_path / "rapport.html"
    ran = cli("report", "-p", "2026Q3", "--lang", "sv", "--format", "html", "--out", out,
              "--db", hostile_db)
    assert ran.code == 0 and ran.out == "" and str(out) in ran.err
    page = Tokens(out.read_text(encoding="utf-8"))
    assert ("h2", "7. Från mötena") in page.of("h2")
    assert cli("report", "-p", "2026Q3", "-f", "html", "--db", hostile_db).out == (
        _report(hostile_db, "en", "html"))

"""The report as Markdown that CommonMark and Python-Markdown render alike.

Blocks are apart by a blank line (Python-Markdown starts no list without one), a
note's lines stay in their bullet, and every text goes through `escape`, so what a
broker typed (`#`, `*`, `<b>`, `[link](…)`, `|`, a leading `1.`) stays text.
"""

import re

from megler.reports import charts
from megler.reports.blocks import Block, Bullets, Chart, Em, Heading, Inline, Paragraph, Strong, Table, lines
from megler.reports.document import build

# Backslash escapes both dialects honour (Python-Markdown's ESCAPED_CHARS, with its
# tables extension's `|`); `<` and `&` become entities, which both read the same.
_ANYWHERE = re.compile(r"[\\`*_\[\]#|]")
_TAG = re.compile(r"<(?=[A-Za-z/!?])")
_ENTITY = re.compile(r"&(?=#?\w+;)")
# What starts a list or a quote only at the start of a line.
_MARK = re.compile(r"^[-+>]")
_NUMBERED = re.compile(r"^(\d{1,9})([.)])(?=\s|$)")
# A line holding none of these is its own Markdown: every pattern above needs one (a
# dash, a plus or a digit only at the start: "ERP-opplæring" in a note is plain).
_SPECIAL = re.compile(r"[\\`*_\[\]#|<&]|^\s*[-+>=\d]")
_BREAK = re.compile("[\n\r\x0b\x0c\x1c-\x1e\x85\u2028\u2029]")  # where str.splitlines splits


def render(figures: dict, lang: str) -> str:
    """The whole report as Markdown, one trailing newline."""
    return write(build(figures, lang))


def write(blocks: list[Block]) -> str:
    return "\n\n".join(_block(b) for b in blocks) + "\n"


def escape(text: str, *, line_start: bool = False) -> str:
    """Text as Markdown that reads as that text (its lines as blocks.lines gives them).

    `line_start` says the text opens a line (a paragraph, a bullet); its later lines
    always do.
    """
    if not _SPECIAL.search(text) and not _BREAK.search(text):  # one plain line: most text
        return text.lstrip() if line_start else text
    shown = lines(text)
    if line_start:
        shown[0] = shown[0].lstrip()  # indented, it would be code
    return "\n".join(_escaped(line, line_start or i > 0) for i, line in enumerate(shown))


def _escaped(line: str, at_start: bool) -> str:
    if not _SPECIAL.search(line):  # most text: names, dates, amounts (a report has 50,000)
        return line
    line = _TAG.sub("&lt;", _ENTITY.sub("&amp;", _ANYWHERE.sub(r"\\\g<0>", line)))
    if at_start:
        line = _NUMBERED.sub(r"\1\\\2", _MARK.sub(r"\\\g<0>", line))
        line = "&#61;" + line[1:] if line.startswith("=") else line  # a setext underline
    return line


def _block(block: Block) -> str:
    if isinstance(block, Heading):
        return "#" * block.level + " " + escape(cell(block.text))
    if isinstance(block, Paragraph):
        return _inline(block.parts)
    if isinstance(block, Bullets):
        return "\n".join("- " + _inline(item, indent="  ") for item in block.items)
    if isinstance(block, Table):
        return table(block)
    return _chart(block)


def _inline(parts: tuple[Inline, ...], indent: str = "") -> str:
    """Parts of one paragraph; lines after the first indented to stay in their bullet."""
    spelt = []
    for i, part in enumerate(parts):
        if isinstance(part, Strong):
            spelt.append(f"**{escape(part.text)}**")
        elif isinstance(part, Em):
            spelt.append(f"*{escape(part.text)}*")
        else:
            spelt.append(escape(part, line_start=i == 0))
    return "".join(spelt).replace("\n", "\n" + indent)


def cell(value: object) -> str:
    """Table cells are one line. (Not str.split(): it would also take the non-breaking
    spaces in `1 250 000 kr`.)"""
    text = str(value).strip()
    return re.sub(r"[ \t]*[\r\n]+[ \t]*", " ", text) if "\n" in text or "\r" in text else text


def table(grid: Table) -> str:
    """A Markdown table; the last `numeric` columns are right-aligned."""
    align = ["---"] * (len(grid.header) - grid.numeric) + ["--:"] * grid.numeric
    lines = [[escape(cell(v)) for v in grid.header], align] + [[escape(cell(v)) for v in row]
                                                               for row in grid.rows]
    return "\n".join("| " + " | ".join(line) + " |" for line in lines)


def _chart(chart: Chart) -> str:
    drawn = charts.mermaid(chart)
    return f"{drawn}\n\n{table(chart.table)}" if drawn else table(chart.table)

"""The report as one self-contained HTML page: the Markdown's blocks, charts as inline SVG.

No script, no stylesheet, font or image from elsewhere: the page opens the same offline,
in a mail client, or pasted into the county's document. Every text is HTML-escaped.
"""

from html import escape

from megler.reports import svg
from megler.reports.blocks import Block, Bullets, Chart, Em, Heading, Inline, Paragraph, Strong, Table, lines
from megler.reports.document import build

STYLE = """
body { font-family: sans-serif; max-width: 52em; margin: 2em auto; padding: 0 1em;
       line-height: 1.45; color: #222; }
table { border-collapse: collapse; margin: 0.5em 0 1em; }
th, td { border: 1px solid #ccc; padding: 0.25em 0.6em; text-align: left; vertical-align: top; }
th { background: #f3f3f3; }
.num { text-align: right; white-space: nowrap; }
figure { margin: 0.5em 0; }
""".strip()


def render(figures: dict, lang: str) -> str:
    """The whole report as an HTML page in `lang`."""
    blocks = build(figures, lang)
    title = next((b.text for b in blocks if isinstance(b, Heading)), "")
    body = "\n".join(_block(b) for b in blocks)
    return (f'<!DOCTYPE html>\n<html lang="{escape(lang)}">\n<head>\n<meta charset="utf-8">\n'
            f"<title>{escape(title)}</title>\n<style>\n{STYLE}\n</style>\n</head>\n"
            f"<body>\n{body}\n</body>\n</html>\n")


def _block(block: Block) -> str:
    if isinstance(block, Heading):
        return f"<h{block.level}>{escape(block.text)}</h{block.level}>"
    if isinstance(block, Paragraph):
        return f"<p>{_inline(block.parts)}</p>"
    if isinstance(block, Bullets):
        return "<ul>\n" + "\n".join(f"<li>{_inline(item)}</li>" for item in block.items) + "\n</ul>"
    if isinstance(block, Table):
        return _table(block)
    return _chart(block)


def _inline(parts: tuple[Inline, ...]) -> str:
    spelt = []
    for part in parts:
        if isinstance(part, Strong):
            spelt.append(f"<strong>{_text(part.text)}</strong>")
        elif isinstance(part, Em):
            spelt.append(f"<em>{_text(part.text)}</em>")
        else:
            spelt.append(_text(part))
    return "".join(spelt)


def _text(text: str) -> str:
    """Escaped, and a note's own line breaks kept."""
    return "<br>\n".join(escape(line) for line in lines(text))


def _table(grid: Table) -> str:
    """Right-aligned numeric columns (class num), as in the Markdown."""
    classes = [""] * (len(grid.header) - grid.numeric) + [' class="num"'] * grid.numeric

    def row(cells: list[str], tag: str) -> str:
        return "<tr>" + "".join(f"<{tag}{c}>{_text(str(v))}</{tag}>"
                                for c, v in zip(classes, cells, strict=True)) + "</tr>"

    body = "\n".join(row(r, "td") for r in grid.rows)
    return f"<table>\n<thead>{row(grid.header, 'th')}</thead>\n<tbody>\n{body}\n</tbody>\n</table>"


def _chart(chart: Chart) -> str:
    drawn = svg.draw(chart)
    figure = f"<figure>{drawn}</figure>\n" if drawn else ""
    return figure + _table(chart.table)

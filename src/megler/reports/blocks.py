"""The report as a list of blocks: what it says, apart from how a format spells it.

document.build() makes the blocks in one language; markdown.write() and html.write()
spell them. Text in a block is plain text (a broker's note as typed): each writer
escapes all of it, so nothing typed ever becomes markup.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal


@dataclass(frozen=True)
class Strong:
    text: str


@dataclass(frozen=True)
class Em:
    text: str


Inline = str | Strong | Em
Items = Sequence[tuple[str, int | float]]


@dataclass(frozen=True)
class Heading:
    level: int
    text: str


@dataclass(frozen=True)
class Paragraph:
    parts: tuple[Inline, ...]


@dataclass(frozen=True)
class Bullets:
    items: tuple[tuple[Inline, ...], ...]


@dataclass(frozen=True)
class Table:
    header: list[str]
    rows: list[list[str]]
    numeric: int = 1  # the last columns, right-aligned


@dataclass(frozen=True)
class Chart:
    """A chart of `items`, drawn beside `table`, which carries the same figures as text."""

    kind: Literal["pie", "bar", "line"]
    title: str
    items: Items
    y_label: str
    table: Table
    axis: list[str] | None = None  # shorter x labels than the table's (month names)


Block = Heading | Paragraph | Bullets | Table | Chart


def text(value: str) -> Paragraph:
    return Paragraph((value,))


def lines(text: str) -> list[str]:
    """A text's lines as every writer shows them: blank ones dropped (a paragraph break
    would end a bullet in Python-Markdown), each stripped but where the first begins."""
    first, *rest = text.splitlines() or [""]
    if not rest:
        return [first]
    return [first.rstrip()] + [line.strip() for line in rest if line.strip()]

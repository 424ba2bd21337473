"""How a table fits the terminal: its columns' widths, or records when it cannot fit.

Left to itself, Rich shrinks every column alike when a table is too wide: an id loses
digits, a date wraps, "Matforedling" becomes "Matforedlin / g". Here each column has a
role, decided once by its name (TOKENS): a token (an id, a kind, a date, a status, a
number, an org number, an e-mail address) keeps its whole width on one line; text (names,
notes) shares what is left, wraps at spaces and cuts a word too long for it with "…".
When the tokens and a few letters of each text do not fit, the table is shown as
records: one "field  value" block per row.
"""

from collections.abc import Sequence

from rich.cells import cell_len

# Columns that hold one token each: cut or wrapped, it would be a wrong value.
TOKENS = frozenset({
    "id", "kind", "status", "action", "entity", "confidence", "rank", "score",
    "date", "due", "deadline", "time", "last_visit", "period",
    "orgnr", "email", "phone", "email_phone", "key", "country", "language", "currency",
    "employees", "people", "participants", "active_needs", "rd_experience", "open",
})
TOKEN_ENDINGS = ("_id", "_on", "_at")  # need_id, closed_on, imported_at
TOKEN_BEGINNINGS = ("amount",)  # amount_applied: "1 200 000 NOK"

NARROWEST_TEXT = 8  # below this a text column shows too little to tell rows apart
GAP = 2             # between two columns (a divider and the padding)


def is_token(column: str) -> bool:
    return (column in TOKENS or column.endswith(TOKEN_ENDINGS)
            or column.startswith(TOKEN_BEGINNINGS))


def header(column: str) -> str:
    return column.replace("_", " ")


def fit(columns: Sequence[str], cells: Sequence[Sequence[str]],
        room: int) -> tuple[list[int], list[int] | None]:
    """The columns to show (their indexes) and their widths, None for records.
    A column with nothing in it goes first when the table does not fit as it is."""
    everything = list(range(len(columns)))
    full = widths(columns, cells, room)
    keep = [i for i in everything if any(row[i] for row in cells)]
    if full is not None and (keep == everything or full == _natural(columns, cells)):
        return everything, full
    return keep, widths([columns[i] for i in keep], [[row[i] for i in keep] for row in cells], room)


def widths(columns: Sequence[str], cells: Sequence[Sequence[str]], room: int) -> list[int] | None:
    """Each column's width within `room` cells, or None: show the rows as records.

    Tokens get their longest value (or header word: headers wrap only at spaces). Text
    columns start at NARROWEST_TEXT (or their header word), grow first until their
    longest word fits, then until their longest line does, the narrowest first, so one
    long note cannot starve the name beside it.
    """
    room -= GAP * (len(columns) - 1)
    longest = _natural(columns, cells)
    tokens = [is_token(c) for c in columns]
    left = room - sum(n for n, token in zip(longest, tokens, strict=True) if token)
    texts = [i for i, token in enumerate(tokens) if not token]
    floor = [min(longest[i], max(NARROWEST_TEXT, _longest_word(header(columns[i]))))
             for i in texts]
    if left < sum(floor):
        return None
    words = [max([floor[k]] + [_longest_word(row[i]) for row in cells])
             for k, i in enumerate(texts)]
    grown, left = _grow(floor, [min(w, longest[i]) for w, i in zip(words, texts, strict=True)],
                        left - sum(floor))
    grown, _ = _grow(grown, [longest[i] for i in texts], left)
    result = list(longest)
    for i, width in zip(texts, grown, strict=True):
        result[i] = width
    return result


def _natural(columns: Sequence[str], cells: Sequence[Sequence[str]]) -> list[int]:
    """Each column's width with nothing wrapped but its header."""
    return [max([_longest_word(header(c))] + [_longest_line(row[i]) for row in cells])
            for i, c in enumerate(columns)]


def _grow(widths: list[int], caps: list[int], budget: int) -> tuple[list[int], int]:
    """Widen toward the caps, the narrowest first, as far as the budget goes."""
    widths = list(widths)
    while budget > 0 and (short := [i for i, w in enumerate(widths) if w < caps[i]]):
        step = max(1, budget // len(short))
        for i in sorted(short, key=lambda i: widths[i]):
            more = min(step, caps[i] - widths[i], budget)
            widths[i] += more
            budget -= more
    return widths, budget


def _longest_line(cell: str) -> int:
    return max((cell_len(line) for line in cell.expandtabs(8).splitlines()), default=0)


def _longest_word(cell: str) -> int:
    return max((cell_len(word) for word in cell.expandtabs(8).split()), default=0)

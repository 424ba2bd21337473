"""A JSON document read a value at a time, so that most of a gigabyte (a network's decade
as `megler export` writes it) never has to be in memory at once.

The members of an object and the items of an array come one by one. Each value is parsed
by json's own decoder (`raw_decode`) on a window of the file that slides along it.

    >>> import io
    >>> doc = JsonStream(io.StringIO('{"format": "x", "rows": [1, {"a": [2]}]}'))
    >>> [(key, list(doc.items()) if key == "rows" else doc.value()) for key in doc.members()]
    [('format', 'x'), ('rows', [1, {'a': [2]}])]
"""

import json
import re
from collections.abc import Iterator
from typing import Any, TextIO

CHUNK = 1 << 20  # characters read at a time
LONGEST = 1 << 26  # a value still unfinished after this many characters is an error
_MARGIN = 32  # a value ending this near the window's end may go on after it
_BLANK = re.compile(r"[ \t\n\r]*")
_DECODER = json.JSONDecoder()


class JsonError(ValueError):
    """The document is no JSON, or holds what Python will not read (a number of 4,300
    digits); where it is, as a character offset."""


class JsonStream:
    """The values of one JSON document in `f`, in the order they are written."""

    def __init__(self, f: TextIO) -> None:
        self._f, self._buf, self._pos, self._read = f, "", 0, 0  # _read: chars before _buf
        self._done = False

    def peek(self) -> str:
        """The next character that is not blank ("" at the end)."""
        while True:
            self._pos = _BLANK.match(self._buf, self._pos).end()  # type: ignore[union-attr]
            if self._pos < len(self._buf) or not self._fill():
                return self._buf[self._pos:self._pos + 1]

    def value(self) -> Any:
        """The next whole value. RecursionError for one nested past Python's limit."""
        self.peek()
        while True:
            try:
                value, end = _DECODER.raw_decode(self._buf, self._pos)
            except ValueError as e:
                if not isinstance(e, json.JSONDecodeError):  # int() of 4,300 digits and more
                    raise _error("a number too long for any field", self._read + self._pos) from None
                at = self._read + e.pos  # where it is before a fill moves the window
                if _cut_short(e) and len(self._buf) - self._pos < LONGEST and self._fill(
                        len(self._buf)):  # the value goes on: read as much again
                    continue
                raise _error(e.msg, at) from None
            if len(self._buf) - end < _MARGIN and self._fill():
                continue  # a number may go on past the window: 12 | 34, -5e | -08
            self._pos = end
            return value

    def members(self) -> Iterator[str]:
        """The keys of the object that comes next; read each one's value before the next."""
        self._expect("{")
        if self._next_is("}"):
            return
        while True:
            if self.peek() != '"':
                raise self._error("Expecting property name enclosed in double quotes")
            key = self.value()
            self._expect(":")
            yield key
            if not self._next_is(","):
                self._expect("}")
                return

    def items(self) -> Iterator[Any]:
        """The items of the array that comes next."""
        self._expect("[")
        if self._next_is("]"):
            return
        while True:
            yield self.value()
            if not self._next_is(","):
                self._expect("]")
                return

    def end(self) -> None:
        """Nothing but blanks may follow the document."""
        if self.peek():
            raise self._error("Extra data")

    def _fill(self, size: int = 0) -> bool:
        if self._done:
            return False
        data = self._f.read(max(size, CHUNK))
        if not data:
            self._done = True
            return False
        self._read += self._pos  # what was read already leaves the window
        self._buf, self._pos = self._buf[self._pos:] + data, 0
        return True

    def _next_is(self, char: str) -> bool:
        if self.peek() == char:
            self._pos += 1
            return True
        return False

    def _expect(self, char: str) -> None:
        if not self._next_is(char):
            raise self._error(f"Expecting {char!r}" if self.peek() else "Expecting value")

    def _error(self, message: str) -> JsonError:
        return _error(message, self._read + self._pos)


def _error(message: str, at: int) -> JsonError:
    return JsonError(f"{message}: char {at:,}")


def _cut_short(e: json.JSONDecodeError) -> bool:
    """The error may only be the window's end cutting a value short ("tru", "\\u00", an
    open string); anything else is wrong wherever the window ends."""
    return len(e.doc) - e.pos < _MARGIN or e.msg.startswith("Unterminated string")

"""Text as megler takes it in and shows it: one Unicode spelling, no control characters.

Text enters as NFC, so "Åse" pasted from a Mac (A + combining ring) and typed on a
PC are one name: found, matched, merged and erased as one. Control characters
(C0 but tab and newline, DEL, C1, and the bidi overrides that reorder what a reader
sees) are refused in names and escaped wherever text reaches a terminal.
"""

import re
import unicodedata

CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")
# What free text may not hold: C0 (but tab and newline), DEL and C1. Right-to-left
# writing may need the bidi controls and a pasted text a line separator; names may not.
UNPRINTABLE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def has_control(text: str) -> bool:
    return CONTROL.search(text) is not None


def escape_controls(text: str) -> str:
    """`\\x1b`, `\\u202e`: visible, and harmless to the terminal."""
    return CONTROL.sub(lambda m: m.group().encode("unicode_escape").decode("ascii"), text)

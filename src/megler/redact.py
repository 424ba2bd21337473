"""Where a person is named in free text: the one rule that `contact export` lists and
`contact erase --redact` replaces, so the two always agree.

A person is found by
- their full name as words, in any letter case, with or without a genitive s
  ("KARI ØDEGÅRD", "Kari Ødegårds sønn");
- fuller forms with parts cut to an initial, or surname first: "Åse B.", "Å. Bjørnstad",
  "Tor Inge H.", "Bjørnstad, Åse" (an initial is a capital, with a dot unless it ends
  the form);
- each part of the name standing alone as a word ("Ring Tor Inge", "Håkonsen har fått"),
  unless the part is shorter than three letters or a common Norwegian or Swedish word
  (`COMMON_WORDS`: "Per" in "per uke", "Dag", "Berg", "Lund"): such a part counts only
  inside one of the fuller forms above. A lone part inside another contact's full name
  as written stays ("Kari" of "Kari Holm" when Kari Holm is a contact too);
- their e-mail address, in any letter case;
- their phone number by its digits alone, however spaced or dashed, with or without the
  country prefix (+47, 0047) or a trunk 0: "915 55 123", "91555123", "+47 915 55 123";
  "070-123 45 67" and "+46 70 123 45 67". A number of fewer than six digits is matched
  as written.

Text is compared in NFC (megler.text), so a name pasted in decomposed form is the same
name; letters are otherwise compared exactly: "Ødegård" is not "Odegard".

    >>> Finder(Person("Åse Bjørnstad", phone="+47 915 55 123")).redact(
    ...     "Åse B. ringer fra 915 55 123", "[x]")
    '[x] ringer fra [x]'
"""

import re
from dataclasses import dataclass
from itertools import product

from megler.text import nfc

# Names that are also everyday words in notes; alone they are left, in a fuller form not.
COMMON_WORDS = frozenset("""
    per dag liv sol vår mai ask eng berg lund dal vik bakke haug holm hage sand strand
    stein sten storm frost vinter sommer rune bo ek gran lind björk bjørk malm ström
    ring bror mor far eli iver ulv ben will may rose bakken lie den der von van
""".split())

# Calling codes a stored number may start with (+ or 00); prefix-free, as ITU makes them.
CALLING_CODES = {"NO": "47", "SE": "46", "DK": "45", "FI": "358", "IS": "354"}
OTHER_CODES = ("44", "49", "48", "31", "33", "34", "39", "1", "370", "371", "372", "380")
PHONE_GAP = r"[\s./()\-]*"
BEFORE = r"(?<!\w)(?<!\w-)"        # "Anne" is not a word of "Lise-Anne"
AFTER = r"(?=s?(?![\w]|-\w))"      # the genitive "Karis" counts; "Karianne" does not


@dataclass(frozen=True)
class Person:
    name: str
    email: str | None = None
    phone: str | None = None
    country: str = "NO"  # where a phone written without a prefix is


class Finder:
    """The person's forms in a text: find them, or replace them by a placeholder."""

    def __init__(self, person: Person, others: list[str] | tuple[str, ...] = (), *,
                 lone_parts: bool = True):
        self.strong = _compile(_strong_forms(person))
        parts = [p for p in nfc(person.name).split() if _stands_alone(p)] if lone_parts else []
        self.lone = _compile([_words([p]) for p in parts])
        self.shield = _compile(_shielding(person.name, parts, others))

    def spans(self, text: str) -> list[tuple[int, int]]:
        text = nfc(text)
        strong = [m.span() for m in self.strong.finditer(text)]
        lone = [m.span() for m in self.lone.finditer(text) if not _overlaps(m.span(), strong)]
        if lone:  # rare, so the other contacts' names are looked for only then
            shielded = [m.span() for m in self.shield.finditer(text)]
            lone = [span for span in lone if not _overlaps(span, shielded)]
        return _joined(sorted(strong + lone), text)

    def found(self, text: str | None) -> bool:
        return bool(text) and bool(self.spans(text or ""))

    def redact(self, text: str, mark: str) -> str:
        """The text in NFC with every form of the person replaced by `mark`."""
        text = nfc(text)
        for start, end in reversed(self.spans(text)):
            text = text[:start] + mark + text[end:]
        return text


def _compile(parts: list[str]) -> re.Pattern:
    # Longest first: at one place the full name wins over its first part.
    ordered = sorted(set(parts), key=len, reverse=True)
    return re.compile("|".join(ordered) or r"(?!)", re.IGNORECASE)


def _joined(spans: list[tuple[int, int]], text: str) -> list[tuple[int, int]]:
    """Forms next to each other are one mention: "Ring Tor Inge" gets one placeholder."""
    joined: list[tuple[int, int]] = []
    for start, end in spans:
        if joined and not text[joined[-1][1]:start].strip():
            joined[-1] = (joined[-1][0], end)
        else:
            joined.append((start, end))
    return joined


def _overlaps(span: tuple[int, int], others: list[tuple[int, int]]) -> bool:
    return any(span[0] < end and start < span[1] for start, end in others)


def _strong_forms(person: Person) -> list[str]:
    forms = []
    parts = nfc(person.name).split()
    if parts:
        forms.append(_words(parts) if len(parts) > 1 or _stands_alone(parts[0])
                     else rf"{BEFORE}(?-i:{re.escape(parts[0])}){AFTER}")
        forms += _initial_forms(parts)
    if person.email and person.email.strip():
        forms.append(rf"(?<![\w.+-]){re.escape(nfc(person.email.strip()))}(?![\w-])")
    if person.phone and person.phone.strip():
        forms.append(_phone(nfc(person.phone.strip()), person.country))
    return forms


def _words(parts: list[str]) -> str:
    return BEFORE + r"\s+".join(map(re.escape, parts)) + AFTER


def _stands_alone(part: str) -> bool:
    """A name part that is found on its own: three letters or more, not an everyday word."""
    return sum(c.isalpha() for c in part) >= 3 and part.casefold() not in COMMON_WORDS


def _shielding(name: str, parts: list[str], others) -> list[str]:
    """Other contacts' full names that hold one of the person's parts: they shield it."""
    own, folded = nfc(name).casefold(), {p.casefold() for p in parts}
    names = [nfc(n).split() for n in others if nfc(n).casefold() != own]
    return [_words(words) for words in names
            if len(words) > 1 and folded & {w.casefold() for w in words}]


def _initial_forms(parts: list[str]) -> list[str]:
    """ "Åse B.", "Å. Bjørnstad", "Tor I. Håkonsen", "Bjørnstad, Åse": the name's parts in
    order (or just the first and the last), some cut to a capital initial."""
    if len(parts) < 2:
        return []
    orders = [parts] if len(parts) == 2 else [parts, [parts[0], parts[-1]]]
    forms = [BEFORE + re.escape(parts[-1]) + r",\s*" + re.escape(parts[0]) + AFTER]
    for order in orders:
        if len(order) > 4:
            continue  # 2^n forms: a long name is still found by its full form and parts
        for cut in product((False, True), repeat=len(order)):
            if any(cut) and not all(cut):
                forms.append(_cut_form(order, cut))
    return forms


def _cut_form(order: list[str], cut: tuple[bool, ...]) -> str:
    pieces = []
    for i, (part, short) in enumerate(zip(order, cut, strict=True)):
        last = i == len(order) - 1
        if short:
            dot = r"(?:\.|(?!\w))" if last else r"\.\s*"
            pieces.append(f"(?-i:{re.escape(part[0].upper())}){dot}")
        else:
            pieces.append(re.escape(part) + ("" if last else r"\s+"))
    return BEFORE + "".join(pieces) + ("" if cut[-1] else AFTER)


def _phone(phone: str, country: str) -> str:
    digits = re.sub(r"\D", "", phone)
    if len(digits) < 6:
        return rf"{BEFORE}{re.escape(phone)}(?!\w)"
    code, national = _split_phone(phone, digits, country)
    if code:
        prefix = (rf"(?:\(?(?:\+|00)?{PHONE_GAP}{PHONE_GAP.join(code)}{PHONE_GAP}"
                  rf"(?:\(0\){PHONE_GAP})?|0{PHONE_GAP})?")
    else:  # a calling code megler does not know: the number as stored, prefix and all
        prefix = rf"(?:(?:\+|00){PHONE_GAP})?"
    return rf"(?<![\d+]){prefix}{PHONE_GAP.join(national)}(?!\d)"


def _split_phone(phone: str, digits: str, country: str) -> tuple[str, str]:
    """The calling code and the national number: "+47 915 55 123" → ("47", "91555123")."""
    if phone.startswith("00"):
        digits = digits[2:]
    if phone.startswith(("+", "00")):
        code = next((c for c in (*CALLING_CODES.values(), *OTHER_CODES) if digits.startswith(c)), "")
        return code, digits[len(code):]
    return CALLING_CODES.get(country, "47"), digits[1:] if digits.startswith("0") else digits

"""A broker's list of org numbers (a spreadsheet of companies to visit) made into orgs.

The list is CSV as a spreadsheet saves it: `;` or `,` between columns, with or without
a byte order mark, UTF-8 or (Excel in the Nordics) Windows-1252. A column of org
numbers, found by its header (`orgnr`, `organisasjonsnummer`, …) or, without a header,
the first; a name and a municipality column when the header names them. Each number
is checked first, then looked up (the table beside the store, then the API), then
every org is added in one transaction: all of them or none.
"""

import csv
import io
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from megler.errors import InvalidInput

MAX_BYTES = 10 << 20
_HEADERS = {
    "orgnr": {"orgnr", "orgnummer", "organisasjonsnummer", "organisationsnummer", "orgno",
              "organisationnumber", "orgnumber", "organisationsnr", "foretaksnummer"},
    "name": {"name", "navn", "namn", "firma", "bedrift", "foretag", "företag", "virksomhet",
             "company", "organisation", "organisasjon"},
    "municipality": {"municipality", "kommune", "kommun"},
}


@dataclass(frozen=True)
class Listed:
    """One row of the list: its line, the number (compact) and what else it says."""

    line: int
    orgnr: str
    country: str
    name: str | None = None
    municipality: str | None = None


@dataclass
class Planned:
    """What `org import` does with one row: add it (from the register, or as typed), or
    not (a duplicate of an org in the store or of an earlier row, or unknown)."""

    listed: Listed
    action: str           # add, add as typed, duplicate, unknown
    told: object = None   # orgs.Told
    why: str = ""

    def row(self) -> dict:
        told = self.told
        name = (told.fields.name if told else None) or self.listed.name  # type: ignore[attr-defined]
        return {"line": self.listed.line, "orgnr": self.listed.orgnr, "name": name,
                "action": self.action, "why": self.why}


def read_list(path: Path) -> list[Listed]:
    """The rows of the list, every number checked: one bad number refuses the list."""
    text = _text(path)
    rows = list(csv.reader(io.StringIO(text), delimiter=_delimiter(text)))
    rows = [row for row in rows if any(cell.strip() for cell in row)]
    if not rows:
        raise InvalidInput(f"{path.name}: the list is empty")
    columns, start = _columns(rows[0])
    listed = [_listed(number + start + 1, row, columns) for number, row in enumerate(rows[start:])]
    if not listed:
        raise InvalidInput(f"{path.name}: a header, but no org numbers under it")
    return listed


def _text(path: Path) -> str:
    try:
        if path.stat().st_size > MAX_BYTES:
            raise InvalidInput(f"{path.name}: larger than {MAX_BYTES >> 20} MB; no list of orgs is")
        raw = path.read_bytes()
    except OSError as e:
        raise InvalidInput(f"cannot read {path}: {e.strerror}") from None
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        return raw.decode("cp1252", errors="replace")  # what Excel saves as "CSV (semikolon)"


def _delimiter(text: str) -> str:
    first = text.split("\n", 1)[0]
    return max(";,\t", key=first.count) if any(c in first for c in ";,\t") else ","


def _columns(first: list[str]) -> tuple[dict[str, int], int]:
    """Which column holds what, and whether the first row is a header (1) or data (0)."""
    found = {what: i for i, cell in enumerate(first) for what, names in _HEADERS.items()
             if _word(cell) in names}
    if "orgnr" in found:
        return found, 1
    if any(_number_like(cell) for cell in first):
        return {"orgnr": next(i for i, c in enumerate(first) if _number_like(c))}, 0
    raise InvalidInput("no column of org numbers: name it orgnr (or organisasjonsnummer, "
                       "organisationsnummer)")


def _listed(line: int, row: list[str], columns: dict[str, int]) -> Listed:
    from megler.orgs import validate_orgnr
    from megler.parse import clean_text

    def cell(what: str) -> str | None:
        at = columns.get(what)
        return clean_text(row[at], name=what == "name") if at is not None and at < len(row) else None

    number = cell("orgnr")
    if not number:
        raise InvalidInput(f"line {line}: no org number")
    try:
        orgnr, country = validate_orgnr(number)
    except InvalidInput as e:
        raise InvalidInput(f"line {line}: {e}") from None
    return Listed(line, orgnr, country, cell("name"), cell("municipality"))


def _word(cell: str) -> str:
    return re.sub(r"[\W_]", "", cell.casefold())


def _number_like(cell: str) -> bool:
    return len(re.sub(r"[\s.-]", "", cell)) in (9, 10) and re.sub(r"[\s.-]", "", cell).isdigit()


def plan(listed: Iterable[Listed], existing: dict[str, tuple[int, str]], registers) -> list[Planned]:
    """What to do with each row; `existing` holds the store's org numbers (id, name)."""
    from megler.progress import steps
    from megler.registers.unit import told

    seen: dict[str, int] = {}
    planned = []
    rows = list(listed)
    for row in steps(rows, "Looking org numbers up", len(rows)):
        if row.orgnr in existing:
            i, name = existing[row.orgnr]
            planned.append(Planned(row, "duplicate", why=f"#{i} {name} has this number"))
        elif row.orgnr in seen:
            planned.append(Planned(row, "duplicate", why=f"line {seen[row.orgnr]} has this number"))
        else:
            seen[row.orgnr] = row.line
            looked = registers.look_up(row.orgnr, row.country)
            if looked.unit and looked.noted and (looked.unit.name or row.name):
                planned.append(Planned(row, "add", told(looked.unit, looked.noted)))
            else:
                planned.append(Planned(row, "add as typed" if row.name else "unknown",
                                       why=looked.why_not or "the register gives no name"))
    return planned


def summary(planned: list[Planned]) -> str:
    """`2 from the register, 1 as typed, 2 duplicates left out, 1 unknown`."""
    done = {a: sum(p.action == a for p in planned) for a in ("add", "add as typed", "duplicate", "unknown")}
    return (f"{done['add']} from the register, {done['add as typed']} as typed, "
            f"{done['duplicate']} duplicates left out, {done['unknown']} unknown")


def numbers_in_store(s) -> dict[str, tuple[int, str]]:
    """Each org number in the store, with its org's id and name."""
    from sqlmodel import col, select

    from megler.models import Org

    return {number: (i, name) for i, name, number in s.exec(
        select(Org.id, Org.name, Org.orgnr).where(col(Org.orgnr).is_not(None)))}


def add_planned(s, planned: list[Planned]) -> list:
    """Add every org the plan adds, in the caller's one transaction."""
    from megler.orgs import OrgFields, add_org

    unknown = [p for p in planned if p.action == "unknown"]
    if unknown:
        lines = ", ".join(str(p.listed.line) for p in unknown[:5]) + (" …" if len(unknown) > 5 else "")
        from megler.reports.i18n import counted

        raise InvalidInput(f"{counted(len(unknown), 'org number has', 'org numbers have')} no name, in the list or the register "
                           f"(line {lines}): add a name column, or leave them out; nothing was added")
    added = []
    for p in planned:
        if p.action.startswith("add"):
            try:
                added.append(add_org(s, OrgFields(name=p.listed.name, orgnr=p.listed.orgnr,
                                                  country=p.listed.country,
                                                  municipality=p.listed.municipality),
                                     told=p.told))  # type: ignore[arg-type]
            except InvalidInput as e:
                raise InvalidInput(f"line {p.listed.line}: {e}; nothing was added") from None
    return added

"""One unit as a register describes it, in megler's words, and what it tells an org."""

import re
from dataclasses import dataclass, fields
from datetime import date

from megler.vocabulary import FactSource, OrgKind, RegisterStatus


@dataclass(slots=True)
class Unit:
    """What a register says of one org number. Text is as the register spells it, but
    the municipality, which is the table's (megler.matching.regions) when it knows it."""

    orgnr: str
    country: str
    name: str | None = None
    org_form: str | None = None           # AS, ENK, KOMM; AB, HB
    industry: str | None = None           # "25.620 Bearbeiding av metaller"
    more_industries: str | None = None    # NACE codes 2 and 3, "; " between
    employees: int | None = None
    municipality: str | None = None
    region: str | None = None             # the county, from the municipality's number
    status: str | None = None             # RegisterStatus, the gravest that holds
    parent: str | None = None             # a sub-unit's main unit

    @classmethod
    def columns(cls) -> list[str]:
        return [f.name for f in fields(cls)]

    def row(self) -> tuple:
        return (self.orgnr, self.country, self.name, self.org_form, self.industry,
                self.more_industries, self.employees, self.municipality, self.region,
                self.status, self.parent)

    @property
    def source(self) -> str:
        return FactSource.bolagsverket if self.country == "SE" else FactSource.brreg


def told(unit: Unit, noted: date):
    """What the unit tells an org, for orgs.add_org and orgs.edit_org."""
    from megler.orgs import OrgFields, Told

    return Told(OrgFields(**facts(unit)), unit.status, unit.source, noted)  # type: ignore[arg-type]


# Organisation forms that are not companies; any other is one.
_KINDS = {
    "NO": {"KOMM": OrgKind.municipality, "FYLK": OrgKind.public, "STAT": OrgKind.public,
           "ORGL": OrgKind.public, "SF": OrgKind.public, "KF": OrgKind.public,
           "FKF": OrgKind.public, "IKS": OrgKind.public, "KIRK": OrgKind.ngo,
           "FLI": OrgKind.ngo, "STI": OrgKind.ngo},
    "SE": {"KOM": OrgKind.municipality, "REG": OrgKind.public, "SF": OrgKind.public,
           "IF": OrgKind.ngo, "ST": OrgKind.ngo},
}


def kind_of(unit: Unit) -> str | None:
    if not unit.org_form:
        return None
    return _KINDS.get(unit.country, {}).get(unit.org_form.upper(), OrgKind.company)


def facts(unit: Unit) -> dict[str, object]:
    """The unit as values of an org's fields (orgs.OrgFields), those the register gave."""
    values = {"name": readable_name(unit.name) if unit.name else None, "kind": kind_of(unit),
              "org_form": unit.org_form, "industry": unit.industry,
              "more_industries": unit.more_industries, "employees": unit.employees,
              "municipality": unit.municipality, "region": unit.region}
    return {key: value for key, value in values.items() if value is not None}


def gravest(flags: dict[str, bool]) -> str | None:
    """The gravest status whose flag is set: a bankrupt unit is being wound up too."""
    return next((status for status in RegisterStatus if flags.get(status)), None)


# Words a register writes in capitals that stay so: company forms and abbreviations.
_KEPT_UPPER = {"AS", "ASA", "ANS", "DA", "SA", "BA", "KS", "IKS", "NUF", "ENK", "AB", "HB",
               "KB", "IT", "HMS", "NAV", "BRL", "SF", "KF", "FKF"}
_KEPT_LOWER = {"i", "og", "på", "av", "for", "til", "med", "under", "och", "en"}
_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)


def readable_name(name: str) -> str:
    """Enhetsregisteret writes names in capitals; a broker writes `Halden Sag og Høvleri AS`.
    A name with any small letter is kept as the register has it.

    >>> readable_name("HALDEN SAG OG HØVLERI AS")
    'Halden Sag og Høvleri AS'
    """
    if name != name.upper():
        return name

    def word(m: re.Match) -> str:
        text = m.group()
        if text in _KEPT_UPPER:
            return text
        if text.lower() in _KEPT_LOWER and m.start() > 0:
            return text.lower()
        return text.capitalize()

    return _WORD.sub(word, name)

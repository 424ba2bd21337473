"""Sweden's Bolagsverket: its free bulk file of registered companies.

A zipped text file, UTF-8, `;` between columns, a header row naming them:
`organisationsidentitet` ("5560000001$ORGNR-IDORG"), `namnskyddslopnummer`,
`registreringsland`, `organisationsnamn` ("Volvo AB$FORETAGSNAMN-ORGNAM"),
`organisationsform`, `avregistreringsdatum`, `avregistreringsorsak`,
`pagandeAvvecklingsEllerOmstruktureringsforfarande`, `registreringsdatum`,
`verksamhetsbeskrivning`, `postadress`. A value may carry its type after a `$`. The file
has no NACE code, employees or municipality: a Swedish org gets its name, form and
whether it is deregistered, bankrupt or in liquidation. A sole trader's identity is a
personnummer: such a row is never read into megler.
"""

from collections.abc import Iterable, Iterator

from megler.registers.unit import Unit, gravest
from megler.vocabulary import RegisterStatus

COLUMNS = ("organisationsidentitet", "organisationsnamn")  # what tells the file apart

# The proceedings under way, by their code's start: konkurs, likvidation.
_PROCEEDINGS = {"KK": RegisterStatus.bankrupt, "KONKURS": RegisterStatus.bankrupt,
                "LI": RegisterStatus.winding_up, "LIKVIDATION": RegisterStatus.winding_up}


def units_of(rows: Iterable[dict[str, str]]) -> Iterator[Unit]:
    """The companies of the file's rows; a person's row (a personnummer) is left out."""
    from megler.orgs import personal_number

    for row in rows:
        orgnr = _digits(value(row.get("organisationsidentitet")))
        if len(orgnr) == 12 and orgnr.startswith("16"):  # the century-style form, 16XXXXXXXXXX
            orgnr = orgnr[2:]
        if len(orgnr) != 10 or personal_number(orgnr, "SE"):
            continue
        yield Unit(orgnr=orgnr, country="SE", name=value(row.get("organisationsnamn")) or None,
                   org_form=_code(value(row.get("organisationsform"))),
                   status=gravest({RegisterStatus.deleted: bool(value(row.get("avregistreringsdatum"))),
                                   **_proceeding(row)}))


def _proceeding(row: dict[str, str]) -> dict[str, bool]:
    code = value(row.get("pagandeAvvecklingsEllerOmstruktureringsforfarande")).upper()
    found = {status for start, status in _PROCEEDINGS.items()
             if any(part.startswith(start) for part in code.replace("-", " ").split())}
    return dict.fromkeys(found, True)


def value(cell: str | None) -> str:
    """A cell without the type after its `$`: "Volvo AB$FORETAGSNAMN-ORGNAM" → "Volvo AB"."""
    return (cell or "").split("$", 1)[0].strip()


def _code(text: str) -> str | None:
    return text.split("-", 1)[0].strip() or None


def _digits(text: str) -> str:
    return "".join(c for c in text if c.isdigit())

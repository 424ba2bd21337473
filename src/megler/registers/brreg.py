"""Norway's Enhetsregisteret: its open API for one org number, and its bulk files.

The API (https://data.brreg.no/enhetsregisteret/api, OpenAPI description published
there): `GET {base}/enheter/{orgnr}` answers a unit as JSON, 404 for a number it does
not know, 410 Gone for a deleted unit (the body has `slettedato`); sub-units answer at
`{base}/underenheter/{orgnr}` with `overordnetEnhet` and `beliggenhetsadresse`. The
bulk files (`enheter_alle.json.gz`, `enheter_alle.csv.gz`) hold the same units, the CSV
with dotted column names (`naeringskode1.kode`) and booleans as "true"/"false".
"""

import json
import urllib.error
import urllib.request
from collections.abc import Iterable, Iterator
from functools import lru_cache

from megler.errors import MeglerError
from megler.registers.unit import Unit
from megler.vocabulary import RegisterStatus

DEFAULT_URL = "https://data.brreg.no/enhetsregisteret/api"
TIMEOUT = 4  # seconds: a broker typing `org add` waits no longer for the register
MAX_ANSWER = 1 << 20  # one unit's JSON is a few kilobytes


class Unreachable(MeglerError):
    """The register did not answer: offline, a timeout, a server error, not JSON."""


def fetch(base: str, orgnr: str, timeout: float | None = None) -> Unit | None:
    """The unit of a Norwegian org number, a main unit or else a sub-unit; None if the
    register knows neither. A deleted unit comes back with status `deleted`."""
    for kind in ("enheter", "underenheter"):
        record = _get(f"{base.rstrip('/')}/{kind}/{orgnr}", timeout or TIMEOUT)
        if record is not None:
            return unit_of(record | {"organisasjonsnummer": orgnr})
    return None


def _get(url: str, timeout: float) -> dict | None:
    request = urllib.request.Request(url, headers={"Accept": "application/json",
                                                   "User-Agent": "megler"})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as answer:  # noqa: S310  (a setting: http or https)
            return _json(answer.read(MAX_ANSWER), url)
    except urllib.error.HTTPError as e:
        if e.code == 404:
            return None
        if e.code == 410:  # deleted: the body says when
            return _json(e.read(MAX_ANSWER), url) | {"slettet": True}
        raise Unreachable(f"the register at {_host(url)} answered {e.code} {e.reason}") from None
    except (urllib.error.URLError, OSError) as e:
        reason = getattr(e, "reason", e)  # a timeout while connecting comes as a URLError
        if isinstance(e, TimeoutError) or isinstance(reason, TimeoutError):
            raise Unreachable(f"the register at {_host(url)} did not answer within {timeout:g} s") from None
        raise Unreachable(f"cannot reach the register at {_host(url)} ({reason})") from None


def _json(body: bytes, url: str) -> dict:
    try:
        found = json.loads(body.decode("utf-8")) if body.strip() else {}
    except (UnicodeDecodeError, ValueError):
        found = None
    if not isinstance(found, dict):
        raise Unreachable(f"the register at {_host(url)} answered something that is not a unit")
    return found


def _host(url: str) -> str:
    from urllib.parse import urlsplit

    return urlsplit(url).netloc or url


def unit_of(record: dict) -> Unit | None:
    """A unit of the API or the bulk files, in megler's words; None without a number.
    Called a million times by an import: written for speed, with few calls."""
    orgnr = record.get("organisasjonsnummer")
    if not orgnr:
        return None
    address = record.get("forretningsadresse") or record.get("beliggenhetsadresse")
    place = (_registered(address.get("kommune"), address.get("kommunenummer"))
             if isinstance(address, dict) and address.get("kommune") else None)
    codes = [_nace(record.get(key)) for key in _NACE_KEYS]
    form = record.get("organisasjonsform")
    return Unit(orgnr=str(orgnr).strip(), country="NO", name=_text(record.get("navn")),
                org_form=_text(form.get("kode")) if isinstance(form, dict) else None,
                industry=codes[0], more_industries="; ".join(c for c in codes[1:] if c) or None,
                employees=_employees(record.get("antallAnsatte")),
                municipality=place.municipality if place else None,
                region=place.county if place else None,
                status=_status(record), parent=_text(record.get("overordnetEnhet")))


_NACE_KEYS = ("naeringskode1", "naeringskode2", "naeringskode3")
# Each status and the flags that say it, the gravest first (a bankrupt unit is being
# wound up too).
_FLAGS = ((RegisterStatus.deleted, ("slettet", "slettedato")),
          (RegisterStatus.bankrupt, ("konkurs",)),
          (RegisterStatus.forced_winding_up, ("underTvangsavviklingEllerTvangsopplosning",)),
          (RegisterStatus.winding_up, ("underAvvikling",)))


def _status(record: dict) -> str | None:
    for status, flags in _FLAGS:
        for flag in flags:
            value = record.get(flag)
            if value is True or (isinstance(value, str) and value not in ("", "false")):
                return status
    return None


@lru_cache(maxsize=4096)  # a bulk file names a few hundred municipalities a million times
def _registered(name: str, number: str | None):
    from megler.matching.regions import geography

    return geography().registered(str(name), number and str(number), "NO")


def _nace(code: object) -> str | None:
    if not isinstance(code, dict):
        return None
    return " ".join(str(t).strip() for t in (code.get("kode"), code.get("beskrivelse")) if t) or None


def _employees(count: object) -> int | None:
    if count in (None, ""):
        return None
    try:
        return max(0, int(count))  # type: ignore[call-overload]
    except (TypeError, ValueError):
        return None


def _text(value: object) -> str | None:
    return (str(value).strip() or None) if value not in (None, "") else None


# -- the bulk files --------------------------------------------------------------------

def units_of_json(records: Iterable[dict]) -> Iterator[Unit]:
    for record in records:
        if isinstance(record, dict) and (unit := unit_of(record)):
            yield unit


def units_of_csv(rows: Iterable[dict[str, str]]) -> Iterator[Unit]:
    """The CSV's rows, their dotted columns nested as the API nests them."""
    for row in rows:
        if unit := unit_of(nested(row)):
            yield unit


def nested(row: dict[str, str]) -> dict:
    """`{"naeringskode1.kode": "25.620"}` → `{"naeringskode1": {"kode": "25.620"}}`."""
    out: dict = {}
    for key, value in row.items():
        if key is None or value in (None, ""):
            continue
        *path, last = key.split(".")
        here = out
        for step in path:
            here = here.setdefault(step, {})
            if not isinstance(here, dict):
                break
        else:
            here[last] = value
    return out

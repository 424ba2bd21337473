"""NACE rev. 2 (SN2007 / SNI2007): the section letter of a two-digit division.

Brokers type industry codes (`25.110`) or words (`mekanisk verksted`); only a
leading division can be placed, the words go to "other/unknown". python-stdnum
knows the classification; what it lacks are short section names in nb and sv
(and short English ones: its own are the long official titles in capitals).
"""

from functools import cache

from stdnum.eu import nace
from stdnum.exceptions import ValidationError

from megler.reports.i18n import LANGS

UNKNOWN = "unknown"

REVISION = "2.0"  # SN2007 and SNI2007; stdnum's default is rev. 2.1, whose sections differ

# Short section names in the order of LANGS (en, nb, sv), from the official short titles.
NAMES = {
    "A": ("Agriculture, forestry and fishing", "Jordbruk, skogbruk og fiske", "Jordbruk, skogsbruk och fiske"),
    "B": ("Mining and quarrying", "Bergverksdrift og utvinning", "Utvinning av mineral"),
    "C": ("Manufacturing", "Industri", "Tillverkning"),
    "D": ("Electricity and gas supply", "Elektrisitets- og gassforsyning", "Försörjning av el och gas"),
    "E": ("Water supply, sewerage and waste", "Vannforsyning, avløp og renovasjon", "Vattenförsörjning, avlopp och avfall"),
    "F": ("Construction", "Bygge- og anleggsvirksomhet", "Byggverksamhet"),
    "G": ("Wholesale and retail trade", "Varehandel", "Handel"),
    "H": ("Transport and storage", "Transport og lagring", "Transport och magasinering"),
    "I": ("Accommodation and food service", "Overnattings- og serveringsvirksomhet", "Hotell- och restaurangverksamhet"),
    "J": ("Information and communication", "Informasjon og kommunikasjon", "Informations- och kommunikationsverksamhet"),
    "K": ("Finance and insurance", "Finansiering og forsikring", "Finans- och försäkringsverksamhet"),
    "L": ("Real estate", "Omsetning og drift av fast eiendom", "Fastighetsverksamhet"),
    "M": ("Professional, scientific and technical", "Faglig, vitenskapelig og teknisk tjenesteyting", "Verksamhet inom juridik, ekonomi, vetenskap och teknik"),
    "N": ("Administrative and support services", "Forretningsmessig tjenesteyting", "Uthyrning, fastighetsservice, resetjänster och andra stödtjänster"),
    "O": ("Public administration and defence", "Offentlig administrasjon og forsvar", "Offentlig förvaltning och försvar"),
    "P": ("Education", "Undervisning", "Utbildning"),
    "Q": ("Health and social work", "Helse- og sosialtjenester", "Vård och omsorg; sociala tjänster"),
    "R": ("Arts, entertainment and recreation", "Kulturell virksomhet, underholdning og fritid", "Kultur, nöje och fritid"),
    "S": ("Other service activities", "Annen tjenesteyting", "Annan serviceverksamhet"),
    "T": ("Households as employers", "Lønnet arbeid i private husholdninger", "Förvärvsarbete i hushåll"),
    "U": ("International organisations", "Internasjonale organisasjoner", "Verksamhet vid internationella organisationer"),
}


@cache  # a report asks for the same hundred divisions thousands of times
def section_of(division: str | None) -> str:
    """`25` → `C`; None, words or a division that does not exist → "unknown"."""
    if not division or not division.isdigit() or len(division) != 2:
        return UNKNOWN
    try:
        return nace.info(division, revision=REVISION)["section"]
    except ValidationError:  # a typo is "unknown" rather than a guess
        return UNKNOWN


def section_name(letter: str, lang: str) -> str:
    return NAMES[letter][LANGS.index(lang)]  # the columns of NAMES are those of i18n.TEXTS

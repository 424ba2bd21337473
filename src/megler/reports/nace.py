"""NACE rev. 2 (SN2007 / SNI2007): the section letter of a two-digit division.

Brokers type industry codes (`25.110`) or words (`mekanisk verksted`); only a
leading division can be placed, the words go to "other/unknown".
"""

from megler.reports.i18n import LANGS

UNKNOWN = "unknown"

# The first division of each section; a division belongs to the last section
# whose first division is not above it.
_FIRST_DIVISION = (
    (1, "A"), (5, "B"), (10, "C"), (35, "D"), (36, "E"), (41, "F"), (45, "G"), (49, "H"),
    (55, "I"), (58, "J"), (64, "K"), (68, "L"), (69, "M"), (77, "N"), (84, "O"), (85, "P"),
    (86, "Q"), (90, "R"), (94, "S"), (97, "T"), (99, "U"),
)
# Divisions that do not exist; a typo there is "unknown" rather than a guess.
_UNUSED = {4, 34, 40, 44, 48, 54, 57, 67, 76, 83, 89}

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


def section_of(division: str | None) -> str:
    """`25` → `C`; None, words or an unused division → "unknown"."""
    if not division or not division.isdigit() or int(division) in _UNUSED or int(division) < 1:
        return UNKNOWN
    number, found = int(division), UNKNOWN
    for first, letter in _FIRST_DIVISION:
        if number >= first:
            found = letter
    return found


def section_name(letter: str, lang: str) -> str:
    return NAMES[letter][LANGS.index(lang)]  # the columns of NAMES are those of i18n.TEXTS

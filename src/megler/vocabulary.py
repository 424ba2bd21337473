"""Every fixed list of words megler knows, defined once.

The models, the CLI's choices and help, the SQL of `due`, `check` and the report, the
catalog schema, the matcher and the report's i18n tables all take their words from
here, so that a status added or renamed changes everywhere at once. The members are
strings (StrEnum): `NeedStatus.open == "open"`, and they store and print as the word.

Kept free of other imports: `megler --help` lists these choices.
"""

from collections.abc import Iterable
from enum import StrEnum


class Country(StrEnum):
    NO = "NO"
    SE = "SE"


class Currency(StrEnum):
    NOK = "NOK"
    SEK = "SEK"


# An amount is in its country's currency unless it says otherwise.
CURRENCY_OF = {Country.NO: Currency.NOK, Country.SE: Currency.SEK}


class OrgKind(StrEnum):
    company = "company"
    municipality = "municipality"
    public = "public"
    ngo = "ngo"


class RegisterStatus(StrEnum):
    """What an official register says has become of an org, the gravest first."""

    deleted = "deleted"
    bankrupt = "bankrupt"
    forced_winding_up = "forced_winding_up"
    winding_up = "winding_up"


class FactSource(StrEnum):
    """Who said what an org's field holds: the broker, or an official register."""

    broker = "broker"
    brreg = "brreg"                # Enhetsregisteret, Norway
    bolagsverket = "bolagsverket"  # Sweden


class Audience(StrEnum):
    """Who a catalog entry is for: an org of a kind, or a person on their own."""

    company = "company"
    municipality = "municipality"
    public = "public"
    individual = "individual"
    ngo = "ngo"


class Delivery(StrEnum):
    """How a catalog entry is taught or given: on a campus (with its places), online, at the
    company's own premises, or blended (online with gatherings on a campus)."""

    campus = "campus"
    online = "online"
    company = "company"
    blended = "blended"


class VisitKind(StrEnum):
    visit = "visit"
    phone = "phone"
    video = "video"
    event = "event"


class NeedKind(StrEnum):
    competence = "competence"
    rd = "rd"
    recruitment = "recruitment"
    apprenticeship = "apprenticeship"
    funding = "funding"
    other = "other"


class NeedStatus(StrEnum):
    open = "open"
    referred = "referred"
    resolved = "resolved"
    dropped = "dropped"


# A need still wants the broker's work while it is open or referred.
NEED_ACTIVE = (NeedStatus.open, NeedStatus.referred)
NEED_CLOSED = (NeedStatus.resolved, NeedStatus.dropped)


class ReferralStatus(StrEnum):
    suggested = "suggested"
    contacted = "contacted"
    applied = "applied"
    granted = "granted"
    declined = "declined"
    enrolled = "enrolled"
    completed = "completed"
    withdrawn = "withdrawn"


# A referral is in progress (open) until it is declined, completed or withdrawn.
REFERRAL_OPEN = (ReferralStatus.suggested, ReferralStatus.contacted, ReferralStatus.applied,
                 ReferralStatus.granted, ReferralStatus.enrolled)


class EntryKind(StrEnum):
    offering = "offering"
    instrument = "instrument"
    provider = "provider"


class Language(StrEnum):
    """What a catalog entry or a need is written in."""

    nb = "nb"
    nn = "nn"
    sv = "sv"
    en = "en"


class ReportLanguage(StrEnum):
    """What megler writes its report in."""

    en = "en"
    nb = "nb"
    sv = "sv"


class ReportFormat(StrEnum):
    """The report as a document (md, or html: one self-contained page), or its figures as data."""

    md = "md"
    html = "html"
    json = "json"
    csv = "csv"


class Breakdown(StrEnum):
    """What a network's report breaks its indicators down by (`report --by`)."""

    broker = "broker"
    municipality = "municipality"
    region = "region"
    cluster = "cluster"  # a named set of municipalities (`network clusters import`)


class ExportFormat(StrEnum):
    """What `megler export` writes: the whole store (json), one table (csv), a workbook (xlsx)."""

    json = "json"
    csv = "csv"
    xlsx = "xlsx"


# The stored columns that hold one word of a vocabulary, and what the word is called:
# `megler import` refuses any other word, and `megler check` finds one let in before.
WORD_COLUMNS: dict[tuple[str, str], tuple[type[StrEnum], str]] = {
    ("org", "kind"): (OrgKind, "org kind"),
    ("org", "country"): (Country, "country"),
    ("org", "register_status"): (RegisterStatus, "register status"),
    ("orgfact", "source"): (FactSource, "fact source"),
    ("visit", "kind"): (VisitKind, "visit kind"),
    ("need", "kind"): (NeedKind, "need kind"),
    ("need", "status"): (NeedStatus, "need status"),
    ("referral", "status"): (ReferralStatus, "referral status"),
    ("referral", "currency"): (Currency, "currency"),
    ("referralevent", "status"): (ReferralStatus, "referral status"),
    ("catalogentry", "kind"): (EntryKind, "entry kind"),
    ("catalogentry", "language"): (Language, "language"),
    ("catalogentry", "country"): (Country, "country"),
    ("catalogentry", "currency"): (Currency, "currency"),
}


def listed(words: Iterable[str], last: str = "or") -> str:
    """`company, municipality, public or ngo`: choices as a help text says them."""
    words = [str(w) for w in words]
    return words[0] if len(words) == 1 else f"{', '.join(words[:-1])} {last} {words[-1]}"

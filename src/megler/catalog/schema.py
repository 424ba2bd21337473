"""The catalog's YAML format as pydantic models (not tables), and the flat entry they become.

A file holds up to three lists: `providers` (each with its `offerings` nested, which
inherit the provider's language, country, regions, audience, url and contact),
`offerings` of institutions that are not listed as providers themselves (they name
their `provider`), and `instruments`. Every model forbids unknown fields, so a typo
such as `contry:` is an error rather than a silently missing value.

`docs/catalog.schema.json` is generated from these models:

    python -c "from megler.catalog import json_schema_text as t; print(t(), end='')" > docs/catalog.schema.json
"""

import datetime as dt
import hashlib
import json
from typing import Annotated, Any

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StringConstraints,
    model_validator,
)

from megler.errors import InvalidInput
from megler.limits import MAX_AMOUNT, MAX_INT, MAX_TEXT, check_day
from megler.models import CatalogEntryBase
from megler.vocabulary import CURRENCY_OF, Audience, Country, Currency, Delivery, EntryKind, Language, listed

WHOLE_COUNTRY = "*"
# The names amounts had before they had a currency: still read, as NOK.
_NOK_NAMES = {"cost_nok": "cost", "max_amount_nok": "max_amount"}


def _whole(value: Any) -> Any:
    # pydantic would take `true` as 1 and 1.5e6 as a float; YAML users mean neither.
    if isinstance(value, bool):
        raise ValueError("should be a whole number, not true/false")
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def _day(value: Any) -> Any:
    # pydantic reads a bare number as seconds since 1970: `deadline: 20260915` is a typo.
    if isinstance(value, dt.datetime) or not isinstance(value, (dt.date, str)):
        raise ValueError("should be a date written YYYY-MM-DD")
    return value


def _in_range(day: dt.date) -> dt.date:
    try:
        return check_day(day)
    except InvalidInput as e:  # a ValueError, so that pydantic names the entry and field
        raise ValueError(str(e)) from None


def _unique(values: list) -> list:
    first: dict[str, Any] = {}  # casefolded → as first written
    for v in values:
        first.setdefault(v.casefold(), v)
    return list(first.values())


def _name(value: str) -> str:
    # The rule of megler.parse.clean_text for names: YAML escapes ("\\e[31m", "\\u202e")
    # would otherwise put a control character in every list that shows the entry.
    from megler.parse import clean_text

    try:
        return clean_text(value, name=True) or value
    except InvalidInput as e:
        raise ValueError(str(e).removeprefix("a name ")) from None


def _regions(values: list[str]) -> list[str]:
    if not values:
        raise ValueError('list at least one region, or "*" for the whole country')
    if WHOLE_COUNTRY in values and len(values) > 1:
        raise ValueError('"*" means the whole country; list no other region with it')
    return _unique(values)


def _audience(values: list[str]) -> list[str]:
    if not values:
        raise ValueError(f"list at least one of {listed(Audience)}")
    return _unique(values)


Key = Annotated[str, StringConstraints(strip_whitespace=True, pattern=r"^[a-z0-9][a-z0-9._-]*$",
                                       max_length=80)]
Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=MAX_TEXT)]
Name = Annotated[Text, AfterValidator(_name)]
# Field first: "minimum" and "maximum" in JSON Schema; the bounds are megler.limits'
Whole = Annotated[int, Field(ge=0, le=MAX_INT), BeforeValidator(_whole)]
Amount = Annotated[int, Field(ge=0, le=MAX_AMOUNT), BeforeValidator(_whole)]
Day = Annotated[dt.date, BeforeValidator(_day), AfterValidator(_in_range)]
Url = Annotated[str, StringConstraints(strip_whitespace=True, pattern=r"^https?://\S+$")]
Keywords = Annotated[list[Text], AfterValidator(_unique)]
Regions = Annotated[list[Text], AfterValidator(_regions),
                    Field(description='Counties, regions or municipalities served; ["*"] = the whole country.')]
AudienceList = Annotated[list[Audience], AfterValidator(_audience)]
DeliveryList = Annotated[list[Delivery], AfterValidator(_unique),
                         Field(description="How it is taught: campus, online, company (at the "
                               "company's premises), blended (online with gatherings).")]
Places = Annotated[list[Text], AfterValidator(_unique),
                   Field(description="Where it is taught or gathers: municipalities or towns.")]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class _Entry(_Model):
    """What every entry has: a stable key, a name, a text to match, and size and date limits."""

    key: Key = Field(description="Stable id, unique across the catalog: lowercase letters, digits, - _ .")
    name: Name
    description: Text = Field(description="2-5 sentences as the provider or agency would write them.")
    keywords: Keywords = []
    min_employees: Whole | None = None
    max_employees: Whole | None = None
    valid_from: Day | None = None
    valid_to: Day | None = None
    currency: Currency | None = Field(None, description="Of cost and max_amount: NOK or SEK "
                                      "(default: the country's).")

    @model_validator(mode="after")
    def _ranges(self):
        if None not in (self.min_employees, self.max_employees) \
                and self.min_employees > self.max_employees:
            raise ValueError("min_employees is above max_employees")
        if None not in (self.valid_from, self.valid_to) and self.valid_from > self.valid_to:
            raise ValueError("valid_from is after valid_to")
        for old, new in _NOK_NAMES.items():
            if getattr(self, old, None) is not None and (
                    getattr(self, new, None) is not None or self.currency not in (None, Currency.NOK)):
                raise ValueError(f"{old} is {new} in NOK: give {new} with a currency instead")
        return self


class OfferingIn(_Entry):
    """A course, programme or service, nested under its provider: unset fields are inherited."""

    language: Language | None = None
    country: Country | None = None
    regions: Regions | None = None
    audience: AudienceList | None = None
    url: Url | None = None
    contact: Text | None = None
    delivery: DeliveryList | None = None
    campus: Places | None = None
    deadline: Day | None = Field(None, description="Last day to apply or enrol.")
    cost: Amount | None = Field(None, description="Price per participant, whole kroner.")
    cost_nok: Amount | None = Field(None, description="The old name of cost: in NOK.")


class StandaloneOfferingIn(OfferingIn):
    """An offering of an institution that is not itself listed under `providers`."""

    provider: Name = Field(description="The institution that runs it.")
    language: Language
    country: Country
    regions: Regions
    audience: AudienceList
    delivery: DeliveryList = []
    campus: Places = []


class _Located(_Entry):
    """An entry that stands on its own: it must say where, in what language and for whom."""

    language: Language
    country: Country
    regions: Regions
    audience: AudienceList
    url: Url | None = None
    contact: Text | None = None


class ProviderIn(_Located):
    """An institution as a whole (a college, an institute, a science park) and its offerings."""

    delivery: DeliveryList = []
    campus: Places = []
    offerings: list[OfferingIn] = []


class InstrumentIn(_Located):
    """A funding or support scheme."""

    agency: Name = Field(description="Who administers it.")
    deadline: Day | None = Field(None, description="Next application deadline; null if open all year.")
    max_amount: Amount | None = Field(None, description="Largest grant or loan, whole kroner.")
    max_amount_nok: Amount | None = Field(None, description="The old name of max_amount: in NOK.")


class CatalogFile(_Model):
    """One catalog file. Keys are unique across every file imported together."""

    providers: list[ProviderIn] = []
    offerings: list[StandaloneOfferingIn] = []
    instruments: list[InstrumentIn] = []


class EntryIn(CatalogEntryBase):
    """One validated catalog entry, flat, as the store keeps it (offerings have inherited)."""

    model_config = ConfigDict(extra="forbid", frozen=True)  # type: ignore[assignment]

    def content_hash(self) -> str:
        """sha256 of the entry's content: equal content, equal hash, whatever the file looks like."""
        text = json.dumps(self.model_dump(mode="json"), sort_keys=True, ensure_ascii=False)
        return hashlib.sha256(text.encode()).hexdigest()


_INHERITED = ("language", "country", "regions", "audience", "url", "contact", "currency",
              "delivery", "campus")


def flatten(file: CatalogFile) -> list[EntryIn]:
    """The entries of a file in reading order: each provider, then its offerings."""
    entries = []
    for provider in file.providers:
        entries.append(_flat(provider, EntryKind.provider))
        parent = provider.model_dump(include=set(_INHERITED))
        for offering in provider.offerings:
            given = offering.model_dump(exclude_none=True)
            entries.append(_flat_dict(parent | given | {"provider": provider.name}, EntryKind.offering))
    entries += [_flat(o, EntryKind.offering) for o in file.offerings]
    entries += [_flat(i, EntryKind.instrument) for i in file.instruments]
    return entries


def _flat(model: _Entry, kind: EntryKind) -> EntryIn:
    return _flat_dict(model.model_dump(exclude={"offerings"}), kind)


def _flat_dict(fields: dict, kind: EntryKind) -> EntryIn:
    fields = dict(fields)
    for old, new in _NOK_NAMES.items():
        if (value := fields.pop(old, None)) is not None:
            fields[new], fields["currency"] = value, Currency.NOK
    currency = fields.get("currency") or CURRENCY_OF[fields["country"]]
    return EntryIn(**fields | {"kind": kind, "currency": currency})


def json_schema() -> dict:
    """The JSON Schema of a catalog file, as committed in docs/catalog.schema.json."""
    schema = CatalogFile.model_json_schema()
    return ({"$schema": "https://json-schema.org/draft/2020-12/schema"} | schema
            | {"title": "megler catalog file"})


def json_schema_text() -> str:
    from megler.files import json_text

    return json_text(json_schema())

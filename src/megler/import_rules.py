"""What a row of an export must be to enter the store: the rules the CLI applies.

`megler import` sends every value of every row through three steps before it is
inserted: the limits of its column's type (megler.limits, `parse.clean_text`), the
domain's own rule for that field (the org and contact field validators, the
vocabularies, org numbers, amounts, goals), and the rules between fields and rows
(references, the catalog entry model, referral histories). So a store rebuilt from a
file holds nothing megler itself would have refused, and nothing that later breaks
a command. Each refusal is one line `field: what is wrong`.
"""

import datetime as dt
from collections.abc import Callable
from functools import cache
from typing import Any

from sqlalchemy import JSON, Column, Table, select
from sqlmodel import Session, col

from megler.errors import InvalidInput
from megler.limits import check_day, check_int
from megler.models import Referral, ReferralEvent, Word, Words
from megler.parse import clean_text, parse_amount, parse_choice
from megler.vocabulary import WORD_COLUMNS

Rule = Callable[[Any], Any]  # one field's value in, the value to store out


def checked(table: Table, row: dict, known: dict[str, set]) -> dict:
    """The row as the store will hold it. `known` holds the ids imported so far per
    table: a reference to any other id is refused."""
    unknown = set(row) - set(table.columns.keys())
    if unknown:
        raise InvalidInput(f"unknown fields {', '.join(sorted(unknown))}")
    values = {}
    for column in table.columns:
        if column.name in row:
            values[column.name] = _field(table.name, column, row[column.name], known)
        elif _required(column):
            raise InvalidInput(f"{column.name}: missing")
    for rule in ROW_RULES.get(table.name, ()):
        rule(values)
    return values


def _field(table: str, column: Column, value: Any, known: dict[str, set]) -> Any:
    try:
        if value is None:
            if _required(column):
                raise InvalidInput("missing")
            return None
        value = _of_type(table, column, value)
        rule = FIELD_RULES.get((table, column.name)) or _word_rule(table, column.name)
        value = rule(value) if rule else value
        _reference(column, value, known)
        return value
    except InvalidInput as e:
        raise InvalidInput(f"{column.name}: {e}") from None


def _required(column: Column) -> bool:
    return not column.nullable and column is not column.table.autoincrement_column \
        and column.default is None and column.server_default is None


# -- the limits of each column's type ------------------------------------------------------

# An org's first facts hold "always" (orgs.ALWAYS, year 1): the one day outside the limits.
_ANY_DAY = {("orgfact", "since")}


def _of_type(table: str, column: Column, value: Any) -> Any:
    kind = column_type(column)
    if kind is bool and not isinstance(value, bool):
        raise InvalidInput(f"should be true or false, not {_kind(value)}")
    if kind in (int, float) and (isinstance(value, bool) or not isinstance(value, (int, float))):
        raise InvalidInput(f"should be a number, not {_kind(value)}")
    if kind is int:
        return check_int(_whole(value), "the number")
    if kind is str:
        return _text(column, value)
    if kind is list:
        return _texts(value)
    if kind in (dt.date, dt.datetime):
        moment = _moment(kind, value)
        if (table, column.name) not in _ANY_DAY or moment != dt.date.min:
            check_day(moment if kind is dt.date else moment.date())
        return moment
    return value


@cache  # asked for every value of every row an import reads
def column_type(column: Column) -> type | None:
    """The JSON-side type of a column: vocabulary words are text, JSON columns lists."""
    if isinstance(column.type, (JSON, Words)):
        return list
    if isinstance(column.type, Word):
        return str
    try:  # a TypeDecorator (sqlmodel's UTCDateTime) answers for the type it stores
        return getattr(column.type, "impl", column.type).python_type
    except NotImplementedError:
        return None


def _whole(value: int | float) -> int:
    if isinstance(value, float):
        raise InvalidInput(f"should be a whole number, not {value!r}")
    return value


def _text(column: Column, value: Any) -> str | None:
    if not isinstance(value, str):
        raise InvalidInput(f"should be text, not {_kind(value)}")
    cleaned = clean_text(value)
    return cleaned if cleaned is not None or column.nullable else ""


def _texts(value: Any) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise InvalidInput(f"should be a list of texts, not {_kind(value)}")
    return [clean_text(v) or "" for v in value]


def _moment(kind: type, value: Any) -> Any:
    if not isinstance(value, str):
        raise InvalidInput(f"should be a date written YYYY-MM-DD, not {_kind(value)}")
    try:
        return kind.fromisoformat(value)  # type: ignore[attr-defined]
    except ValueError:
        shown = value if len(value) <= 40 else value[:40] + "…"
        raise InvalidInput(f"not a date: {shown!r} (YYYY-MM-DD)") from None


def _kind(value: Any) -> str:
    names = {bool: "true/false", int: "a number", float: "a number", str: "text",
             list: "a list", dict: "an object"}
    return names.get(type(value), type(value).__name__)


def _reference(column: Column, value: Any, known: dict[str, set]) -> None:
    for key in column.foreign_keys:
        target = key.column.table.name
        if value not in known.get(target, ()):
            raise InvalidInput(f"no {target} #{value} in the export")


# -- the domain's rule for each field ------------------------------------------------------

def _org(field: str) -> Rule:
    """orgs.OrgFields checks what the CLI takes for an org: the same check, one field at a time."""
    from megler.orgs import OrgFields

    return lambda value: OrgFields(**{field: value}).cleaned().get(field)


def _contact(field: str) -> Rule:
    from megler.contacts import ContactFields

    return lambda value: ContactFields(**{field: value}).cleaned().get(field)


def _needed(rule: Rule | None, why: str) -> Rule:
    def needed(value: Any) -> Any:
        value = rule(value) if rule else value
        if not value:
            raise InvalidInput(why)
        return value
    return needed


def _word_rule(table: str, field: str) -> Rule | None:
    if (table, field) not in WORD_COLUMNS:
        return None
    vocabulary, what = WORD_COLUMNS[table, field]
    return lambda value: parse_choice(value, vocabulary, what)


def _fact_field(value: str) -> str:
    from megler.orgs import FACT_FIELDS

    return parse_choice(value, FACT_FIELDS, "org fact")


def _period(label: str) -> str:
    """A goal is stored under its period's label (`2026Q3`), never a relative word."""
    from megler.clock import today
    from megler.reports.periods import parse_period

    if parse_period(label, today()).label != label:
        raise InvalidInput(f"not a period label: {label!r} (such as 2026Q3, 2026 or 2026-09)")
    return label


def _indicator(name: str) -> str:
    from megler.reports.goals import parse_indicator

    return parse_indicator(name)


def _target(value: float) -> float:
    from megler.reports.goals import parse_target

    return parse_target(value)


def _a_name(value: str) -> str | None:
    """A name stands in table cells: no bidi overrides or line separators either."""
    return clean_text(value, name=True)


_ORG_FIELDS = ("country", "kind", "industry", "municipality", "region", "employees")
_AMOUNTS = [("referral", "amount_applied"), ("referral", "amount_granted"),
            ("referralevent", "amount_applied"), ("referralevent", "amount_granted"),
            ("catalogentry", "cost"), ("catalogentry", "max_amount")]

FIELD_RULES: dict[tuple[str, str], Rule] = {
    ("org", "name"): _needed(_org("name"), "an org needs a name"),
    **{("org", f): _org(f) for f in _ORG_FIELDS},
    ("contact", "name"): _needed(_contact("name"), "a contact needs a name"),
    **{("contact", f): _contact(f) for f in ("role", "email", "phone")},
    ("need", "text"): _needed(None, "a need needs a text"),
    ("referral", "target"): _needed(None, "a referral needs a target"),
    ("followup", "text"): _needed(None, "a follow-up needs a text"),
    **dict.fromkeys(_AMOUNTS, parse_amount),
    ("orgfact", "field"): _fact_field,
    ("goal", "period"): _period,
    ("goal", "indicator"): _indicator,
    ("goal", "target"): _target,
    ("cluster", "name"): _needed(_a_name, "a cluster needs a name"),
    ("cluster", "municipality"): _needed(_a_name, "a cluster's municipality needs a name"),
}


# -- rules between the fields of a row -----------------------------------------------------

def _org_number(row: dict) -> None:
    """The number valid for its country (mod 11 in Norway, Luhn in Sweden), stored compact."""
    from megler.orgs import validate_orgnr

    if row.get("orgnr"):
        try:
            row["orgnr"], row["country"] = validate_orgnr(row["orgnr"], row.get("country"))
        except InvalidInput as e:
            raise InvalidInput(f"orgnr: {e}") from None


def _catalog_entry(row: dict) -> None:
    """An entry holds what the catalog's own model allows (kind, audience, languages …).

    Its content hash is worked out anew, never taken from the file: the matcher's cache
    knows the catalog by these hashes.
    """
    from pydantic import ValidationError

    from megler.catalog.schema import EntryIn

    try:
        entry = EntryIn.model_validate({k: v for k, v in row.items() if k in EntryIn.model_fields})
        row["content_hash"] = entry.content_hash()
    except ValidationError as e:
        error = e.errors()[0]
        where = " ".join(f"item {p + 1}" if isinstance(p, int) else str(p) for p in error["loc"])
        raise InvalidInput(f"{where or 'entry'}: {error['msg']}") from None


ROW_RULES: dict[str, tuple[Callable[[dict], None], ...]] = {
    "org": (_org_number,),
    "catalogentry": (_catalog_entry,),
}


# -- rules between rows, once every row is in ----------------------------------------------

# What a referral's own columns and its latest event both hold.
STATE = ("status", "amount_applied", "amount_granted", "participants")


def check_histories(s: Session) -> None:
    """Every referral has its history, ending in the state it has: `referral update` and
    the report rebuild a referral's state from its events, and the report reads a
    referral unchanged since a period's end from its own columns."""
    last: dict[int, tuple] = {}
    event = ReferralEvent
    for referral_id, event_id, *state in s.execute(
            select(col(event.referral_id), col(event.id), *(getattr(event, f) for f in STATE))
            .order_by(col(event.referral_id), col(event.date), col(event.id))):
        last[referral_id] = (event_id, state)
    for referral_id, *state in s.execute(select(col(Referral.id), *(getattr(Referral, f) for f in STATE))
                                         .order_by(col(Referral.id))):
        if referral_id not in last:
            raise InvalidInput(f"table referral (id {referral_id}): no referralevent row holds "
                               "its history (a referral has at least its first event)")
        event_id, said = last[referral_id]
        for field, value, events in zip(STATE, state, said, strict=True):
            if value != events:
                raise InvalidInput(f"table referral (id {referral_id}), {field}: {value!r}, but its "
                                   f"last referralevent (id {event_id}) says {events!r}")

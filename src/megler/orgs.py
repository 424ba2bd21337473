"""Organisations: add, find by what the broker types, edit, merge duplicates."""

import re
from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, update
from sqlmodel import Session, col, select

from megler.clock import today
from megler.errors import InvalidInput
from megler.models import (
    Contact,
    Followup,
    Need,
    Org,
    OrgFact,
    Visit,
    VisitOrg,
    ident,
)
from megler.parse import clean_text, parse_choice
from megler.resolve import ORG, Named, pick
from megler.sql import Page, paged
from megler.vocabulary import NEED_ACTIVE, Country, FactSource, OrgKind


def validate_orgnr(number: str, country: str | None = None) -> tuple[str, str]:
    """The compact org number and its country; the country follows from the length."""
    from stdnum.exceptions import ValidationError

    digits = _compact(number)
    country = country or (Country.SE if len(digits) == 10 else Country.NO)
    try:
        return _checker(country).validate(digits), country
    except ValidationError as e:
        raise InvalidInput(f"invalid {country} org number {number!r}: {e}") from None


def personal_number(number: str, country: str) -> bool:
    """A Swedish sole trader's org number is their personnummer: digits 3–4 are a month
    (01–12), where an organisationsnummer's third digit is 2 or more. It is personal
    data: never sent to a register, masked in lists, erased with the org."""
    return country == Country.SE and len(number) == 10 and number.isdigit() \
        and 1 <= int(number[2:4]) <= 12


def masked_orgnr(org: Org) -> str:
    """The org number as a list shows it: a personnummer without its last four digits."""
    if org.orgnr and personal_number(org.orgnr, org.country):
        return f"{org.orgnr[:6]}-****"
    return format_orgnr(org)


def format_orgnr(org: Org) -> str:
    """`974 760 673` in Norway, `556012-5790` in Sweden."""
    if not org.orgnr:
        return ""
    return _checker(org.country).format(org.orgnr)


def _checker(country: str):
    from stdnum.no import orgnr as no_orgnr
    from stdnum.se import orgnr as se_orgnr

    return se_orgnr if country == Country.SE else no_orgnr


@dataclass
class OrgFields:
    """What a broker may set on an org; None means "leave as it is"."""

    name: str | None = None
    orgnr: str | None = None
    country: str | None = None
    kind: str | None = None
    industry: str | None = None
    municipality: str | None = None
    region: str | None = None
    employees: int | None = None
    rd_experience: bool | None = None
    org_form: str | None = None         # these two a register gives, not the broker
    more_industries: str | None = None

    def cleaned(self) -> dict:
        values = {k: v for k, v in vars(self).items() if v is not None}
        for key in ("name", "industry", "municipality", "region", "org_form", "more_industries"):
            if key in values:
                values[key] = clean_text(values[key], name=key == "name")
        if "country" in values:
            values["country"] = parse_choice(values["country"].upper(), Country, "country")
        if "kind" in values:
            values["kind"] = parse_choice(values["kind"], OrgKind, "org kind")
        if values.get("employees", 0) < 0:
            raise InvalidInput(f"employees cannot be negative: {values['employees']}")
        return values


@dataclass(frozen=True)
class Told:
    """What an official register says of an org: its values as OrgFields, the status it
    gives (None: in good standing), which register (FactSource) and the day it was read."""

    fields: OrgFields
    status: str | None
    source: str
    noted: date


def add_org(s: Session, fields: OrgFields, *, force: bool = False, told: Told | None = None) -> Org:
    """A new org; `force` keeps a municipality megler's table does not know. What a
    register `told` fills the fields the broker left empty."""
    typed = fields.cleaned()
    values = _from_register(told, set(typed)) | typed
    if not values.get("name"):
        raise InvalidInput("an org needs a name")
    org = Org(**{k: v for k, v in values.items() if k != "orgnr"})
    _apply_orgnr(s, org, values.get("orgnr"), values.get("country"))
    _settle_place(org, values, country_known=bool(values.get("country") or org.orgnr),
                  force=force or _registered_place(told, typed))
    _fill_region(org)
    _note_register(org, told)
    s.add(org)
    s.flush()
    _record_facts(s, org, {}, ALWAYS, _sources(told, values, typed))
    return org


# What the report slices orgs by, and what a register tells: kept with the day each value
# became true and who said so (OrgFact).
FACT_FIELDS = ("kind", "industry", "municipality", "employees", "rd_experience",
               "name", "org_form", "more_industries", "register_status")
ALWAYS = date.min  # the values an org is added with hold until a dated change
# Facts of the broker's: a register never replaces them (None: before megler kept sources).
BROKERS_WORD = (None, FactSource.broker)


def _from_register(told: Told | None, typed: set[str]) -> dict:
    if not told:
        return {}
    values = {k: v for k, v in told.fields.cleaned().items() if k not in typed}
    if "municipality" in typed or "region" in typed:
        values.pop("region", None)  # the broker's place, and its county, win
    return values


def _registered_place(told: Told | None, typed: dict) -> bool:
    """A municipality a register names is a fact, not a typo: kept though megler's table
    does not know it."""
    return bool(told and told.fields.municipality and "municipality" not in typed)


def _note_register(org: Org, told: Told | None) -> None:
    if told:
        org.register_status, org.register_checked = told.status, told.noted


def _sources(told: Told | None, values: dict, typed: dict) -> dict[str, str]:
    """Each field's source: the register for what it filled, else the broker."""
    if not told:
        return {}
    return {k: told.source for k in [*values, "register_status"] if k not in typed}


def facts_of(org: Org) -> dict[str, str | None]:
    """An org's dated fields as OrgFact keeps them: text, or None."""
    def text(value) -> str | None:
        return None if value is None else str(int(value)) if isinstance(value, bool) else str(value)

    return {name: text(getattr(org, name)) for name in FACT_FIELDS}


def _record_facts(s: Session, org: Org, before: dict[str, str | None], since: date,
                  sources: dict[str, str] | None = None) -> None:
    """A changed value holds from `since` on: facts of the field dated later give way.
    Each new fact says who gave it (`sources`, else the broker) and when: the day the
    register was read, or today."""
    sources = sources or {}
    for name, value in facts_of(org).items():
        if name not in before or before[name] != value:
            for later in s.exec(select(OrgFact).where(OrgFact.org_id == org.id, OrgFact.field == name,
                                                      col(OrgFact.since) > since)):
                s.delete(later)
            s.add(OrgFact(org_id=ident(org.id), field=name, value=value, since=since,
                          source=sources.get(name, FactSource.broker),
                          noted=org.register_checked if name in sources else today()))
    s.flush()


def sources_of(s: Session, org: Org) -> dict[str, OrgFact]:
    """Each field's newest fact: what it holds, who gave it, and when."""
    facts = s.exec(select(OrgFact).where(OrgFact.org_id == org.id)
                   .order_by(col(OrgFact.since), col(OrgFact.id))).all()
    return {fact.field: fact for fact in facts}


def edit_org(s: Session, org: Org, fields: OrgFields, *, since: date | None = None,
             force: bool = False, told: Told | None = None) -> Org:
    """Change an org's fields; a change of what the report slices by counts from `since`
    (default today), so the reports of earlier periods stay as they were. What a
    register `told` changes the fields that are empty or that a register gave before."""
    before = facts_of(org)
    typed = fields.cleaned()
    values = _refreshable(s, org, _from_register(told, set(typed))) | typed
    if "name" in values and not values["name"]:
        raise InvalidInput("an org needs a name")
    for key, value in values.items():
        if key != "orgnr":
            setattr(org, key, value)
    if "orgnr" in values or "country" in values:
        _apply_orgnr(s, org, values.get("orgnr", org.orgnr), values.get("country"))
    if "municipality" in values and "region" not in values:
        org.region = None
    _settle_place(org, values, country_known=True, force=force or _registered_place(told, typed))
    _fill_region(org)
    _note_register(org, told)
    s.add(org)
    s.flush()
    _record_facts(s, org, before, since or today(), _sources(told, values, typed))
    return org


def _refreshable(s: Session, org: Org, registered: dict) -> dict:
    """What a register may change: a field that is empty, or whose newest fact a register
    gave; the region goes with the municipality."""
    newest = sources_of(s, org)

    def free(field: str) -> bool:
        fact = newest.get(field)
        return getattr(org, field) in (None, "") or (fact is not None and fact.source not in BROKERS_WORD)

    kept = {k: v for k, v in registered.items() if k == "region" or free(k)}
    if "municipality" not in kept:
        kept.pop("region", None)
    return kept


def _apply_orgnr(s: Session, org: Org, number: str | None, country: str | None) -> None:
    if not number:
        return
    compact, country = validate_orgnr(number, country or None)
    # Look before setting it: the query would flush a taken number into the unique index.
    holder = s.exec(select(Org).where(Org.orgnr == compact, Org.id != org.id)).first()
    if holder:
        raise InvalidInput(f"org number {format_orgnr(holder)} belongs to #{holder.id} already")
    org.orgnr, org.country = compact, country


def _settle_place(org: Org, values: dict, *, country_known: bool, force: bool) -> None:
    """The municipality as megler's table spells it, and its county as the region unless
    one was given: a region left empty hides every regional catalog entry from the org.
    An unknown one is refused with the closest names, or with `force` kept as typed."""
    if not values.get("municipality"):
        return
    from megler.matching.regions import geography

    try:
        place = geography().place(values["municipality"], org.country if country_known else None,
                                  values.get("region"))
    except InvalidInput:
        if force:
            return
        raise
    org.municipality, org.country = place.municipality, place.country
    org.region = values.get("region") or place.county


def _fill_region(org: Org) -> None:
    """A broker types the municipality; the county or region follows from it."""
    if org.municipality and not org.region:
        from megler.matching.regions import geography

        org.region = geography().county_of(org.municipality, org.country)


def find_org(s: Session, ref: str) -> Org:
    """An org by id, org number (with or without spaces), or an unambiguous part of its name."""
    orgs = s.exec(select(Org.id, Org.name, Org.orgnr).order_by(col(Org.id)))
    found = pick(ref, (Named(ident(i), name, (number,) if number else ()) for i, name, number in orgs),
                 ORG, key=_compact)
    return s.get_one(Org, found.id)


def _compact(number: str) -> str:
    return re.sub(r"[\s.-]", "", number)


def list_orgs(s: Session, *, text: str | None = None, region: str | None = None,
              limit: int | None = None) -> Page:
    """The `limit` orgs met most recently (None: all), with their last visit and active
    needs (open or referred, as `need list --status active` counts them)."""
    last_visit = (select(VisitOrg.org_id, func.max(Visit.date).label("last_visit"))
                  .join(Visit, col(Visit.id) == VisitOrg.visit_id)
                  .group_by(col(VisitOrg.org_id)).subquery())
    active_needs = (select(Need.org_id, func.count().label("active_needs"))
                    .where(col(Need.status).in_(NEED_ACTIVE))
                    .group_by(col(Need.org_id)).subquery())
    query = (select(Org, last_visit.c.last_visit, active_needs.c.active_needs)
             .outerjoin(last_visit, last_visit.c.org_id == Org.id)
             .outerjoin(active_needs, active_needs.c.org_id == Org.id)
             .order_by(last_visit.c.last_visit.desc().nulls_last(), Org.name))
    if region:
        query = query.where(Org.region == region)
    if text:
        query = query.where(func.instr(func.casefold(Org.name), text.casefold()) > 0)
    return paged(s, query, limit, lambda org, last, count: org_row(org) | {
        "orgnr": masked_orgnr(org), "last_visit": last, "active_needs": count or 0})


def org_row(org: Org) -> dict:
    return {"id": org.id, "name": org.name, "orgnr": format_orgnr(org),
            "country": org.country, "kind": org.kind, "industry": org.industry,
            "municipality": org.municipality, "region": org.region,
            "employees": org.employees, "rd_experience": org.rd_experience,
            "org_form": org.org_form, "more_industries": org.more_industries,
            "register_status": org.register_status, "register_checked": org.register_checked}


def merge_preview(s: Session, keep: Org, duplicate: Org) -> tuple[list[str], dict[str, int]]:
    """What tells two orgs apart (a reason to ask before merging), and what would move."""
    if keep.id == duplicate.id:
        raise InvalidInput("cannot merge an org into itself")
    differs = [f"{label}: {a} / {b}" for label, a, b in (
        ("org number", format_orgnr(keep), format_orgnr(duplicate)),
        ("country", keep.country, duplicate.country),
        ("municipality", keep.municipality, duplicate.municipality)) if a and b and a != b]
    moving = {name: len(s.exec(select(table.org_id).where(table.org_id == duplicate.id)).all())
              for name, table in (("visit", VisitOrg), ("need", Need), ("contact", Contact),
                                  ("follow-up", Followup))}
    return differs, moving


def merge_orgs(s: Session, keep: Org, duplicate: Org) -> Org:
    """Fold `duplicate` into `keep`: its visits, needs, contacts and follow-ups move over,
    empty fields of `keep` are filled from it, and the duplicate is deleted."""
    if keep.id == duplicate.id:
        raise InvalidInput("cannot merge an org into itself")
    before = facts_of(keep)
    shared = select(VisitOrg.visit_id).where(VisitOrg.org_id == keep.id)
    hosted = select(VisitOrg.visit_id).where(VisitOrg.org_id == duplicate.id,
                                             VisitOrg.position == 0)
    s.exec(update(VisitOrg).where(col(VisitOrg.org_id) == keep.id, col(VisitOrg.visit_id).in_(hosted))
           .values(position=0))  # the duplicate hosted an event both attended
    links = VisitOrg.__table__  # type: ignore[attr-defined]  # set by SQLModel, not declared
    s.exec(links.delete().where(
        col(VisitOrg.org_id) == duplicate.id, col(VisitOrg.visit_id).in_(shared)))
    for table in (VisitOrg, Need, Contact, Followup):
        s.exec(update(table).where(col(table.org_id) == duplicate.id).values(org_id=keep.id))
    for key, value in org_row(duplicate).items():
        if getattr(keep, key, None) in (None, "") and key not in ("id", "orgnr"):
            setattr(keep, key, value)
    keep.rd_experience = keep.rd_experience or duplicate.rd_experience
    number, country = duplicate.orgnr, duplicate.country
    s.delete(duplicate)
    s.flush()
    if number and not keep.orgnr:
        keep.orgnr, keep.country = number, country
    s.add(keep)
    s.flush()
    _record_facts(s, keep, before, today())
    return keep


def org_history(s: Session, org: Org) -> dict:
    """The org and everything that happened with it, newest first."""
    from megler.contacts import list_contacts
    from megler.followups import list_followups
    from megler.needs import list_needs
    from megler.referrals import list_referrals
    from megler.visits import list_visits

    def pick(rows: list[dict], *keys: str) -> list[dict]:
        return [{k: row[k] for k in keys} for row in rows]

    followups = [f for f in list_followups(s, include_done=True) if f["org_id"] == org.id]
    return org_row(org) | {
        "sources": [{"field": f.field, "value": f.value, "source": f.source or FactSource.broker,
                     "since": None if f.since == ALWAYS else f.since, "noted": f.noted}
                    for f in sources_of(s, org).values() if f.source],
        "contacts": pick(list_contacts(s, org), "id", "name", "role", "email", "phone"),
        "visits": pick(list_visits(s, org=org), "id", "date", "kind", "broker", "since_last",
                       "next_steps"),
        "needs": pick(list_needs(s, org=org), "id", "date", "kind", "status", "text"),
        "referrals": pick(list_referrals(s, org=org), "id", "need_id", "target", "status",
                          "amount_granted"),
        "followups": pick(followups, "id", "due", "text", "done_on"),
    }

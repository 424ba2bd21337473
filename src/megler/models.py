"""The store's tables: the current schema. Their words come from megler.vocabulary.

`migrations.py` holds the frozen SQL that builds these tables; a test checks that
the two agree. Dates are stored as ISO text so that SQL can group and compare them.
"""

import datetime as dt
from enum import StrEnum

from sqlalchemy import JSON, BigInteger, Index, Integer, UniqueConstraint
from sqlalchemy.types import TypeDecorator, TypeEngine
from sqlmodel import AutoString, Field, SQLModel

from megler.clock import now, today
from megler.vocabulary import Audience, Country, Currency, Delivery, EntryKind, Language


class Org(SQLModel, table=True):
    # AUTOINCREMENT on every table with an id: an erased id is never handed out again (m006)
    __table_args__ = {"sqlite_autoincrement": True}

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(index=True)
    orgnr: str | None = Field(default=None, unique=True)  # compact digits
    country: str = "NO"
    kind: str = "company"
    industry: str | None = None
    municipality: str | None = None
    region: str | None = None
    employees: int | None = None
    rd_experience: bool = False
    created: dt.date = Field(default_factory=today)
    org_form: str | None = None            # the register's code: AS, ENK, AB, KOMM …
    more_industries: str | None = None     # NACE codes 2 and 3 with their text, "; " between
    register_status: str | None = None     # RegisterStatus: bankrupt, winding up, deleted
    register_checked: dt.date | None = None  # the day megler last read the register for it


class OrgFact(SQLModel, table=True):
    """One value of an org's field the report slices by (or a register tells), the day it
    became true, who said so and when megler was told.

    The org's own columns hold today's values; these hold their history (orgs.py writes
    both), so a past period is reported with the values of its day. A register's value
    never replaces one whose newest fact the broker gave (orgs.BROKERS_WORD).
    """

    __table_args__ = (Index("ix_orgfact_org_id", "org_id", "field", "since"),
                      Index("ix_orgfact_since", "since"), {"sqlite_autoincrement": True})

    id: int | None = Field(default=None, primary_key=True)
    org_id: int = Field(foreign_key="org.id", ondelete="CASCADE")
    field: str
    value: str | None = None
    since: dt.date
    source: str | None = None       # FactSource; None: recorded before megler kept sources
    noted: dt.date | None = None    # the day megler was told (for a register: read it)


class Contact(SQLModel, table=True):
    __table_args__ = {"sqlite_autoincrement": True}

    id: int | None = Field(default=None, primary_key=True)
    org_id: int = Field(foreign_key="org.id", index=True)
    name: str
    role: str | None = None
    email: str | None = None
    phone: str | None = None
    broker: str | None = None  # who recorded it (megler.brokers)


class Visit(SQLModel, table=True):
    __table_args__ = {"sqlite_autoincrement": True}

    id: int | None = Field(default=None, primary_key=True)
    date: dt.date = Field(index=True)
    kind: str = "visit"
    notes: str | None = None
    since_last: str | None = None
    next_steps: str | None = None
    broker: str | None = None  # who recorded it (megler.brokers)


class VisitOrg(SQLModel, table=True):
    """The orgs met at a visit; position 0 is the host, the others came to an event."""

    visit_id: int = Field(foreign_key="visit.id", primary_key=True, ondelete="CASCADE")
    org_id: int = Field(foreign_key="org.id", primary_key=True, index=True)
    position: int = 0


class VisitContact(SQLModel, table=True):
    visit_id: int = Field(foreign_key="visit.id", primary_key=True, ondelete="CASCADE")
    contact_id: int = Field(foreign_key="contact.id", primary_key=True, ondelete="CASCADE")


class Need(SQLModel, table=True):
    __table_args__ = {"sqlite_autoincrement": True}

    id: int | None = Field(default=None, primary_key=True)
    org_id: int = Field(foreign_key="org.id", index=True)
    visit_id: int | None = Field(default=None, foreign_key="visit.id", ondelete="SET NULL")
    text: str
    kind: str = "competence"
    people: int | None = None
    status: str = "open"
    date: dt.date = Field(index=True)
    closed_on: dt.date | None = None
    broker: str | None = None  # who recorded it (megler.brokers)


class CatalogImport(SQLModel, table=True):
    """One `catalog import`: which file, which content, what it did."""

    __table_args__ = {"sqlite_autoincrement": True}

    id: int | None = Field(default=None, primary_key=True)
    imported_at: dt.datetime = Field(default_factory=now)
    source: str
    sha256: str
    added: int = 0
    changed: int = 0
    retired: int = 0


class Word(TypeDecorator):
    """A vocabulary word: stored as text, read back as its member (an unknown word as text)."""

    impl: type[TypeEngine] = AutoString  # Words stores JSON instead
    cache_ok = True

    def __init__(self, vocabulary: type[StrEnum]):
        super().__init__()
        self.vocabulary = vocabulary

    def process_result_value(self, value, dialect):
        return self.word(value)

    def word(self, value):
        return self.vocabulary._value2member_map_.get(value, value)


class Words(Word):
    """A list of vocabulary words, stored as JSON."""

    impl = JSON
    cache_ok = True

    def process_result_value(self, value, dialect):
        return None if value is None else [self.word(v) for v in value]


class CatalogEntryBase(SQLModel):
    """What a catalog entry says, flat (an offering has inherited from its provider).

    Defined once: the table below stores it, and `catalog.EntryIn` validates it on
    its way in. Words are stored as text and read back as words, lists as JSON.
    """

    key: str = Field(unique=True)  # the stable id written in the YAML
    kind: EntryKind = Field(sa_type=Word(EntryKind))
    name: str
    provider: str | None = None
    agency: str | None = None
    description: str = ""
    keywords: list[str] = Field(default_factory=list, sa_type=JSON)
    language: Language = Field(Language.nb, sa_type=Word(Language))
    country: Country = Field(Country.NO, sa_type=Word(Country))
    regions: list[str] = Field(default_factory=list, sa_type=JSON)
    audience: list[Audience] = Field(default_factory=list, sa_type=Words(Audience))
    min_employees: int | None = None
    max_employees: int | None = None
    deadline: dt.date | None = None
    valid_from: dt.date | None = None
    valid_to: dt.date | None = None
    cost: int | None = None           # per participant, in `currency`
    max_amount: int | None = None     # the largest grant or loan, in `currency`
    currency: Currency = Field(Currency.NOK, sa_type=Word(Currency),
                               sa_column_kwargs={"server_default": "NOK"})
    url: str | None = None
    contact: str | None = None
    delivery: list[Delivery] = Field(default_factory=list, sa_type=Words(Delivery),
                                     sa_column_kwargs={"server_default": "[]"})
    campus: list[str] = Field(default_factory=list, sa_type=JSON,
                              sa_column_kwargs={"server_default": "[]"})  # where it meets


class CatalogEntry(CatalogEntryBase, table=True):
    __table_args__ = {"sqlite_autoincrement": True}

    id: int | None = Field(default=None, primary_key=True)
    content_hash: str = ""
    import_id: int | None = Field(default=None, foreign_key="catalogimport.id")
    retired_on: dt.date | None = None


class Referral(SQLModel, table=True):
    """A need sent to a target: a catalog entry, or free text before the catalog knew it.

    The columns hold the current state; `ReferralEvent` holds every change with its
    date, so that the state on any past day can be rebuilt.
    """

    __table_args__ = {"sqlite_autoincrement": True}

    id: int | None = Field(default=None, primary_key=True)
    need_id: int = Field(foreign_key="need.id", index=True)
    entry_id: int | None = Field(default=None, foreign_key="catalogentry.id", index=True)
    target: str
    status: str = "suggested"
    date: dt.date
    amount_applied: int | None = None
    amount_granted: int | None = None
    participants: int | None = None
    note: str | None = None
    # The one currency of the amounts, its entry's or its org's; see referrals.currency_for
    currency: str = Field("NOK", sa_column_kwargs={"server_default": "NOK"})
    broker: str | None = None  # who recorded it (megler.brokers)


class ReferralEvent(SQLModel, table=True):
    __table_args__ = {"sqlite_autoincrement": True}

    id: int | None = Field(default=None, primary_key=True)
    referral_id: int = Field(foreign_key="referral.id", index=True, ondelete="CASCADE")
    status: str
    date: dt.date = Field(index=True)
    amount_applied: int | None = None
    amount_granted: int | None = None
    participants: int | None = None
    note: str | None = None


class Followup(SQLModel, table=True):
    __table_args__ = {"sqlite_autoincrement": True}

    id: int | None = Field(default=None, primary_key=True)
    org_id: int | None = Field(default=None, foreign_key="org.id", index=True)
    need_id: int | None = Field(default=None, foreign_key="need.id", ondelete="SET NULL")
    referral_id: int | None = Field(default=None, foreign_key="referral.id", ondelete="SET NULL")
    due: dt.date = Field(index=True)
    text: str
    created: dt.date = Field(default_factory=today)
    done_on: dt.date | None = None
    broker: str | None = None  # who recorded it (megler.brokers)


class Goal(SQLModel, table=True):
    __table_args__ = (UniqueConstraint("period", "indicator"), {"sqlite_autoincrement": True})

    id: int | None = Field(default=None, primary_key=True)
    period: str
    indicator: str
    target: float


class Cluster(SQLModel, table=True):
    """One municipality of a named cluster (`network clusters import`, megler.clusters): a
    cluster is the rows of its name, and a municipality may be in several clusters.
    Names are NFC as typed; an org's municipality is in a cluster when the two are
    equal but for case."""

    name: str = Field(primary_key=True)
    municipality: str = Field(primary_key=True)


class Audit(SQLModel, table=True):
    """One row touched by one command: when, which command, which table and id.

    Never the values themselves: the log must hold no personal data. Written by
    `megler.audit`, never by hand; triggers refuse updates and deletes.
    """

    __table_args__ = {"sqlite_autoincrement": True}

    id: int | None = Field(default=None, primary_key=True)
    time: dt.datetime = Field(default_factory=now, index=True)
    command: str
    action: str           # add | change | delete
    entity: str           # the table's name
    entity_id: str | None = None  # "12", or "12/3" for a link table; None: many rows
    broker: str | None = None     # who wrote it (megler.brokers)


def ident(id: int | None) -> int:
    """A stored row's id: the models allow None only for a row not yet flushed."""
    assert id is not None, "the row has no id yet: flush it first"
    return id


class Undo(SQLModel, table=True):
    """What one undoable command changed (megler.undo): before-images of its rows, as JSON.

    `audit_from`..`audit_id` are the command's own audit rows: a later row touching the
    same records, unless of a command undone since, makes it no longer undoable.
    """

    __table_args__ = {"sqlite_autoincrement": True}

    id: int | None = Field(default=None, primary_key=True)
    time: dt.datetime = Field(default_factory=now)
    command: str
    images: str
    audit_from: int
    audit_id: int
    undone_at: dt.datetime | None = None


def _wide_integers() -> None:
    """Every whole number 64 bits on both backends: SQLite's INTEGER is already, and an
    INTEGER PRIMARY KEY must stay so to be the rowid; PostgreSQL's is BIGINT (m011)."""
    wide = BigInteger().with_variant(Integer(), "sqlite")
    for table in SQLModel.metadata.tables.values():
        for column in table.columns:
            if type(column.type) is Integer:
                column.type = wide


_wide_integers()

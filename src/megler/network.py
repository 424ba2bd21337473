"""A network of brokers on one PostgreSQL store: brokers are roles, and the server's
row-level security decides who sees and changes what, for megler and any other client.

Two group roles per database (`<db>_brokers`, `<db>_coordinators`, so that networks
sharing a server stay apart) hold the rights; each broker is a login role in one of
them. The policy, as the README's table states it:

- orgs, their facts, the catalog, the goals and the municipal clusters are the network's:
  all read and write them;
- visits, needs and referrals (with their events and orgs) are seen by all, changed by the
  broker who recorded them and by coordinators;
- contacts, follow-ups, the audit rows and undo's before-images are seen and changed only
  by their broker and by coordinators; so are the search hits in visit notes and contacts.
"""

import re
import secrets
import unicodedata
from dataclasses import dataclass
from typing import TYPE_CHECKING

from sqlmodel import Session

from megler.errors import InvalidInput, NotFound
from megler.sql import on_postgres, rows, value
from megler.sql import statement as _run

if TYPE_CHECKING:
    from megler.models import Org
    from megler.orgs import OrgFields

# Tables all brokers share outright.
SHARED = ("org", "orgfact", "catalogentry", "catalogimport", "goal", "cluster", "search_stale")
# Seen by all; changed by their broker (or a coordinator).
SEEN_BY_ALL = ("visit", "need", "referral")
# Seen and changed only by their broker (or a coordinator).
PRIVATE = ("contact", "followup")
# Rows that belong to another table's row: (table, its key, the owning table).
BELONGING = (("visitorg", "visit_id", "visit"), ("referralevent", "referral_id", "referral"))
# Which row of a broker's own store became which of the network's (megler.joining).
LEDGER = """CREATE TABLE IF NOT EXISTS networkjoin (
    store TEXT NOT NULL, entity TEXT NOT NULL, old_id BIGINT NOT NULL, new_id BIGINT NOT NULL,
    PRIMARY KEY (store, entity, old_id))"""
# A policy: its name, the command it covers, USING (rows it sees) and WITH CHECK (rows it writes).
Rule = tuple[str, str, str | None, str | None]
_NAME = re.compile(r"^[^\W\d][\w.-]{0,62}$")  # a letter first; letters, digits, _ . -


def _functions(groups: "Groups") -> str:
    """Who may see and change a broker's records: the broker and the coordinators."""
    # A coordinator, or the store's owner (in no group: it reads the tables themselves).
    return f"""
        CREATE OR REPLACE FUNCTION megler_coordinator() RETURNS boolean LANGUAGE sql STABLE
            AS $$ SELECT pg_has_role(current_user, '{groups.coordinators}', 'MEMBER')
                      OR NOT pg_has_role(current_user, '{groups.brokers}', 'MEMBER') $$;
        CREATE OR REPLACE FUNCTION megler_mine(owner text) RETURNS boolean LANGUAGE sql STABLE
            AS $$ SELECT coalesce(owner = current_user, false) OR megler_coordinator() $$"""


def _sql(groups: "Groups") -> str:
    """The grants and policies `network init` puts in (re-run: replaced)."""
    mine = "megler_mine(broker)"
    statements = [
        f"GRANT USAGE ON SCHEMA public TO {groups.brokers}",
        f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {groups.brokers}",
        f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {groups.brokers}",
        f"REVOKE INSERT, UPDATE, DELETE ON _migrations FROM {groups.brokers}",
        f"REVOKE UPDATE, DELETE ON audit FROM {groups.brokers}",
    ]
    policies: dict[str, list[Rule]] = {table: [("shared", "ALL", "true", "true")] for table in SHARED}
    for table in SEEN_BY_ALL:
        policies[table] = [("seen", "SELECT", "true", None), ("added", "INSERT", None, mine),
                           ("changed", "UPDATE", mine, mine), ("removed", "DELETE", mine, None)]
    for table in PRIVATE:
        policies[table] = [("own", "ALL", mine, mine)]
    for table, key, owner in BELONGING:
        owned = f"EXISTS (SELECT 1 FROM {owner} o WHERE o.id = {key} AND megler_mine(o.broker))"
        policies[table] = [("seen", "SELECT", "true", None), ("added", "INSERT", None, owned),
                           ("changed", "UPDATE", owned, owned), ("removed", "DELETE", owned, None)]
    visible_visit = "EXISTS (SELECT 1 FROM visit v WHERE v.id = visit_id AND megler_mine(v.broker))"
    policies["visitcontact"] = [("own", "ALL", visible_visit, visible_visit)]
    policies["audit"] = [("own", "SELECT", mine, None),
                         ("added", "INSERT", None, "broker = current_user")]
    own_command = "EXISTS (SELECT 1 FROM audit a WHERE a.id = audit_id)"  # the audit policy holds
    policies["undo"] = [("own", "ALL", own_command, own_command)]
    # The index holds a folded copy of the text: a hit shows only where its row would.
    hit = ("CASE rowid % 8 WHEN 2 THEN EXISTS (SELECT 1 FROM visit v WHERE v.id = rowid / 8 "
           "AND megler_mine(v.broker)) WHEN 4 THEN EXISTS (SELECT 1 FROM contact c "
           "WHERE c.id = rowid / 8) ELSE true END")
    policies["search"] = [("seen", "SELECT", hit, None), ("added", "INSERT", None, "true"),
                          ("changed", "UPDATE", hit, "true"), ("removed", "DELETE", hit, None)]
    for table, rules in policies.items():
        table = f"{table}_row" if table in PRIVATE_TEXT else table
        statements.append(f"ALTER TABLE {table} ENABLE ROW LEVEL SECURITY")
        for name, command, using, check in rules:
            statements.append(f"DROP POLICY IF EXISTS megler_{name} ON {table}")
            statements.append(f"CREATE POLICY megler_{name} ON {table} FOR {command} TO {groups.brokers}"
                              + (f" USING ({using})" if using else "")
                              + (f" WITH CHECK ({check})" if check else ""))
    return ";\n".join(statements)


# Free text that only its broker and the coordinators read, in rows every broker sees.
# Row-level security hides rows, not columns: in a network each of these tables is a view
# of its rows (`visit` over `visit_row`) that shows the text where megler_mine() holds
# and NULL elsewhere, while the brokers may read every column of the rows but the text.
# Writes go through the view to the rows, where the policies hold as for any table.
PRIVATE_TEXT = {"visit": ("notes", "since_last", "next_steps"), "referral": ("note",),
                "referralevent": ("note",)}
_TEXT_OWNER = {"visit": "megler_mine(broker)", "referral": "megler_mine(broker)",
               "referralevent": "EXISTS (SELECT 1 FROM referral_row r WHERE r.id = referral_id "
                                "AND megler_mine(r.broker))"}


def _private_text(s: Session, groups: "Groups") -> tuple[str, str]:
    """The views over the rows with private text, with their defaults and write-through
    triggers; and (after the grants on every table) the columns the brokers may read."""
    from sqlmodel import SQLModel

    import megler.models  # noqa: F401  (registers the tables in SQLModel.metadata)

    views, grants = [], []
    for table, private in PRIVATE_TEXT.items():
        rows_of = f"{table}_row"
        first = value(s, "SELECT to_regclass(:t) IS NULL", t=rows_of)
        # (CASCADE: the policies that look a visit up go too; _sql puts them back)
        views.append(f"ALTER TABLE {table} RENAME TO {rows_of}" if first else f"DROP VIEW {table} CASCADE")
        columns = [c.name for c in SQLModel.metadata.tables[table].columns]
        shown = ", ".join(f"CASE WHEN {_TEXT_OWNER[table]} THEN {c} END AS {c}" if c in private else c
                          for c in columns)
        views.append(f"CREATE VIEW {table} WITH (security_barrier) AS SELECT {shown} FROM {rows_of}")
        views += [f"ALTER VIEW {table} ALTER COLUMN {c} SET DEFAULT {default}" for c, default in rows(
            s, "SELECT column_name, column_default FROM information_schema.columns "
               "WHERE table_name = :t AND column_default IS NOT NULL", t=table if first else rows_of)]
        listed, new = ", ".join(columns), ", ".join(f"NEW.{c}" for c in columns)
        views.append(f"""CREATE OR REPLACE FUNCTION megler_{table}_write() RETURNS trigger
            LANGUAGE plpgsql AS $$ BEGIN
              IF TG_OP = 'INSERT' THEN
                INSERT INTO {rows_of} ({listed}) VALUES ({new}); RETURN NEW;
              ELSIF TG_OP = 'UPDATE' THEN
                UPDATE {rows_of} SET ({listed}) = ({new}) WHERE id = OLD.id;
                RETURN CASE WHEN FOUND THEN NEW END;
              END IF;
              DELETE FROM {rows_of} WHERE id = OLD.id;
              RETURN CASE WHEN FOUND THEN OLD END;
            END $$""")
        views.append(f"CREATE TRIGGER megler_write INSTEAD OF INSERT OR UPDATE OR DELETE ON {table} "
                     f"FOR EACH ROW EXECUTE FUNCTION megler_{table}_write()")
        readable = ", ".join(c for c in columns if c not in private)
        grants += [f"REVOKE SELECT ON {rows_of} FROM {groups.brokers}",
                   f"GRANT SELECT ({readable}) ON {rows_of} TO {groups.brokers}"]
    return ";\n".join(views), ";\n".join(grants)


@dataclass(frozen=True)
class Groups:
    """The database's two group roles."""

    brokers: str
    coordinators: str


def groups(s: Session) -> Groups:
    database = value(s, "SELECT current_database()")
    stem = re.sub(r"\W", "_", database.lower())[:40]
    return Groups(f"{stem}_brokers", f"{stem}_coordinators")


def init(s: Session) -> Groups:
    """Make the store a network's (again: the policies are put back as this megler has them)."""
    _needs_postgres(s)
    found = groups(s)
    for role in (found.brokers, found.coordinators):
        if not value(s, "SELECT count(*) FROM pg_roles WHERE rolname = :role", role=role):
            _run(s, f"CREATE ROLE {role} NOLOGIN")
    _run(s, f"GRANT {found.brokers} TO {found.coordinators}")
    _run(s, LEDGER)
    _run(s, _functions(found))
    views, grants = _private_text(s, found)
    _run(s, views)
    _run(s, _sql(found))
    _run(s, grants)
    return found


@dataclass(frozen=True)
class Broker:
    name: str
    coordinator: bool
    can_log_in: bool


def add_broker(s: Session, name: str, password: str | None, *, coordinator: bool = False) -> str:
    """A login role in the network's broker (or coordinator) group; its password, made
    here when none is given (to be printed once)."""
    found = _network(s)
    name = role_name(name)
    if value(s, "SELECT count(*) FROM pg_roles WHERE rolname = :name", name=name):
        raise InvalidInput(f"{name} is a role on this server already; choose another name")
    password = password or secrets.token_urlsafe(18)
    if len(password) < 8:
        raise InvalidInput("a broker's password needs at least 8 characters")
    from megler import postgres

    # The server is sent a SCRAM hash, so the password is in no server log.
    hashed = postgres.password_hash(s.connection(), password, name)
    _run(s, f'CREATE ROLE "{name}" LOGIN PASSWORD \'{hashed}\' IN ROLE '
            f"{found.coordinators if coordinator else found.brokers}")
    return password


def brokers(s: Session) -> list[Broker]:
    found = _network(s)
    return [Broker(name, bool(coordinator), bool(login)) for name, coordinator, login in rows(s, """
        SELECT r.rolname, pg_has_role(r.oid, :coordinators, 'MEMBER'), r.rolcanlogin
        FROM pg_roles r WHERE pg_has_role(r.oid, :brokers, 'MEMBER') AND NOT r.rolsuper
          AND r.rolname NOT IN (:brokers, :coordinators) ORDER BY r.rolname""",
        brokers=found.brokers, coordinators=found.coordinators)]


def remove_broker(s: Session, name: str) -> None:
    """End a broker's login; their records stay, under their name."""
    name = role_name(name)
    if name not in {b.name for b in brokers(s)}:
        raise NotFound(f"no broker {name} in this network (megler network brokers lists them)")
    _run(s, f'ALTER ROLE "{name}" NOLOGIN')


def role_name(name: str) -> str:
    name = unicodedata.normalize("NFC", name.strip())
    if not _NAME.match(name):
        raise InvalidInput(f"{name!r} cannot be a broker's name: a letter first, then letters, "
                           "digits, _ . or - (at most 63)")
    return name


def is_network(s: Session) -> bool:
    """Is the store a network's (`network init` has run)?"""
    return on_postgres(s) and value(s, "SELECT to_regproc('megler_coordinator') IS NOT NULL")


def known_in_network(s: Session, fields: "OrgFields") -> "Org | None":
    """In a network, the org a colleague added already: the same org number, else (neither
    has one) the same name. The network has one row per org, which every broker's visits
    hang on; on a broker's own store a second one is the broker's to decide."""
    from sqlalchemy import func
    from sqlmodel import col, select

    from megler.models import Org
    from megler.orgs import validate_orgnr

    if not is_network(s):
        return None
    typed = fields.cleaned()
    if typed.get("orgnr"):
        compact, _ = validate_orgnr(typed["orgnr"], typed.get("country"))
        return s.exec(select(Org).where(Org.orgnr == compact)).first()
    name = typed.get("name")
    return s.exec(select(Org).where(func.lower(col(Org.name)) == name.lower(), col(Org.orgnr).is_(None))
                  ).first() if name else None


def last_visit(s: Session, org_id: int) -> tuple[str, str | None] | None:
    """The date and broker of an org's latest visit, whoever made it."""
    found = rows(s, "SELECT v.date, v.broker FROM visit v JOIN visitorg vo ON vo.visit_id = v.id "
                    "WHERE vo.org_id = :org ORDER BY v.date DESC, v.id DESC LIMIT 1", org=org_id)
    return found[0] if found else None


def _network(s: Session) -> Groups:
    _needs_postgres(s)
    found = groups(s)
    if not value(s, "SELECT count(*) FROM pg_roles WHERE rolname = :role", role=found.brokers):
        raise InvalidInput("this store is no network yet: its owner runs megler network init")
    return found


def _needs_postgres(s: Session) -> None:
    if not on_postgres(s):
        raise InvalidInput("a network of brokers shares a PostgreSQL store: give --db postgresql://…")

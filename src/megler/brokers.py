"""Who recorded what: every visit, need, referral, follow-up and contact carries its broker,
and so does every audit row.

The broker at the keyboard is, on PostgreSQL, the role megler logged in as (the server
vouches for it: `current_user`); on SQLite, the `broker` setting, else the login name.
A record from before megler kept brokers has none: `--mine` takes it in (the store was
its owner's), `--broker NAME` does not.
"""

from dataclasses import dataclass

from sqlalchemy import event, or_
from sqlmodel import Session, col

from megler.errors import InvalidInput

_KEY = "megler.broker"


def current(s: Session) -> str | None:
    """The broker of this session, looked up once."""
    if _KEY not in s.info:
        s.info[_KEY] = _who(s)
    return s.info[_KEY]


def _who(s: Session) -> str | None:
    if s.get_bind().dialect.name == "postgresql":
        from megler import sql

        return sql.value(s, "SELECT current_user")
    from megler import config

    return config.get("broker") or _login()


def _login() -> str | None:
    import getpass

    try:
        return getpass.getuser()
    except (OSError, KeyError):  # no name in the environment and none in the password file
        return None


def install(s: Session) -> None:
    """Put every record this writing session adds down to its broker."""
    event.listen(s, "before_flush", _stamp)


def _stamp(s: Session, _context, _instances) -> None:
    for record in s.new:
        if hasattr(record, "broker") and record.broker is None:
            record.broker = current(s)
    for record in (*s.dirty, *s.deleted):
        owner = getattr(record, "broker", None)
        if owner not in (None, current(s)) and not _may_change_all(s):
            raise InvalidInput(f"{type(record).__name__.lower()} #{record.id} is {owner}'s: in a "
                               "network a broker changes only their own records, a coordinator any")


def _may_change_all(s: Session) -> bool:
    """Is this session a network coordinator's, or not in a network at all? (The server's
    row-level security holds the same rule; megler says it in a line of its own.)"""
    if "megler.coordinator" not in s.info:
        from megler import sql

        s.info["megler.coordinator"] = (
            not sql.on_postgres(s) or sql.value(s, "SELECT to_regproc('megler_coordinator')") is None
            or sql.value(s, "SELECT megler_coordinator()"))
    return s.info["megler.coordinator"]


@dataclass(frozen=True)
class Whose:
    """Whose records a list holds: one broker's, or the one at the keyboard's (`--mine`),
    which takes in the records from before megler kept brokers (they were theirs)."""

    broker: str
    mine: bool = False


def whose(s: Session, *, mine: bool, broker: str | None) -> Whose | None:
    """What `--mine` and `--broker NAME` ask for; None is everyone's."""
    if mine and broker:
        raise InvalidInput("give --mine or --broker NAME, not both")
    if mine:
        me = current(s)
        return Whose(me, mine=True) if me else None
    if broker is None:
        return None
    from megler.parse import clean_text  # not at the top: `megler due` would pay for it

    name = clean_text(broker)
    if not name:
        raise InvalidInput("--broker needs a name")
    return Whose(name)


def only(query, model, who: Whose | None):
    """`query` narrowed to `who`'s records."""
    if who is None:
        return query
    column = col(model.broker)
    return query.where(or_(column == who.broker, column.is_(None)) if who.mine
                       else column == who.broker)

"""The ranked list of what wants the broker's attention today (`megler due`).

Overdue follow-ups first, then those due soon, then referrals with no change for a
month and orgs not met for half a year. Each item carries the named parts of its
score, so the ranking can explain itself. This module reads with plain SQL and does
not load the models: `megler due` runs every morning and should start at once.
"""

from dataclasses import dataclass, field
from datetime import date, timedelta

from sqlmodel import Session

from megler import sql
from megler.brokers import Whose
from megler.sql import in_list
from megler.vocabulary import NEED_ACTIVE, REFERRAL_OPEN

# What makes an item urgent and how much; `megler due` sorts by the sum of the parts
# and `--explain` says them in words.
# The tiers never overlap: overdue 202 and up (the longer a promise lies broken, the
# higher: nothing ranks above it to overtake), due soon 65-100, stale referrals 54-62
# (an application or a course stalls), quiet orgs 20-45. Below the top tier a count
# is capped, so a tier stays within its band; ties go to the older item.
WEIGHTS = {
    "overdue": 200,            # a promise already broken ...
    "per_day_overdue": 2,      # ... and worse each day
    "due_soon": 100,           # due within SOON_DAYS: less for each day further out
    "per_day_ahead": -5,
    "stale_referral": 50,      # a referral in progress with no change for STALE_DAYS
    "per_week_stale": 1,       # ... for up to MOST_WEEKS_STALE weeks
    "quiet_org": 20,           # an org not met for QUIET_DAYS
    "per_active_need": 5,      # ... more so with needs still open or referred (up to 5)
}
MOST_WEEKS_STALE = 12
MOST_ACTIVE_NEEDS = 5
SOON_DAYS = 7
STALE_DAYS = 30    # also what `megler check` calls a quiet referral
QUIET_DAYS = 180


@dataclass
class DueItem:
    kind: str             # followup | referral | org
    id: int
    org: str | None
    text: str
    date: date            # due date, last change, or last visit
    parts: dict[str, int] = field(default_factory=dict)  # keys of WEIGHTS
    why: str = ""         # the parts in words: "overdue by 12 days: 200+12×2"

    @property
    def score(self) -> int:
        return sum(self.parts.values())

    def row(self) -> dict:
        return {"kind": self.kind, "id": self.id, "org": self.org, "text": self.text,
                "date": self.date, "score": self.score, "why": self.why}


def _scored(item: DueItem, situation: str, base: str, per: str, count: int,
            most: int | None = None) -> DueItem:
    """The item with its score: the base weight, plus the per-unit weight `count` times
    (at most `most`), and the same in words."""
    n = count if most is None else min(count, most)
    item.parts = {base: WEIGHTS[base], per: WEIGHTS[per] * n}
    sign = "+" if WEIGHTS[per] >= 0 else "−"
    # the sum without spaces, so that a narrow column wraps it whole
    item.why = f"{situation}: {WEIGHTS[base]}" + (f"{sign}{n}×{abs(WEIGHTS[per])}" if n else "")
    if n < count:
        item.why += f" (counted up to {most})"
    return item


def due_list(s: Session, today: date, limit: int | None = 20,
             whose: Whose | None = None) -> list[DueItem]:
    """What wants the broker's attention today, most urgent first: `whose` follow-ups and
    referrals (None: everyone's), and the orgs nobody has met for long.

    Each source is read in its own order of urgency, so the top `limit` of each
    holds the top `limit` of all: a big store costs no more than a small one.
    """
    items = (_due_followups(s, today, limit, whose) + _stale_referrals(s, today, limit, whose)
             + _quiet_orgs(s, today, limit))
    return sorted(items, key=lambda item: (-item.score, item.date))[:limit]


# The due queries are plain SQL: they run on every `megler due`, and compiling the
# same statements from SQLAlchemy constructs costs more than running them.
DUE_FOLLOWUPS = """
    SELECT f.id, o.name, f.text, f.due FROM followup f LEFT JOIN org o ON o.id = f.org_id
    WHERE f.done_on IS NULL AND f.due <= :horizon {whose} ORDER BY f.due LIMIT :limit"""
STALE_REFERRALS = f"""
    SELECT r.id, o.name, r.target, r.status, e.last FROM referral r
    JOIN (SELECT referral_id, max(date) AS last FROM referralevent GROUP BY referral_id) e
      ON e.referral_id = r.id
    JOIN need n ON n.id = r.need_id JOIN org o ON o.id = n.org_id
    WHERE r.status IN {in_list(REFERRAL_OPEN)}
      AND e.last < :cutoff {{whose}} ORDER BY e.last LIMIT :limit"""
# Visits first (CROSS JOIN keeps SQLite to that order): the date index and visitorg's key
# hold all this needs, so no visit row with its notes is read (0.7 s to 0.3 s at a decade).
QUIET_ORGS = f"""
    SELECT o.id, o.name, v.last, coalesce(n.active, 0) AS active FROM org o
    JOIN (SELECT vo.org_id, max(v.date) AS last FROM visit v CROSS JOIN visitorg vo
          WHERE vo.visit_id = v.id GROUP BY vo.org_id) v ON v.org_id = o.id
    LEFT JOIN (SELECT org_id, count(*) AS active FROM need
               WHERE status IN {in_list(NEED_ACTIVE)} GROUP BY org_id) n ON n.org_id = o.id
    WHERE v.last < :cutoff ORDER BY active DESC, v.last LIMIT :limit"""


def _rows(s: Session, query: str, *, limit: int | None, **values) -> list[tuple]:
    return sql.rows(s, query, limit=sql.NO_LIMIT if limit is None else limit, **values)


def _of(query: str, column: str, whose: Whose | None) -> tuple[str, dict]:
    """The query with its {whose} slot narrowed to `whose` records by `column`."""
    if whose is None:
        return query.format(whose=""), {}
    before = f" OR {column} IS NULL" if whose.mine else ""  # recorded before megler kept brokers
    return query.format(whose=f"AND ({column} = :broker{before})"), {"broker": whose.broker}


def _due_followups(s: Session, today: date, limit: int | None, whose: Whose | None) -> list[DueItem]:
    horizon = today + timedelta(days=SOON_DAYS)
    query, mine = _of(DUE_FOLLOWUPS, "f.broker", whose)
    return [_urgency(DueItem("followup", id_, name, text_, _day(due)), today)
            for id_, name, text_, due in _rows(s, query, horizon=horizon, limit=limit, **mine)]


def _urgency(item: DueItem, today: date) -> DueItem:
    late = (today - item.date).days
    if late > 0:
        return _scored(item, f"overdue by {_counted(late, 'day')}", "overdue",
                       "per_day_overdue", late)
    when = {0: "due today", -1: "due tomorrow"}.get(late, f"due in {_counted(-late, 'day')}")
    return _scored(item, when, "due_soon", "per_day_ahead", -late)


def _stale_referrals(s: Session, today: date, limit: int | None,
                     whose: Whose | None) -> list[DueItem]:
    query, mine = _of(STALE_REFERRALS, "r.broker", whose)
    rows = _rows(s, query, cutoff=today - timedelta(days=STALE_DAYS), limit=limit, **mine)
    items = []
    for id_, name, target, status, last in rows:
        item = DueItem("referral", id_, name, f"{target} ({status}): no change since {last}",
                       _day(last))
        weeks = (today - item.date).days // 7
        items.append(_scored(item, f"no change for {_counted(weeks, 'week')}",
                             "stale_referral", "per_week_stale", weeks, MOST_WEEKS_STALE))
    return items


def _quiet_orgs(s: Session, today: date, limit: int | None) -> list[DueItem]:
    rows = _rows(s, QUIET_ORGS, cutoff=today - timedelta(days=QUIET_DAYS), limit=limit)
    items = []
    for id_, name, last, active in rows:
        item = DueItem("org", id_, name, f"not met since {last}", _day(last))
        months = (today - item.date).days * 12 // 365
        situation = (f"not met for {_counted(months, 'month')}, "
                     f"{_counted(active, 'active need')}")
        items.append(_scored(item, situation, "quiet_org", "per_active_need", active,
                             MOST_ACTIVE_NEEDS))
    return items


def _counted(n: int, unit: str) -> str:
    # not reports.i18n.counted: importing the reports package would slow every `megler due`
    return f"{n} {unit}{'' if n == 1 else 's'}"


def _day(value: str | date) -> date:
    return value if isinstance(value, date) else date.fromisoformat(value)

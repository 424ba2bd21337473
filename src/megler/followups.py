"""Follow-ups promised between meetings, and the ranked list of what is due today."""

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import func
from sqlmodel import Session, select

from megler.errors import InvalidInput, NotFound
from megler.models import Followup, Need, Org, Referral, ReferralEvent, Visit, VisitOrg
from megler.parse import clean_text
from megler.referrals import OPEN_STATUSES

# What makes an item urgent and how much; `megler due` sorts by the sum of the parts
# and `--explain` shows them.
WEIGHTS = {
    "overdue": 100,            # a promise already broken ...
    "per_day_overdue": 2,      # ... and worse each day, for up to a month
    "due_soon": 60,            # due within SOON_DAYS: less for each day further out
    "per_day_ahead": -6,
    "stale_referral": 40,      # a referral in progress with no change for STALE_DAYS
    "per_week_stale": 2,
    "quiet_org": 20,           # an org not met for QUIET_DAYS
    "per_open_need": 5,        # ... more so when it has needs still open
}
SOON_DAYS = 7
STALE_DAYS = 30
QUIET_DAYS = 180


@dataclass
class DueItem:
    kind: str             # followup | referral | org
    id: int
    org: str | None
    text: str
    date: date            # due date, last change, or last visit
    parts: dict[str, float] = field(default_factory=dict)

    @property
    def score(self) -> float:
        return sum(self.parts.values())

    def row(self) -> dict:
        return {"kind": self.kind, "id": self.id, "org": self.org, "text": self.text,
                "date": self.date, "score": round(self.score, 1),
                "why": ", ".join(f"{k} {v:+g}" for k, v in self.parts.items())}


def add_followup(s: Session, due: date, text: str, *, org: Org | None = None,
                 need_id: int | None = None, referral_id: int | None = None,
                 today: date) -> Followup:
    text = clean_text(text)
    if not text:
        raise InvalidInput("a follow-up needs a text (--text)")
    org_id = org.id if org else _org_of(s, need_id, referral_id)
    followup = Followup(org_id=org_id, need_id=need_id, referral_id=referral_id,
                        due=due, text=text, created=today)
    s.add(followup)
    s.flush()
    return followup


def _org_of(s: Session, need_id: int | None, referral_id: int | None) -> int | None:
    if referral_id is not None:
        referral = s.get(Referral, referral_id)
        if not referral:
            raise NotFound(f"no referral #{referral_id}")
        need_id = referral.need_id
    if need_id is not None:
        need = s.get(Need, need_id)
        if not need:
            raise NotFound(f"no need #{need_id}")
        return need.org_id
    return None


def done(s: Session, followup_id: int, on: date) -> Followup:
    followup = s.get(Followup, followup_id)
    if not followup:
        raise NotFound(f"no follow-up #{followup_id}")
    if followup.done_on:
        raise InvalidInput(f"follow-up #{followup_id} was done on {followup.done_on} already")
    followup.done_on = on
    s.add(followup)
    s.flush()
    return followup


def list_followups(s: Session, *, include_done: bool = False) -> list[dict]:
    query = (select(Followup, Org.name).outerjoin(Org, Org.id == Followup.org_id)
             .order_by(Followup.due, Followup.id))
    if not include_done:
        query = query.where(Followup.done_on.is_(None))
    return [followup_row(f) | {"org": name} for f, name in s.exec(query)]


def followup_row(f: Followup) -> dict:
    return {"id": f.id, "due": f.due, "text": f.text, "org_id": f.org_id,
            "need_id": f.need_id, "referral_id": f.referral_id, "done_on": f.done_on}


def due_list(s: Session, today: date) -> list[DueItem]:
    """Everything that wants the broker's attention today, most urgent first."""
    items = _due_followups(s, today) + _stale_referrals(s, today) + _quiet_orgs(s, today)
    return sorted(items, key=lambda item: (-item.score, item.date))


def _due_followups(s: Session, today: date) -> list[DueItem]:
    horizon = date.fromordinal(today.toordinal() + SOON_DAYS)
    rows = s.exec(select(Followup, Org.name).outerjoin(Org, Org.id == Followup.org_id)
                  .where(Followup.done_on.is_(None), Followup.due <= horizon)).all()
    return [DueItem("followup", f.id, name, f.text, f.due, _urgency(f.due, today))
            for f, name in rows]


def _urgency(due: date, today: date) -> dict[str, float]:
    days = (today - due).days
    if days > 0:
        return {"overdue": WEIGHTS["overdue"],
                "days overdue": WEIGHTS["per_day_overdue"] * min(days, 30)}
    return {"due_soon": WEIGHTS["due_soon"], "days ahead": WEIGHTS["per_day_ahead"] * -days}


def _stale_referrals(s: Session, today: date) -> list[DueItem]:
    last = func.max(ReferralEvent.date).label("last")
    changed = (select(ReferralEvent.referral_id, last)
               .group_by(ReferralEvent.referral_id).subquery())
    cutoff = date.fromordinal(today.toordinal() - STALE_DAYS)
    rows = s.exec(select(Referral, changed.c.last, Org.name)
                  .join(changed, changed.c.referral_id == Referral.id)
                  .join(Need, Need.id == Referral.need_id).join(Org, Org.id == Need.org_id)
                  .where(Referral.status.in_(OPEN_STATUSES), changed.c.last < cutoff)).all()
    return [DueItem("referral", r.id, name, f"{r.target} ({r.status}): no change since {when}",
                    when, {"stale_referral": WEIGHTS["stale_referral"],
                           "weeks quiet": WEIGHTS["per_week_stale"] * ((today - when).days // 7)})
            for r, when, name in rows]


def _quiet_orgs(s: Session, today: date) -> list[DueItem]:
    last = (select(VisitOrg.org_id, func.max(Visit.date).label("last"))
            .join(Visit, Visit.id == VisitOrg.visit_id).group_by(VisitOrg.org_id).subquery())
    open_needs = (select(Need.org_id, func.count().label("n"))
                  .where(Need.status.in_(("open", "referred"))).group_by(Need.org_id).subquery())
    cutoff = date.fromordinal(today.toordinal() - QUIET_DAYS)
    rows = s.exec(select(Org.id, Org.name, last.c.last, open_needs.c.n)
                  .join(last, last.c.org_id == Org.id)
                  .outerjoin(open_needs, open_needs.c.org_id == Org.id)
                  .where(last.c.last < cutoff)).all()
    return [DueItem("org", org_id, name, f"not met since {when}", when,
                    {"quiet_org": WEIGHTS["quiet_org"],
                     "open needs": WEIGHTS["per_open_need"] * (needs or 0)})
            for org_id, name, when, needs in rows]

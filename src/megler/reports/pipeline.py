"""Referral figures as they stood at the end of a period, rebuilt from ReferralEvent.

Each event holds the whole state after a change (status and amounts), so the
latest event dated on or before the period's end *is* the state then. The referral
table's own columns (today's state, the same as its latest event) stand in for it only
where no event came after the end. That is what makes a Q3 report run in December match
the one run in October.
"""

from sqlmodel import Session

from megler.errors import InvalidInput
from megler.reports.periods import Period
from megler.sql import in_list, one, rows
from megler.vocabulary import REFERRAL_OPEN, Currency, EntryKind, ReferralStatus

OTHER = "other"
# The steps forward the report counts: applications, grants and enrolments.
STEPS = (ReferralStatus.applied, ReferralStatus.granted, ReferralStatus.enrolled,
         ReferralStatus.completed)
TARGET_KINDS = (*EntryKind, OTHER)

# Each referral with its state at the end and whether it moved in the period. One not
# changed after the end stands as its own columns say (they hold its latest event:
# referrals.py writes both, `megler import` checks it), so only those changed since are
# rebuilt from their events: none for the quarter just ended, a few for an older one.
# The latest event is a lookup per referral on the referral_id index; a window over
# every event sorts the whole table and was five times slower on a 40,000-event store.
# Looked up in a MATERIALIZED CTE: in a join condition PostgreSQL hashes every event of
# the store instead (the report of a quarter a year back: 312 -> 99 ms at a decade).
_LATEST = """(SELECT x.id FROM referralevent x WHERE x.referral_id = {ref} AND x.date <= :end
              ORDER BY x.date DESC, x.id DESC LIMIT 1)"""
_STATE = f"""
WITH changed AS MATERIALIZED (
  SELECT r.id, {_LATEST.format(ref="r.id")} AS latest FROM referral r
  WHERE r.date <= :end AND r.id IN (SELECT referral_id FROM referralevent WHERE date > :end)
),
state AS (
  SELECT r.id AS referral_id, r.need_id, r.entry_id, r.target, r.currency, r.status,
         r.amount_applied, r.amount_granted, r.participants,
         r.id IN (SELECT referral_id FROM referralevent WHERE date >= :start) AS moved
  FROM referral r WHERE r.date <= :end AND r.id NOT IN (SELECT id FROM changed)
  UNION ALL
  SELECT r.id, r.need_id, r.entry_id, r.target, r.currency, e.status,
         e.amount_applied, e.amount_granted, e.participants, e.date >= :start
  FROM changed c JOIN referral r ON r.id = c.id JOIN referralevent e ON e.id = c.latest
)
"""
# The event before `e` for the same referral: a status differs from it when it moved.
_PREVIOUS_STATUS = """(SELECT p.status FROM referralevent p WHERE p.referral_id = e.referral_id
    AND (p.date < e.date OR (p.date = e.date AND p.id < e.id)) ORDER BY p.date DESC, p.id DESC LIMIT 1)"""

# A referral is in the period's picture when it changed in the period or was
# still in progress at its end; one closed before the period began is history.
_ACTIVE = f"(st.moved OR st.status IN {in_list(REFERRAL_OPEN)})"


def referral_figures(s: Session, period: Period) -> dict:
    return flows(s, period) | _state_counts(s, period)


def flows(s: Session, period: Period) -> dict:
    """What happened in the period: referrals made, applications, grants, enrolments."""
    made, rd_made = one(s, """
        SELECT COUNT(*), COUNT(*) FILTER (WHERE n.kind = 'rd') FROM referral r
        JOIN need n ON n.id = r.need_id WHERE r.date BETWEEN :start AND :end""",
                        start=period.start, end=period.end)
    return {"made": made, "rd_made": rd_made} | _moves(s, period)


def _state_counts(s: Session, period: Period) -> dict:
    grouped = rows(s, _STATE + f"""
        SELECT st.status, COALESCE(c.kind, '{OTHER}'), COALESCE(c.agency, c.provider), COUNT(*)
        FROM state st LEFT JOIN catalogentry c ON c.id = st.entry_id
        WHERE {_ACTIVE} GROUP BY 1, 2, 3""", start=period.start, end=period.end)
    by_status = dict.fromkeys(ReferralStatus, 0)
    by_kind = dict.fromkeys(TARGET_KINDS, 0)
    by_agency: dict[str, int] = {}
    for status, kind, agency, count in grouped:
        if status not in by_status:  # let in by an older `megler import`
            raise InvalidInput(f"a referral has the unknown status {status!r}; megler check lists it")
        by_status[status] += count
        by_kind[kind if kind in by_kind else OTHER] += count
        key = agency or OTHER
        by_agency[key] = by_agency.get(key, 0) + count
    return {"active": sum(by_status.values()), "by_status": by_status,
            "by_target_kind": by_kind, "by_agency": _ranked(by_agency)}


def _ranked(counts: dict[str, int]) -> dict[str, int]:
    """Largest first, "other" last whatever its size, so the table reads naturally."""
    named = sorted(((k, v) for k, v in counts.items() if k != OTHER), key=lambda kv: (-kv[1], kv[0]))
    return dict(named) | ({OTHER: counts[OTHER]} if OTHER in counts else {})


def _moves(s: Session, period: Period) -> dict:
    """What moved forward in the period: applications, grants, enrolments.

    A status counts once per referral and period, with the amounts as they stood
    at the end (an amount corrected later in the period is the one reported).
    Completing counts as enrolling when it follows another status (granted →
    completed), not when it follows enrolled: the people were counted then.
    """
    # The steps are few (hundreds a quarter), so each is looked up on its own: the event
    # before it, its latest event and its referral's currency. MATERIALIZED keeps
    # PostgreSQL from computing the event before three times over, and from folding the
    # lookups into joins that hash every event and referral of the store (123 -> 15 ms).
    grouped = rows(s, f"""
        WITH events AS MATERIALIZED (
          SELECT e.referral_id, e.status, {_PREVIOUS_STATUS} AS before
          FROM referralevent e WHERE e.date BETWEEN :start AND :end AND e.status IN {in_list(STEPS)}
        ), m AS MATERIALIZED (
          SELECT d.step, {_LATEST.format(ref="d.referral_id")} AS latest,
                 (SELECT r.currency FROM referral r WHERE r.id = d.referral_id) AS currency
          FROM (SELECT DISTINCT referral_id,
                       CASE WHEN status = 'completed' THEN 'enrolled' ELSE status END AS step
                FROM events WHERE (before IS NULL OR status <> before)
                  AND NOT (status = 'completed' AND before = 'enrolled')) d)
        SELECT m.step, m.currency, COUNT(*), COALESCE(SUM(st.amount_applied), 0),
               COALESCE(SUM(st.amount_granted), 0), COALESCE(SUM(st.participants), 0)
        FROM m JOIN referralevent st ON st.id = m.latest GROUP BY m.step, m.currency""",
                   start=period.start, end=period.end)
    counts = {"applications": 0, "grants": 0, "enrolments": 0, "participants": 0}
    money = {f"{c.lower()}_{what}": 0 for what in ("applied", "granted") for c in Currency}
    for step, currency, count, applied, granted, people in grouped:
        if step == "applied":
            counts["applications"] += count
            money[f"{currency.lower()}_applied"] += applied
        elif step == "granted":
            counts["grants"] += count
            money[f"{currency.lower()}_granted"] += granted
        elif step == "enrolled":
            counts["enrolments"] += count
            counts["participants"] += people
    # Never one sum of two currencies: an amount per currency (nok_granted, sek_granted).
    return counts | money


def awaiting_decision(s: Session, period: Period, limit: int) -> dict:
    """Referrals applied for and not yet decided at the end: how many, and the `limit`
    oldest applications."""
    # Applied on: the first 'applied' event after the last event of another status
    # (a referral declined and applied again counts from the new application).
    # Event ids follow the dates: update_referral refuses a change dated earlier.
    # Only the listed few are joined to their orgs: joined before the LIMIT, PostgreSQL
    # hashed every need of the store (155 -> 85 ms at a decade).
    found = rows(s, _STATE + """
        SELECT a.referral_id, o.name, a.target, a.amount_applied, a.currency, a.applied_on,
               a.total
        FROM (SELECT st.referral_id, st.need_id, st.target, st.amount_applied, st.currency,
                     (SELECT MIN(a.date) FROM referralevent a WHERE a.referral_id = st.referral_id
                        AND a.status = 'applied' AND a.date <= :end AND a.id > COALESCE(
                          (SELECT MAX(b.id) FROM referralevent b WHERE b.referral_id = st.referral_id
                             AND b.status != 'applied' AND b.date <= :end), 0)) AS applied_on,
                     COUNT(*) OVER () AS total
              FROM state st WHERE st.status = 'applied'
              ORDER BY applied_on, st.referral_id LIMIT :limit) a
        JOIN need n ON n.id = a.need_id JOIN org o ON o.id = n.org_id
        ORDER BY a.applied_on, a.referral_id""",
                 start=period.start, end=period.end, limit=limit)
    return {"total": found[0][-1] if found else 0,
            "items": [{"id": i, "org": org, "target": target, "amount_applied": amount,
                       "currency": currency, "applied_on": on}
                      for i, org, target, amount, currency, on, _ in found]}

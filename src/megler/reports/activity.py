"""Visits, orgs reached, needs and follow-ups of a period, as SQL aggregates.

Only rows that existed by the end of the period count, and states are taken as
they stood at the end: a need closed later was still open or referred then.
"""

import statistics

from sqlmodel import Session

from megler.reports.nace import section_of
from megler.reports.periods import Period
from megler.sql import one, rows, value
from megler.vocabulary import NeedKind, NeedStatus, VisitKind

UNKNOWN = "unknown"
SIZE_BANDS = ("1-9", "10-49", "50-249", "250+", UNKNOWN)

# The orgs met in the period. "New" means never met before the period began:
# a lookup per org stops at the first earlier visit, where MIN(date) over every
# visit of every org met read the whole history (four times slower). It is a scalar
# subquery with LIMIT, not NOT EXISTS, which PostgreSQL turns into a hash of every
# org ever met (0.36 s at a decade, 0.12 s so). The period's visits are MATERIALIZED so
# that PostgreSQL reads their orgs on visitorg's key, not by hashing all of visitorg.
_MET = """
WITH period_visits AS MATERIALIZED (SELECT id FROM visit WHERE date BETWEEN :start AND :end),
met AS (
  SELECT DISTINCT vo.org_id FROM period_visits v JOIN visitorg vo ON vo.visit_id = v.id
)
"""
_IS_NEW = """(SELECT 1 FROM visitorg b JOIN visit w ON w.id = b.visit_id
             WHERE b.org_id = o.id AND w.date < :start LIMIT 1) IS NULL"""


def _between(period: Period) -> dict:
    return {"start": period.start, "end": period.end}


def visits_by_kind(s: Session, period: Period) -> dict[str, int]:
    counts: dict[str, int] = dict.fromkeys(VisitKind, 0)
    counts.update(rows(s, "SELECT kind, COUNT(*) FROM visit WHERE date BETWEEN :start AND :end "
                          "GROUP BY kind", **_between(period)))
    return counts


def visits_per_month(s: Session, period: Period) -> dict[str, int]:
    counts = {f"{y}-{m:02d}": 0 for y, m in period.months()}
    counts.update(rows(s, "SELECT substr(date, 1, 7), COUNT(*) FROM visit "
                          "WHERE date BETWEEN :start AND :end GROUP BY 1", **_between(period)))
    return counts


def _at_end(field: str, day: str = ":end") -> str:
    """An org's `field` as it stood on `day`: the last value dated by then (orgfact; the
    values an org was added with hold from 0001-01-01), else the org's own column (an
    org imported without its history)."""
    facts = f"FROM orgfact f WHERE f.org_id = o.id AND f.field = '{field}' AND f.since <= {day}"
    own = _FLAG if field == "rd_experience" else f"o.{field}"
    return f"""CASE WHEN EXISTS (SELECT 1 {facts}) THEN (SELECT f.value {facts}
                 ORDER BY f.since DESC, f.id DESC LIMIT 1) ELSE CAST({own} AS TEXT) END"""


def changed_since(s: Session, field: str, day) -> dict[int, str | None]:
    """The orgs whose `field` changed after `day` (a dated fact later than it), each with
    the value it had on `day`; every other org's own column holds that value still."""
    return dict(rows(s, f"""SELECT o.id, {_at_end(field, ':day')} FROM org o
        WHERE EXISTS (SELECT 1 FROM orgfact f WHERE f.org_id = o.id AND f.field = :field
                      AND f.since > :day)""", day=day, field=field))


# The flag as 0 or 1, as its facts hold it: SQLite stores a boolean so, PostgreSQL does not.
_FLAG = "CASE WHEN o.rd_experience THEN 1 ELSE 0 END"


# The met orgs with what the report slices them by, as of the period's end. An org's
# own columns hold its newest facts (orgs.py writes both), so only an org changed
# after the period's end needs its history looked up: most orgs cost no lookup at all.
_CHANGED_SINCE = "EXISTS (SELECT 1 FROM orgfact f WHERE f.org_id = o.id AND f.since > :end)"
_MET_AS_OF_END = _MET + f""", at_end AS (
  SELECT o.id, o.kind, o.industry, o.municipality, o.employees, {_FLAG} AS rd_experience
  FROM met JOIN org o ON o.id = met.org_id WHERE NOT {_CHANGED_SINCE}
  UNION ALL
  SELECT o.id, {_at_end('kind')}, {_at_end('industry')}, {_at_end('municipality')},
         CAST({_at_end('employees')} AS INTEGER), CAST({_at_end('rd_experience')} AS INTEGER)
  FROM met JOIN org o ON o.id = met.org_id WHERE {_CHANGED_SINCE}
)
"""


def orgs_met(s: Session, period: Period) -> dict:
    """How many orgs were met, new or returning, and by NACE section, municipality and size,
    each org as it stood at the end of the period."""
    grouped = rows(s, _MET_AS_OF_END + f"""
        SELECT CASE WHEN substr(ltrim(o.industry), 1, 1) BETWEEN '0' AND '9'
                     AND substr(ltrim(o.industry), 2, 1) BETWEEN '0' AND '9'
                    THEN substr(ltrim(o.industry), 1, 2) END,
               o.municipality,
               CASE WHEN o.employees IS NULL THEN '{UNKNOWN}' WHEN o.employees < 10 THEN '1-9'
                    WHEN o.employees < 50 THEN '10-49' WHEN o.employees < 250 THEN '50-249'
                    ELSE '250+' END,
               {_IS_NEW}, o.kind = 'company' AND o.rd_experience = 0, COUNT(*)
        FROM at_end o GROUP BY 1, 2, 3, 4, 5""", **_between(period))
    counts = dict.fromkeys(("orgs", "new_orgs", "returning_orgs", "companies_without_rd"), 0)
    nace: dict[str, int] = {}
    places: dict[str, int] = {}
    sizes = dict.fromkeys(SIZE_BANDS, 0)
    for division, place, band, new, first_rd, count in grouped:
        counts["orgs"] += count
        counts["new_orgs" if new else "returning_orgs"] += count
        counts["companies_without_rd"] += count if first_rd else 0
        section = section_of(division)
        nace[section] = nace.get(section, 0) + count
        places[place or UNKNOWN] = places.get(place or UNKNOWN, 0) + count
        sizes[band] += count
    return counts | {"first_rd_projects": first_rd_projects(s, period),
                     "by_nace": _sorted(nace), "by_municipality": _sorted(places), "by_size": sizes}


# A step forward of an R&D referral: applied for or granted.
_RD_STEP = """FROM referralevent {e} JOIN referral {r} ON {r}.id = {e}.referral_id
              JOIN need {n} ON {n}.id = {r}.need_id
              WHERE {n}.kind = 'rd' AND {e}.status IN ('applied', 'granted')"""


def first_rd_projects(s: Session, period: Period) -> int:
    """Companies whose first R&D project came in the period: the first time a referral of
    one of their R&D needs was applied for or granted, with no R&D experience before.
    (A step in the period and none before it, on the event-date index: the first step of
    every org in the store, grouped, read the whole history twice a report.)"""
    return value(s, f"""
        SELECT COUNT(*) FROM org o
        WHERE o.id IN (SELECT n.org_id {_RD_STEP.format(e="e", r="r", n="n")}
                         AND e.date BETWEEN :start AND :end)
          AND NOT EXISTS (SELECT 1 {_RD_STEP.format(e="b", r="q", n="m")}
                            AND m.org_id = o.id AND b.date < :start)
          AND {_at_end('kind')} = 'company'
          AND CAST({_at_end('rd_experience', ':start')} AS INTEGER) = 0""", **_between(period))


def _sorted(counts: dict[str, int]) -> dict[str, int]:
    """Largest first; the unknown last, since it is not a group of its own."""
    known = sorted(((k, v) for k, v in counts.items() if k != UNKNOWN), key=lambda kv: (-kv[1], kv[0]))
    return dict(known) | ({UNKNOWN: counts[UNKNOWN]} if UNKNOWN in counts else {})


def needs_by_kind(s: Session, period: Period) -> dict[str, int]:
    by_kind: dict[str, int] = dict.fromkeys(NeedKind, 0)
    by_kind.update(rows(s, "SELECT kind, COUNT(*) FROM need WHERE date BETWEEN :start AND :end "
                           "GROUP BY kind", **_between(period)))
    return by_kind


def need_figures(s: Session, period: Period, orgs_met: int) -> dict:
    by_kind = needs_by_kind(s, period)
    found = sum(by_kind.values())
    return {"found": found, "by_kind": by_kind,
            "per_visited_org": round(found / orgs_met, 2) if orgs_met else 0,
            "status_at_end": _need_states(s, period),
            "median_days_to_referral": _median_days_to_referral(s, period)}


def _need_states(s: Session, period: Period) -> dict[str, int]:
    """Needs in play in the period (found by its end, not closed before it began),
    by their status at its end. (`+n.date`: most needs are older than any period's
    end, so a full scan beats walking the date index; three times faster.)"""
    states: dict[str, int] = dict.fromkeys(NeedStatus, 0)
    states.update(rows(s, """
        SELECT CASE WHEN n.closed_on <= :end THEN n.status
                    WHEN EXISTS (SELECT 1 FROM referral r WHERE r.need_id = n.id AND r.date <= :end)
                    THEN 'referred' ELSE 'open' END, COUNT(*)
        FROM need n WHERE +n.date <= :end AND (n.closed_on IS NULL OR n.closed_on >= :start)
        GROUP BY 1""", **_between(period)))
    return states


def _median_days_to_referral(s: Session, period: Period) -> float | None:
    days = [d for (d,) in rows(s, """
        SELECT CAST(julianday(MIN(r.date)) - julianday(n.date) AS INTEGER)
        FROM need n JOIN referral r ON r.need_id = n.id
        WHERE n.date BETWEEN :start AND :end AND r.date <= :end GROUP BY n.id, n.date""",
                                 **_between(period))]
    return statistics.median(days) if days else None


def followup_figures(s: Session, period: Period) -> dict[str, int]:
    # COUNT FILTER, not a SUM of conditions: PostgreSQL sums a boolean by a function call
    # per row (megler's `sum(boolean)`), 0.6 s over a decade's 140,000 follow-ups.
    on_time, late, overdue = one(s, """
        SELECT COUNT(*) FILTER (WHERE done_on BETWEEN :start AND :end AND done_on <= due),
               COUNT(*) FILTER (WHERE done_on BETWEEN :start AND :end AND done_on > due),
               COUNT(*) FILTER (WHERE due <= :end AND (done_on IS NULL OR done_on > :end))
        FROM followup WHERE created <= :end""", **_between(period))
    return {"done_on_time": on_time, "done_late": late, "overdue_at_end": overdue}


def open_followups(s: Session, period: Period, limit: int) -> dict:
    """Follow-ups not done at the end of the period, by due date (the first `limit`)."""
    where = "f.created <= :end AND (f.done_on IS NULL OR f.done_on > :end)"
    total = value(s, f"SELECT COUNT(*) FROM followup f WHERE {where}", end=period.end)
    listed = rows(s, f"""
        SELECT f.id, f.due, o.name, f.text FROM followup f LEFT JOIN org o ON o.id = f.org_id
        WHERE {where} ORDER BY f.due, f.id LIMIT :limit""", end=period.end, limit=limit)
    return {"total": total, "items": [{"id": i, "due": due, "org": org, "text": text}
                                      for i, due, org, text in listed]}


def meetings(s: Session, period: Period, limit: int) -> dict:
    """The template fields of the period's newest `limit` visits, grouped by the host org,
    newest first, and how many visits had them in all (a network's quarter is thousands).
    The host is looked up per visit: joined, PostgreSQL hashed every visit's orgs
    (134 -> 23 ms at a decade)."""
    found = rows(s, """
        SELECT o.id, o.name, v.id, v.date, v.kind, v.since_last, v.next_steps, COUNT(*) OVER ()
        FROM visit v JOIN org o ON o.id = (SELECT h.org_id FROM visitorg h
                                           WHERE h.visit_id = v.id ORDER BY h.position LIMIT 1)
        WHERE v.date BETWEEN :start AND :end
          AND (v.since_last IS NOT NULL OR v.next_steps IS NOT NULL)
        ORDER BY v.date DESC, v.id DESC LIMIT :limit""", **_between(period), limit=limit)
    groups: dict[int, dict] = {}
    for org_id, name, visit_id, on, kind, since, steps, _ in found:
        group = groups.setdefault(org_id, {"org": name, "visits": []})
        group["visits"].append({"id": visit_id, "date": on, "kind": kind,
                                "since_last": since, "next_steps": steps})
    return {"visits": found[0][-1] if found else 0, "groups": list(groups.values())}

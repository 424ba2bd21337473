"""All the figures of one period's report, as plain data (what `--format json` prints).

Every figure is as of the end of the period; see activity.py and pipeline.py for
the rules. The summary sets each indicator against the previous period of the
same length and against the goal set for the period.
"""

from sqlmodel import Session

from megler.reports import activity, pipeline
from megler.reports.indicators import INDICATORS
from megler.reports.periods import Period

OPEN_FOLLOWUPS_LISTED = AWAITING_LISTED = 25
MEETINGS_LISTED = 100  # a funder reads a hundred meetings, not a network's thousands


def build(s: Session, period: Period, *, goals: dict[str, float] | None = None,
          broker: str | None = None) -> dict:
    """The report's figures for `period`, with `goals` (indicator → target) beside them."""
    by_kind = activity.visits_by_kind(s, period)
    reach = ({"visits": sum(by_kind.values()), "visits_by_kind": by_kind,
              "visits_per_month": activity.visits_per_month(s, period)}
             | activity.orgs_met(s, period))
    needs = activity.need_figures(s, period, reach["orgs"])
    referrals = pipeline.referral_figures(s, period)
    actual = _indicators(reach, needs, referrals)
    previous = indicators(s, period.previous())
    return {
        "period": period.as_dict(), "previous_period": period.previous().as_dict(),
        "broker": broker,
        "summary": summary(actual, previous, goals or {}),
        "reach": reach, "needs": needs, "referrals": referrals,
        "followups": activity.followup_figures(s, period),
        "meetings": activity.meetings(s, period, MEETINGS_LISTED),
        "next_period": {"followups": activity.open_followups(s, period, OPEN_FOLLOWUPS_LISTED),
                        "awaiting_decision": pipeline.awaiting_decision(s, period, AWAITING_LISTED)},
    }


def breakdown(s: Session, period: Period, by: str) -> dict:
    """The indicators of each broker, municipality, region or cluster, counted as the
    network's are, on their records alone (megler.reports.scope); an org in the place
    it was in at the period's end, as the reach's orgs by municipality are."""
    from megler.reports import scope

    rows = []
    for name, narrowed in scope.groups(s, by, period.end):
        with narrowed:
            rows.append({"name": name} | indicators(s, period))
    return {"by": by, "rows": rows}


def indicators(s: Session, period: Period) -> dict[str, int]:
    """The indicators alone (what the previous period contributes to the summary)."""
    reach = {"visits": sum(activity.visits_by_kind(s, period).values())}
    reach |= activity.orgs_met(s, period)
    needs = {"found": sum(activity.needs_by_kind(s, period).values())}
    return _indicators(reach, needs, pipeline.flows(s, period))


def _indicators(reach: dict, needs: dict, referrals: dict) -> dict[str, int]:
    return {"visits": reach["visits"], "orgs_visited": reach["orgs"],
            "new_orgs": reach["new_orgs"], "companies_without_rd": reach["companies_without_rd"],
            "first_rd_projects": reach["first_rd_projects"],
            "needs": needs["found"], "referrals": referrals["made"],
            "rd_referrals": referrals["rd_made"], "applications": referrals["applications"],
            "funding_granted_nok": referrals["nok_granted"],
            "funding_granted_sek": referrals["sek_granted"],
            "participants": referrals["participants"]}


def summary(actual: dict, previous: dict, goals: dict[str, float]) -> dict[str, dict]:
    """Per indicator: actual, previous, change, goal and the share of the goal reached."""
    rows = {}
    for name in INDICATORS:
        goal = goals.get(name)
        share = round(actual[name] / goal, 3) if goal else None
        rows[name] = {"actual": actual[name], "previous": previous[name],
                      "change": actual[name] - previous[name], "goal": goal, "share": share}
    return rows

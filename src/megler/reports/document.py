"""The report in one language as blocks (reports.blocks), from the figures of figures.build().

Every word comes from i18n.TEXTS and every number through formats, so a report is
wholly in one language. Free text (the broker's notes, names) is kept as written; the
writers (markdown, html) escape it.
"""

from megler.reports import formats as f
from megler.reports.blocks import Block, Bullets, Chart, Em, Heading, Items, Paragraph, Strong, Table
from megler.reports.blocks import text as para
from megler.reports.formats import number
from megler.reports.i18n import text
from megler.reports.nace import UNKNOWN, section_name

# Indicators that are amounts, and their currency: a report never adds two currencies.
MONEY = {"funding_granted_nok": "NOK", "funding_granted_sek": "SEK"}


class Writer:
    """The language and period a report is written in, and the helpers that need them."""

    def __init__(self, figures: dict, lang: str):
        self.figures, self.lang = figures, lang
        self.last = f.day(figures["period"]["end"], lang)

    def t(self, key: str, **values) -> str:
        return text(key, self.lang, **values)

    def n(self, value) -> str:
        return f.number(value, self.lang)

    def kr(self, value, currency: str = "NOK") -> str:
        return f.amount(value, self.lang, currency)

    def value(self, indicator: str, value) -> str:
        return self.kr(value, MONEY[indicator]) if indicator in MONEY else self.n(value)

    def amounts(self, by_currency: dict[str, int]) -> str:
        """`1 800 000 kr og 250 000 SEK`: each currency apart; nothing in the reader's own."""
        shown = [self.kr(v, c) for c, v in by_currency.items() if v]
        return f" {self.t('and')} ".join(shown) or self.kr(0, f.home_currency(self.lang))

    def labelled(self, counts: dict[str, int]) -> list[tuple[str, int]]:
        return [(self.t(key), count) for key, count in counts.items()]

    def counts(self, header: str, counts: dict[str, int], names=None) -> Table:
        names = names or self.t
        return Table([self.t(header), self.t("c_orgs")],
                     [[names(key), self.n(count)] for key, count in counts.items()]
                     or [[self.t("s_none"), self.n(0)]])

    def chart(self, kind, title: str, items: Items, header: tuple[str, str], *,
              axis: list[str] | None = None) -> Chart:
        """A chart and the table of its figures, from the same list."""
        grid = Table(list(header), [[label, number(value, self.lang)] for label, value in items])
        return Chart(kind, title, items, header[1], grid, axis)


def build(figures: dict, lang: str) -> list[Block]:
    """The whole report: title, then the eight sections."""
    w = Writer(figures, lang)
    return [block for part in (_title, _summary, _goals, _reach, _needs, _referrals,
                               _followups, _meetings, _next) for block in part(w)]


def _title(w: Writer) -> list[Block]:
    fig = w.figures
    blocks: list[Block] = [
        Heading(1, w.t("title", period=f.period(fig["period"], w.lang))),
        para(w.t("intro", first=f.day(fig["period"]["start"], w.lang), last=w.last,
                 previous=f.period(fig["previous_period"], w.lang)))]
    if fig.get("broker"):
        blocks.append(para(w.t("broker", name=fig["broker"])))
    return blocks


def _summary(w: Writer) -> list[Block]:
    rows, lang = w.figures["summary"], w.lang
    sentence = w.t("s_summary", period=f.period(w.figures["period"], lang),
                   visits=w.n(rows["visits"]["actual"]), orgs=w.n(rows["orgs_visited"]["actual"]),
                   new=w.n(rows["new_orgs"]["actual"]), needs=w.n(rows["needs"]["actual"]),
                   referrals=w.n(rows["referrals"]["actual"]),
                   granted=w.amounts({c: rows[name]["actual"] for name, c in MONEY.items()}))
    header = [w.t("c_indicator"), f.period(w.figures["period"], lang),
              f.period(w.figures["previous_period"], lang), w.t("c_change"), w.t("c_goal"),
              w.t("c_reached")]
    body = [[w.t(f"i_{name}"), w.value(name, r["actual"]), w.value(name, r["previous"]),
             f.signed(r["change"], lang, currency=MONEY.get(name)),
             w.value(name, r["goal"]) if r["goal"] is not None else "–", f.share(r["share"], lang)]
            for name, r in rows.items() if name not in MONEY or name in _money_shown(w)]
    return [Heading(2, w.t("h_summary")), para(sentence), Table(header, body, numeric=5),
            *_breakdown(w)]


BROKEN_DOWN = ("visits", "orgs_visited", "new_orgs", "needs", "referrals", "applications")


def _breakdown(w: Writer) -> list[Block]:
    """Each broker's, municipality's, region's or cluster's indicators (`report --by`): an
    org two brokers met (or in two clusters) counts in each one's row and once in the whole."""
    found = w.figures.get("breakdown")
    if not found:
        return []
    shown = (*BROKEN_DOWN, *_money_shown(w))
    header = [w.t(f"c_{found['by']}"), *(w.t(f"i_{name}") for name in shown)]
    nobody = w.t("no_cluster") if found["by"] == "cluster" else "–"  # in none of them
    body = [[row["name"] or nobody, *(w.value(name, row[name]) for name in shown)] for row in found["rows"]]
    return [Heading(3, w.t(f"h_per_{found['by']}")), Table(header, body, numeric=len(shown))]


def _money_shown(w: Writer) -> list[str]:
    """The money indicators with a figure or a goal; with none, the reader's own currency's."""
    rows = w.figures["summary"]
    seen = [name for name in MONEY if any(rows[name][k] for k in ("actual", "previous", "goal"))]
    home = f.home_currency(w.lang)
    return seen or [name for name, currency in MONEY.items() if currency == home]


def _goals(w: Writer) -> list[Block]:
    goals = {k: r for k, r in w.figures["summary"].items() if r["goal"] is not None}
    if not goals:
        return [Heading(2, w.t("h_goals")), para(w.t("s_no_goals"))]
    reached = sum(1 for r in goals.values() if r["share"] is not None and r["share"] >= 1)
    body = [[w.t(f"i_{name}"), w.value(name, r["goal"]), w.value(name, r["actual"]),
             f.share(r["share"], w.lang)] for name, r in goals.items()]
    grid = Table([w.t("c_indicator"), w.t("c_goal"), w.t("c_actual"), w.t("c_reached")], body,
                 numeric=3)
    sentence = w.t("s_goals", reached=w.n(reached), total=w.n(len(goals)))
    return [Heading(2, w.t("h_goals")), para(sentence), grid]


def _reach(w: Writer) -> list[Block]:
    r, lang = w.figures["reach"], w.lang
    months = list(r["visits_per_month"])
    per_month = [(f.month_label(m, lang), c) for m, c in r["visits_per_month"].items()]
    return [
        Heading(2, w.t("h_reach")),
        para(w.t("s_reach", orgs=w.n(r["orgs"]), new=w.n(r["new_orgs"]),
                 returning=w.n(r["returning_orgs"]), rd=w.n(r["companies_without_rd"]),
                 first=w.n(r["first_rd_projects"]))),
        Heading(3, w.t("h_visits_by_kind")),
        Table([w.t("c_kind"), w.t("c_visits")],
              [[w.t(k), w.n(c)] for k, c in r["visits_by_kind"].items()]),
        Heading(3, w.t("h_visits_per_month")),
        w.chart("line", w.t("h_visits_per_month"), per_month, (w.t("c_month"), w.t("c_visits")),
                axis=[f.month_label(m, lang, short=True) for m in months]),
        Heading(3, w.t("h_by_nace")),
        w.counts("c_section", r["by_nace"], lambda k: _nace(k, w)),
        Heading(3, w.t("h_by_municipality")),
        w.counts("c_municipality", r["by_municipality"],
                 lambda k: w.t(UNKNOWN) if k == UNKNOWN else k),
        Heading(3, w.t("h_by_size")),
        w.counts("c_employees", r["by_size"],
                 lambda k: w.t(UNKNOWN) if k == UNKNOWN else k.replace("-", "–")),
    ]


def _nace(key: str, w: Writer) -> str:
    return w.t(UNKNOWN) if key == UNKNOWN else f"{key} {section_name(key, w.lang)}"


def _needs(w: Writer) -> list[Block]:
    needs = w.figures["needs"]
    sentences = w.t("s_needs", found=w.n(needs["found"]), per_org=w.n(needs["per_visited_org"]))
    if needs["median_days_to_referral"] is not None:
        sentences += " " + w.t("s_median", days=w.n(needs["median_days_to_referral"]))
    return [
        Heading(2, w.t("h_needs")), para(sentences),
        Heading(3, w.t("h_needs_by_kind")),
        w.chart("pie", w.t("h_needs_by_kind"), w.labelled(needs["by_kind"]),
                (w.t("c_kind"), w.t("c_needs"))),
        Heading(3, w.t("h_needs_status")),
        para(w.t("s_needs_status", last=w.last)),
        Table([w.t("c_status"), w.t("c_needs")],
              [[w.t(k), w.n(c)] for k, c in needs["status_at_end"].items()]),
    ]


def _by_currency(referrals: dict, what: str) -> dict[str, int]:
    return {c: referrals[f"{c.lower()}_{what}"] for c in MONEY.values()}


def _referrals(w: Writer) -> list[Block]:
    r = w.figures["referrals"]
    funding = [("applications", w.n(r["applications"])),
               ("amount_applied", w.amounts(_by_currency(r, "applied"))),
               ("grants", w.n(r["grants"])),
               ("amount_granted", w.amounts(_by_currency(r, "granted"))),
               ("enrolments", w.n(r["enrolments"])),
               ("participants_enrolled", w.n(r["participants"]))]
    return [
        Heading(2, w.t("h_referrals")),
        para(w.t("s_referrals", made=w.n(r["made"]), active=w.n(r["active"]), last=w.last)),
        Heading(3, w.t("h_referrals_by_status")),
        w.chart("bar", w.t("h_referrals_by_status"), w.labelled(r["by_status"]),
                (w.t("c_status"), w.t("c_referrals"))),
        Heading(3, w.t("h_by_target_kind")),
        Table([w.t("c_kind"), w.t("c_referrals")],
              [[w.t(k), w.n(c)] for k, c in r["by_target_kind"].items()]),
        Heading(3, w.t("h_by_agency")),
        Table([w.t("c_agency"), w.t("c_referrals")],
              [[w.t("other") if k == "other" else k, w.n(c)] for k, c in r["by_agency"].items()]
              or [[w.t("s_none"), w.n(0)]]),
        Heading(3, w.t("h_funding")),
        Table([w.t("c_figure"), w.t("c_value")], [[w.t(k), v] for k, v in funding]),
    ]


def _followups(w: Writer) -> list[Block]:
    fu = w.figures["followups"]
    grid = Table([w.t("c_figure"), w.t("c_value")], [[w.t(k), w.n(v)] for k, v in fu.items()])
    done = fu["done_on_time"] + fu["done_late"]
    sentence = [para(w.t("s_followups", share=f.share(fu["done_on_time"] / done, w.lang)))] if done else []
    return [Heading(2, w.t("h_followups")), *sentence, grid]


def _meetings(w: Writer) -> list[Block]:
    met = w.figures["meetings"]
    if not met["groups"]:
        return [Heading(2, w.t("h_meetings")), para(w.t("s_no_meetings"))]
    labels = {key: w.t(key) for key in ("since_last", "next_steps")}
    blocks: list[Block] = [Heading(2, w.t("h_meetings"))]
    listed = sum(len(group["visits"]) for group in met["groups"])
    if met["visits"] > listed:
        blocks.append(para(w.t("s_newest_meetings", n=w.n(listed), total=w.n(met["visits"]))))
    for group in met["groups"]:
        blocks.append(Heading(3, group["org"]))
        for visit in group["visits"]:
            blocks.extend(_meeting(visit, w, labels))
    return blocks


def _meeting(visit: dict, w: Writer, labels: dict[str, str]) -> list[Block]:
    lead = Paragraph((Strong(f.day(visit["date"], w.lang)), f" ({w.t(visit['kind']).lower()})"))
    said = tuple((Em(f"{label}:"), " " + visit[key].strip())
                 for key, label in labels.items() if visit[key])
    return [lead, Bullets(said)] if said else [lead]


def _next(w: Writer) -> list[Block]:
    nxt = w.figures["next_period"]
    fu = nxt["followups"]
    blocks: list[Block] = [Heading(2, w.t("h_next")), Heading(3, w.t("h_open_followups"))]
    blocks += _listed(w, fu, Table([w.t("c_due"), w.t("c_org"), w.t("c_what")],
                                   [[f.day(i["due"], w.lang), i["org"] or "–", i["text"]]
                                    for i in fu["items"]], numeric=0))
    blocks.append(Heading(3, w.t("h_awaiting")))
    waiting = nxt["awaiting_decision"]
    blocks += _listed(w, waiting, Table(
        [w.t("c_applied_on"), w.t("c_org"), w.t("c_target"), w.t("c_amount_applied")],
        [[f.day(r["applied_on"], w.lang), r["org"], r["target"], w.kr(r["amount_applied"], r["currency"])]
         for r in waiting["items"]]))
    return blocks


def _listed(w: Writer, listing: dict, grid: Table) -> list[Block]:
    """The first items of a listing as a table, and how many more there are."""
    if not listing["items"]:
        return [para(w.t("s_none"))]
    more = listing["total"] - len(listing["items"])
    return [grid, para(w.t("s_more", n=w.n(more)))] if more else [grid]

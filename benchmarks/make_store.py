"""Fill a store with a realistic, generated caseload, through megler's domain functions.

    python benchmarks/make_store.py --orgs 2000 --visits 10000 /tmp/bench.db

Visits spread over the two years before today; each visit finds a need now and
then, about half of the needs are referred and move on through the statuses, and
most visits leave a follow-up. The same seed gives the same store.
"""

import argparse
import random
import sys
import time
from datetime import date, timedelta
from pathlib import Path

from megler import clock, store
from megler.followups import done
from megler.needs import close_need
from megler.orgs import OrgFields, add_org
from megler.referrals import Change, add_referral, update_referral
from megler.visits import VisitDraft, add_visit

PLACES = {
    "NO": ["Fredrikstad", "Sarpsborg", "Halden", "Moss", "Indre Østfold", "Rakkestad",
           "Bodø", "Rana", "Vefsn", "Fauske", "Alstahaug", "Narvik"],
    "SE": ["Uddevalla", "Trollhättan", "Vänersborg", "Strömstad", "Lysekil", "Åmål"],
}
INDUSTRIES = ["25.110 metallkonstruksjoner", "10.200 fiskeforedling", "41.200 bygg",
              "62.010 programvare", "86.100 sykehus", "55.101 hotell", "03.211 havbruk",
              "mekanisk verksted", "reiseliv", "logistikk", "næringsmiddel", "treindustri"]
NAME_PARTS = (["Nord", "Sør", "Øst", "Fjord", "Skog", "Stål", "Hav", "Elv", "Berg", "Lys"],
              ["mek", "bygg", "tre", "data", "fisk", "transport", "energi", "plast", "service"])
NEEDS = [("competence", "Sveisesertifisering for {n} ansatte"),
         ("competence", "Lederutvikling for mellomledere"),
         ("rd", "Vil teste maskinlæring i produksjonen, trenger FoU-partner"),
         ("recruitment", "Trenger {n} fagarbeidere innen automasjon"),
         ("apprenticeship", "Vil ta inn {n} lærlinger til høsten"),
         ("funding", "Søker midler til kompetanseheving"),
         ("competence", "Behöver utbilda {n} undersköterskor i demensvård")]
STEPS = ["contacted", "applied", "granted", "enrolled", "completed"]


def norwegian_orgnr(rng: random.Random) -> str:
    """A valid 9-digit org number (mod-11 check digit), as real ones start with 8 or 9."""
    while True:
        digits = [rng.choice((8, 9))] + [rng.randrange(10) for _ in range(7)]
        check = 11 - sum(d * w for d, w in zip(digits, (3, 2, 7, 6, 5, 4, 3, 2), strict=True)) % 11
        if check != 10:
            return "".join(map(str, digits)) + str(check % 11)


def make_orgs(s, rng: random.Random, count: int) -> list:
    orgs, seen = [], set()
    for i in range(count):
        country = "SE" if rng.random() < 0.2 else "NO"
        number = norwegian_orgnr(rng) if country == "NO" else None
        if number in seen:
            number = None
        seen.add(number)
        name = f"{rng.choice(NAME_PARTS[0])}{rng.choice(NAME_PARTS[1])} {i} AS"
        orgs.append(add_org(s, OrgFields(
            name=name, orgnr=number, country=country, municipality=rng.choice(PLACES[country]),
            industry=rng.choice(INDUSTRIES), employees=int(rng.paretovariate(1.2) * 5),
            rd_experience=rng.random() < 0.3)))
    return orgs


def make_visit(s, rng: random.Random, org, on: date, today: date) -> None:
    needs = [] if rng.random() < 0.5 else [rng.choice(NEEDS)]
    kind, text = needs[0] if needs else ("competence", "")
    visit = add_visit(s, VisitDraft(
        orgs=[org], date=on, kind=rng.choice(("visit", "visit", "phone", "video", "event")),
        notes="Gjennomgang av status og planer.", since_last="Har startet opplæring.",
        next_steps="Sende forslag til kurs.", needs=[text.format(n=rng.randint(2, 12))] if needs else [],
        need_kind=kind, follow_up=on + timedelta(days=rng.randint(7, 45)) if rng.random() < 0.7 else None))
    for need in visit_needs(s, visit):
        progress_need(s, rng, need, today)


def visit_needs(s, visit):
    from sqlmodel import select

    from megler.models import Need

    return s.exec(select(Need).where(Need.visit_id == visit.id)).all()


def progress_need(s, rng: random.Random, need, today: date) -> None:
    if rng.random() < 0.5:
        return
    when = need.date + timedelta(days=rng.randint(1, 30))
    if when > today:
        return
    referral = add_referral(s, need, rng.choice(["SkatteFUNN", "Fagskolen i Viken",
                                                 "Innovasjon Norge", "Vinnova"]), on=when)
    for status in STEPS[: rng.randint(0, len(STEPS))]:
        when += timedelta(days=rng.randint(5, 40))
        if when > today:
            return
        amount = rng.randrange(50, 2000) * 1000 if status in ("applied", "granted") else None
        update_referral(s, referral, Change(
            status=status, on=when, amount_applied=amount if status == "applied" else None,
            amount_granted=amount if status == "granted" else None))
    if rng.random() < 0.5 and when <= today:
        close_need(s, need, "resolved", when)


def finish_followups(s, rng: random.Random, today: date) -> None:
    from sqlmodel import select

    from megler.models import Followup

    for f in s.exec(select(Followup).where(Followup.due < today)).all():
        if rng.random() < 0.8:
            done(s, f.id, min(today, f.due + timedelta(days=rng.randint(-3, 10))))


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("path", type=Path)
    parser.add_argument("--orgs", type=int, default=2000)
    parser.add_argument("--visits", type=int, default=10000)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    if args.path.exists():
        sys.exit(f"{args.path} exists; give a new path")
    rng, today, started = random.Random(args.seed), clock.today(), time.perf_counter()
    with store.session(args.path, write=True) as s:
        orgs = make_orgs(s, rng, args.orgs)
    for batch in range(0, args.visits, 2000):
        with store.session(args.path, write=True) as s:
            for _ in range(min(2000, args.visits - batch)):
                on = today - timedelta(days=rng.randint(0, 730))
                make_visit(s, rng, rng.choice(orgs), on, today)
    with store.session(args.path, write=True) as s:
        finish_followups(s, rng, today)
    store.close_all()  # the WAL folded in: the file is renamed and copied alone
    print(f"{args.path}: {args.orgs} orgs, {args.visits} visits "
          f"in {time.perf_counter() - started:.0f} s", file=sys.stderr)


if __name__ == "__main__":
    main()

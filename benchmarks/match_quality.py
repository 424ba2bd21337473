"""Match quality on a matchbench file: megler against a plain rapidfuzz baseline.

    python benchmarks/match_quality.py ../shared/matchbench/dev.json [--rankings OUT.json] [--folds K]
                                       [--keep-out 3,4] [--learn]
                                       [--calibrate] [--catalog FILE] [--drop FRACTION --seed N]

Prints nDCG@5, MRR, Recall@10 and ineligible@5 (as matchbench/README.md defines them) for
megler and for rapidfuzz token_set_ratio over each entry's whole text (no eligibility), on
all needs, the "hard needs" slice, the Swedish slice and the needs with look-alikes.
With --folds K it also prints the metrics per fold of needs (a fixed hash of the need id),
so a change tuned on one fold's failures can be checked on the folds not looked at;
--keep-out 3,4 also reports the kept-out folds together and the rest (the tuned ones).
With --learn it simulates a broker going through the needs in date order: each need is
ranked first (using only the referrals of needs dated before it), its ranking written,
and only then is it referred to its best-graded entry, which grants it (the matcher
learns from referrals: matching/learning.py).
With --calibrate it prints, per confidence label of megler's top 10, how many of the
matches a broker graded 2-3 and 1-3 (to set scoring.CONFIDENCE).

--catalog FILE takes the catalog from another matchbench file (a needs-only set such as
tests/matching/data/paraphrases.json uses dev.json's). --drop FRACTION --seed N removes a
seeded random share of the catalog first (catalog shift): grades and look-alikes of the
dropped entries go, and needs left without a grade >= 2 entry are skipped. Besides the
set's own `ineligible` lists, strict@5 counts needs whose top 5 holds any entry that
breaks the eligibility rules of matchbench/README.md (checked here, independently of
megler), and needs with a `variant` field are also reported per variant.
"""

from __future__ import annotations

import argparse
import json
import math
import random
import sys
import tempfile
import time
import zlib
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from rapidfuzz import fuzz, process  # noqa: E402

from megler import catalog, match, store  # noqa: E402
from megler.needs import add_need  # noqa: E402
from megler.orgs import OrgFields, add_org  # noqa: E402

HARD = set("n009 n010 n012 n019 n020 n028 n041 n048 n052 n066 n070 n071 n072 n073 n095 "
           "n096 n097 n098".split())
DEPTH = 20


def rank_megler(path: Path, data: dict, labels: dict | None = None,
                learn: bool = False) -> dict[str, list[str]]:
    """Rank every need the way `megler match` does, through a temporary store.

    The catalog goes in through the catalog import, each need with its org through the
    domain functions the CLI uses, and the need's date stands in for today. The set
    gives no need kinds, so each need is stored as `other` and the matcher infers it.
    `labels`, when given, receives {need_id: [(catalog_id, confidence), ...]}.
    """
    with tempfile.TemporaryDirectory() as folder:
        db = Path(folder) / "bench.db"
        merged = Path(folder) / path.name  # the set as run: --catalog and --drop applied
        merged.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
        with store.session(db, write=True) as s:
            catalog.import_entries(s, catalog.load_matchbench(merged), source=str(path))
            needs = {n["id"]: _add_need(s, n) for n in data["needs"]}
        grades = {n["id"]: n["relevant"] for n in data["needs"]}
        with store.session(db, write=learn) as s:
            keys = catalog.entry_keys(s)
            ids = {key: entry_id for entry_id, key in keys.items()}
            out = {}
            for need_id, need in sorted(needs.items(), key=lambda kv: (kv[1].date, kv[0])):
                ms = match.suggestions(s, need, need.date, top=DEPTH)
                out[need_id] = [keys[m.entry.id] for m in ms]
                if labels is not None:
                    labels[need_id] = [(keys[m.entry.id], m.confidence) for m in ms]
                if learn:
                    _refer_best(s, need, grades[need_id], ids)
            return out


def _refer_best(s, need, grades: dict[str, int], ids: dict[str, int]) -> None:
    """What the broker does after looking: refers the need to its best entry, granted."""
    from megler.models import CatalogEntry
    from megler.referrals import Change, add_referral, update_referral

    best = max(grades, key=lambda c: (grades[c], c), default=None)
    if best is None or best not in ids:
        return
    entry = s.get_one(CatalogEntry, ids[best])
    referral = add_referral(s, need, entry.name, on=need.date, entry_id=entry.id)
    update_referral(s, referral, Change(status="granted", on=need.date))


def _add_need(s, n: dict):
    org = add_org(s, OrgFields(**n["org"]))
    return add_need(s, org, n["text"], kind="other", on=date.fromisoformat(n["date"]))


def entry_text(c: dict) -> str:
    parts = [c["name"], c.get("provider") or c.get("agency") or "", c.get("description", ""),
             " ".join(c.get("keywords") or ())]
    return " ".join(p for p in parts if p)


def rank_baseline(data: dict) -> dict[str, list[str]]:
    ids = [c["id"] for c in data["catalog"]]
    texts = [entry_text(c) for c in data["catalog"]]
    out = {}
    for n in data["needs"]:
        hits = process.extract(n["text"], texts, scorer=fuzz.token_set_ratio, limit=DEPTH,
                               processor=str.lower)
        out[n["id"]] = [ids[i] for _, _, i in hits]
    return out


def drop_entries(data: dict, fraction: float, seed: int) -> dict:
    """The set with a seeded random `fraction` of its catalog removed, grades and
    look-alikes of removed entries with it; needs with no grade >= 2 entry left go too."""
    cat = data["catalog"]
    gone = {c["id"] for c in random.Random(seed).sample(cat, round(fraction * len(cat)))}
    needs = []
    for n in data["needs"]:
        rel = {c: g for c, g in n["relevant"].items() if c not in gone}
        if any(g >= 2 for g in rel.values()):
            needs.append(n | {"relevant": rel,
                              "ineligible": [c for c in n["ineligible"] if c not in gone]})
    return data | {"catalog": [c for c in cat if c["id"] not in gone], "needs": needs}


def breaks_rules(c: dict, n: dict) -> bool:
    """Whether entry c breaks an eligibility rule of matchbench/README.md for need n."""
    org = n["org"]
    places = {"*", org.get("region"), org.get("municipality")}
    size = org.get("employees")
    return (c["country"] != org["country"]
            or places.isdisjoint(c["regions"])
            or org["kind"] not in c["audience"]
            or size is not None and c.get("min_employees") is not None and size < c["min_employees"]
            or size is not None and c.get("max_employees") is not None and size > c["max_employees"]
            or bool(c.get("deadline")) and c["deadline"] < n["date"])


def evaluate(needs: list[dict], rankings: dict[str, list[str]],
             entries: dict[str, dict] | None = None) -> dict[str, float]:
    tot = dict(ndcg5=0.0, mrr=0.0, recall10=0.0, ineligible5=0.0, strict5=0.0, short=0.0)
    for n in needs:
        r, rel = rankings[n["id"]], n["relevant"]
        dcg = sum(rel.get(c, 0) / math.log2(i + 2) for i, c in enumerate(r[:5]))
        ideal = sorted(rel.values(), reverse=True)[:5]
        tot["ndcg5"] += dcg / sum(g / math.log2(i + 2) for i, g in enumerate(ideal))
        tot["mrr"] += next((1 / (i + 1) for i, c in enumerate(r[:10]) if rel.get(c, 0) >= 2), 0)
        good = {c for c, g in rel.items() if g >= 2}
        tot["recall10"] += len(good & set(r[:10])) / len(good)
        tot["ineligible5"] += bool(set(n["ineligible"]) & set(r[:5]))
        tot["strict5"] += any(breaks_rules(entries[c], n) for c in r[:5]) if entries else 0
        tot["short"] += len(r) < 10
    return {k: v / len(needs) for k, v in tot.items()} if needs else tot


def slices(data: dict) -> dict[str, list[dict]]:
    needs = data["needs"]
    return {"all": needs,
            "hard": [n for n in needs if n["id"] in HARD],
            "swedish": [n for n in needs if n.get("language") == "sv"],
            "look-alikes": [n for n in needs if n["ineligible"]]} | {
            v: [n for n in needs if n.get("variant") == v]
            for v in sorted({n["variant"] for n in needs if n.get("variant")})}


def fold_of(need_id: str, folds: int) -> int:
    """A need's fold: crc32 of its id, so the split is the same in every run and on any set."""
    return zlib.crc32(need_id.encode("utf-8")) % folds


def fold_slices(data: dict, folds: int) -> dict[str, list[dict]]:
    return {f"fold {k}": [n for n in data["needs"] if fold_of(n["id"], folds) == k]
            for k in range(folds)}


def keep_out_slices(data: dict, folds: int, kept: set[int]) -> dict[str, list[dict]]:
    tuned = sorted(set(range(folds)) - kept)
    return {f"tuned {','.join(map(str, tuned))}": [n for n in data["needs"] if fold_of(n["id"], folds) not in kept],
            f"kept {','.join(map(str, sorted(kept)))}": [n for n in data["needs"] if fold_of(n["id"], folds) in kept]}


def report(data: dict, results: dict[str, dict[str, list[str]]], folds: int = 0,
           kept: set[int] | None = None) -> None:
    print(f"{'slice':<12} {'system':<9} {'n':>4} {'nDCG@5':>7} {'MRR':>6} {'R@10':>6} {'inel@5':>7}"
          f" {'strict@5':>8} {'short':>6}")
    entries = {c["id"]: c for c in data["catalog"]}
    named = slices(data) | (fold_slices(data, folds) if folds > 1 else {}) | (
        keep_out_slices(data, folds, kept) if kept and folds > 1 else {})
    for name, needs in named.items():
        if not needs:
            continue
        for system, rankings in results.items():
            m = evaluate(needs, rankings, entries)
            print(f"{name:<12} {system:<9} {len(needs):>4} {m['ndcg5']:>7.3f} {m['mrr']:>6.3f}"
                  f" {m['recall10']:>6.3f} {m['ineligible5']:>7.3f} {m['strict5']:>8.3f}"
                  f" {m['short']:>6.3f}")


def calibration(data: dict, labels: dict[str, list[tuple[str, str]]], top: int = 10) -> None:
    """Per confidence label: matches in the top `top`, share graded >= 2 and >= 1."""
    grades = {n["id"]: n["relevant"] for n in data["needs"]}
    print(f"\n{'confidence':<10} {'n':>5} {'grade>=2':>9} {'grade>=1':>9}   (top {top})")
    for label in ("strong", "possible", "weak"):
        got = [grades[nid].get(cid, 0) for nid, ms in labels.items()
               for cid, conf in ms[:top] if conf == label]
        if got:
            print(f"{label:<10} {len(got):>5} {sum(g >= 2 for g in got) / len(got):>9.2f}"
                  f" {sum(g >= 1 for g in got) / len(got):>9.2f}")


def load(path: Path, catalog_file: Path | None, drop: float, seed: int) -> dict:
    data = json.loads(path.read_text(encoding="utf-8"))
    if catalog_file:
        data["catalog"] = json.loads(catalog_file.read_text(encoding="utf-8"))["catalog"]
    if drop:
        data = drop_entries(data, drop, seed)
        print(f"dropped {drop:.0%} of the catalog (seed {seed}): {len(data['catalog'])} entries,"
              f" {len(data['needs'])} needs left\n")
    return data


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("data", type=Path)
    ap.add_argument("--rankings", type=Path, help="write {need_id: [catalog_id, ...]} here")
    ap.add_argument("--folds", type=int, default=0, metavar="K",
                    help="also report each of K folds of needs (split by a hash of the id)")
    ap.add_argument("--keep-out", default="", metavar="K,K",
                    help="with --folds: the folds kept out of tuning, reported together")
    ap.add_argument("--learn", action="store_true",
                    help="refer each need to its best entry after ranking it, in date order")
    ap.add_argument("--calibrate", action="store_true",
                    help="print how often each confidence label is a graded match")
    ap.add_argument("--catalog", type=Path, metavar="FILE",
                    help="take the catalog from this matchbench file (for needs-only sets)")
    ap.add_argument("--drop", type=float, default=0.0, metavar="FRACTION",
                    help="remove this share of the catalog at random first (catalog shift)")
    ap.add_argument("--seed", type=int, default=0, metavar="N", help="seed for --drop")
    args = ap.parse_args(argv)
    data = load(args.data, args.catalog, args.drop, args.seed)
    t0 = time.perf_counter()
    labels: dict = {}
    ours = rank_megler(args.data, data, labels, learn=args.learn)
    t1 = time.perf_counter()
    base = rank_baseline(data)
    t2 = time.perf_counter()
    kept = {int(k) for k in args.keep_out.split(",") if k.strip()}
    report(data, {"megler": ours, "rapidfuzz": base}, args.folds, kept)
    if args.calibrate:
        calibration(data, labels)
    print(f"\ntime: megler {t1 - t0:.2f} s (store, import, index and {len(data['needs'])} needs), "
          f"baseline {t2 - t1:.2f} s")
    if args.rankings:
        args.rankings.write_text(json.dumps(ours, ensure_ascii=False, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

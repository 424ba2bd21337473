"""Match quality on a matchbench file: megler against a plain rapidfuzz baseline.

    python benchmarks/match_quality.py ../shared/matchbench/dev.json [--rankings OUT.json]

Prints nDCG@5, MRR, Recall@10 and ineligible@5 (as matchbench/README.md defines them) for
megler and for rapidfuzz token_set_ratio over each entry's whole text (no eligibility), on
all needs, the "hard needs" slice, the Swedish slice and the needs with look-alikes.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from rapidfuzz import fuzz, process  # noqa: E402

from megler.matching import Entry, Matcher, NeedQuery, OrgProfile  # noqa: E402

HARD = set("n009 n010 n012 n019 n020 n028 n041 n048 n052 n066 n070 n071 n072 n073 n095 "
           "n096 n097 n098".split())
DEPTH = 20


def to_entry(c: dict) -> Entry:
    """One matchbench catalog entry as the matcher's Entry (the one place that converts)."""
    return Entry(
        id=c["id"], kind=c["kind"], name=c["name"], description=c.get("description", ""),
        keywords=tuple(c.get("keywords") or ()), provider=c.get("provider"),
        agency=c.get("agency"), language=c.get("language", "nb"),
        country=c.get("country", "NO"), regions=tuple(c.get("regions") or ("*",)),
        audience=tuple(c.get("audience") or ()), min_employees=c.get("min_employees"),
        max_employees=c.get("max_employees"),
        deadline=date.fromisoformat(c["deadline"]) if c.get("deadline") else None)


def to_query(n: dict) -> NeedQuery:
    o = n["org"]
    org = OrgProfile(kind=o.get("kind"), country=o.get("country"), region=o.get("region"),
                     municipality=o.get("municipality"), industry=o.get("industry"),
                     employees=o.get("employees"))
    return NeedQuery(text=n["text"], org=org, on=date.fromisoformat(n["date"]),
                     language=n.get("language"))


def entry_text(c: dict) -> str:
    parts = [c["name"], c.get("provider") or c.get("agency") or "", c.get("description", ""),
             " ".join(c.get("keywords") or ())]
    return " ".join(p for p in parts if p)


def rank_megler(data: dict) -> dict[str, list[str]]:
    matcher = Matcher(to_entry(c) for c in data["catalog"])
    return {n["id"]: [m.entry.id for m in matcher.rank(to_query(n), top=DEPTH)]
            for n in data["needs"]}


def rank_baseline(data: dict) -> dict[str, list[str]]:
    ids = [c["id"] for c in data["catalog"]]
    texts = [entry_text(c) for c in data["catalog"]]
    out = {}
    for n in data["needs"]:
        hits = process.extract(n["text"], texts, scorer=fuzz.token_set_ratio, limit=DEPTH,
                               processor=str.lower)
        out[n["id"]] = [ids[i] for _, _, i in hits]
    return out


def evaluate(needs: list[dict], rankings: dict[str, list[str]]) -> dict[str, float]:
    tot = dict(ndcg5=0.0, mrr=0.0, recall10=0.0, ineligible5=0.0)
    for n in needs:
        r, rel = rankings[n["id"]], n["relevant"]
        dcg = sum(rel.get(c, 0) / math.log2(i + 2) for i, c in enumerate(r[:5]))
        ideal = sorted(rel.values(), reverse=True)[:5]
        tot["ndcg5"] += dcg / sum(g / math.log2(i + 2) for i, g in enumerate(ideal))
        tot["mrr"] += next((1 / (i + 1) for i, c in enumerate(r[:10]) if rel.get(c, 0) >= 2), 0)
        good = {c for c, g in rel.items() if g >= 2}
        tot["recall10"] += len(good & set(r[:10])) / len(good)
        tot["ineligible5"] += bool(set(n["ineligible"]) & set(r[:5]))
    return {k: v / len(needs) for k, v in tot.items()} if needs else tot


def slices(data: dict) -> dict[str, list[dict]]:
    needs = data["needs"]
    return {"all": needs,
            "hard": [n for n in needs if n["id"] in HARD],
            "swedish": [n for n in needs if n.get("language") == "sv"],
            "look-alikes": [n for n in needs if n["ineligible"]]}


def report(data: dict, results: dict[str, dict[str, list[str]]]) -> None:
    print(f"{'slice':<12} {'system':<9} {'n':>4} {'nDCG@5':>7} {'MRR':>6} {'R@10':>6} {'inel@5':>7}")
    for name, needs in slices(data).items():
        for system, rankings in results.items():
            m = evaluate(needs, rankings)
            print(f"{name:<12} {system:<9} {len(needs):>4} {m['ndcg5']:>7.3f} {m['mrr']:>6.3f}"
                  f" {m['recall10']:>6.3f} {m['ineligible5']:>7.3f}")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("data", type=Path)
    ap.add_argument("--rankings", type=Path, help="write {need_id: [catalog_id, ...]} here")
    args = ap.parse_args(argv)
    data = json.loads(args.data.read_text(encoding="utf-8"))
    t0 = time.perf_counter()
    ours = rank_megler(data)
    t1 = time.perf_counter()
    base = rank_baseline(data)
    t2 = time.perf_counter()
    report(data, {"megler": ours, "rapidfuzz": base})
    print(f"\ntime: megler {t1 - t0:.2f} s (index and {len(data['needs'])} needs), "
          f"baseline {t2 - t1:.2f} s")
    if args.rankings:
        args.rankings.write_text(json.dumps(ours, ensure_ascii=False, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""Register import and lookup: Enhetsregisteret's bulk file at its real size.

    python benchmarks/register.py [--units 1200000] [--small 120000] [--lookups 2000]

Generates `enheter_alle.json.gz` in the real shape (a gzipped JSON array of units as the
API answers them) with --units and --small units, cached under /tmp, then imports each
with `megler register import` in a child process of its own, and reports the time and
the child's peak memory (resource usage of that child, os.wait4): memory must stay flat
in the file's size. Then times single lookups in the table as `org add --orgnr` makes
them (the table opened, one unit read, closed). Targets: import <= 2 minutes, a lookup
<= 5 ms.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from megler.registers.lookup import Registers  # noqa: E402

CACHE = Path(tempfile.gettempdir()) / "megler-register-bench"
PLACES = [("RANA", "1833", "MO I RANA"), ("HALDEN", "3101", "HALDEN"), ("OSLO", "0301", "OSLO"),
          ("BERGEN", "4601", "BERGEN"), ("TRONDHEIM", "5001", "TRONDHEIM"),
          ("FREDRIKSTAD", "3107", "FREDRIKSTAD"), ("HERØY", "1818", "HERØY"),
          ("HERØY", "1515", "FOSNAVÅG"), ("BÆRUM", "3201", "SANDVIKA"), ("ÅLESUND", "1508", "ÅLESUND"),
          ("VEFSN", "1824", "MOSJØEN"), ("TROMSØ", "5501", "TROMSØ"), ("NOWHERE", "9999", "INGEN")]
NACE = [("25.620", "Bearbeiding av metaller"), ("16.100", "Saging, høvling og impregnering av tre"),
        ("62.010", "Programmeringstjenester"), ("41.200", "Oppføring av bygninger"),
        ("47.111", "Butikkhandel med bredt vareutvalg med hovedvekt på nærings- og nytelsesmidler"),
        ("03.211", "Produksjon av laks og regnbueørret i sjøvann"), ("86.211", "Allmenn legetjeneste")]
FORMS = [("AS", "Aksjeselskap"), ("ENK", "Enkeltpersonforetak"), ("FLI", "Forening/lag/innretning"),
         ("ANS", "Ansvarlig selskap"), ("KOMM", "Kommune")]


def numbers(count: int):
    """Valid Norwegian org numbers (mod 11), in order, as the register's files are."""
    weights = (3, 2, 7, 6, 5, 4, 3, 2)
    base = 810_000_00
    while count:
        digits = str(base)
        check = (11 - sum(int(d) * w for d, w in zip(digits, weights, strict=True)) % 11) % 11
        base += 1
        if check != 10:
            count -= 1
            yield digits + str(check)


def unit(orgnr: str, rng: random.Random) -> dict:
    kommune, nummer, poststed = rng.choice(PLACES)
    form = rng.choice(FORMS)
    address = {"land": "Norge", "landkode": "NO", "postnummer": f"{rng.randrange(10000):04d}",
               "poststed": poststed, "adresse": [f"Storgata {rng.randrange(1, 200)}"],
               "kommune": kommune, "kommunenummer": nummer}
    record = {"organisasjonsnummer": orgnr, "navn": f"BEDRIFT {orgnr} {form[0]}",
              "organisasjonsform": {"kode": form[0], "beskrivelse": form[1],
                                    "_links": {"self": {"href": "https://data.brreg.no/x"}}},
              "registreringsdatoEnhetsregisteret": "2011-04-01", "registrertIMvaregisteret": True,
              "naeringskode1": dict(zip(("kode", "beskrivelse"), rng.choice(NACE), strict=True)),
              "harRegistrertAntallAnsatte": rng.random() < 0.6,
              "forretningsadresse": address, "postadresse": address,
              "institusjonellSektorkode": {"kode": "2100", "beskrivelse": "Private aksjeselskaper mv."},
              "registrertIForetaksregisteret": True, "registrertIStiftelsesregisteret": False,
              "registrertIFrivillighetsregisteret": False, "konkurs": rng.random() < 0.01,
              "underAvvikling": rng.random() < 0.02,
              "underTvangsavviklingEllerTvangsopplosning": rng.random() < 0.005,
              "maalform": "Bokmål", "_links": {"self": {"href": f"https://data.brreg.no/enhetsregisteret/api/enheter/{orgnr}"}}}
    if record["harRegistrertAntallAnsatte"]:
        record["antallAnsatte"] = rng.randrange(1, 400)
    if rng.random() < 0.3:
        record["naeringskode2"] = dict(zip(("kode", "beskrivelse"), rng.choice(NACE), strict=True))
    return record


def generated(count: int) -> Path:
    """The file of `count` units, made once and kept under /tmp."""
    path = CACHE / f"enheter_alle_{count}.json.gz"
    if path.exists():
        return path
    CACHE.mkdir(parents=True, exist_ok=True)
    rng = random.Random(count)
    partial = path.with_suffix(".part")
    with gzip.open(partial, "wt", encoding="utf-8", compresslevel=1) as file:
        file.write("[")
        for i, orgnr in enumerate(numbers(count)):
            file.write(("," if i else "") + json.dumps(unit(orgnr, rng), ensure_ascii=False))
        file.write("]")
    partial.rename(path)
    return path


def timed_import(file: Path, store: Path) -> tuple[float, float]:
    """Seconds and the child's peak resident memory (MB) of `megler register import`."""
    env = {**os.environ, "MEGLER_DB": str(store), "MEGLER_CONFIG": str(store.parent / "none.toml")}
    start = time.perf_counter()
    child = subprocess.Popen([sys.executable, "-m", "megler", "register", "import", str(file)],
                             env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(child.pid, 0)
    seconds = time.perf_counter() - start
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"import failed: {child.stderr.read().decode() if child.stderr else ''}")
    return seconds, usage.ru_maxrss / 1024  # kB on Linux


def lookups(store: Path, count: int, units: int) -> list[float]:
    """Milliseconds per lookup, each opening the table as `org add --orgnr` does."""
    rng = random.Random(7)
    wanted = rng.sample(range(units), count)
    every = list(numbers(max(wanted) + 1))
    with Registers(store, "http://127.0.0.1:9") as registers:  # the first loads megler.orgs
        registers.look_up(every[0], "NO")
    times = []
    for i in wanted:
        start = time.perf_counter()
        with Registers(store, "http://127.0.0.1:9") as registers:
            found = registers.look_up(every[i], "NO")
        times.append((time.perf_counter() - start) * 1000)
        assert found.unit, found.why_not
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--units", type=int, default=1_200_000)
    parser.add_argument("--small", type=int, default=120_000)
    parser.add_argument("--lookups", type=int, default=2000)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="megler-register-"))
    try:
        for count in (args.small, args.units):
            start = time.perf_counter()
            file = generated(count)
            made = time.perf_counter() - start
            seconds, peak = timed_import(file, work / f"store-{count}.db")
            table = work / f"store-{count}.db.register"
            print(f"{count:>9,} units: file {file.stat().st_size / 1e6:,.0f} MB gzipped "
                  f"(ready in {made:.0f} s), import {seconds:.1f} s "
                  f"({count / seconds:,.0f} units/s), child peak RSS {peak:,.0f} MB, "
                  f"table {table.stat().st_size / 1e6:,.0f} MB")
        times = lookups(work / f"store-{args.units}.db", args.lookups, args.units)
        print(f"lookup in the {args.units:,}-unit table: median {statistics.median(times):.2f} ms, "
              f"p99 {sorted(times)[int(len(times) * 0.99)]:.2f} ms, max {max(times):.2f} ms "
              f"({args.lookups:,} lookups)")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()

"""Municipal clusters: named sets of municipalities a network reports by (`report --by
cluster`), imported from one YAML file that replaces them all:

    clusters:
      Fyrbodal nord: [Strömstad, Tanum, Sotenäs]
      Fyrbodal syd: [Trollhättan, Vänersborg]

A municipality may be in more than one cluster. Names are kept NFC as written; an org's
municipality is in a cluster when the two are the same name but for case, as megler
compares names elsewhere (`folded`).
"""

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from sqlmodel import Session, col, delete, select

from megler.errors import InvalidInput
from megler.models import Cluster
from megler.parse import clean_text
from megler.text import nfc

SHAPE = "a `clusters:` mapping of name: [municipality, …]"


def folded(name: str) -> str:
    """How a cluster's municipality and an org's are compared: NFC, without case."""
    return nfc(name).casefold()


@dataclass(frozen=True)
class Imported:
    clusters: int
    municipalities: int   # different ones, over all the clusters
    unknown: dict[str, str | None]  # named in the file, no org's: the orgs' closest name
    orgs_placed: bool     # does any org of the store have a municipality to check them by?


def read_file(path: Path) -> dict[str, list[str]]:
    """The clusters of a YAML file, every name checked, before anything is stored."""
    from megler import safeyaml

    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise InvalidInput(f"{path}: not UTF-8 text") from None
    except OSError as e:
        raise InvalidInput(f"{path}: cannot read the clusters: {e.strerror}") from None
    document = safeyaml.load(text, str(path))
    if not isinstance(document, dict) or set(document) != {"clusters"} \
            or not isinstance(document["clusters"], dict):
        raise InvalidInput(f"{path}: expected {SHAPE}")
    return parse(document["clusters"], str(path))


def parse(clusters: dict, source: str) -> dict[str, list[str]]:
    """Each cluster's name and municipalities as megler keeps them; a name given twice (but
    for case) is refused, a municipality listed twice in one cluster kept once."""
    found: dict[str, list[str]] = {}
    seen: dict[str, str] = {}
    for key, members in clusters.items():
        name = _name(key, f"{source}: a cluster's name")
        if folded(name) in seen:
            raise InvalidInput(f"{source}: cluster {name!r} is named twice ({seen[folded(name)]!r})")
        seen[folded(name)] = name
        if not isinstance(members, list):
            raise InvalidInput(f"{source}: cluster {name!r}: expected a list of municipalities, "
                               "such as [Strömstad, Tanum]")
        places = _once(_name(m, f"{source}: cluster {name!r}: a municipality") for m in members)
        if not places:
            raise InvalidInput(f"{source}: cluster {name!r} names no municipality")
        found[name] = places
    return found


def _once(names: Iterable[str]) -> list[str]:
    """Each name once, but for case, as first written."""
    first: dict[str, str] = {}
    for name in names:
        first.setdefault(folded(name), name)
    return list(first.values())


def _name(value: object, what: str) -> str:
    if not isinstance(value, str):
        shown = "nothing" if value is None else repr(value)
        raise InvalidInput(f"{what} should be text, not {shown} (put it in quotes)")
    try:
        name = clean_text(value, name=True)
    except InvalidInput as e:
        raise InvalidInput(f"{what}: {e}") from None
    if not name:
        raise InvalidInput(f"{what} is empty")
    return name


def import_clusters(s: Session, clusters: dict[str, list[str]]) -> Imported:
    """Replace the stored clusters with these (in the session's one transaction)."""
    s.exec(delete(Cluster))
    for name, members in clusters.items():
        s.add_all(Cluster(name=name, municipality=m) for m in members)
    s.flush()
    places = _once(m for members in clusters.values() for m in members)
    known = {folded(m): m for m in orgs_per_municipality(s)}
    unknown = {m: _closest(m, known) for m in places if folded(m) not in known}
    return Imported(len(clusters), len(places), unknown, bool(known))


def _closest(name: str, known: dict[str, str]) -> str | None:
    """The orgs' municipality most like a name no org has (a typo's likely meaning)."""
    from difflib import get_close_matches

    found = get_close_matches(folded(name), list(known), n=1, cutoff=0.8)
    return known[found[0]] if found else None


def orgs_per_municipality(s: Session) -> dict[str, int]:
    """How many orgs each municipality has, as the orgs spell it (none: left out)."""
    from sqlalchemy import func

    from megler.models import Org

    return {m: n for m, n in s.exec(select(Org.municipality, func.count()).group_by(
        col(Org.municipality))) if m is not None}


def stored(s: Session) -> dict[str, list[str]]:
    """The clusters by name, each with its municipalities, in alphabetical order (Python's,
    so that both backends give one order)."""
    found: dict[str, list[str]] = {}
    rows = s.exec(select(Cluster.name, Cluster.municipality)).all()
    for name, municipality in sorted(rows, key=lambda r: (folded(r[0]), r[0], folded(r[1]), r[1])):
        found.setdefault(name, []).append(municipality)
    return found


def listed(s: Session) -> list[dict]:
    """The clusters as `network clusters` shows them: name, municipalities, and how many
    of the store's orgs are in each."""
    per_place: dict[str, int] = {}
    for m, n in orgs_per_municipality(s).items():
        per_place[folded(m)] = per_place.get(folded(m), 0) + n
    return [{"name": name, "municipalities": members,
             "orgs": sum(per_place.get(folded(m), 0) for m in members)}
            for name, members in stored(s).items()]

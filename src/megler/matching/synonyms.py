"""The synonym and abbreviation table: concepts shared by words in nb, nn, sv and en.

A concept becomes an index term of its own ("§ai"), added wherever one of its phrases
occurs, so synonyms meet through one token instead of multiplying query words.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

from megler import safeyaml

from .text import fold, is_acronym, is_stopword, stem, words

CONCEPT_PREFIX = "§"
EXACT = "="  # a term matched as written (folded), not by its stem: "=lærere"
_PHRASE_LANGS = ("nb", "sv", "en")  # a phrase's language is unknown: try every stemmer


@dataclass
class Synonyms:
    """Phrase → concept lookup plus related concepts and need-kind cues."""

    # first key → [(keys, concept, languages whose stemmer gave these keys)]
    phrases: dict[str, list[tuple[tuple[str, ...], str, frozenset[str]]]] = field(
        default_factory=dict)
    related: dict[str, tuple[str, ...]] = field(default_factory=dict)
    kind_cues: dict[str, frozenset[str]] = field(default_factory=dict)
    fields: dict[str, frozenset[str]] = field(default_factory=dict)  # concept → fields of work
    conditions: dict[str, frozenset[str]] = field(default_factory=dict)  # concept → what it is only for
    who: frozenset[str] = frozenset()  # concepts that say whom a need is for, not what
    points_to: dict[str, tuple[str, ...]] = field(default_factory=dict)  # situation → concepts
    implied: dict[str, tuple[str, ...]] = field(default_factory=dict)
    vocabulary: set[str] = field(default_factory=set)
    labels: dict[str, tuple[str, str]] = field(default_factory=dict)  # (bokmål, svenska)

    def label(self, concept: str, language: str | None = None) -> str:
        """A concept as a broker reads it (table `labels`), in Swedish for a Swedish need.

        >>> Synonyms.load().label("competence_dev"), Synonyms.load().label("competence_dev", "sv")
        ('kompetanseutvikling', 'kompetensutveckling')
        """
        nb, sv = self.labels.get(concept, (concept.replace("_", " "),) * 2)
        return sv if language == "sv" else nb

    @classmethod
    def load(cls, extra: str | Path | None = None) -> Synonyms:
        """The shipped table, extended by a user file in the same format when given."""
        data = resources.files("megler.matching").joinpath("data")
        tables = [safeyaml.load(data.joinpath(name).read_text(encoding="utf-8"), name)
                  for name in ("synonyms.yaml", "concepts.yaml")]
        if extra:
            tables.append(safeyaml.load(Path(extra).read_text(encoding="utf-8"), str(extra)) or {})
        return cls.from_tables(tables)

    @classmethod
    def from_tables(cls, tables: list[dict]) -> Synonyms:
        terms: dict[str, list[str]] = {}
        related: dict[str, list[str]] = {}
        cues: dict[str, set[str]] = {}
        implied: dict[str, list[str]] = {}
        fields: dict[str, set[str]] = {}
        conditions: dict[str, set[str]] = {}
        points: dict[str, list[str]] = {}
        who: set[str] = set()
        for table in tables:
            for name, spec in (table.get("concepts") or {}).items():
                spec = {"terms": spec} if isinstance(spec, list) else (spec or {})
                terms.setdefault(name, []).extend(str(t) for t in spec.get("terms", []))
                related.setdefault(name, []).extend(spec.get("related", []))
            for name, others in (table.get("related") or {}).items():
                related.setdefault(name, []).extend(others)
            for kind, names in (table.get("kinds") or {}).items():
                for name in names:
                    cues.setdefault(name, set()).add(kind)
            for kind, names in (table.get("implied") or {}).items():
                implied.setdefault(kind, []).extend(names)
            for name, spec in (table.get("situations") or {}).items():
                terms.setdefault(name, []).extend(str(t) for t in spec.get("when", []))
                points.setdefault(name, []).extend(spec.get("points_to", []))
            who.update(table.get("who") or ())
            for kept, key in ((fields, "fields"), (conditions, "conditions")):
                for name, members in (table.get(key) or {}).items():
                    for concept in members:
                        kept.setdefault(concept, set()).add(name)
        syn = cls(related={k: tuple(v) for k, v in related.items() if v},
                  kind_cues={k: frozenset(v) for k, v in cues.items()},
                  implied={k: tuple(dict.fromkeys(v)) for k, v in implied.items()},
                  labels=_labels(tables, terms),
                  fields={k: frozenset(v) for k, v in fields.items()},
                  conditions={k: frozenset(v) for k, v in conditions.items()},
                  who=frozenset(who),
                  points_to={k: tuple(dict.fromkeys(v)) for k, v in points.items()})
        for name, phrases in terms.items():
            for phrase in phrases:
                syn._add(phrase, name)
        return syn

    def _add(self, phrase: str, concept: str) -> None:
        """Stem the phrase with every stemmer, remembering which stemmer gave which keys.

        A text is then matched only against the keys its own language's stemmer gives:
        the English stemmer turns "maskinering" into "maskin" and the Swedish one "lære"
        into "lär" (as in "lärare"); across languages such stems meet by accident.
        """
        ws = words(phrase)  # stop words stay: "si opp" must not shrink to "si"
        by_keys: dict[tuple[str, ...], set[str]] = {}
        literal = phrase.startswith(EXACT)  # "=lærere": not the verb "lærer", stemmed alike
        for lang in _PHRASE_LANGS:
            keys = tuple(EXACT + fold(w) if literal else stem(w, lang) for w in ws)
            if not keys or (len(keys) == 1 and _collides(keys[0]) and not is_acronym(ws[0])):
                continue  # "tare" → "tar", "förare" → "för": such stems are everyday words
            by_keys.setdefault(keys, set()).add(lang)
        for keys, langs in by_keys.items():
            bucket = self.phrases.setdefault(keys[0], [])
            for n, (k, c, old) in enumerate(bucket):
                if (k, c) == (keys, concept):
                    bucket[n] = (k, c, old | langs)
                    break
            else:
                bucket.append((keys, concept, frozenset(langs)))
            self.vocabulary.update(k for k in keys if not k.startswith(EXACT))

    def find(self, positions: list[tuple[str, ...]], parts: list[tuple[str, ...]],
             stops: list[bool], language: str | None = None) -> list[tuple[str, int, int]]:
        """Concepts found in a text given as alternative keys per word and compound parts.

        Returns (concept, first word, number of words) triples; multi-word phrases match whole words in order,
        one-word phrases also match a compound's parts ("KI-modell", "demensvård") but
        never a stop word ("dem" is not "demens"). With a language (nb, sv, en) only the
        phrase keys of that language's stemmer count.
        """
        lang = {"nn": "nb"}.get(language or "", language)
        found = []
        for i, alts in enumerate(positions):
            for key in alts:
                for keys, concept, langs in self.phrases.get(key, ()):
                    if lang and lang not in langs:
                        continue
                    if (len(keys) > 1 or not stops[i]) and _matches_at(positions, i, keys):
                        found.append((concept, i, len(keys)))
            for key in parts[i]:
                for keys, concept, langs in self.phrases.get(key, ()):
                    if len(keys) == 1 and (not lang or lang in langs):
                        found.append((concept, i, 1))
        return found

    def phrases_by_concept(self) -> set[str]:
        """Every concept that has at least one phrase."""
        return {c for bucket in self.phrases.values() for _, c, _ in bucket}

    def implied_by(self, kinds) -> list[str]:
        """Concepts a need of these kinds asks for even unsaid (competence → competence_dev)."""
        return list(dict.fromkeys(c for k in sorted(kinds) for c in self.implied.get(k, ())))

    def fields_of(self, concepts) -> frozenset[str]:
        """The fields of work these concepts belong to (synonyms.yaml: fields)."""
        return frozenset().union(*(self.fields.get(c, frozenset()) for c in concepts))

    def conditions_of(self, concepts) -> frozenset[str]:
        """The situations these concepts stand for that some entries are only for
        (synonyms.yaml: conditions), counting what a situation of the need points to."""
        told = set(concepts).union(*(self.points_to.get(c, ()) for c in concepts))
        return frozenset().union(*(self.conditions.get(c, frozenset()) for c in told))

    def kinds_of(self, concepts) -> set[str]:
        """Need kinds signalled by these concepts (funding words → funding, and so on)."""
        out: set[str] = set()
        for c in concepts:
            out |= self.kind_cues.get(c, frozenset())
        return out


def _labels(tables: list[dict], terms: dict[str, list[str]]) -> dict[str, tuple[str, str]]:
    """Concept → (bokmål, svenska) names from `labels` ("nb / sv"), else the first term."""
    out = {name: (ts[0], ts[0]) for name, ts in terms.items() if ts}
    for table in tables:
        for name, text in (table.get("labels") or {}).items():
            nb, _, sv = str(text).partition(" / ")
            out[name] = (nb.strip(), (sv or nb).strip())
    return out


def _collides(key: str) -> bool:
    return len(key) < 3 or any(is_stopword(key, lang) for lang in _PHRASE_LANGS)


def _matches_at(positions, i, keys) -> bool:
    if i + len(keys) > len(positions):
        return False
    return all(k in positions[i + n] for n, k in enumerate(keys))


def concept_key(name: str) -> str:
    return CONCEPT_PREFIX + name

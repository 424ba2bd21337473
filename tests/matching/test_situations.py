"""Situations (matching/data/concepts.yaml): a need told as what went wrong finds what the
catalog offers for it."""

from datetime import date

from megler.matching import Entry, Matcher, NeedQuery, OrgProfile
from megler.matching.synonyms import Synonyms

MOSS = OrgProfile(kind="company", country="NO", municipality="Moss")


def test_every_situation_points_to_concepts_the_table_knows():
    synonyms = Synonyms.load()
    assert len(synonyms.points_to) >= 20
    for situation, targets in synonyms.points_to.items():
        assert targets and all(synonyms.label(t, "nb") for t in targets), situation
        assert set(targets) <= set(synonyms.labels) | set(synonyms.related) | set(synonyms.kind_cues), situation


def test_a_users_own_situation_extends_the_shipped_ones(tmp_path):
    own = tmp_path / "synonyms.yaml"
    own.write_text("situations:\n  frost_damage:\n    when: [frostskader]\n    points_to: [construction]\n",
                   encoding="utf-8")
    assert Synonyms.load(own).points_to["frost_damage"] == ("construction",)
    assert "waiting_and_bottlenecks" in Synonyms.load(own).points_to


def _catalog() -> list[Entry]:
    return [Entry(id=1, kind="offering", name="Lean og kontinuerlig forbedring for formenn",
                  description="Kurs i 5S og forbedringsarbeid."),
            Entry(id=2, kind="offering", name="Regnskap og budsjett for små foretak",
                  description="Nøkkeltall og likviditet, måned for måned."),
            Entry(id=3, kind="offering", name="Velferdsteknologi i hjemmetjenesten",
                  description="Sensorer og trygghetsteknologi for brukere som bor hjemme."),
            Entry(id=4, kind="offering", name="Lederutvikling for nye ledere",
                  description="Program for dem som skal lede andre for første gang.")]


def test_a_symptom_finds_the_remedy_that_shares_no_word_with_it():
    """Each need shares no word and no synonym with its remedy: only the situation it
    tells of (concepts.yaml) leads there."""
    m = Matcher(_catalog())
    on = date(2026, 10, 1)
    told = {"Ordrene hoper seg opp ved en flaskehals i pakkeavdelingen": 1,
            "Nattevakten kjører mye rundt om natta": 3,
            "Eieren fyller 67 og vil selge bedriften": 4}
    for text, remedy in told.items():
        ranked = m.rank(NeedQuery(text, MOSS, on))
        assert ranked and ranked[0].entry.id == remedy, text
        assert ranked[0].parts["text"] > 0 and ranked[0].concepts, text  # named in --explain

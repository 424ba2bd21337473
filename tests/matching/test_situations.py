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


def test_skills_nobody_names_are_found_in_every_language():
    """What a foreman says of his people (they don't report, forms are hard) is basic
    skills; work that is being automated is AI and digital change: in nb, sv and en."""
    m = Matcher(_catalog() + [
        Entry(id=5, kind="instrument", name="Kompetansepluss arbeid",
              description="Tilskudd til opplæring i grunnleggende ferdigheter: lesing, skriving og regning."),
        Entry(id=6, kind="offering", name="Kunstig intelligens for rådgivere",
              description="Hvordan KI endrer arbeidet i et regnskapsbyrå.")])
    on = date(2026, 10, 1)
    told = {"Flere på lageret henger ikke med på tekst og tall og fyller ikke ut skjemaer": 5,
            "Många på lagret rapporterar inte och fyller inte i blanketterna": 5,
            "The warehouse staff struggle to read the forms": 5,
            "Bilagsføringen automatiseres, og oppgavene forsvinner": 6,
            "Arbetsuppgifterna försvinner när bokföringen automatiseras": 6}
    for text, remedy in told.items():
        assert m.rank(NeedQuery(text, MOSS, on))[0].entry.id == remedy, text


def _grants() -> list[Entry]:
    return [Entry(id=1, kind="instrument", name="Bedriftsintern opplæring (BIO)",
                  description="Tilskudd til opplæring av ansatte i bedrifter i omstilling.",
                  keywords=("omstilling", "opplæring", "nedbemanning")),
            Entry(id=2, kind="instrument", name="Tilskudd til kompetanseutvikling",
                  description="Tilskudd til opplæring av ansatte i små og mellomstore bedrifter.",
                  keywords=("opplæring", "kompetanseutvikling"))]


def test_a_grant_only_for_layoffs_is_a_look_alike_for_an_everyday_course():
    m = Matcher(_grants())
    ranked = m.rank(NeedQuery("Mekanikerne trenger opplæring på elbiler", MOSS, date(2026, 10, 1)))
    assert [r.entry.id for r in ranked] == [2, 1]
    assert ranked[1].parts["condition"] == -12.0 and ranked[0].parts["condition"] == 0.0
    assert "only for nedbemanning, which the need does not tell of" in ranked[1].notes


def test_it_is_the_first_suggestion_when_jobs_are_at_stake():
    m = Matcher(_grants())
    for text in ("Hovedkunden legger ned, og 30 stillinger berøres: vil heller gi folk opplæring enn å si opp",
                 "Vi mistet en stor kunde og må kanskje nedbemanne; ønsker opplæring"):
        ranked = m.rank(NeedQuery(text, MOSS, date(2026, 10, 1)))
        assert ranked[0].entry.id == 1 and ranked[0].parts["condition"] == 0.0, text


def test_what_a_need_asks_for_outweighs_whom_it_is_for():
    """The nurses' welfare technology course, not any course for nurses (synonyms.yaml: who)."""
    m = Matcher([Entry(id=1, kind="offering", name="Videreutdanning i geriatri for sykepleiere",
                       description="For sykepleiere og helsefagarbeidere i hjemmetjenesten og på sykehjem."),
                 Entry(id=2, kind="offering", name="Velferdsteknologi i helsetjenesten",
                       description="Digitalt tilsyn, medisindispensere og trygghetsteknologi.")])
    on = date(2026, 10, 1)
    for text in ("Sykepleierne i hjemmetjenesten trenger opplæring i velferdsteknologi",
                 "Sjuksköterskorna i hemtjänsten behöver utbildning i välfärdsteknik"):
        assert m.rank(NeedQuery(text, MOSS, on))[0].entry.id == 2, text


def test_an_institution_is_no_look_alike_for_the_fields_its_text_leaves_out():
    """A university college names a few of its fields; a nurse need may still go there."""
    college = Entry(id=1, kind="provider", name="Högskolan Väst", language="sv", country="SE",
                    audience=("municipality",),
                    description="Utbildning och forskning inom svetsning, automation och industri.")
    course = Entry(id=2, kind="offering", name="Svetsteknik för industrin", language="sv",
                   country="SE", audience=("municipality",),
                   description="Svetsning och automation för industriföretag.")
    ranked = Matcher([college, course]).rank(NeedQuery(
        "Vill samarbeta med högskolan om fler specialistsjuksköterskor i äldreomsorgen",
        OrgProfile(kind="municipality", country="SE", municipality="Åmål"), date(2026, 10, 1)))
    parts = {m.entry.id: m.parts for m in ranked}
    assert parts[1]["field"] == 0.0 and parts[2]["field"] < 0


def _rd_schemes() -> list[Entry]:
    return [Entry(id=1, kind="instrument", name="Innovasjonsprosjekt i næringslivet",
                  description="Støtte til bedrifter som leder et stort FoU-prosjekt sammen med "
                              "en forskningsorganisasjon.", keywords=("FoU", "innovasjon")),
            Entry(id=2, kind="instrument", name="Kvalifiseringsprosjekt for bedrifter",
                  description="For bedrifter med lite FoU-erfaring som kjøper FoU-tjenester for "
                              "første gang.", keywords=("FoU", "kvalifiseringsprosjekt"))]


FIRST_RD = {"første FoU-prosjekt", "första FoU-projektet"}  # its label in nb and sv


def test_a_company_new_to_research_gets_the_first_rung_before_the_big_scheme():
    """The R&D ladder: a first-timer's need names the qualification project first, a
    company that has led R&D before is not pushed down it."""
    m = Matcher(_rd_schemes())
    on = date(2026, 10, 1)
    for text in ("Har aldri hatt FoU-prosjekt, men vil teste om sidestrømmen kan bli et produkt",
                 "Har en idé om et nytt produkt av blod og bein, men vet ikke om det lar seg gjøre",
                 "Vi har aldrig haft FoU men vill testa en ny process"):
        ranked = m.rank(NeedQuery(text, MOSS, on))
        assert ranked[0].entry.id == 2, text
        assert FIRST_RD & set(ranked[0].concepts), text  # named in --explain
    for text in ("Vil lede et FoU-prosjekt om ny prosess med forskningspartner",
                 "Nye ledere som skal lede andre for første gang"):  # a first, not in R&D
        assert not FIRST_RD & set(m.rank(NeedQuery(text, MOSS, on))[0].concepts), text


def test_el_alone_names_the_electrical_field():
    """"automasjon og el": an electrical course is in the need's field, not a look-alike."""
    m = Matcher([Entry(id=1, kind="offering", name="Elkraft – fagskoleingeniør",
                       description="Elkraft og elektriske anlegg.")])
    ranked = m.rank(NeedQuery("Trenger fagarbeidere innen automasjon og el", MOSS, date(2026, 10, 1)))
    assert ranked[0].parts["field"] == 0.0


def test_health_and_care_names_the_health_field():
    """A course for "helse og omsorg" is in the nurses' field, and a look-alike for a
    welding need."""
    m = Matcher([Entry(id=1, kind="offering", name="Digital kompetanse i helse og omsorg",
                       description="Kurs for ansatte i helse- og omsorgstjenestene.")])
    on = date(2026, 10, 1)
    nurses = m.rank(NeedQuery("Sykepleierne trenger digital kompetanse", MOSS, on))
    welders = m.rank(NeedQuery("Sveiserne trenger digital kompetanse", MOSS, on))
    assert nurses[0].parts["field"] == 0.0
    assert welders[0].parts["field"] < 0

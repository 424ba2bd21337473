import pytest

from megler.errors import InvalidInput
from megler.visit_form import Form, parse, render


def test_a_rendered_form_reads_back_the_same():
    form = Form(headers={"date": "2026-09-01", "kind": "visit", "orgs": "Mek, Årjäng Såg",
                         "contacts": "1, 2", "need kind": "rd", "follow-up": "+2w",
                         "follow-up text": "Ring Kari"},
                sections={"notes": "Møte på verkstedet.\n\nTo avsnitt.",
                          "since_last": "Ny ordre fra Equinor", "next_steps": "Sende kursplan",
                          "needs": "Sveisekurs\nTruckførerbevis"})
    assert parse(render(form)) == form


def test_the_template_shows_every_field_and_the_help():
    text = render(Form())
    for line in ("Date:", "Kind:", "Orgs:", "Contacts:", "Need kind:", "Follow-up:",
                 "Follow-up text:", "## Notes", "## Since last time", "## Next steps",
                 "## Needs"):
        assert line in text
    assert text.startswith("# megler visit")
    assert parse(text) == Form()  # an untouched template holds nothing


def test_help_lines_are_dropped_and_empty_sections_skipped():
    form = parse("# help\nOrgs: Mek\n\n## Notes\n# a comment\nHei\n\n## Needs\n\n")
    assert form.headers == {"orgs": "Mek"}
    assert form.sections == {"notes": "Hei"}


def test_headings_may_be_shortened():
    form = parse("## Since last time\nNy ordre\n## next steps: whatever\nRinge\n")
    assert form.sections == {"since_last": "Ny ordre", "next_steps": "Ringe"}


@pytest.mark.parametrize("text, message", [
    ("Weather: sunny\n", "cannot read this line"),
    ("Just a line\n", "cannot read this line"),
    ("## Lunch\nPizza\n", "unknown section"),
])
def test_unreadable_templates_are_refused(text, message):
    with pytest.raises(InvalidInput, match=message):
        parse(text)

"""The visit template a broker fills in with $EDITOR, as plain text and back.

Header lines `Key: value` come first; then one `## Heading` section per free-text
field. Lines starting with `#` (but not `##`) are help and are dropped.
"""

from dataclasses import dataclass, field

from megler.errors import InvalidInput
from megler.vocabulary import NeedKind

HEADERS = ("date", "kind", "orgs", "contacts", "need kind", "follow-up", "follow-up text")
SECTIONS = {
    "notes": "Notes",
    "since_last": "Since last time: what has happened, and how",
    "next_steps": "Next steps: what we do before next time, and why it matters",
    "needs": "Needs: one per line",
}


@dataclass
class Form:
    headers: dict[str, str] = field(default_factory=dict)
    sections: dict[str, str] = field(default_factory=dict)


def render(form: Form) -> str:
    lines = ["# megler visit: fill in what you know and save; an empty section is skipped.",
             "# Orgs and contacts: separated by commas. Dates: YYYY-MM-DD, today, +2w.",
             f"# Need kind: {', '.join(NeedKind)}; a need of another kind starts with it: rd: ...",
             ""]
    for key in HEADERS:
        lines.append(f"{key.capitalize()}: {form.headers.get(key, '')}".rstrip())
    for key, heading in SECTIONS.items():
        lines += ["", f"## {heading}", form.sections.get(key, "")]
    return "\n".join(lines).rstrip() + "\n"


def parse(text: str) -> Form:
    form, section = Form(), None
    for line in text.splitlines():
        if line.startswith("## "):
            section = _section_key(line[3:])
            form.sections[section] = ""
        elif line.startswith("#"):
            continue
        elif section:
            form.sections[section] += line + "\n"
        elif line.strip():
            _header(form, line)
    form.sections = {k: v.strip() for k, v in form.sections.items() if v.strip()}
    return form


def _section_key(heading: str) -> str:
    for key, title in SECTIONS.items():
        if heading.strip().lower().startswith(title.split(":")[0].lower()):
            return key
    raise InvalidInput(f"unknown section in the visit template: {heading.strip()!r}")


def _header(form: Form, line: str) -> None:
    key, sep, value = line.partition(":")
    key = key.strip().lower()
    if not sep or key not in HEADERS:
        raise InvalidInput(f"cannot read this line of the visit template: {line.strip()!r}")
    if value.strip():
        form.headers[key] = value.strip()

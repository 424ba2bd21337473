"""The visit template a broker fills in with $EDITOR, as plain text and back.

Header lines `Key: value` come first; then one `## Heading` section per free-text
field. Lines starting with `#` (but not `##`) are help and are dropped.

While the broker writes, and when a filled-in template cannot be stored (a typo in a
date), it is kept as a draft in `<store>.drafts/visit-<time>.md`: beside the store and
as private (0700, files 0600), never in the shared temp folder, and erased with a person
like the store's own text (megler.privacy).
"""

import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from megler.errors import InvalidInput
from megler.vocabulary import NeedKind
from megler.where import Where

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
             "# Orgs and contacts: by name (or id), separated by commas. Dates: YYYY-MM-DD, today, +2w.",
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


def drafts_folder(store: Where) -> Path:
    return store.with_name(store.name + ".drafts")


def new_draft(store: Where, text: str) -> Path:
    """A new private draft beside the store, named by the time: `visit-20260915-120000.md`."""
    from megler.clock import stamp

    folder = drafts_folder(store)
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    folder.chmod(0o700)  # mkdir's mode yields to the umask
    base, n = f"visit-{stamp()}", 1
    while True:
        path = folder / (f"{base}.md" if n == 1 else f"{base}-{n}.md")
        try:
            fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
        except FileExistsError:
            n += 1
            continue
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(text)
        return path


def kept_drafts(store: Where) -> list[Path]:
    """The store's drafts, and those an older megler kept in the temp folder (which
    could belong to any store of the user's)."""
    folder = drafts_folder(store)
    mine = sorted(folder.glob("visit-*.md")) if folder.is_dir() else []
    legacy = [p for p in sorted(Path(tempfile.gettempdir()).glob("megler-visit-*.md"))
              if p.is_file() and not p.is_symlink() and p.stat().st_uid == os.getuid()]
    return mine + legacy


def rewrite_draft(path: Path, text: str) -> None:
    """Replace a draft's text atomically, private like the original."""
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(text)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise

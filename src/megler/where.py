"""How a store is named: a file (SQLite) or a `postgresql://` URL (PostgreSQL).

Apart from store.py so that megler.postgres can name a store without importing it.
"""

from pathlib import Path


def default_path() -> Path:
    from platformdirs import user_data_path

    return user_data_path("megler") / "megler.db"


class Url:
    """A PostgreSQL store, named by a `postgresql://` URL that libpq reads as it is
    (PGHOST, PGUSER, PGPASSWORD, ~/.pgpass and sslmode apply as everywhere).

    Printed, it is the URL without its password: every message that names a store
    goes through str(), so no output can show the password. The files megler keeps
    beside a store (drafts, register tables, backups) go in a folder of the user's
    data folder named after the database, so code that puts a file beside a store
    works for both: `.parent`, `.stem`, `.with_name`.
    """

    def __init__(self, url: str) -> None:
        self.url = url

    def __str__(self) -> str:
        return shown(self.url)

    def __repr__(self) -> str:
        return f"Url({str(self)!r})"

    def __eq__(self, other) -> bool:
        return isinstance(other, Url) and other.url == self.url

    def __hash__(self) -> int:
        return hash(self.url)

    def exists(self) -> bool:
        return True  # the server says otherwise when megler connects

    def is_file(self) -> bool:
        return True

    def is_dir(self) -> bool:
        return False

    @property
    def name(self) -> str:
        from urllib.parse import urlsplit

        return urlsplit(self.url).path.strip("/") or "postgres"

    @property
    def stem(self) -> str:
        return self.name

    @property
    def parent(self) -> Path:
        return default_path().parent / "postgres" / self.name

    def with_name(self, name: str) -> Path:
        return self.parent / name


Where = Path | Url


def is_url(text: object) -> bool:
    return str(text).startswith(("postgresql://", "postgres://")) if text else False


def shown(url: str) -> str:
    """The URL for people: without its password, wherever libpq might read one."""
    from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

    parts = urlsplit(url)
    netloc = parts.netloc.rpartition("@")
    if netloc[1]:
        user = netloc[0].partition(":")[0]
        netloc = (f"{user}@{netloc[2]}", "", "")
    query = urlencode([(k, v) for k, v in parse_qsl(parts.query) if k != "password"], safe="/")
    return urlunsplit((parts.scheme, netloc[0], parts.path, query, parts.fragment))

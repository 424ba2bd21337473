"""The user's settings: one flat TOML file in the user's config folder.

    broker = "Kari Nordmann"
    lang = "nb"
    retention_months = 36
    region = "Østfold"

The one reader and checker of that file: every command that needs a setting asks
`get`, so a value `megler config set` accepts is one every command can use. Read
with tomllib; written with the one private writer (the keys are flat strings and
whole numbers, so megler needs no TOML writer). $MEGLER_CONFIG points elsewhere.
"""

import json
import os
import tomllib
from dataclasses import dataclass
from pathlib import Path

from megler.errors import InvalidInput, MeglerError
from megler.limits import check_int, parse_nested
from megler.parse import clean_text
from megler.vocabulary import ReportLanguage, listed


@dataclass(frozen=True)
class Setting:
    meaning: str
    kind: type = str
    default: str | int | None = None
    choices: tuple[str, ...] = ()
    minimum: int = 0
    env: str | None = None  # an environment variable that moves the default (tests, a proxy)
    url: bool = False
    store: bool = False  # a path or a postgresql:// URL, never with its password in it


# The order is the order `config show` prints.
SETTINGS: dict[str, Setting] = {
    "broker": Setting("your name, printed on reports"),
    "lang": Setting(f"the report language: {listed(ReportLanguage)}", default="en",
                    choices=tuple(ReportLanguage)),
    "retention_months": Setting("how many months personal data is kept after the last visit",
                                int, default=36, minimum=1),
    "region": Setting("your county or region"),
    "store": Setting("the store when neither --db nor $MEGLER_DB names one: a file or a "
                     "postgresql:// URL (its password in ~/.pgpass or $PGPASSWORD)", store=True),
    "register_url": Setting("Enhetsregisteret's API, where org numbers are looked up",
                            default="https://data.brreg.no/enhetsregisteret/api",
                            env="MEGLER_REGISTER_URL", url=True),
}


def path() -> Path:
    """$MEGLER_CONFIG, else config.toml in the user's config folder."""
    if chosen := os.environ.get("MEGLER_CONFIG"):
        return Path(os.path.expanduser(chosen))  # `~nobody/x` stays as it is, not an error
    from platformdirs import user_config_path

    return user_config_path("megler") / "config.toml"


def load() -> dict:
    """The settings in the file, each checked; {} when there is no file."""
    where = path()
    try:
        text = where.read_bytes().decode("utf-8")
        found = parse_nested(tomllib.loads, text, str(where))
    except FileNotFoundError:
        return {}
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as e:
        raise MeglerError(f"cannot read the settings in {where}: {e}") from None
    return {key: check(key, found[key], where) for key in SETTINGS if key in found}


def get(key: str):
    """One setting: from the file, else its default (which its variable may move)."""
    setting = SETTINGS[key]
    fallback = os.environ.get(setting.env) if setting.env else None
    return load().get(key, fallback or setting.default)


def check(key: str, value: object, where: object = "settings") -> object:
    """The value if it fits the key, else one clear line."""
    setting = _setting(key)
    if setting.kind is int and isinstance(value, str) and value.strip().isdigit():
        value = int(value)
    if not isinstance(value, setting.kind) or isinstance(value, bool):
        kind = "a whole number" if setting.kind is int else "text"
        raise InvalidInput(f"{where}: {key} must be {kind}")
    if isinstance(value, str):
        value = clean_text(value) or ""  # no control characters: TOML would refuse them
    if setting.url and isinstance(value, str) and not value.startswith(("http://", "https://")):
        raise InvalidInput(f"{where}: {key} must be an http:// or https:// address, not {value!r}")
    if setting.store and isinstance(value, str) and _has_password(value):
        raise InvalidInput(f"{where}: {key} must not hold a password; put it in ~/.pgpass "
                           "or $PGPASSWORD, where libpq finds it")
    if setting.choices and value not in setting.choices:
        raise InvalidInput(f"{where}: {key} must be one of {listed(setting.choices)}, not {value!r}")
    if isinstance(value, int) and value < setting.minimum:
        raise InvalidInput(f"{where}: {key} must be at least {setting.minimum}")
    if isinstance(value, int):
        check_int(value, f"{where}: {key}")
    return value


def _has_password(value: str) -> bool:
    from megler.where import Url, is_url

    return is_url(value) and str(Url(value)) != value


def _setting(key: str) -> Setting:
    if key not in SETTINGS:
        raise InvalidInput(f"unknown setting {key!r} (choose from {listed(SETTINGS)})")
    return SETTINGS[key]


def set_value(key: str, value: str) -> dict:
    """Set one key and write the file back; an empty value unsets it (its default again)."""
    _setting(key)
    settings = {k: v for k, v in load().items() if k != key}
    if value.strip():
        settings[key] = check(key, value.strip())
    write(settings)
    return settings


def write(settings: dict) -> Path:
    """Write the file atomically and privately (it may hold your name)."""
    from megler.files import write_private

    where = path()
    try:
        where.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    except OSError as e:
        raise MeglerError(f"cannot write {where}: {e.strerror}") from None
    # json.dumps writes a valid TOML basic string: quotes, backslashes and
    # control characters escaped, æøå kept as they are.
    lines = [f"{key} = {json.dumps(settings[key], ensure_ascii=False)}"
             for key in SETTINGS if key in settings]
    write_private(where, "\n".join(lines) + "\n")
    return where

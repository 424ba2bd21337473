"""The user's settings: one flat TOML file in the user's config folder.

    broker = "Kari Nordmann"
    lang = "nb"
    retention_months = 36
    region = "Østfold"

Read with tomllib; written by hand (the keys are flat strings and integers), so
megler needs no TOML writer. $MEGLER_CONFIG points elsewhere, e.g. in tests.
"""

import json
import os
import tomllib
from pathlib import Path

from megler.errors import InvalidInput, MeglerError
from megler.parse import clean_text

# key → (type, what it is); the order is the order `config show` prints.
KEYS: dict[str, tuple[type, str]] = {
    "broker": (str, "your name, printed on reports"),
    "lang": (str, "the report language: en, nb or sv"),
    "retention_months": (int, "how long personal data is kept"),
    "region": (str, "your county or region"),
}
LANGS = ("en", "nb", "sv")


def path() -> Path:
    """$MEGLER_CONFIG, else config.toml in the user's config folder."""
    if chosen := os.environ.get("MEGLER_CONFIG"):
        return Path(chosen).expanduser()
    from platformdirs import user_config_path

    return user_config_path("megler") / "config.toml"


def load() -> dict:
    """The settings in the file (known keys only); {} when there is no file."""
    where = path()
    try:
        with where.open("rb") as f:
            found = tomllib.load(f)
    except FileNotFoundError:
        return {}
    except (OSError, tomllib.TOMLDecodeError) as e:
        raise MeglerError(f"cannot read the settings in {where}: {e}") from None
    return {key: check(key, found[key], where) for key in KEYS if key in found}


def check(key: str, value: object, where: object = "settings") -> object:
    """The value if it fits the key, else one clear line."""
    if key not in KEYS:
        raise InvalidInput(f"unknown setting {key!r} (choose from {', '.join(KEYS)})")
    kind = KEYS[key][0]
    if kind is int and isinstance(value, str) and value.strip().isdigit():
        value = int(value)
    if not isinstance(value, kind) or isinstance(value, bool):
        raise InvalidInput(f"{where}: {key} must be {'a whole number' if kind is int else 'text'}")
    if kind is str:
        value = clean_text(value) or ""  # no control characters: TOML would refuse them
    if key == "lang" and value not in LANGS:
        raise InvalidInput(f"{where}: lang must be one of {', '.join(LANGS)}, not {value!r}")
    if kind is int and value < 0:
        raise InvalidInput(f"{where}: {key} cannot be negative")
    return value


def set_value(key: str, value: str) -> dict:
    """Set one key and write the file back; an empty value unsets it (its default again)."""
    if not value.strip():
        if key not in KEYS:
            raise InvalidInput(f"unknown setting {key!r} (choose from {', '.join(KEYS)})")
        settings = {k: v for k, v in load().items() if k != key}
        write(settings)
        return settings
    settings = load() | {key: check(key, value.strip())}
    write(settings)
    return settings


def write(settings: dict) -> Path:
    """Write the file atomically and privately (it may hold your name)."""
    import tempfile

    where = path()
    where.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    # json.dumps writes a valid TOML basic string: quotes, backslashes and
    # control characters escaped, æøå kept as they are.
    lines = [f"{key} = {json.dumps(settings[key], ensure_ascii=False)}"
             for key in KEYS if key in settings]
    fd, tmp = tempfile.mkstemp(dir=where.parent, prefix=".config.")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write("\n".join(lines) + "\n")
        os.replace(tmp, where)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return where

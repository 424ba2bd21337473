"""What megler writes: files (reports, exports, calendars, settings, caches) and JSON text."""

import datetime as dt
import enum
import json
import os
import tempfile
from pathlib import Path

from megler.errors import MeglerError


def write_private(path: str | Path, data: str | bytes) -> None:
    """Write atomically (a temporary file in the same folder, then rename), mode 0600.

    A reader never sees half a file, a failed write leaves the old one, and what
    megler writes is the user's alone, whatever the umask.
    """
    path = Path(path)
    try:
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    except OSError as e:
        raise MeglerError(f"cannot write {path}: {e.strerror}") from None
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data.encode("utf-8") if isinstance(data, str) else data)
        os.chmod(tmp, 0o600)  # mkstemp makes it 0600 already; say so for other platforms
        os.replace(tmp, path)
    except OSError as e:
        Path(tmp).unlink(missing_ok=True)
        raise MeglerError(f"cannot write {path}: {e.strerror}") from None
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def json_text(data: object, indent: int = 2) -> str:
    """The one JSON dumper: æøå as they are, dates in ISO form, a newline at the end."""
    return json.dumps(data, ensure_ascii=False, indent=indent, default=_plain) + "\n"


def _plain(value: object) -> object:
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, (enum.Enum, os.PathLike)):
        return str(value)
    raise TypeError(f"cannot write {type(value).__name__} as JSON")

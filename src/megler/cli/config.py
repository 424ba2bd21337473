"""megler config show|set|path"""

from typing import Annotated

import typer

from megler.cli.common import Fmt
from megler.cli.common import app as group
from megler.cli.output import Format, render, say

app = group("Your settings (broker name, report language, retention, region, register) in one TOML file.")


@app.command("show")
def show(fmt: Fmt = Format.table) -> None:
    """Show the settings and the file they live in.

    Example: megler config show
    """
    from megler import config

    settings = config.load()
    rows = [{"key": key, "value": settings.get(key), "default": setting.default,
             "meaning": setting.meaning} for key, setting in config.SETTINGS.items()]
    render(rows, fmt, title=str(config.path()))


@app.command("set")
def set_(key: Annotated[str, typer.Argument(metavar="KEY", help="broker, lang, retention_months, region or register_url.")],
         value: Annotated[str, typer.Argument(metavar="VALUE")]) -> None:
    """Set one setting.

    An empty VALUE unsets it.

    Example: megler config set lang nb
    """
    from megler import config

    settings = config.set_value(key, value)
    shown = f"= {settings[key]}" if key in settings else "is unset"
    say(f"{key} {shown} (in {config.path()})")

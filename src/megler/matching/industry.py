"""An org's industry as words: plain words pass through, NACE codes are looked up."""

from __future__ import annotations

import re
from functools import lru_cache
from importlib import resources

from megler import safeyaml

_NACE = re.compile(r"^\s*(?:[A-U]\s*)?(\d{2})(?:[.\d]*)\s*$")


@lru_cache(maxsize=1)
def _divisions() -> dict[str, str]:
    text = resources.files("megler.matching").joinpath("data/nace.yaml").read_text("utf-8")
    return {str(k).zfill(2): v for k, v in safeyaml.load(text, "nace.yaml").items()}


def industry_text(industry: str | None) -> str:
    """Words describing an industry given as words or as a NACE code.

    >>> industry_text("10.20"), industry_text("hotell og konferanse")
    ('næringsmiddelindustri matproduksjon livsmedelsindustri food sjømat foredling', 'hotell og konferanse')
    """
    if not industry:
        return ""
    m = _NACE.match(industry)
    if m:
        return _divisions().get(m.group(1), "")
    return industry

"""Which county or region a municipality belongs to (filled in with the matcher's table)."""


def region_of(municipality: str, country: str) -> str | None:
    return None

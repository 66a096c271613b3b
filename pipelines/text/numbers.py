"""Numbers as Vietnamese documents write them: decimal comma, dot between thousands."""

from __future__ import annotations

import math
import re

_THOUSANDS = re.compile(r"^\d{1,3}(?:\.\d{3})+$")


def parse_number(text: str) -> float | None:
    """'97,5' → 97.5; '1.250' → 1250.0; '97.5' → 97.5; '30' → 30.0; anything else (NaN and infinity
    included: float() would take 'nan', 'inf', '1e999') → None."""
    cleaned = text.strip().replace(" ", "").rstrip("%")
    if not cleaned:
        return None
    if _THOUSANDS.match(cleaned):
        cleaned = cleaned.replace(".", "")
    elif "," in cleaned:
        cleaned = cleaned.replace(".", "").replace(",", ".")
    try:
        number = float(cleaned)
    except ValueError:
        return None
    return number if math.isfinite(number) else None

"""Parse human durations such as '1h 30m' into seconds."""

import re
import warnings

UNITS = {"d": 86400, "h": 3600, "m": 60, "s": 1}
_PART = re.compile(r"(\d+(?:\.\d+)?)\s*([dhms])")


def parse(text: str) -> float:
    parts = _PART.findall(text.lower())
    if not parts or _PART.sub("", text.lower()).strip():
        raise ValueError(f"not a duration: {text!r}")
    return sum(float(value) * UNITS[unit] for value, unit in parts)


def parse_minutes(text: str) -> float:
    """Old name; returns minutes."""
    warnings.warn("parse_minutes() is deprecated, use parse() / 60", DeprecationWarning, stacklevel=2)
    return parse(text) / 60


def legacy_units() -> dict:
    warnings.warn("the 'legacy' unit table will go away", PendingDeprecationWarning, stacklevel=2)
    return dict(UNITS, w=7 * 86400)

"""Median/min/max summaries and ratios to the floor, rounded for people to read."""

from __future__ import annotations

import statistics
from collections.abc import Sequence
from typing import Any


def summary(values: Sequence[float], digits: int = 3) -> dict[str, Any]:
    """``{"median", "min", "max", "n", "values"}``; all None for an empty sample."""
    if not values:
        return {"median": None, "min": None, "max": None, "n": 0, "values": []}
    return {
        "median": round(statistics.median(values), digits),
        "min": round(min(values), digits),
        "max": round(max(values), digits),
        "n": len(values),
        "values": [round(v, digits) for v in values],
    }


def ratio(value: float | None, floor: float | None, digits: int = 2) -> float | None:
    if value is None or not floor:
        return None
    return round(value / floor, digits)

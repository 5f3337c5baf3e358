"""Wellbeing measures: range checks and raw scoring, with no Flask and no database.

ONS4 is reported item by item with the ONS bands (never summed). UCLA 3-item loneliness is 3 items
scored 1–3, total 3–9. SWEMWBS is 7 items scored 1–5, raw total 7–35; its metric score needs the
licensed conversion table, so it is converted only when a table is given, otherwise raw change is reported.
"""

import csv
from dataclasses import dataclass
from pathlib import Path

SWEMWBS_COPYRIGHT = (
    "Short Warwick-Edinburgh Mental Wellbeing Scale (SWEMWBS) © NHS Health Scotland, University of Warwick "
    "and University of Edinburgh, 2008, all rights reserved."
)


@dataclass(frozen=True)
class Instrument:
    code: str
    name: str
    items: tuple[str, ...]
    low: int
    high: int
    summed: bool


ONS4 = Instrument(
    "ons4",
    "ONS4 personal wellbeing",
    (
        "Overall, how satisfied are you with your life nowadays?",
        "Overall, to what extent do you feel that the things you do in your life are worthwhile?",
        "Overall, how happy did you feel yesterday?",
        "Overall, how anxious did you feel yesterday? (0 is not at all anxious, 10 is completely anxious)",
    ),
    0,
    10,
    summed=False,
)
UCLA3 = Instrument(
    "ucla3",
    "UCLA 3-item loneliness scale",
    (
        "How often do you feel that you lack companionship?",
        "How often do you feel left out?",
        "How often do you feel isolated from others?",
    ),
    1,
    3,
    summed=True,
)
SWEMWBS = Instrument(
    "swemwbs",
    "Short Warwick-Edinburgh Mental Wellbeing Scale (SWEMWBS)",
    (
        "I've been feeling optimistic about the future",
        "I've been feeling useful",
        "I've been feeling relaxed",
        "I've been dealing with problems well",
        "I've been thinking clearly",
        "I've been feeling close to other people",
        "I've been able to make up my own mind about things",
    ),
    1,
    5,
    summed=True,
)
INSTRUMENTS = {i.code: i for i in (ONS4, UCLA3, SWEMWBS)}
ONS4_SHORT = ("Life satisfaction", "Worthwhile", "Happiness", "Anxiety")


class MeasureError(ValueError):
    pass


def validate(code: str, items: list[int | None]) -> list[int]:
    """The items as whole numbers in range, or MeasureError naming the first problem."""
    instrument = INSTRUMENTS.get(code)
    if instrument is None:
        raise MeasureError("Choose a measure")
    if len(items) != len(instrument.items):
        raise MeasureError(f"Answer all {len(instrument.items)} questions")
    checked = []
    for n, value in enumerate(items, start=1):
        if value is None or isinstance(value, bool) or not isinstance(value, int):
            raise MeasureError(f"Enter an answer for question {n}")
        if not instrument.low <= value <= instrument.high:
            raise MeasureError(f"Question {n} must be between {instrument.low} and {instrument.high}")
        checked.append(value)
    return checked


def total(code: str, items: list[int]) -> int | None:
    """The raw total for summed scales (UCLA-3: 3–9, SWEMWBS: 7–35); ONS4 has none."""
    instrument = INSTRUMENTS[code]
    return sum(validate(code, items)) if instrument.summed else None


def ons4_band(item_index: int, value: int) -> str:
    """The ONS threshold band for one ONS4 answer (anxiety, item 4, is banded the other way round)."""
    if item_index == 3:
        if value <= 1:
            return "Very low"
        if value <= 3:
            return "Low"
        if value <= 5:
            return "Medium"
        return "High"
    if value <= 4:
        return "Low"
    if value <= 6:
        return "Medium"
    if value <= 8:
        return "High"
    return "Very high"


def load_conversion_table(path: str | Path) -> dict[int, float]:
    """A SWEMWBS raw-to-metric table (CSV "raw,metric", raw 7–35): only with a licensed copy."""
    with open(path, newline="", encoding="utf-8") as handle:
        table = {int(row["raw"]): float(row["metric"]) for row in csv.DictReader(handle)}
    if sorted(table) != list(range(7, 36)):
        raise MeasureError("The SWEMWBS conversion table must give a metric score for every raw score 7 to 35")
    return table


@dataclass(frozen=True)
class Change:
    """From the first to the latest answers, per item for ONS4, on the total otherwise."""

    code: str
    first: list[int]
    latest: list[int]
    first_total: int | None
    latest_total: int | None
    metric_first: float | None = None
    metric_latest: float | None = None

    @property
    def item_changes(self) -> list[int]:
        return [b - a for a, b in zip(self.first, self.latest, strict=True)]

    @property
    def total_change(self) -> int | None:
        if self.first_total is None or self.latest_total is None:
            return None
        return self.latest_total - self.first_total


def change(code: str, first: list[int], latest: list[int], table: dict[int, float] | None = None) -> Change:
    first_total, latest_total = total(code, first), total(code, latest)
    metric_first = metric_latest = None
    if code == SWEMWBS.code and table:
        metric_first, metric_latest = table[first_total], table[latest_total]
    return Change(code, first, latest, first_total, latest_total, metric_first, metric_latest)

"""Wellbeing measures: ranges, raw scoring, ONS bands and change from first to latest."""

import pytest

from prescribing.outcomes import scoring
from prescribing.outcomes.scoring import MeasureError


@pytest.mark.parametrize(
    ("code", "items", "message"),
    [
        ("ons4", [5, 5, 5], "Answer all 4 questions"),
        ("ons4", [5, 5, 5, 11], "Question 4 must be between 0 and 10"),
        ("ons4", [-1, 5, 5, 5], "Question 1 must be between 0 and 10"),
        ("ucla3", [0, 2, 2], "Question 1 must be between 1 and 3"),
        ("ucla3", [1, 2, 4], "Question 3 must be between 1 and 3"),
        ("swemwbs", [1, 2, 3, 4, 5, 6, 1], "Question 6 must be between 1 and 5"),
        ("swemwbs", [1, 2, 3, 4, 5, None, 1], "Enter an answer for question 6"),
        ("swemwbs", [1, 2, 3, 4, 5, 2.5, 1], "Enter an answer for question 6"),
        ("phq9", [1], "Choose a measure"),
    ],
)
def test_answers_out_of_range_are_refused(code, items, message):
    with pytest.raises(MeasureError, match=message):
        scoring.validate(code, items)


@pytest.mark.parametrize(
    ("code", "items", "expected"),
    [
        ("ucla3", [1, 1, 1], 3),
        ("ucla3", [3, 3, 3], 9),
        ("swemwbs", [1] * 7, 7),
        ("swemwbs", [5] * 7, 35),
        ("swemwbs", [1, 2, 3, 4, 5, 4, 3], 22),
        ("ons4", [7, 8, 6, 2], None),
    ],
)
def test_raw_totals(code, items, expected):
    assert scoring.total(code, items) == expected


@pytest.mark.parametrize(
    ("index", "value", "band"),
    [
        (0, 0, "Low"),
        (0, 4, "Low"),
        (0, 5, "Medium"),
        (0, 6, "Medium"),
        (1, 7, "High"),
        (2, 8, "High"),
        (2, 9, "Very high"),
        (2, 10, "Very high"),
        (3, 0, "Very low"),
        (3, 1, "Very low"),
        (3, 2, "Low"),
        (3, 3, "Low"),
        (3, 4, "Medium"),
        (3, 5, "Medium"),
        (3, 6, "High"),
        (3, 10, "High"),
    ],
)
def test_ons4_bands_follow_the_ons_thresholds_with_anxiety_reversed(index, value, band):
    assert scoring.ons4_band(index, value) == band


def test_change_is_reported_per_item_for_ons4_and_on_the_raw_total_otherwise():
    ons = scoring.change("ons4", [3, 4, 5, 8], [6, 6, 7, 3])
    assert ons.item_changes == [3, 2, 2, -5] and ons.total_change is None
    swemwbs = scoring.change("swemwbs", [2] * 7, [3] * 7)
    assert (swemwbs.first_total, swemwbs.latest_total, swemwbs.total_change) == (14, 21, 7)
    assert swemwbs.metric_first is None


def test_swemwbs_is_converted_only_with_a_configured_table(tmp_path):
    table_file = tmp_path / "swemwbs.csv"
    table_file.write_text("raw,metric\n" + "".join(f"{raw},{raw + 0.5}\n" for raw in range(7, 36)))
    table = scoring.load_conversion_table(table_file)
    converted = scoring.change("swemwbs", [2] * 7, [3] * 7, table)
    assert (converted.metric_first, converted.metric_latest) == (14.5, 21.5)
    partial = tmp_path / "partial.csv"
    partial.write_text("raw,metric\n7,7.0\n")
    with pytest.raises(MeasureError, match="every raw score 7 to 35"):
        scoring.load_conversion_table(partial)

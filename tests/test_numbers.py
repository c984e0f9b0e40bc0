"""Counts and rates as people write them, including a real file of them."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from covey.ingest.numbers import BIGINT_MAX, NumberError, parse_count, parse_float, parse_rate


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("304.9K", 304_900),
        ("1.2m", 1_200_000),
        ("1,234", 1234),
        ("3.5k", 3500),
        ("475.8m", 475_800_000),
        ("1.2B", 1_200_000_000),
        ("29.0b", 29_000_000_000),
        ("0.89k", 890),
        ("1.234", 1234),  # one separator + three digits, no suffix: thousands (European or US)
        ("1.234.567", 1_234_567),
        ("1,234,567", 1_234_567),
        ("1,5k", 1500),  # with a suffix the one separator is a decimal mark
        ("1.234k", 1234),
        ("1.234,5k", 1_234_500),
        ("1,234.5k", 1_234_500),
        ("1 234", 1234),
        ("1'234", 1234),
        ("0.00", 0),
        ("12", 12),
        ("  42 ", 42),
        ("-5", -5),  # parses; validation rejects negative counts with its own reason
        ("1.2345k", 1234),  # rounded half-even: 1234.5 -> 1234
        ("1e3", 1000),
        (17, 17),
        (17.0, 17),
        ("", None),
        ("NaN", None),
        ("n/a", None),
        (None, None),
        (float("nan"), None),
    ],
)
def test_parse_count(raw: object, expected: int | None) -> None:
    assert parse_count(raw) == expected


@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        ("1.39%", "rate"),
        ("12.5", "whole"),
        ("0,123", "whole"),
        ("abc", "not a number"),
        ("1.2.3", "not a number"),
        ("1,23,4", "not a number"),
        ("10k5", "not a number"),
        (True, "boolean"),
        (17.5, "whole"),
        ("9223372036854775808", "too large"),
        ("99999999999b", "too large"),
        (2**64, "too large"),
    ],
)
def test_parse_count_rejects_with_a_reason(raw: object, reason: str) -> None:
    with pytest.raises(NumberError, match=reason):
        parse_count(raw)


def test_bigint_edge_is_accepted() -> None:
    assert parse_count(str(BIGINT_MAX)) == BIGINT_MAX


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("1.39%", 0.0139), ("1,39%", 0.0139), ("0.0139", 0.0139), ("NaN%", None), ("", None), (0.5, 0.5)],
)
def test_parse_rate(raw: object, expected: float | None) -> None:
    got = parse_rate(raw)
    assert got == pytest.approx(expected) if expected is not None else got is None


def test_parse_float_reads_a_decimal_comma() -> None:
    assert parse_float("2,5") == 2.5
    assert parse_float("1,234.5") == 1234.5
    with pytest.raises(NumberError):
        parse_float("two")


@pytest.mark.realdata
def test_real_number_formats_file(shared_data: Path) -> None:
    """Every count and rate in a real scraped table parses, and spot values are exact."""
    path = shared_data / "number-formats" / "top_instagram_influencers.csv"
    with path.open(encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert len(rows) == 200
    counts = ("posts", "followers", "avg_likes", "new_post_avg_like", "total_likes")
    for row in rows:
        for col in counts:
            value = parse_count(row[col])
            assert value is None or value >= 0, (row["channel_info"], col)
        rate = parse_rate(row["60d_eng_rate"])
        assert rate is None or 0 <= rate < 1
        with pytest.raises(NumberError, match="rate"):
            parse_count(row["60d_eng_rate"]) if row["60d_eng_rate"] != "NaN%" else parse_count("1%")
    first = rows[0]
    assert first["channel_info"] == "cristiano"
    assert parse_count(first["posts"]) == 3300
    assert parse_count(first["followers"]) == 475_800_000
    assert parse_count(first["total_likes"]) == 29_000_000_000
    assert parse_rate(first["60d_eng_rate"]) == pytest.approx(0.0139)
    messi = rows[2]
    assert parse_count(messi["posts"]) == 890

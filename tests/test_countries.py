"""Countries and currencies as people write them."""

from __future__ import annotations

import pytest

from covey.countries import country_code, require_country, require_currency, suggest_country
from covey.errors import InputError


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("GB", "GB"),
        ("gb", "GB"),
        ("UK", "GB"),
        ("United Kingdom", "GB"),
        ("GBR", "GB"),
        ("Deutschland", "DE"),
        ("España", "ES"),
        (" usa ", "US"),
        ("France", "FR"),
    ],
)
def test_country_code_reads_what_people_write(text: str, code: str) -> None:
    assert country_code(text) == code


def test_unknown_country_is_none_and_suggested() -> None:
    assert country_code("Narnia") is None
    assert country_code("") is None
    assert suggest_country("Germny") == "DE"
    with pytest.raises(InputError, match="did you mean DE"):
        require_country("Germny")


def test_currencies_are_iso_4217() -> None:
    assert require_currency("usd") == "USD"
    with pytest.raises(InputError, match="unknown currency 'XYZ'"):
        require_currency("XYZ")


def test_no_far_fetched_suggestion() -> None:
    assert suggest_country("Narnia") is None
    assert suggest_country("Frnace") == "FR"

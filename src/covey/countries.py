"""Countries and currencies as people write them, checked against ISO 3166 and ISO 4217.

Marketers write "UK", "United Kingdom", "Deutschland" or "gb"; the database keeps ISO 3166-1
alpha-2 codes. :func:`country_code` maps what a person wrote to the code, or ``None`` when it
is not a country; :func:`require_country` raises an :class:`~covey.errors.InputError` that
suggests the closest code ("UK: did you mean GB?"). Currencies are ISO 4217 codes.
"""

from __future__ import annotations

import difflib
import unicodedata
from functools import cache

import pycountry

from covey.errors import InputError

# Names in common use that ISO does not list, and the languages our users write in.
_ALIASES: dict[str, str] = {
    "uk": "GB",
    "u.k.": "GB",
    "britain": "GB",
    "great britain": "GB",
    "england": "GB",
    "scotland": "GB",
    "wales": "GB",
    "northern ireland": "GB",
    "usa": "US",
    "u.s.": "US",
    "u.s.a.": "US",
    "america": "US",
    "united states of america": "US",
    "deutschland": "DE",
    "allemagne": "DE",
    "alemania": "DE",
    "germania": "DE",
    "frankreich": "FR",
    "francia": "FR",
    "espana": "ES",
    "spanien": "ES",
    "espagne": "ES",
    "italia": "IT",
    "italien": "IT",
    "italie": "IT",
    "osterreich": "AT",
    "schweiz": "CH",
    "suisse": "CH",
    "svizzera": "CH",
    "belgique": "BE",
    "belgie": "BE",
    "nederland": "NL",
    "holland": "NL",
    "the netherlands": "NL",
    "brasil": "BR",
    "mexico": "MX",
    "irland": "IE",
    "eire": "IE",
    "russia": "RU",
    "south korea": "KR",
    "korea": "KR",
    "czech republic": "CZ",
    "turkey": "TR",
    "vietnam": "VN",
    "iran": "IR",
    "taiwan": "TW",
    "bolivia": "BO",
    "venezuela": "VE",
    "tanzania": "TZ",
    "syria": "SY",
    "laos": "LA",
    "moldova": "MD",
}


def _fold(text: str) -> str:
    """Lower case without accents or surrounding space, so "España" matches "espana"."""
    decomposed = unicodedata.normalize("NFKD", text.strip().lower())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


@cache
def _names() -> dict[str, str]:
    """Every spelling Covey accepts (folded) -> alpha-2 code."""
    names: dict[str, str] = {}
    for country in pycountry.countries:
        code = country.alpha_2
        names[_fold(code)] = code
        names[_fold(country.alpha_3)] = code
        for attr in ("name", "official_name", "common_name"):
            value = getattr(country, attr, None)
            if value:
                names[_fold(value)] = code
    names.update(_ALIASES)
    return names


def country_code(text: str | None) -> str | None:
    """The ISO 3166-1 alpha-2 code for a country as a person wrote it, or ``None``.

    Accepts codes (``gb``, ``GBR``), English names, common aliases (``UK``, ``USA``) and
    names in the languages Covey reads (``Deutschland``, ``España``). Blank text is ``None``.
    """
    if text is None or not text.strip():
        return None
    return _names().get(_fold(text))


def suggest_country(text: str) -> str | None:
    """The code of the spelling closest to ``text``, for a "did you mean" hint."""
    folded = _fold(text)
    if not folded:
        return None
    match = difflib.get_close_matches(folded, list(_names()), n=1, cutoff=0.8)
    return _names()[match[0]] if match else None


def require_country(text: str, *, field: str = "country") -> str:
    """The alpha-2 code for ``text``, or an :class:`InputError` with a suggestion.

    A known alias is accepted silently (``UK`` becomes ``GB``): people write it and mean it.
    """
    code = country_code(text)
    if code is not None:
        return code
    hint = suggest_country(text)
    tail = f": did you mean {hint}?" if hint else "; use an ISO 3166 code such as GB, US or DE"
    raise InputError(f"unknown country {text!r}{tail}", field=field)


def is_currency(code: str) -> bool:
    """Whether ``code`` is an ISO 4217 currency code (case-insensitive)."""
    return bool(code) and pycountry.currencies.get(alpha_3=code.strip().upper()) is not None


def require_currency(code: str, *, field: str = "currency") -> str:
    """The upper-case ISO 4217 code, or an :class:`InputError` naming the field."""
    if is_currency(code):
        return code.strip().upper()
    raise InputError(f"unknown currency {code!r}; use an ISO 4217 code such as EUR, GBP or USD", field=field)

"""Counts and rates written as people write them: "304.9K", "1,234", "1.2m", "1.39%".

The rules, also in docs/data-format.md:

* Suffixes ``k``, ``m``, ``b`` (any case; also "thousand", "million", "billion" are not
  accepted: spreadsheets and platform pages use the letters) scale by 10^3, 10^6, 10^9.
* Thousands separators: ``,``, ``.``, space, no-break space, ``'`` and ``_``.
* One ``.`` or ``,`` is ambiguous ("1.234" is 1234 in Germany, 1.234 in the US). A count is
  a whole number, so *without* a suffix one separator followed by exactly three digits is a
  thousands separator ("1.234" and "1,234" are both 1234); anything else is a decimal mark
  and must leave a whole number ("0.00" is 0, "12.5" is an error). *With* a suffix the one
  separator is always a decimal mark ("1,5k" and "1.5k" are 1500; "1.234k" is 1234).
* With both separators, the last one is the decimal mark ("1,234.5k", "1.234,5k").
* A count with a suffix is rounded to the nearest whole number ("1.2345k" is 1235).
* A rate ("1.39%") where a count is expected is an error; :func:`parse_rate` reads it.
* Empty, "NaN", "null", "none", "n/a", "-" mean unknown (``None``), never zero.
* Counts beyond a 64-bit signed integer (BIGINT) are rejected with a reason.
"""

from __future__ import annotations

import math
import re
from decimal import ROUND_HALF_EVEN, Decimal, InvalidOperation

BIGINT_MAX = 2**63 - 1
BIGINT_MIN = -(2**63)

MISSING = frozenset({"", "nan", "nan%", "null", "none", "n/a", "na", "-", "--", "?"})
_SCALE = {"": 1, "k": 10**3, "m": 10**6, "b": 10**9}
_GROUPING = re.compile(r"[\s\u00a0\u202f'_]")
_NUMBER = re.compile(r"^([+-]?)([0-9][0-9.,]*|[.,][0-9]+)(?:e([+-]?[0-9]+))?([kmb]?)$", re.IGNORECASE)


class NumberError(ValueError):
    """A value that is not a count (or rate); ``str()`` is the reason, ready for a rejects file."""


def _is_missing(text: str) -> bool:
    return text.strip().lower() in MISSING


def _normalise_digits(body: str, has_suffix: bool) -> str:
    """Turn ``body`` (digits with ``.`` and ``,``) into a plain decimal string."""
    dots, commas = body.count("."), body.count(",")
    if dots and commas:
        decimal_mark = "." if body.rfind(".") > body.rfind(",") else ","
        group_mark = "," if decimal_mark == "." else "."
        if body.count(decimal_mark) > 1:
            raise NumberError(f"{body!r} has more than one decimal mark")
        return body.replace(group_mark, "").replace(decimal_mark, ".")
    mark = "." if dots else ("," if commas else "")
    if not mark:
        return body
    parts = body.split(mark)
    if len(parts) > 2:
        # "1,234,567" or "1.234.567": groups of three after the first.
        if all(len(p) == 3 for p in parts[1:]) and 1 <= len(parts[0]) <= 3:
            return "".join(parts)
        raise NumberError(f"{body!r} is not a number")
    if not has_suffix and len(parts[1]) == 3 and 1 <= len(parts[0]) <= 3 and parts[0] != "0":
        return "".join(parts)  # "1.234" / "1,234": thousands separator (see the module docstring)
    return f"{parts[0] or '0'}.{parts[1]}"


def _parse_decimal(text: str) -> tuple[Decimal, bool]:
    """Parse a count-like string into a Decimal; the bool says whether a suffix scaled it."""
    cleaned = _GROUPING.sub("", text.strip())
    match = _NUMBER.match(cleaned)
    if not match:
        raise NumberError(f"{text!r} is not a number")
    sign, body, exponent, suffix = match.groups()
    suffix = suffix.lower()
    try:
        value = Decimal(_normalise_digits(body, bool(suffix)))
    except InvalidOperation as exc:
        raise NumberError(f"{text!r} is not a number") from exc
    if exponent:
        value = value.scaleb(int(exponent))
    value *= _SCALE[suffix]
    return (-value if sign == "-" else value), bool(suffix)


def parse_count(value: object) -> int | None:
    """A whole count from a raw value (string as people write it, int or float).

    Returns ``None`` for unknown. Negative counts parse (validation rejects them with
    its own reason); anything else that is not a whole number raises :class:`NumberError`.
    """
    if value is None:
        return None
    if isinstance(value, bool):
        raise NumberError(f"{value!r} is a boolean, not a count")
    if isinstance(value, int):
        number = value
    elif isinstance(value, float):
        if math.isnan(value):
            return None
        if math.isinf(value) or not value.is_integer():
            raise NumberError(f"{value!r} is not a whole number")
        number = int(value)
    elif isinstance(value, str) and value.isascii() and value.isdigit():
        number = int(value)  # the common case, without the regex
    elif isinstance(value, str):
        text = value.strip()
        if _is_missing(text):
            return None
        if text.endswith("%"):
            raise NumberError(f"{value!r} is a rate, not a count")
        decimal, scaled = _parse_decimal(text)
        if not scaled and decimal != decimal.to_integral_value():
            raise NumberError(f"{value!r} is not a whole number")
        number = int(decimal.to_integral_value(rounding=ROUND_HALF_EVEN))
    else:
        raise NumberError(f"{value!r} ({type(value).__name__}) is not a count")
    if not BIGINT_MIN <= number <= BIGINT_MAX:
        raise NumberError(f"{value!r} is too large for a 64-bit count (at most {BIGINT_MAX:,})")
    return number


def parse_rate(value: object) -> float | None:
    """A rate as a fraction: "1.39%" is 0.0139, "0.0139" is 0.0139, "1,39%" is 0.0139.

    Without a ``%`` the number is taken as already a fraction. Unknown gives ``None``.
    """
    if value is None:
        return None
    if isinstance(value, bool):
        raise NumberError(f"{value!r} is a boolean, not a rate")
    if isinstance(value, int | float):
        return None if isinstance(value, float) and math.isnan(value) else float(value)
    if not isinstance(value, str):
        raise NumberError(f"{value!r} ({type(value).__name__}) is not a rate")
    text = value.strip()
    if _is_missing(text):
        return None
    percent = text.endswith("%")
    body = _GROUPING.sub("", text.rstrip("%").strip())
    if body.count(",") == 1 and "." not in body:
        body = body.replace(",", ".")  # a rate is never thousands: "1,39" is a decimal comma
    try:
        number = float(Decimal(body.replace(",", "")))
    except InvalidOperation as exc:
        raise NumberError(f"{value!r} is not a rate") from exc
    if math.isnan(number) or math.isinf(number):
        raise NumberError(f"{value!r} is not a rate")
    return number / 100 if percent else number


def parse_float(value: object) -> float | None:
    """A plain decimal number (float columns); a comma alone is read as a decimal mark."""
    if value is None:
        return None
    if isinstance(value, bool):
        raise NumberError(f"{value!r} is a boolean, not a number")
    if isinstance(value, int | float):
        return None if isinstance(value, float) and math.isnan(value) else float(value)
    if not isinstance(value, str):
        raise NumberError(f"{value!r} ({type(value).__name__}) is not a number")
    if _is_missing(value):
        return None
    text = _GROUPING.sub("", value.strip())
    if text.count(",") == 1 and "." not in text:
        text = text.replace(",", ".")
    try:
        number = float(text.replace(",", ""))
    except ValueError as exc:
        raise NumberError(f"{value!r} is not a number") from exc
    if math.isinf(number):
        raise NumberError(f"{value!r} is not a finite number")
    return None if math.isnan(number) else number

"""Dates as spreadsheets write them: "31/01/2024", "01/31/2024 14:05", "2 Jan 2024", "31.01.24".

ISO 8601 and unix times are read first (``covey.ingest.validate``); these are the other
common forms:

* numeric ``D/M/Y`` or ``M/D/Y`` with ``/``, ``.`` or ``-`` and a 4- or 2-digit year
  (``24`` is 2024, ``70`` to ``99`` are 1970-1999), optionally followed by a time
  ``HH:MM[:SS]`` and ``AM``/``PM``;
* ``Y/M/D`` (``2024/01/31``);
* with an English month name: ``2 Jan 2024``, ``Jan 2, 2024``, ``02-Jan-2024``,
  ``January 2, 2024 10:00``;
* Twitter's own form, ``Fri Apr 06 10:58:22 +0000 2007`` (its zone is converted to UTC).

``01/02/2024`` is the 1st of February day-first and the 2nd of January month-first. The
*order* (``dmy`` or ``mdy``) comes from ``--date-format``; by default each CSV file decides
from its first rows (:func:`guess_order`): a first number above 12 means day-first, a
second above 12 month-first. When nothing tells, dates are read day-first and the import
says so. ``--date-format`` may also be a ``strptime`` pattern (``%d/%m/%Y %H:%M``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Literal

DateOrder = Literal["dmy", "mdy"]
ORDERS: tuple[str, ...] = ("auto", "dmy", "mdy")

_TIME = r"(?:[ T]+(?P<h>\d{1,2}):(?P<mi>\d{2})(?::(?P<s>\d{2})(?:\.\d+)?)?\s*(?P<ampm>[ap]\.?m\.?)?)?"
_YEAR = r"(?P<y>\d{4}|\d{2})"
_NUMERIC = re.compile(rf"^(?P<a>\d{{1,2}})(?P<sep>[/.\-])(?P<b>\d{{1,2}})(?P=sep){_YEAR}{_TIME}$", re.I)
_YMD = re.compile(rf"^(?P<y>\d{{4}})(?P<sep>[/.])(?P<b>\d{{1,2}})(?P=sep)(?P<a>\d{{1,2}}){_TIME}$", re.I)
_DAY_MONTH = re.compile(
    rf"^(?P<d>\d{{1,2}})(?:st|nd|rd|th)?[ \-]+(?P<mon>[a-z]{{3,9}})\.?,?[ \-]+{_YEAR}{_TIME}$", re.I
)
_MONTH_DAY = re.compile(
    rf"^(?P<mon>[a-z]{{3,9}})\.?[ \-]+(?P<d>\d{{1,2}})(?:st|nd|rd|th)?,?[ \-]+(?P<y>\d{{4}}){_TIME}$", re.I
)
# Twitter API v1.1 and RFC 2822 style: "Fri Apr 06 10:58:22 +0000 2007".
_TWITTER = re.compile(
    r"^[a-z]{3} (?P<mon>[a-z]{3}) (?P<d>\d{1,2}) (?P<h>\d{2}):(?P<mi>\d{2}):(?P<s>\d{2}) "
    r"(?P<tz>[+-]\d{4}) (?P<y>\d{4})$",
    re.I,
)
_MONTHS = {
    name: i
    for i, names in enumerate(
        [
            ("jan", "january"),
            ("feb", "february"),
            ("mar", "march"),
            ("apr", "april"),
            ("may",),
            ("jun", "june"),
            ("jul", "july"),
            ("aug", "august"),
            ("sep", "sept", "september"),
            ("oct", "october"),
            ("nov", "november"),
            ("dec", "december"),
        ],
        start=1,
    )
    for name in names
}


class DateFormatError(ValueError):
    """Text that is not a date in any form Covey reads; ``str()`` is the reason."""


@dataclass(frozen=True)
class DateRule:
    """How a file's non-ISO dates are read: an order, or an explicit ``strptime`` pattern."""

    order: DateOrder = "dmy"
    pattern: str | None = None

    def describe(self) -> str:
        """The rule in words, for the import's notes."""
        if self.pattern:
            return f"dates read with the pattern {self.pattern}"
        if self.order == "dmy":
            return "dates read day-first (DD/MM/YYYY)"
        return "dates read month-first (MM/DD/YYYY)"


def _year(text: str) -> int:
    year = int(text)
    if len(text) == 2:
        year += 1900 if year >= 70 else 2000
    return year


def _build(year: int, month: int, day: int, m: re.Match[str], text: str) -> datetime:
    hour = int(m.group("h") or 0)
    ampm = (m.group("ampm") or "").lower().replace(".", "")
    if ampm:
        if not 1 <= hour <= 12:
            raise DateFormatError(f"{text!r}: hour {hour} with {ampm.upper()}")
        hour = hour % 12 + (12 if ampm == "pm" else 0)
    try:
        return datetime(year, month, day, hour, int(m.group("mi") or 0), int(m.group("s") or 0))
    except ValueError as exc:
        raise DateFormatError(f"{text!r} is not a valid date ({exc})") from exc


def parse_human(text: str, rule: DateRule) -> datetime | None:
    """A datetime from a non-ISO date, or None when ``text`` has none of the known forms."""
    if rule.pattern:
        try:
            return datetime.strptime(text, rule.pattern)
        except ValueError:
            return None
    if m := _NUMERIC.match(text):
        a, b = int(m.group("a")), int(m.group("b"))
        day, month = (a, b) if rule.order == "dmy" else (b, a)
        if month > 12:
            order = "day-first" if rule.order == "dmy" else "month-first"
            raise DateFormatError(
                f"{text!r} is not a date read {order}; pass --date-format "
                f"{'mdy' if rule.order == 'dmy' else 'dmy'} if this file is written the other way"
            )
        return _build(_year(m.group("y")), month, day, m, text)
    if m := _TWITTER.match(text):
        return _twitter(m, text)
    if m := _YMD.match(text):
        return _build(int(m.group("y")), int(m.group("b")), int(m.group("a")), m, text)
    for pattern in (_DAY_MONTH, _MONTH_DAY):
        if m := pattern.match(text):
            named = _MONTHS.get(m.group("mon").lower())
            if named is None:
                return None
            return _build(_year(m.group("y")), named, int(m.group("d")), m, text)
    return None


def _twitter(m: re.Match[str], text: str) -> datetime | None:
    month = _MONTHS.get(m.group("mon").lower())
    if month is None:
        return None
    try:
        day, clock = f"{m.group('y')}-{month:02d}-{int(m.group('d')):02d}", f"{m.group('h')}:{m.group('mi')}"
        local = datetime.strptime(f"{day} {clock}:{m.group('s')} {m.group('tz')}", "%Y-%m-%d %H:%M:%S %z")
    except ValueError as exc:
        raise DateFormatError(f"{text!r} is not a valid date ({exc})") from exc
    return local.astimezone(UTC).replace(tzinfo=None)


def parse_rule(value: str | None) -> DateRule | None:
    """``--date-format``: auto (None), dmy, mdy, or a strptime pattern (with ``%``)."""
    if value is None or value.strip().lower() in ("", "auto"):
        return None
    text = value.strip()
    if text.lower() in ("dmy", "mdy"):
        return DateRule(order=text.lower())  # type: ignore[arg-type]
    if "%" in text:
        return DateRule(pattern=text)
    from covey.errors import InputError

    raise InputError(
        f"unknown date format {value!r}; use auto, dmy, mdy or a pattern such as %d/%m/%Y",
        field="--date-format",
    )


def guess_order(values: Iterable[str]) -> tuple[DateRule, bool]:
    """The order of numeric dates among ``values``, and whether the values left it open.

    Returns (rule, ambiguous): ambiguous is True when numeric dates were seen but none had
    a number above 12 in first or second place (then the rule is day-first).
    """
    day_first = month_first = seen = 0
    for value in values:
        m = _NUMERIC.match(value.strip())
        if not m:
            continue
        seen += 1
        a, b = int(m.group("a")), int(m.group("b"))
        day_first += a > 12
        month_first += b > 12
    if month_first > day_first:
        return DateRule("mdy"), False
    return DateRule("dmy"), bool(seen) and not day_first


def order_note(rule: DateRule, ambiguous: bool) -> str | None:
    """What a user should be told about the date order :func:`guess_order` chose, if anything."""
    if ambiguous:
        return (
            "dates such as 01/02/2024 could be day-first or month-first: read day-first "
            "(1 February 2024); pass --date-format mdy if they are month-first"
        )
    if rule.order == "mdy":
        return "dates read month-first (MM/DD/YYYY), as the file's dates show"
    return None

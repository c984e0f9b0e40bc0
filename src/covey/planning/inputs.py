"""A brief checked at the door: each bad input refused with what to write instead.

Budgets positive and finite, currencies ISO 4217 (and ones the rate card can be shown in),
frequency windows that exist, a brief with words in it, countries as people write them
("UK" is GB; "Untied Kingdom" gets a "did you mean"), languages as ISO 639-1 codes.
"""

from __future__ import annotations

import math
from dataclasses import replace

from covey.countries import require_country, require_currency
from covey.errors import InputError
from covey.planning.planner import Brief
from covey.planning.window import OBJECTIVES

MAX_WINDOW = 9  # the frequency histogram counts 0..9 and 10+


def check_brief(brief: Brief) -> Brief:
    """The brief with normalised codes, or an InputError naming the option at fault."""
    if not brief.text.strip():
        raise InputError(
            "the brief is empty: say what the campaign is about, "
            'e.g. covey plan "IBD awareness" --budget 20000',
            field="BRIEF",
        )
    if not math.isfinite(brief.budget) or brief.budget <= 0:
        raise InputError(
            f"--budget must be a positive amount of money, got {brief.budget!r}", field="--budget"
        )
    currency = require_currency(brief.currency, field="--currency")
    if brief.frequency < 1:
        raise InputError(f"--frequency must be at least 1, got {brief.frequency}", field="--frequency")
    if brief.max_frequency < brief.frequency:
        raise InputError(
            f"the frequency window {brief.frequency}-{brief.max_frequency} is empty: --max-frequency "
            f"must be at least --frequency ({brief.frequency})",
            field="--max-frequency",
        )
    if brief.max_frequency > MAX_WINDOW:
        raise InputError(
            f"--max-frequency must be at most {MAX_WINDOW} (the frequency histogram stops at 10+), "
            f"got {brief.max_frequency}",
            field="--max-frequency",
        )
    if brief.max_posts < 1:
        raise InputError(f"--max-posts must be at least 1, got {brief.max_posts}", field="--max-posts")
    if brief.objective not in OBJECTIVES:
        raise InputError(
            f"--objective takes {', '.join(OBJECTIVES)}, got {brief.objective!r}", field="--objective"
        )
    country = require_country(brief.country, field="--country") if brief.country else None
    language = brief.language.strip().lower() if brief.language else None
    if language is not None and (len(language) != 2 or not language.isalpha()):
        raise InputError(
            f"--language takes a two-letter ISO 639-1 code such as en or de, got {brief.language!r}",
            field="--language",
        )
    return replace(brief, currency=currency, country=country, language=language)

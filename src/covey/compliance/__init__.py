"""Compliance checking of captions against rule packs that cite their rules (issue #11).

>>> from covey.compliance import Draft, check
>>> result = check(Draft("Loving @brand's new serum!", country="GB", paid=True))
>>> [f.category for f in result.flags]
['disclosure_missing']

It informs a human reviewer; it is not legal advice. See docs/compliance.md.
"""

from covey.compliance.check import Checker, check
from covey.compliance.result import (
    CATEGORIES,
    DISCLOSURE_CATEGORIES,
    NOT_LEGAL_ADVICE,
    PRODUCT_KINDS,
    Draft,
    Flag,
    Result,
    Span,
)
from covey.compliance.rules import Pack, Rule, RuleSet, builtin_packs, load_pack

__all__ = [
    "CATEGORIES",
    "DISCLOSURE_CATEGORIES",
    "NOT_LEGAL_ADVICE",
    "PRODUCT_KINDS",
    "Checker",
    "Draft",
    "Flag",
    "Pack",
    "Result",
    "Rule",
    "RuleSet",
    "Span",
    "builtin_packs",
    "check",
    "load_pack",
]

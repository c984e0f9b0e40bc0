"""What goes into the checker (a draft) and what comes out (flags), with the fixed lists."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

# Every flag carries one of these categories besides its own rule id (issue #11).
CATEGORIES: tuple[str, ...] = (
    "disclosure_missing",
    "disclosure_ambiguous",
    "disclosure_buried",
    "disclosure_wrong_language",
    "rx_promotion_to_public",
    "missing_risk_info",
    "health_claim_unsupported",
    "discourages_treatment",
    "banned_category",
)
DISCLOSURE_CATEGORIES: tuple[str, ...] = CATEGORIES[:4]
PRODUCT_KINDS: tuple[str, ...] = (
    "none",
    "consumer",
    "supplement",
    "otc_medicine",
    "prescription_medicine",
    "medical_device",
)
SEVERITIES: tuple[str, ...] = ("low", "medium", "high", "critical")
NOT_LEGAL_ADVICE = "This check informs a human reviewer; it is not legal advice."


@dataclass(frozen=True)
class Draft:
    """One caption to check, with what the campaign brief knows about it.

    ``paid``, ``gifted`` and ``affiliate`` are ``None`` when unknown (imported posts): the
    checker then infers a material connection from the text (a label, a code, testimonial
    talk about a tagged brand) and checks disclosure only when it finds one.
    ``platform_label`` is True when the platform's own paid-partnership label is shown.
    """

    caption: str
    country: str
    platform: str = "unknown"
    title: str = ""
    hashtags: tuple[str, ...] = ()
    language: str | None = None
    paid: bool | None = False
    gifted: bool | None = False
    affiliate: bool | None = False
    product_kind: str = "none"
    brand: str = ""
    product: str = ""
    platform_label: bool = False
    id: str = ""


@dataclass(frozen=True)
class Span:
    """Where a flag points: character offsets into ``field`` ('caption' or 'title')."""

    start: int
    end: int
    text: str
    field: str = "caption"


@dataclass(frozen=True)
class Flag:
    """One problem found: which rule, where, how bad, how to fix it."""

    category: str
    rule: str
    jurisdiction: str
    citation: str
    span: Span
    severity: str
    fix: str
    message: str
    sources: tuple[dict[str, str], ...] = field(default=())

    def to_json(self) -> dict[str, Any]:
        """A plain dict for JSON output."""
        return {
            "category": self.category,
            "rule": self.rule,
            "jurisdiction": self.jurisdiction,
            "severity": self.severity,
            "citation": self.citation,
            "span": {
                "start": self.span.start,
                "end": self.span.end,
                "text": self.span.text,
                "field": self.span.field,
            },
            "message": self.message,
            "fix": self.fix,
            "sources": [dict(s) for s in self.sources],
        }


@dataclass(frozen=True)
class Result:
    """The flags of one draft plus what the checker decided about it."""

    id: str
    flags: tuple[Flag, ...]
    language: str
    commercial: bool
    packs: tuple[str, ...]

    def to_json(self) -> dict[str, Any]:
        """``{"id", "flags", "language", "commercial", "packs"}``."""
        return {
            "id": self.id,
            "flags": [f.to_json() for f in self.flags],
            "language": self.language,
            "commercial": self.commercial,
            "packs": list(self.packs),
        }

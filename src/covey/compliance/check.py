"""The checker: a draft and the rule packs of its audience's country in, flags out.

``check(draft)`` is the library entry point (drafts before they go live, posts after);
``Checker`` keeps the loaded packs for many calls. Rules fire in pack order (brand, country,
region, baseline) and a category flagged by a more specific pack is not flagged again by a
less specific one, so a French post gets the French rule, not also the EU and ICC ones.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from covey.compliance import detect
from covey.compliance.language import detect_language
from covey.compliance.lexicon import OWN_LANGUAGE_ONLY
from covey.compliance.result import Draft, Flag, Result, Span
from covey.compliance.rules import DisclosurePolicy, Pack, Rule, RuleSet, builtin_packs
from covey.countries import country_code

log = logging.getLogger("covey.compliance")


@dataclass
class _Context:
    """One draft as the rules see it."""

    draft: Draft
    country: str
    text: str  # title + "\n\n" + caption (+ hashtags not already in it)
    low: str  # ``text`` in lower case, same offsets: what the patterns run on
    caption_at: int  # where the caption starts in ``text``
    language: str
    commercial: bool
    connection: str  # paid | gifted | affiliate | none
    scan: detect.Scan
    health: bool
    rx_spans: list[tuple[int, int]]
    stopped: list[tuple[int, int]]  # named prescription medicines the post tells of stopping

    def span(self, start: int, end: int) -> Span:
        if start < self.caption_at:
            return Span(start, end, self.text[start:end], "title")
        a = self.caption_at
        return Span(start - a, end - a, self.text[start:end], "caption")

    def default_span(self) -> tuple[int, int]:
        """Where a flag about the whole post points: the brand or product, else the opening."""
        for name in (self.draft.product, self.draft.brand):
            if name:
                hits = detect.find_terms(self.low, (name.lower(), "@" + name.lower().lstrip("@")))
                if hits:
                    return hits[0]
        a = self.caption_at
        end = self.text.find("\n", a)
        end = len(self.text) if end < 0 else end
        return a, min(end, a + 60)


def _text(d: Draft) -> tuple[str, int]:
    caption = d.caption
    missing = [t for t in d.hashtags if ("#" + t.lstrip("#")).lower() not in caption.lower()]
    if missing:
        caption = caption + " " + " ".join("#" + t.lstrip("#") for t in missing)
    if d.title:
        return d.title + "\n\n" + caption, len(d.title) + 2
    return caption, 0


def _connection(d: Draft, scan: detect.Scan) -> tuple[bool, str]:
    """(commercial, kind of connection), inferred from the text when the draft does not say."""
    if d.paid:
        return True, "paid"
    if d.gifted:
        return True, "gifted"
    if d.affiliate:
        return True, "affiliate"
    if d.paid is False and d.gifted is False and d.affiliate is False:
        return d.platform_label, "paid" if d.platform_label else "none"
    # Unknown (imported posts): a label, a code or testimonial talk about a tagged brand.
    if d.platform_label:
        return True, "paid"
    if scan.negations:
        return False, "none"
    # A label says which connection the creator declares; a cue alone suggests payment.
    classes = {lab.cls for lab in scan.labels}
    if "ad" in classes or "weak" in classes:
        return True, "paid"
    if "gift" in classes:
        return True, "gifted"
    if "affiliate" in classes:
        return True, "affiliate"
    if scan.paid_cue:
        return True, "paid"
    return False, "none"


def disclosure_outcome(ctx: _Context, policy: DisclosurePolicy) -> tuple[str, tuple[int, int] | None]:
    """'' when properly disclosed, else (missing | ambiguous | buried | wrong_language, span)."""
    d = ctx.draft
    if d.platform_label:
        return "", None
    accepted = {"paid": policy.paid, "gifted": policy.gifted, "affiliate": policy.affiliate}[ctx.connection]
    fold = ctx.caption_at + detect.FOLD_CHARS.get(d.platform.lower(), detect.FOLD_CHARS["unknown"])
    lang = ctx.language
    labels = [
        lab for lab in ctx.scan.labels
        if not (lab.term in OWN_LANGUAGE_ONLY and lang not in lab.languages)
    ]  # fmt: skip

    def up_front(lab: detect.Label) -> bool:
        if lab.start < ctx.caption_at:
            return True
        return lab.start < fold and not detect.in_pile(ctx.low, lab.start)

    strong = [lab for lab in labels if lab.cls in accepted]
    if policy.required_terms:
        good = [lab for lab in strong if lab.term in policy.required_terms]
        foreign = [lab for lab in strong if policy.required_language not in lab.languages]
    else:
        good = [lab for lab in strong if lang == "und" or not lab.languages or lang in lab.languages]
        foreign = [lab for lab in strong if lab not in good]
    if any(up_front(lab) for lab in good):
        return "", None
    for lab in foreign:
        if up_front(lab):
            return "wrong_language", (lab.start, lab.end)
    for lab in good + foreign:
        return "buried", (lab.start, lab.end)
    if labels:
        lab = labels[0]
        return "ambiguous", (lab.start, lab.end)
    if ctx.scan.negations:
        return "missing", ctx.scan.negations[0]
    return "missing", ctx.default_span()


class Checker:
    """Checks drafts against a rule set (the built-in packs unless given)."""

    def __init__(self, rules: RuleSet | None = None) -> None:
        self.rules = rules if rules is not None else builtin_packs()
        self._by_country: dict[str, tuple[Pack, ...]] = {}
        self._codes: dict[str, str] = {}

    def packs_for(self, country: str) -> tuple[Pack, ...]:
        """The packs in force for an audience country, most specific first."""
        if country not in self._by_country:
            self._by_country[country] = self.rules.for_country(country)
        return self._by_country[country]

    def _context(self, d: Draft, country: str) -> _Context:
        text, at = _text(d)
        low = detect.lower(text)
        scan = detect.scan_labels(low)
        commercial, connection = _connection(d, scan)
        # Nothing is flagged in a post without a material connection: skip the rest.
        language = d.language or (detect_language(d.caption) if commercial else "und")
        health = commercial and detect.health_possible(low)
        rx_spans: list[tuple[int, int]] = []
        if commercial:
            extra = (d.product,) if d.product_kind == "prescription_medicine" and d.product else ()
            rx_spans = detect.medicine_mentions(low, extra)
        # A medicine the post tells of stopping is not the one it promotes.
        stopped = detect.stopped_medicines(low, rx_spans) if health else []
        if stopped:
            rx_spans = [s for s in rx_spans if not any(a <= s[0] and s[1] <= b for a, b in stopped)]
        return _Context(
            d, country, text, low, at, language, commercial, connection, scan, health, rx_spans, stopped
        )

    def _fire(
        self, rule: Rule, ctx: _Context, outcome: tuple[str, tuple[int, int] | None]
    ) -> tuple[int, int] | None:
        d = ctx.draft
        if rule.commercial and not ctx.commercial:
            return None
        if rule.product_kinds and d.product_kind not in rule.product_kinds:
            return None
        rx_involved = bool(ctx.rx_spans) or d.product_kind == "prescription_medicine"
        if rule.rx and not rx_involved:
            return None
        if ctx.country in rule.not_countries:
            return None
        t = rule.trigger
        if t == "disclosure":
            return outcome[1] if outcome[0] == rule.outcome else None
        if t == "rx_mention":
            if ctx.rx_spans:
                return ctx.rx_spans[0]
            return ctx.default_span() if d.product_kind == "prescription_medicine" else None
        if t == "phrases":
            hits = detect.find_terms(ctx.low, rule.terms)
            return hits[0] if hits else None
        if t == "absent":
            raw = detect.claim_phrases_raw(ctx.low)
            hits = [
                h
                for h in detect.find_terms(ctx.low, rule.terms)
                if not any(h[0] < b and h[1] > a for a, b in raw)
            ]
            if hits:
                return None
            return ctx.rx_spans[0] if ctx.rx_spans else ctx.default_span()
        if not ctx.health:
            return None
        if t == "health_claim":
            hits = sorted(detect.claims(ctx.low, ctx.language) + detect.disease_claims(ctx.low))
            return hits[0] if hits else None
        if t == "disease_claim":
            hits = detect.disease_claims(ctx.low)
            return hits[0] if hits else None
        if t == "discourages_treatment":
            hits = sorted(detect.discouragements(ctx.low) + ctx.stopped)
            return hits[0] if hits else None
        raise AssertionError(f"unknown trigger {t}")  # rules.py validates triggers

    def check(self, draft: Draft) -> Result:
        """Every flag of one draft."""
        country = self._codes.get(draft.country)
        if country is None:
            country = self._codes[draft.country] = country_code(draft.country) or draft.country.upper()
        packs = self.packs_for(country)
        ctx = self._context(draft, country)
        flags: list[Flag] = []
        if ctx.commercial:
            policy = next((p.disclosure for p in packs if p.disclosure is not None), DisclosurePolicy())
            outcome = disclosure_outcome(ctx, policy)
            done: set[str] = set()
            for pack in packs:
                for rule in pack.rules:
                    if rule.category in done:
                        continue
                    where = self._fire(rule, ctx, outcome)
                    if where is None:
                        continue
                    done.add(rule.category)
                    flags.append(
                        Flag(
                            category=rule.category,
                            rule=rule.id,
                            jurisdiction=rule.jurisdiction,
                            citation=rule.citation,
                            span=ctx.span(*where),
                            severity=rule.severity,
                            fix=rule.fix_in(ctx.language),
                            message=rule.message,
                            sources=rule.sources,
                        )
                    )
        return Result(draft.id, tuple(flags), ctx.language, ctx.commercial, tuple(p.id for p in packs))

    def check_many(self, drafts: Iterable[Draft]) -> Iterator[Result]:
        """``check`` over many drafts, lazily."""
        for d in drafts:
            yield self.check(d)


_DEFAULT: Checker | None = None


def check(draft: Draft, rules: RuleSet | None = None) -> Result:
    """Check one draft against the built-in packs (or ``rules``)."""
    global _DEFAULT
    if rules is not None:
        return Checker(rules).check(draft)
    if _DEFAULT is None:
        _DEFAULT = Checker()
    return _DEFAULT.check(draft)

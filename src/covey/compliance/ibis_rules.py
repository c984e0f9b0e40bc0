"""The checker's word lists compiled to regular expressions for Ibis, for signals over all posts.

The credibility signal classifies every post in one set-based pass (DuckDB or Spark), so it
cannot call the Python checker per row; it runs these patterns with ``re_search`` instead.
They come from the same lexicon and medicine list as the checker and follow its decisions,
with three simplifications (measured against the checker in tests/test_compliance_ibis.py):
the fold is Instagram's for every platform, a label's language is not checked, and a claim
is taken as negated when a negating word stands up to three words before it anywhere in the
caption. Patterns avoid ``\\b`` and look-around, so RE2 (DuckDB) and Java (Spark) agree.
"""

from __future__ import annotations

from functools import cache

import ibis

from covey.compliance import lexicon as lx
from covey.compliance.detect import FOLD_CHARS
from covey.compliance.medicines import prescription_medicines

_L = r"[^\p{L}\p{N}]"  # not a letter or digit


def _flat(table: dict[str, tuple[str, ...]]) -> tuple[str, ...]:
    return tuple(sorted({t for ts in table.values() for t in ts}))


def words_regex(words: tuple[str, ...]) -> str:
    """``covey.signals.lexicons.words_regex`` (imported late: signals import this module)."""
    from covey.signals.lexicons import words_regex as build

    return build(words)


def _alt(words: tuple[str, ...]) -> str:
    # words_regex gives (^|nonword)(a|b)($|nonword); keep its middle group.
    full = words_regex(words)
    return full[full.index(")(") + 2 : full.rindex(")($")]


@cache
def patterns() -> dict[str, str]:
    """Name -> regular expression (for lower-case text)."""
    ad = tuple(t for t in _flat(lx.AD_LABELS) if t not in lx.OWN_LANGUAGE_ONLY)
    ad_tags = tuple(t for t in ad if t.startswith("#"))
    claims = tuple(t for t in _flat(lx.CLAIMS) if t != "cura")  # "cura" is care in Italian
    return {
        "ad": words_regex(ad) + "|" + lx.BARE_AD,
        "piled_ad": rf"#[\p{{L}}\p{{N}}_]+\s+({_alt(ad_tags)})($|{_L})",
        "other_label": (
            words_regex(_flat(lx.WEAK_LABELS) + _flat(lx.GIFT_LABELS) + _flat(lx.AFFILIATE_LABELS))
            + "|" + "|".join(p for ps in lx.GIFT_PATTERNS.values() for p in ps)
            + "|" + lx.THANKS_PATTERN
        ),
        "negation": words_regex(lx.NEGATIONS),
        "paid_cue": words_regex(tuple(c for c in lx.PAID_CUES if c != "% off")) + r"|[0-9] ?% off",
        "product_talk": words_regex(lx.PRODUCT_TALK),
        "claim": words_regex(claims) + "|" + lx.PROVEN_PATTERN,
        "negated_claim": rf"(^|{_L})({_alt(lx.NEGATORS)})(\s+\S+){{0,2}}\s+({_alt(claims)})($|{_L})",
        "proven": lx.PROVEN_PATTERN,
        "evidence": lx.EVIDENCE_PATTERN,
        "disease_claim": (
            rf"(^|{_L})({_alt(lx.DISEASE_VERBS)})(\s+\S+){{0,4}}?\s+({_alt(lx.DISEASES)})($|{_L})"
        ),
        "medicine": words_regex(prescription_medicines()),
        "disease_verb": words_regex(lx.DISEASE_VERBS),
    }  # fmt: skip


def caption_columns(text: ibis.StringValue, sponsored: ibis.BooleanValue) -> dict[str, ibis.Value]:
    """``disclosure`` ('proper' | 'buried' | 'weak' | 'none' | NULL), ``health_claim`` and
    ``prescription`` for lower-case post text (title + caption); see the module docstring."""
    p = patterns()
    # Two cheap first passes (labels and cues; claims and medicines); the separate tests run
    # only on posts that matched one (most match nothing). One pass with every pattern would
    # be slower: RE2's automaton for the union outgrows its memory budget.
    labels = text.re_search("|".join(f"({p[k]})" for k in ("ad", "other_label", "paid_cue", "product_talk")))
    health = text.re_search("|".join(f"({p[k]})" for k in ("claim", "disease_verb", "medicine")))

    def find(name: str, on: ibis.StringValue = text, hit: ibis.BooleanValue = labels) -> ibis.BooleanValue:
        return ibis.ifelse(hit, on.re_search(p[name]), False)

    head = text.substr(0, FOLD_CHARS["instagram"])
    denied = find("negation")
    up_front = find("ad", head) & ~find("piled_ad", head)
    labelled = find("ad")
    paid = find("paid_cue") | (text.contains("@") & find("product_talk"))
    disclosure = ibis.cases(
        (sponsored, "proper"),
        (denied, ibis.null("string")),
        (up_front, "proper"),
        (labelled, "buried"),
        (find("other_label"), "weak"),
        (paid, "none"),
        else_=ibis.null("string"),
    )

    def claim(name: str) -> ibis.BooleanValue:
        return find(name, hit=health)

    plain = claim("claim") & ~claim("negated_claim") & ~(claim("proven") & claim("evidence"))
    return {
        "disclosure": disclosure,
        "health_claim": plain | claim("disease_claim"),
        "prescription": claim("medicine"),
    }

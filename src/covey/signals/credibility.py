"""Credibility: account history, how sponsored posts were disclosed, health claims, lived experience.

Each caption is classified (lexicons in ``covey.signals.lexicons``):

* ``disclosure``: 'proper' (platform paid-partnership label, or "#ad", "Ad", "Sponsored",
  "Paid partnership"... in the first ``UP_FRONT_CHARS`` characters before the trailing block
  of hashtags); 'buried' (such a label only further down or among the trailing hashtags);
  'weak' ("#sp", "#collab", "thanks @brand" without a proper label); 'none' (the post looks
  paid - a discount code, "link in bio",
  "gifted", an affiliate link, or testimonial talk such as "been trying @brand" - but carries
  no label); NULL for posts that do not look paid;
* ``health_claim``: "cures", "clinically proven", "no side effects"... (FTC 2022 guidance);
* ``prescription``: a prescription-only medicine named (Ozempic, Botox...; CAP 12.12);
* ``first_person``: lived experience told in the first person ("my Crohn's", "je vis avec").
"""

from __future__ import annotations

import ibis
from ibis import _

from covey.signals.backend import Sources, seconds
from covey.signals.engagement import is_sponsored
from covey.signals.lexicons import (
    DISCLOSURE_STRONG,
    DISCLOSURE_WEAK,
    FIRST_PERSON,
    HEALTH_CLAIMS,
    PAID_SIGNALS,
    PRESCRIPTION_MEDICINES,
    PRODUCT_TALK,
    THANKS_MENTION,
    words_regex,
)


def caption_flags(src: Sources) -> ibis.Table:
    """One row per post with the caption classification described above."""
    return src.shared("caption_flags", lambda: _caption_flags(src))


def _caption_flags(src: Sources) -> ibis.Table:
    p = src.posts.filter(_.posted_at <= src.as_of)
    p = p.mutate(is_sponsored=is_sponsored(p))
    text = (p.title.fill_null("") + " " + p.caption.fill_null("")).lower()
    # One pass with every lexicon at once; the separate tests then run only on captions that
    # matched something (most match nothing), which keeps this fast on millions of posts.
    every = (*DISCLOSURE_STRONG, *DISCLOSURE_WEAK, *PAID_SIGNALS, *PRODUCT_TALK, *HEALTH_CLAIMS,
             *PRESCRIPTION_MEDICINES, *FIRST_PERSON)  # fmt: skip
    hit = text.re_search(words_regex(every)) | text.re_search(THANKS_MENTION)

    def find(regex: str) -> ibis.Value:
        return ibis.ifelse(hit, text.re_search(regex), False)

    strong_any = find(words_regex(DISCLOSURE_STRONG))
    weak = find(words_regex(DISCLOSURE_WEAK)) | find(THANKS_MENTION)
    paid = find(words_regex(PAID_SIGNALS)) | (text.contains("@") & find(words_regex(PRODUCT_TALK)))
    disclosure = ibis.cases(
        (p.is_sponsored, "proper"),
        (strong_any, "buried"),
        (weak, "weak"),
        (paid, "none"),
        else_=ibis.null("string"),
    )
    return p.select(
        "post_id",
        "account_id",
        "url",
        "posted_at",
        disclosure=disclosure,
        health_claim=find(words_regex(HEALTH_CLAIMS)),
        prescription=find(words_regex(PRESCRIPTION_MEDICINES)),
        first_person=find(words_regex(FIRST_PERSON)),
    )


def credibility(src: Sources) -> ibis.Table:
    """Per account: account_age_days and counts of each caption flag."""
    f = caption_flags(src)
    agg = f.group_by("account_id").aggregate(
        paid_posts=f.disclosure.notnull().cast("int64").sum(),
        disclosed_proper=(f.disclosure == "proper").cast("int64").sum(),
        disclosed_buried=(f.disclosure == "buried").cast("int64").sum(),
        disclosed_weak=(f.disclosure == "weak").cast("int64").sum(),
        undisclosed=(f.disclosure == "none").cast("int64").sum(),
        health_claim_posts=f.health_claim.cast("int64").sum(),
        prescription_posts=f.prescription.cast("int64").sum(),
        first_person_posts=f.first_person.cast("int64").sum(),
    )
    a = src.accounts.select("account_id", "created_at")
    as_of = seconds(ibis.literal(src.as_of))
    age = (as_of - seconds(a.created_at.cast("timestamp"))) / 86400.0
    a = a.select("account_id", account_age_days=age)
    t = a.left_join(agg, "account_id").drop("account_id_right")
    counts = [c for c in agg.columns if c != "account_id"]
    return t.mutate(**{c: t[c].fill_null(0) for c in counts})

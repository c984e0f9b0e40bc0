"""Credibility: account history, how sponsored posts were disclosed, health claims, lived experience.

Each caption is classified with the compliance checker's word lists compiled to regular
expressions (``covey.compliance.ibis_rules``; ``first_person`` from ``covey.signals.lexicons``):

* ``disclosure``: 'proper' (platform paid-partnership label, or "#ad", "Ad |", "Sponsored",
  "Werbung", "Publicité"... before the fold and not behind another hashtag); 'buried' (such a
  label only further down or among hashtags); 'weak' ("#sp", "#collab", "thanks @brand",
  "gifted", an affiliate note, without a proper label); 'none' (the post looks paid - a
  discount code, "affiliate", or testimonial talk such as "been trying @brand" - but carries
  no label); NULL for posts that do not look paid or that deny it ("not sponsored");
* ``health_claim``: "cures", "clinically proven", "no side effects"... (FTC 2022 guidance);
* ``prescription``: a prescription-only medicine named (Ozempic, Botox...; CAP 12.12);
* ``first_person``: lived experience told in the first person ("my Crohn's", "je vis avec").
"""

from __future__ import annotations

import ibis
from ibis import _

from covey.compliance.ibis_rules import caption_columns
from covey.signals.backend import Sources, seconds
from covey.signals.lexicons import FIRST_PERSON, words_regex


def caption_flags(src: Sources) -> ibis.Table:
    """One row per post with the caption classification described above."""
    return src.shared("caption_flags", lambda: _caption_flags(src))


def _caption_flags(src: Sources) -> ibis.Table:
    p = src.posts.filter(_.posted_at <= src.as_of)
    text = (p.title.fill_null("") + " " + p.caption.fill_null("")).lower()
    # The platform's paid-partnership label; caption labels are judged by the compliance rules.
    flags = caption_columns(text, p.sponsored.fill_null(False))
    return p.select(
        "post_id",
        "account_id",
        "url",
        "posted_at",
        **flags,
        first_person=text.re_search(words_regex(FIRST_PERSON)),
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

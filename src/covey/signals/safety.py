"""Brand safety: profanity, hate and sensitive topics in what the creator publishes.

Captions, titles and the creator's own comments are matched against the multilingual
lexicons in ``covey.signals.lexicons``; every flagged item is kept as evidence.
"""

from __future__ import annotations

import ibis
from ibis import _

from covey.signals.backend import Sources
from covey.signals.comments import comment_features
from covey.signals.lexicons import HATE, PROFANITY, SENSITIVE_TOPICS, words_regex


def safety_flags(src: Sources) -> ibis.Table:
    """account_id, item_id, post_id, url, source ('post'|'comment'), profanity, hate, sensitive."""
    return src.shared("safety_flags", lambda: _safety_flags(src))


def _safety_flags(src: Sources) -> ibis.Table:
    p = src.posts.filter(_.posted_at <= src.as_of)
    # Cast keys to nullable strings: the two sides of the union must have equal schemas.
    posts = p.select(
        account_id=p.account_id.cast("string"),
        item_id=p.post_id.cast("string"),
        post_id=p.post_id.cast("string"),
        url=p.url,
        source=ibis.literal("post"),
        text=(p.title.fill_null("") + " " + p.caption.fill_null("")).lower(),
    )
    c = comment_features(src).filter(_.by_creator)
    own = c.join(src.comments.select("comment_id", "text"), "comment_id")
    own = own.join(src.posts.select("post_id", post_url=_.url), "post_id")
    comments = own.select(
        account_id=own.account_id.cast("string"),
        item_id=own.comment_id.cast("string"),
        post_id=own.post_id.cast("string"),
        url=own.post_url,
        source=ibis.literal("comment"),
        text=own.text.fill_null("").lower(),
    )
    items = posts.union(comments)
    # One pass with all three lexicons; the three tests then run on the few items that hit.
    items = items.filter(items.text.re_search(words_regex((*PROFANITY, *HATE, *SENSITIVE_TOPICS))))
    flagged = items.select(
        "account_id",
        "item_id",
        "post_id",
        "url",
        "source",
        profanity=items.text.re_search(words_regex(PROFANITY)),
        hate=items.text.re_search(words_regex(HATE)),
        sensitive=items.text.re_search(words_regex(SENSITIVE_TOPICS)),
    )
    return flagged.filter(flagged.profanity | flagged.hate | flagged.sensitive)


def safety(src: Sources) -> ibis.Table:
    """Per account: profanity_items, hate_items, sensitive_items."""
    f = safety_flags(src)
    return f.group_by("account_id").aggregate(
        profanity_items=f.profanity.cast("int64").sum(),
        hate_items=f.hate.cast("int64").sum(),
        sensitive_items=f.sensitive.cast("int64").sum(),
    )

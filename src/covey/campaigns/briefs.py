"""Co-created briefs: one for the campaign, one per creator building on the creator's own posts.

A creator's brief starts from what they already do (their most used hashtags as themes, their
best posts by engagement) and adds what the campaign needs: the hashtag, the visual identifier,
the key messages, must-say / must-not-say, their tracked link and code, and the disclosure the
compliance packs require for their audience's country, in their language. Each generation is a
new version; earlier versions are kept.
"""

from __future__ import annotations

import html
import logging
from dataclasses import dataclass
from typing import Any

from covey.campaigns.campaign import Spec, creators, load_spec, log_event, tracked_link, tracking_code
from covey.compliance import builtin_packs
from covey.errors import InputError
from covey.store import Store

log = logging.getLogger("covey.campaigns.briefs")

Section = tuple[str, list[str]]  # (heading, bullet lines)


@dataclass(frozen=True)
class Disclosure:
    """What a creator must write to disclose, where and why (from the compliance packs)."""

    country: str
    language: str
    instruction: str
    rule: str
    citation: str


def disclosure_for(country: str | None, language: str | None) -> Disclosure:
    """The disclosure required for an audience country, worded in the creator's language."""
    lang = (language or "en").lower()
    if not country:
        return Disclosure(
            "",
            lang,
            'Start the caption with "Ad" or "#ad" (audience country unknown: the strictest common rule).',
            "",
            "",
        )
    for pack in builtin_packs().for_country(country):
        for rule in pack.rules:
            if rule.category == "disclosure_missing":
                return Disclosure(country, lang, rule.fix_in(lang), rule.id, rule.citation)
    return Disclosure(country, lang, 'Start the caption with "Ad" or "#ad".', "", "")


def _themes(store: Store, account_id: str) -> tuple[list[str], list[tuple[str, int]]]:
    tags = store.query(
        "SELECT t, count(*) n FROM (SELECT unnest(hashtags) t FROM posts WHERE account_id = ?) "
        "GROUP BY t ORDER BY n DESC, t LIMIT 5",
        [account_id],
    )
    best = store.query(
        "SELECT caption, coalesce(likes, 0) + coalesce(comments, 0) e FROM posts WHERE account_id = ? "
        "AND caption IS NOT NULL ORDER BY e DESC, post_id LIMIT 3",
        [account_id],
    )
    return [str(t) for t, _ in tags], [(" ".join(str(c).split())[:120], int(e)) for c, e in best]


def campaign_sections(spec: Spec) -> list[Section]:
    """The campaign brief's sections."""
    return [
        (
            "Campaign",
            [
                f"Brand: {spec.brand}",
                f"Objective: {spec.objective}",
                f"Dates: {spec.starts} to {spec.ends}",
                f"Markets: {', '.join(spec.jurisdictions) or 'not set'}",
            ],
        ),
        (
            "Identity",
            [
                f"Hashtag: #{spec.hashtag}" if spec.hashtag else "Hashtag: to be chosen",
                f"Visual identifier: {spec.visual_identifier or 'none'}",
            ],
        ),
        ("Key messages", list(spec.key_messages) or ["(none set)"]),
        ("Must say", list(spec.must_say) or ["(nothing)"]),
        ("Must not say", list(spec.must_not_say) or ["(nothing)"]),
        (
            "How we work",
            [
                "You lead: write in your own words, for your own community.",
                "Send each post as a draft first; we check it for disclosure and claims and reply "
                "with comments or approval.",
                "Nothing goes live without an approved version.",
            ],
        ),
    ]


def creator_sections(store: Store, spec: Spec, c: dict[str, Any]) -> list[Section]:
    """One creator's brief: their themes and best posts first, then the campaign's needs."""
    themes, best = _themes(store, c["account_id"])
    d = disclosure_for(c["country"], c["language"])
    extras = [x for x in (tracked_link(spec, c["handle"]), tracking_code(spec, c["handle"])) if x]
    return [
        (
            f"For @{c['handle']}",
            [f"{c['posts']} post(s) on {c['platform']} between {spec.starts} and {spec.ends}"],
        ),
        (
            "Start from what you already do",
            [f"Your themes: {', '.join('#' + t for t in themes) or 'your usual topics'}"]
            + [f'Your post that people loved ({e:,} likes and comments): "{cap}"' for cap, e in best],
        ),
        (
            "Bring in the campaign",
            [
                f"Use #{spec.hashtag}" if spec.hashtag else "Hashtag to come",
                f"Show the visual identifier: {spec.visual_identifier or 'none'}",
                *(f"Key message: {m}" for m in spec.key_messages),
                *(f"Must say: {m}" for m in spec.must_say),
                *(f"Do not say: {m}" for m in spec.must_not_say),
                *(f"Your tracked link / code: {x}" for x in extras),
            ],
        ),
        (
            "Disclosure (required)",
            [d.instruction]
            + ([f"Rule {d.rule}: {d.citation}"] if d.rule else [])
            + ["This checklist informs you; it is not legal advice."],
        ),
    ]


def to_markdown(title: str, sections: list[Section]) -> str:
    """The brief as Markdown."""
    out = [f"# {title}", ""]
    for head, lines in sections:
        out += [f"## {head}", "", *(f"- {x}" for x in lines), ""]
    return "\n".join(out)


def to_html(title: str, sections: list[Section]) -> str:
    """The brief as a self-contained HTML page (no external resources)."""
    e = html.escape
    body = "".join(
        f"<h2>{e(h)}</h2><ul>{''.join(f'<li>{e(x)}</li>' for x in lines)}</ul>" for h, lines in sections
    )
    return (
        f'<!doctype html><html><head><meta charset="utf-8"><title>{e(title)}</title>'
        "<style>body{font-family:sans-serif;max-width:46em;margin:2em auto}"
        "@media print{body{margin:0;max-width:none;font-size:11pt}h2{break-after:avoid}"
        "li{break-inside:avoid}}</style></head>"
        f"<body><h1>{e(title)}</h1>{body}</body></html>"
    )


def write_briefs(store: Store, campaign_id: int, *, actor: str) -> list[dict[str, Any]]:
    """A new version of the campaign brief and of each creator's brief; returns what was written."""
    spec = load_spec(store, campaign_id)
    docs: list[tuple[str, str, list[Section]]] = [
        ("", f"{spec.name}: campaign brief", campaign_sections(spec))
    ]
    for c in creators(store, campaign_id):
        if c["stage"] in ("declined", "dropped"):
            continue
        docs.append(
            (c["account_id"], f"{spec.name}: brief for @{c['handle']}", creator_sections(store, spec, c))
        )
    out = []
    with store.transaction() as cur:
        for account, title, sections in docs:
            row = cur.execute(
                "SELECT coalesce(max(version), 0) + 1 FROM campaign_briefs WHERE campaign_id = ? AND "
                "account_id = ?",
                [campaign_id, account],
            ).fetchone()
            version = int(row[0]) if row else 1
            md, page = to_markdown(title, sections), to_html(title, sections)
            cur.execute(
                "INSERT INTO campaign_briefs VALUES (?, ?, ?, now()::TIMESTAMP, ?, ?, ?)",
                [campaign_id, account, version, actor, md, page],
            )
            log_event(cur, campaign_id, account or None, actor, "brief", f"version {version}")
            out.append(
                {"account_id": account, "title": title, "version": version, "markdown": md, "html": page}
            )
    return out


def get_brief(
    store: Store, campaign_id: int, account_id: str = "", version: int | None = None
) -> dict[str, Any]:
    """One stored brief (the newest version unless asked)."""
    rows = store.query(
        "SELECT version, created_at, actor, markdown, html FROM campaign_briefs WHERE campaign_id = ? "
        "AND account_id = ? " + ("AND version = ? " if version else "") + "ORDER BY version DESC LIMIT 1",
        [campaign_id, account_id, *([version] if version else [])],
    )
    if not rows:
        raise InputError(
            f"no brief{f' version {version}' if version else ''} for this campaign/creator yet "
            "('covey campaign brief ID' writes them)",
            field="version",
        )
    v, at, actor, md, page = rows[0]
    return {"version": v, "created_at": str(at), "actor": actor, "markdown": md, "html": page}


def sections_from_markdown(markdown: str) -> tuple[str, list[Section]]:
    """The title and sections of a stored brief (the inverse of :func:`to_markdown`)."""
    title, sections = "", list[Section]()
    for line in markdown.splitlines():
        if line.startswith("# "):
            title = line[2:]
        elif line.startswith("## "):
            sections.append((line[3:], []))
        elif line.startswith("- ") and sections:
            sections[-1][1].append(line[2:])
    return title, sections


def brief_versions(store: Store, campaign_id: int) -> list[dict[str, Any]]:
    """Every stored brief version (the campaign's has account_id ''), newest first per brief."""
    load_spec(store, campaign_id)
    rows = store.query(
        """SELECT b.account_id, c.handle, b.version, b.created_at, b.actor
           FROM campaign_briefs b LEFT JOIN campaign_creators c ON c.campaign_id = b.campaign_id
                AND c.account_id = b.account_id AND NOT c.removed
           WHERE b.campaign_id = ? ORDER BY b.account_id <> '', c.handle, b.version DESC""",
        [campaign_id],
    )
    keys = ("account_id", "handle", "version", "created_at", "actor")
    return [dict(zip(keys, r, strict=True)) for r in rows]

"""First-contact messages: drafted from a template with the creator's own evidence.

"Why we chose you" quotes the creator's on-brief posts (best by engagement) and their
community figures from the latest vetting run. Messages are exported as .eml files or one
CSV, and can be sent over SMTP (optional; nothing is sent unless asked).
"""

from __future__ import annotations

import csv
import logging
import re
import smtplib
import string
from dataclasses import dataclass
from email.message import EmailMessage
from pathlib import Path
from typing import Any

from covey.campaigns.campaign import creators, load_spec, log_event
from covey.errors import CoveyError, InputError
from covey.scores.read import account_components
from covey.store import Store

log = logging.getLogger("covey.campaigns.outreach")

TEMPLATE = """Hi $name,

I work with $brand on "$campaign", running $starts to $ends, and I would love to work with you.

Why we chose you:
$evidence

What we have in mind: $posts post(s) in your own words and style, with #$hashtag. $key_messages
We would offer $fee.

Would you be interested? Just reply to this message and I will send the full brief.

Best wishes,
$sender
"""
EVIDENCE_POSTS = 2
_WORD = re.compile(r"[a-zA-Z\u00c0-\u024f']{4,}")


@dataclass(frozen=True)
class Message:
    """One drafted message to one creator."""

    account_id: str
    handle: str
    to: str
    subject: str
    body: str
    evidence: tuple[str, ...]


def evidence(store: Store, account_id: str, topic: str) -> list[str]:
    """Plain sentences: the creator's best on-topic posts and community figures from vetting."""
    words = {w.lower() for w in _WORD.findall(topic)}
    posts = store.query(
        "SELECT caption, coalesce(likes, 0) + coalesce(comments, 0) AS eng, url, posted_at FROM posts "
        "WHERE account_id = ? AND caption IS NOT NULL ORDER BY eng DESC LIMIT 50",
        [account_id],
    )
    on_topic = [p for p in posts if words & {w.lower() for w in _WORD.findall(p[0])}] or posts
    out = []
    for cap, eng, url, at in on_topic[:EVIDENCE_POSTS]:
        short = " ".join(str(cap).split())[:90]
        out.append(
            f'- your post of {str(at)[:10]} ("{short}...") drew {int(eng):,} likes and comments'
            + (f" ({url})" if url else "")
        )
    # The latest vetting run's sentences, through the score read API (as every page reads them).
    out += [
        f"- {c['sentence']}"
        for c in account_components(store, account_id)
        if c["component"] in ("audience", "community", "engagement") and c["sentence"]
    ]
    return out


def _money(fee: float | None, currency: str) -> str:
    return f"{fee:,.0f} {currency}" if fee is not None else "a fee we can agree together"


def draft_messages(
    store: Store, campaign_id: int, *, sender: str, template: str | None = None
) -> list[Message]:
    """A first-contact message for every creator still at the first stage (prospect)."""
    spec = load_spec(store, campaign_id)
    tpl = string.Template(template or TEMPLATE)
    topic = " ".join([spec.extra.get("brief", ""), *spec.key_messages, spec.name])
    out = []
    for c in creators(store, campaign_id):
        if c["stage"] != "prospect":
            continue
        ev = evidence(store, c["account_id"], topic)
        body = tpl.safe_substitute(
            name=c["handle"],
            brand=spec.brand,
            campaign=spec.name,
            starts=spec.starts,
            ends=spec.ends,
            evidence="\n".join(ev) or "- your posts fit what we are looking for",
            posts=c["posts"],
            hashtag=spec.hashtag or "(hashtag to come)",
            key_messages=("Our key messages: " + "; ".join(spec.key_messages) + ".")
            if spec.key_messages
            else "",
            fee=_money(c["fee"], spec.currency),
            sender=sender,
        )
        out.append(
            Message(
                c["account_id"],
                c["handle"],
                c["contact"] or "",
                f"{spec.brand} x @{c['handle']}: {spec.name}",
                body,
                tuple(ev),
            )
        )
    return out


def to_email(m: Message, sender: str) -> EmailMessage:
    """The message as an e-mail (the recipient left empty when the contact is unknown)."""
    e = EmailMessage()
    e["From"] = sender
    if m.to:
        e["To"] = m.to
    e["Subject"] = m.subject
    e["X-Covey-Account"] = m.account_id
    e.set_content(m.body)
    return e


def export_eml(messages: list[Message], folder: Path, sender: str) -> list[Path]:
    """One .eml file per message in ``folder``; returns the paths."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for m in messages:
        p = folder / f"{re.sub(r'[^A-Za-z0-9_.-]', '_', m.handle)}.eml"
        p.write_bytes(bytes(to_email(m, sender)))
        paths.append(p)
    return paths


def export_csv(messages: list[Message], path: Path) -> Path:
    """All messages in one CSV: account_id, handle, to, subject, body."""
    with path.open("w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["account_id", "handle", "to", "subject", "body"])
        for m in messages:
            w.writerow([m.account_id, m.handle, m.to, m.subject, m.body])
    return path


def send_smtp(
    store: Store,
    campaign_id: int,
    messages: list[Message],
    *,
    sender: str,
    host: str,
    port: int,
    actor: str,
    username: str | None = None,
    password: str | None = None,
    starttls: bool = False,
    timeout: float = 30.0,
) -> dict[str, Any]:
    """Send messages with a contact over SMTP; each sent one is an event ('contacted' is yours to set)."""
    sendable = [m for m in messages if m.to]
    skipped = [m.handle for m in messages if not m.to]
    try:
        with smtplib.SMTP(host, port, timeout=timeout) as smtp:
            if starttls:
                smtp.starttls()
            if username:
                smtp.login(username, password or "")
            for m in sendable:
                smtp.send_message(to_email(m, sender))
                with store.transaction() as cur:
                    log_event(
                        cur, campaign_id, m.account_id, actor, "message", f"sent to {m.to}: {m.subject}"
                    )
    except (OSError, smtplib.SMTPException) as exc:
        raise CoveyError(f"SMTP {host}:{port}: {exc}") from exc
    if skipped:
        log.warning("no contact for %s: not sent", ", ".join(skipped))
    return {"sent": [m.handle for m in sendable], "no_contact": skipped}


def require_sender(sender: str) -> str:
    """A sender address, checked for the shape name@domain."""
    if not re.fullmatch(r"[^@\s]+@[^@\s]+\.[^@\s]+", sender):
        raise InputError(f"{sender!r} is not an e-mail address", field="sender")
    return sender

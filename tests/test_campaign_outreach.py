"""First-contact messages: the creator's own evidence, .eml and CSV export, a real local SMTP server."""

from __future__ import annotations

import csv
import email
from collections.abc import Iterator
from email import policy
from pathlib import Path
from typing import Any

import pytest

from covey.campaigns.campaign import booking_from_store, create_campaign
from covey.campaigns.outreach import draft_messages, export_csv, export_eml, send_smtp
from covey.campaigns.pipeline import events, set_contact
from covey.errors import CoveyError
from covey.store import DuckDBStore
from net_support import free_port
from test_campaign_pipeline import SPEC, _seed

aiosmtpd = pytest.importorskip("aiosmtpd.controller")


class Inbox:
    """aiosmtpd handler that keeps every message it receives."""

    def __init__(self) -> None:
        self.messages: list[tuple[str, list[str], bytes]] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # the name aiosmtpd calls
        self.messages.append((envelope.mail_from, list(envelope.rcpt_tos), envelope.content))
        return "250 OK"


@pytest.fixture
def smtp_server() -> Iterator[tuple[Inbox, int]]:
    inbox, port = Inbox(), free_port()
    ctl = aiosmtpd.Controller(inbox, hostname="127.0.0.1", port=port)
    ctl.start()
    try:
        yield inbox, port
    finally:
        ctl.stop()


@pytest.fixture
def camp(store: DuckDBStore) -> int:
    _seed(store)
    books = [booking_from_store(store, h, 2, 400.0) for h in ("anna_ibd", "lena_darm")]
    cid = create_campaign(store, SPEC, books, actor="maria")
    set_contact(store, cid, "anna_ibd", "anna@example.org", actor="maria")
    with store.transaction() as cur:  # a vetting run with a sentence for Anna's community
        cur.execute("INSERT INTO score_runs (run_id) VALUES (1)")
        cur.execute(
            "INSERT INTO account_scores VALUES (1, 'instagram:1', 'community', 80, 0.9, 50, 'micro', "
            "'Her followers talk with each other: 42% of comments are replies.')"
        )
    return cid


def test_messages_carry_the_creators_own_evidence(store: DuckDBStore, camp: int) -> None:
    msgs = {m.handle: m for m in draft_messages(store, camp, sender="maria@acme.example")}
    anna = msgs["anna_ibd"]
    assert "Living with crohns day 2" in anna.body  # her best post
    assert "drew 310 likes and comments" in anna.body
    assert "42% of comments are replies" in anna.body
    assert "#acmegutweek" in anna.body and "400 EUR" in anna.body
    assert msgs["lena_darm"].to == ""


def test_eml_and_csv_export(store: DuckDBStore, camp: int, tmp_path: Path) -> None:
    msgs = draft_messages(store, camp, sender="maria@acme.example")
    paths = export_eml(msgs, tmp_path / "eml", "maria@acme.example")
    parsed = email.message_from_bytes((tmp_path / "eml" / "anna_ibd.eml").read_bytes(), policy=policy.default)
    assert len(paths) == 2 and parsed["To"] == "anna@example.org"
    assert "Why we chose you" in parsed.get_body().get_content()  # type: ignore[union-attr]
    rows = list(csv.DictReader((export_csv(msgs, tmp_path / "m.csv")).open(encoding="utf-8")))
    assert [r["handle"] for r in rows] == ["anna_ibd", "lena_darm"] and "Why we chose you" in rows[0]["body"]


def test_sent_over_a_real_smtp_server(store: DuckDBStore, camp: int, smtp_server: tuple[Inbox, int]) -> None:
    inbox, port = smtp_server
    msgs = draft_messages(store, camp, sender="maria@acme.example")
    res = send_smtp(
        store, camp, msgs, sender="maria@acme.example", host="127.0.0.1", port=port, actor="maria"
    )
    assert res == {"sent": ["anna_ibd"], "no_contact": ["lena_darm"]}
    assert len(inbox.messages) == 1
    sender, rcpt, content = inbox.messages[0]
    assert sender == "maria@acme.example" and rcpt == ["anna@example.org"]
    assert b"Why we chose you" in content
    assert [e["kind"] for e in events(store, camp)][-1] == "message"


def test_smtp_refused_is_a_clear_error(store: DuckDBStore, camp: int) -> None:
    msgs = draft_messages(store, camp, sender="maria@acme.example")
    with pytest.raises(CoveyError, match=r"SMTP 127.0.0.1:\d+"):
        send_smtp(
            store, camp, msgs, sender="m@a.example", host="127.0.0.1", port=free_port(), actor="m", timeout=3
        )

"""Clicks and conversions from a CSV of the shop or link tracker, by discount code or UTM content.

Columns: ``code`` or ``utm_content`` (which creator), ``clicks``, ``conversions`` and optional
``revenue``. The whole file is read and checked before anything is stored: a bad row stops the
import with its line and field, and the rows stored earlier stay as they were.
"""

from __future__ import annotations

import csv
import logging
from pathlib import Path
from typing import Any

from covey.campaigns.campaign import creators, load_spec, log_event, tracking_code
from covey.errors import InputError
from covey.store import Store

log = logging.getLogger("covey.campaigns.conversions")

KEYS = ("code", "utm_content")


def _count(raw: str | None, path: Path, line: int, field: str, *, money: bool = False) -> float:
    text = (raw or "").strip().replace(",", "") if not money else (raw or "").strip()
    if text == "":
        if money:
            return 0.0
        raise InputError("empty; a whole number is needed", path=path, line=line, field=field)
    try:
        value = float(text) if money else int(text)
    except ValueError:
        kind = "an amount" if money else "a whole number"
        raise InputError(f"{text!r} is not {kind}", path=path, line=line, field=field) from None
    if value < 0:
        raise InputError(f"{text} is negative", path=path, line=line, field=field)
    return float(value)


def read_conversions(store: Store, campaign_id: int, path: Path) -> list[dict[str, Any]]:
    """Parse and check the file against the campaign's codes and handles; nothing is stored."""
    spec = load_spec(store, campaign_id)
    by_key: dict[str, str] = {}
    for c in creators(store, campaign_id, removed=True):
        by_key[c["handle"].lower()] = c["account_id"]
        code = tracking_code(spec, c["handle"])
        if code:
            by_key[code.lower()] = c["account_id"]
    if not path.exists():
        raise InputError("no such file", path=path)
    try:
        with path.open(newline="", encoding="utf-8-sig") as f:
            reader = csv.DictReader(f)
            header = [h.strip().lower() for h in reader.fieldnames or []]
            key = next((k for k in KEYS if k in header), None)
            if key is None:
                raise InputError("needs a 'code' or 'utm_content' column", path=path, line=1, field="header")
            for need in ("clicks", "conversions"):
                if need not in header:
                    raise InputError(f"missing column {need!r}", path=path, line=1, field="header")
            out = []
            for i, raw in enumerate(reader, start=2):
                row = {k.strip().lower(): v for k, v in raw.items() if k is not None}
                if None in raw:
                    raise InputError("more fields than the header has", path=path, line=i, field="row")
                value = (row.get(key) or "").strip()
                account = by_key.get(value.lower())
                if account is None:
                    raise InputError(
                        f"{value!r} is not a code or handle of campaign {campaign_id}",
                        path=path,
                        line=i,
                        field=key,
                    )
                clicks = int(_count(row.get("clicks"), path, i, "clicks"))
                conversions = int(_count(row.get("conversions"), path, i, "conversions"))
                if conversions > clicks:
                    raise InputError(
                        f"{conversions} conversions from {clicks} clicks",
                        path=path,
                        line=i,
                        field="conversions",
                    )
                revenue = _count(row.get("revenue"), path, i, "revenue", money=True)
                out.append(
                    {
                        "line": i,
                        "account_id": account,
                        "key": value,
                        "clicks": clicks,
                        "conversions": conversions,
                        "revenue": revenue,
                    }
                )
    except UnicodeDecodeError as exc:
        raise InputError(f"not UTF-8 text ({exc.reason})", path=path) from exc
    return out


def import_conversions(store: Store, campaign_id: int, path: Path, *, actor: str) -> dict[str, Any]:
    """Store the file's rows (replacing an earlier import of the same file); all or nothing."""
    rows = read_conversions(store, campaign_id, path)
    with store.transaction() as cur:
        cur.execute(
            "DELETE FROM campaign_conversions WHERE campaign_id = ? AND source = ?", [campaign_id, str(path)]
        )
        cur.executemany(
            "INSERT INTO campaign_conversions VALUES (?, ?, ?, ?, ?, ?, ?, ?, now()::TIMESTAMP)",
            [
                [
                    campaign_id,
                    str(path),
                    r["line"],
                    r["account_id"],
                    r["key"],
                    r["clicks"],
                    r["conversions"],
                    r["revenue"],
                ]
                for r in rows
            ],
        )
        log_event(cur, campaign_id, None, actor, "conversions", f"{len(rows)} row(s) from {path.name}")
    return {
        "rows": len(rows),
        "clicks": sum(r["clicks"] for r in rows),
        "conversions": sum(r["conversions"] for r in rows),
    }

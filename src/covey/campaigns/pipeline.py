"""The outreach pipeline: each creator's stage on a campaign, its allowed changes, notes and tasks.

Stages and transitions come from ``stages.toml`` (shipped) or a workspace's own
``covey-stages.toml`` next to its database. Every change is an event (who, when, from, to);
a change the workflow does not allow is refused with the stages that are allowed.
"""

from __future__ import annotations

import logging
import tomllib
from dataclasses import dataclass
from datetime import date
from importlib import resources
from pathlib import Path
from typing import Any

from covey.campaigns.campaign import _next_id, load_spec, log_event, no_campaign
from covey.errors import InputError
from covey.store import Store

log = logging.getLogger("covey.campaigns.pipeline")

WORKSPACE_FILE = "covey-stages.toml"


@dataclass(frozen=True)
class Workflow:
    """Stages in order, the first one, allowed changes, the contracted stages."""

    stages: tuple[str, ...]
    first: str
    transitions: dict[str, tuple[str, ...]]
    contracted: frozenset[str]
    live: str
    source: str

    def allowed(self, stage: str) -> tuple[str, ...]:
        """The stages a creator in ``stage`` may move to."""
        return self.transitions.get(stage, ())


def load_workflow(path: Path | None = None) -> Workflow:
    """The workflow in ``path`` (TOML), else Covey's default; InputError naming the field."""
    if path is None:
        text = resources.files("covey.campaigns").joinpath("stages.toml").read_text(encoding="utf-8")
        source = "covey default stages"
    else:
        text, source = path.read_text(encoding="utf-8"), str(path)
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise InputError(f"not valid TOML: {exc}", path=source) from exc
    stages = raw.get("stages")
    if not isinstance(stages, list) or not stages or not all(isinstance(s, str) for s in stages):
        raise InputError("'stages' must be a list of stage names", path=source, field="stages")
    trans = raw.get("transitions", {})
    if not isinstance(trans, dict):
        raise InputError(
            "'[transitions]' must map a stage to a list of stages", path=source, field="transitions"
        )
    for k, v in trans.items():
        bad = [s for s in [k, *v] if s not in stages]
        if bad:
            raise InputError(
                f"unknown stage {bad[0]!r}; stages: {', '.join(stages)}",
                path=source,
                field=f"transitions.{k}",
            )
    first = str(raw.get("first", stages[0]))
    # The stage that needs approved content; a workflow without one has no such gate.
    live = str(raw.get("live", "live" if "live" in stages else ""))
    for name, value in (("first", first), ("live", live)):
        if value and value not in stages:
            raise InputError(f"unknown stage {value!r}", path=source, field=name)
    return Workflow(
        tuple(stages),
        first,
        {k: tuple(v) for k, v in trans.items()},
        frozenset(raw.get("contracted", [])),
        live,
        source,
    )


def workspace_workflow(store: Store) -> Workflow:
    """The workspace's workflow: ``covey-stages.toml`` beside the database, else the default."""
    if store.path is not None:
        own = store.path.parent / WORKSPACE_FILE
        if own.exists():
            return load_workflow(own)
    return load_workflow()


def _account(cur: Any, campaign_id: int, who: str) -> tuple[str, str, str]:
    """(account_id, handle, stage) of a creator on the campaign, by handle or account id."""
    if (
        cur.execute("SELECT 1 FROM campaign_campaigns WHERE campaign_id = ?", [campaign_id]).fetchone()
        is None
    ):
        raise no_campaign(
            cur.execute("SELECT campaign_id FROM campaign_campaigns ORDER BY 1").fetchall(), campaign_id
        )
    key = who.lstrip("@")
    row = cur.execute(
        "SELECT account_id, handle, stage FROM campaign_creators WHERE campaign_id = ? AND NOT removed "
        "AND (account_id = ? OR lower(handle) = lower(?))",
        [campaign_id, key, key],
    ).fetchone()
    if row is None:
        names = [
            r[0]
            for r in cur.execute(
                "SELECT handle FROM campaign_creators WHERE campaign_id = ? AND NOT removed ORDER BY 1",
                [campaign_id],
            ).fetchall()
        ]
        raise InputError(
            f"@{key} is not on campaign {campaign_id}; its creators: "
            f"{', '.join('@' + n for n in names) or 'none'}",
            field="creator",
        )
    return str(row[0]), str(row[1]), str(row[2])


def move(
    store: Store,
    campaign_id: int,
    who: str,
    to: str,
    *,
    actor: str,
    workflow: Workflow | None = None,
    detail: str = "",
) -> tuple[str, str]:
    """Move a creator to stage ``to``; returns (from, to). Refused (InputError) if not allowed."""
    wf = workflow or workspace_workflow(store)
    if to not in wf.stages:
        raise InputError(f"unknown stage {to!r}; stages: {', '.join(wf.stages)}", field="stage")
    with store.transaction() as cur:
        account, handle, stage = _account(cur, campaign_id, who)
        if to not in wf.allowed(stage):
            allowed = ", ".join(wf.allowed(stage)) or "none (a final stage)"
            raise InputError(
                f"@{handle} cannot move from {stage} to {to}; from {stage} the allowed stages are: {allowed}",
                field="stage",
            )
        if to == wf.live:
            _check_approved(cur, campaign_id, account, handle)
        cur.execute(
            "UPDATE campaign_creators SET stage = ? WHERE campaign_id = ? AND account_id = ? AND NOT removed",
            [to, campaign_id, account],
        )
        log_event(cur, campaign_id, account, actor, "stage", detail, stage, to)
    log.info("campaign %d: @%s %s -> %s", campaign_id, handle, stage, to)
    return stage, to


def unapproved_deliverables(cur: Any, campaign_id: int, account: str) -> int:
    """How many of a creator's deliverables have no approved version yet (any version counts)."""
    row = cur.execute(
        """SELECT count(*) FROM campaign_deliverables d WHERE d.campaign_id = ? AND d.account_id = ?
           AND NOT EXISTS (SELECT 1 FROM campaign_decisions x WHERE x.campaign_id = d.campaign_id
                           AND x.account_id = d.account_id AND x.deliverable = d.deliverable
                           AND x.decision = 'approved')""",
        [campaign_id, account],
    ).fetchone()
    return int(row[0]) if row else 0


def _check_approved(cur: Any, campaign_id: int, account: str, handle: str) -> None:
    """A creator goes live only when every deliverable has an approved version."""
    pending = unapproved_deliverables(cur, campaign_id, account)
    if pending:
        raise InputError(
            f"@{handle} cannot go live: {pending} deliverable(s) have no approved version "
            "(see 'covey campaign draft' and 'covey campaign approve')",
            field="stage",
        )


def remove(store: Store, campaign_id: int, who: str, *, actor: str, workflow: Workflow | None = None) -> None:
    """Take a creator off a campaign; refused while contracted (move them to 'dropped' first)."""
    wf = workflow or workspace_workflow(store)
    with store.transaction() as cur:
        account, handle, stage = _account(cur, campaign_id, who)
        if stage in wf.contracted:
            raise InputError(
                f"@{handle} is {stage}: a contracted creator cannot be removed; move them to 'dropped' "
                "first ('covey campaign stage ... dropped'), which keeps the record of the contract",
                field="creator",
            )
        cur.execute(
            "UPDATE campaign_creators SET removed = true WHERE campaign_id = ? AND account_id = ? "
            "AND NOT removed",
            [campaign_id, account],
        )
        log_event(cur, campaign_id, account, actor, "removed", f"removed at stage {stage}", stage, None)


def note(store: Store, campaign_id: int, who: str, text: str, *, actor: str) -> None:
    """Add a note about a creator to the campaign's record."""
    with store.transaction() as cur:
        account, _, _ = _account(cur, campaign_id, who)
        log_event(cur, campaign_id, account, actor, "note", text)


def set_contact(store: Store, campaign_id: int, who: str, contact: str, *, actor: str) -> None:
    """Record how to reach a creator (an e-mail address or a profile link)."""
    with store.transaction() as cur:
        account, _, _ = _account(cur, campaign_id, who)
        cur.execute(
            "UPDATE campaign_creators SET contact = ? WHERE campaign_id = ? AND account_id = ? AND "
            "NOT removed",
            [contact, campaign_id, account],
        )
        log_event(cur, campaign_id, account, actor, "contact", contact)


def add_task(store: Store, campaign_id: int, who: str | None, title: str, due: date, *, actor: str) -> int:
    """A task due on a date, about a creator or the whole campaign; returns its id."""
    with store.transaction() as cur:
        account = _account(cur, campaign_id, who)[0] if who else None
        tid = _next_id(cur, "campaign_tasks", "task_id")
        cur.execute(
            "INSERT INTO campaign_tasks VALUES (?, ?, ?, ?, ?, false)",
            [tid, campaign_id, account, title, due],
        )
        log_event(cur, campaign_id, account, actor, "task", f"{title} (due {due})")
    return tid


def tasks_due(store: Store, campaign_id: int, by: date) -> list[dict[str, Any]]:
    """Open tasks and deliverables without an approved version due on or before ``by``."""
    tasks = store.query(
        "SELECT t.task_id, t.title, t.due, c.handle FROM campaign_tasks t LEFT JOIN campaign_creators c "
        "ON c.campaign_id = t.campaign_id AND c.account_id = t.account_id AND NOT c.removed "
        "WHERE t.campaign_id = ? AND NOT t.done AND t.due <= ? ORDER BY t.due",
        [campaign_id, by],
    )
    out = [{"kind": "task", "id": r[0], "title": r[1], "due": r[2], "handle": r[3]} for r in tasks]
    dels = store.query(
        """SELECT d.deliverable, d.due, c.handle FROM campaign_deliverables d JOIN campaign_creators c
           ON c.campaign_id = d.campaign_id AND c.account_id = d.account_id AND NOT c.removed
           WHERE d.campaign_id = ? AND d.due <= ? AND c.stage NOT IN ('declined', 'dropped')
           AND NOT EXISTS (SELECT 1 FROM campaign_decisions x WHERE x.campaign_id = d.campaign_id
             AND x.account_id = d.account_id AND x.deliverable = d.deliverable AND x.decision = 'approved')
           ORDER BY d.due""",
        [campaign_id, by],
    )
    out += [
        {"kind": "deliverable", "id": r[0], "title": f"post {r[0]} approved", "due": r[1], "handle": r[2]}
        for r in dels
    ]
    return sorted(out, key=lambda t: t["due"])


def events(store: Store, campaign_id: int) -> list[dict[str, Any]]:
    """The campaign's audit trail, oldest first."""
    load_spec(store, campaign_id)  # an unknown id is an error, not an empty trail
    cols = ("event_id", "happened_at", "actor", "kind", "account_id", "from_stage", "to_stage", "detail")
    rows = store.query(
        f"SELECT {', '.join(cols)} FROM campaign_events WHERE campaign_id = ? ORDER BY event_id",
        [campaign_id],
    )
    return [dict(zip(cols, r, strict=True)) for r in rows]


def set_terms(
    store: Store,
    campaign_id: int,
    who: str,
    *,
    actor: str,
    fee: float | None = None,
    posts: int | None = None,
) -> dict[str, Any]:
    """Record the agreed fee and/or number of posts; posts change only before any draft or match."""
    from covey.campaigns.campaign import due_dates

    if fee is not None and fee < 0:
        raise InputError("the fee cannot be negative", field="fee")
    if posts is not None and posts < 1:
        raise InputError("agreed posts must be at least 1", field="posts")
    spec = load_spec(store, campaign_id)
    with store.transaction() as cur:
        account, handle, _ = _account(cur, campaign_id, who)
        if posts is not None:
            used = cur.execute(
                "SELECT (SELECT count(*) FROM campaign_drafts WHERE campaign_id = ? AND account_id = ?) + "
                "(SELECT count(*) FROM campaign_matches WHERE campaign_id = ? AND account_id = ?)",
                [campaign_id, account, campaign_id, account],
            ).fetchone()
            if used and used[0]:
                raise InputError(
                    f"@{handle} already has drafts or live posts: the number of posts can no longer change",
                    field="posts",
                )
            cur.execute(
                "UPDATE campaign_creators SET posts = ? WHERE campaign_id = ? AND account_id = ? "
                "AND NOT removed",
                [posts, campaign_id, account],
            )
            cur.execute(
                "DELETE FROM campaign_deliverables WHERE campaign_id = ? AND account_id = ?",
                [campaign_id, account],
            )
            for i, due in enumerate(due_dates(spec, posts), start=1):
                cur.execute(
                    "INSERT INTO campaign_deliverables VALUES (?, ?, ?, ?, NULL)",
                    [campaign_id, account, i, due],
                )
        if fee is not None:
            cur.execute(
                "UPDATE campaign_creators SET fee = ? WHERE campaign_id = ? AND account_id = ? "
                "AND NOT removed",
                [fee, campaign_id, account],
            )
        log_event(cur, campaign_id, account, actor, "terms", f"fee {fee}, posts {posts}")
    return {"handle": handle, "fee": fee, "posts": posts}

"""What the campaign pages show: the library's answers (:mod:`covey.campaigns`) shaped for a page.

No decision is made here: each function calls the library and collects its results into one
view model per page. :func:`require_campaign` answers 404 for an id the workspace does not hold
(each workspace is its own database, so another workspace's ids are simply absent).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from fastapi import HTTPException
from pydantic import BaseModel

from covey.errors import InputError
from covey.planning.result import SavedPlanRow
from covey.web.charts import BarChart, bar_chart
from covey.web.deps import WorkspaceAccess

# ---- view models (each page's `.json`) -------------------------------------------------------


class CampaignList(BaseModel):
    """The campaigns of the workspace, and the saved plans a new one can start from."""

    campaigns: list[dict[str, Any]]
    plans: list[SavedPlanRow]


class CreatorRow(BaseModel):
    """One booked creator on the pipeline."""

    account_id: str
    handle: str
    platform: str
    country: str | None
    language: str | None
    stage: str
    allowed: list[str]
    posts: int
    fee: float | None
    card_price: float | None
    card_total: float | None
    fee_vs_card: float | None  # (fee - card price x posts) / (card price x posts)
    contact: str
    notes: list[dict[str, Any]]
    next_due: date | None
    rebook: dict[str, Any]


class CampaignView(BaseModel):
    """A campaign with its outreach pipeline, events, notes, fees and deadlines."""

    campaign: dict[str, Any]
    stages: list[str]
    stage_counts: dict[str, int]
    creators: list[CreatorRow]
    events: list[dict[str, Any]]
    due: list[dict[str, Any]]
    definitions: dict[str, str]


class OutreachView(BaseModel):
    """First-contact messages for the creators still at the first stage."""

    campaign_id: int
    sender: str
    messages: list[dict[str, Any]]


class BriefsView(BaseModel):
    """Every stored brief version; the newest of each brief first."""

    campaign_id: int
    versions: list[dict[str, Any]]


class BriefView(BaseModel):
    """One brief version: its sections (shown as HTML) and the Markdown it was stored as."""

    campaign_id: int
    account_id: str
    version: int
    created_at: str
    actor: str | None
    title: str
    sections: list[tuple[str, list[str]]]
    markdown: str
    versions: list[int]


class ApprovalView(BaseModel):
    """Deliverables with their draft versions, flags and decisions; the audit trail."""

    campaign_id: int
    deliverables: list[dict[str, Any]]
    decisions: list[dict[str, Any]]


class TrackingView(BaseModel):
    """Matched posts and every flag (late, missing, non-compliant ...)."""

    campaign_id: int
    matched: list[dict[str, Any]]
    flags: list[dict[str, Any]]
    flag_counts: dict[str, int]
    definitions: dict[str, str]


class ReportView(BaseModel):
    """The plan-against-actual report (``covey.campaigns.report.build_report``)."""

    report: dict[str, Any]


FLAG_MEANINGS = {
    "late": "published after the deliverable's due date",
    "missing": "due before today and not found",
    "non_compliant": "live post checked again: the disclosure (or a must-say) did not survive",
    "live_without_approval": "live, but no approved draft for that deliverable",
    "matched_twice": "the post is already counted by another campaign: flagged here, not counted twice",
    "extra_post": "more posts than agreed: shown, not counted as a deliverable",
    "not_booked": "an account not booked on the campaign used its hashtag",
}

# ---- lookups -----------------------------------------------------------------------------------


def require_campaign(w: WorkspaceAccess, campaign_id: int) -> None:
    """404 unless this workspace holds the campaign."""
    if not w.store.query("SELECT 1 FROM campaign_campaigns WHERE campaign_id = ?", [campaign_id]):
        raise HTTPException(404, "no such campaign in this workspace")


def campaigns(w: WorkspaceAccess) -> CampaignList:
    """Every campaign, newest first, and the saved plans."""
    from covey.campaigns.campaign import list_campaigns
    from covey.planning.plans import list_plans

    return CampaignList(campaigns=list_campaigns(w.store), plans=list_plans(w.store))


def create_from_plan(w: WorkspaceAccess, plan_id: int, fields: dict[str, Any]) -> int:
    """A campaign booking a saved plan's creators; returns its id."""
    from covey.campaigns.campaign import Spec, bookings_from_plan, create_campaign

    if not w.store.query("SELECT 1 FROM plans WHERE plan_id = ?", [plan_id]):
        raise HTTPException(404, "no such plan in this workspace")
    books, inputs = bookings_from_plan(w.store, plan_id)
    spec = Spec(
        name=fields["name"],
        brand=fields["brand"],
        starts=fields["starts"],
        ends=fields["ends"],
        budget=float(fields["budget"] or inputs.get("budget") or 0),
        currency=str(inputs.get("currency") or "EUR"),
        jurisdictions=tuple(_lines(fields["jurisdictions"], ",")),
        hashtag=fields["hashtag"],
        visual_identifier=fields["visual_identifier"],
        key_messages=tuple(_lines(fields["key_messages"])),
        must_say=tuple(_lines(fields["must_say"])),
        must_not_say=tuple(_lines(fields["must_not_say"])),
        utm_base=fields["utm_base"],
        code_pattern=fields["code_pattern"],
        extra={"brief": str(inputs.get("text") or "")},
    )
    return create_campaign(w.store, spec, books, actor=w.principal.user.email, plan_id=plan_id)


def _lines(text: str, sep: str = "\n") -> list[str]:
    return [x.strip() for x in text.replace("\r", "").split(sep) if x.strip()]


def campaign(w: WorkspaceAccess, campaign_id: int, *, today: date | None = None) -> CampaignView:
    """The campaign page: pipeline, allowed changes, notes, fees against the card, deadlines."""
    from covey.campaigns.campaign import campaign_row, creators
    from covey.campaigns.history import rebook
    from covey.campaigns.pipeline import events, tasks_due, workspace_workflow

    require_campaign(w, campaign_id)
    wf = workspace_workflow(w.store)
    row = campaign_row(w.store, campaign_id)
    trail = events(w.store, campaign_id)
    cs = creators(w.store, campaign_id)
    scores = rebook(w.store, [c["account_id"] for c in cs], today=today)
    due_by = date.fromisoformat(row["ends"])
    deadlines = tasks_due(w.store, campaign_id, due_by)
    rows = []
    for c in cs:
        card = c["card_price"] * c["posts"] if c["card_price"] is not None else None
        mine = [d["due"] for d in deadlines if d["handle"] == c["handle"]]
        rows.append(
            CreatorRow(
                account_id=c["account_id"],
                handle=c["handle"],
                platform=c["platform"],
                country=c["country"],
                language=c["language"],
                stage=c["stage"],
                allowed=list(wf.allowed(c["stage"])),
                posts=c["posts"],
                fee=c["fee"],
                card_price=c["card_price"],
                card_total=card,
                fee_vs_card=(c["fee"] - card) / card if c["fee"] is not None and card else None,
                contact=c["contact"] or "",
                notes=[
                    {"at": str(e["happened_at"]), "actor": e["actor"], "text": e["detail"]}
                    for e in trail
                    if e["kind"] == "note" and e["account_id"] == c["account_id"]
                ],
                next_due=min(mine) if mine else None,
                rebook=scores[c["account_id"]].to_json(),
            )
        )
    handles = {c["account_id"]: c["handle"] for c in creators(w.store, campaign_id, removed=True)}
    for e in trail:
        e["handle"] = handles.get(e["account_id"]) if e["account_id"] else None
        e["happened_at"] = str(e["happened_at"])
    counts = {s: sum(1 for r in rows if r.stage == s) for s in wf.stages}
    return CampaignView(
        campaign=row,
        stages=list(wf.stages),
        stage_counts=counts,
        creators=rows,
        events=list(reversed(trail)),
        due=deadlines,
        definitions={
            "fee against card": "(agreed fee - rate card price x posts) / (rate card price x posts); "
            "positive = above the card",
            "deadlines": "open tasks and posts without an approved version, due by the campaign's end",
            "workflow": wf.source,
        },
    )


def outreach(w: WorkspaceAccess, campaign_id: int, sender: str) -> OutreachView:
    """Drafted first-contact messages (nothing is sent from the web)."""
    from covey.campaigns.outreach import draft_messages

    require_campaign(w, campaign_id)
    msgs = draft_messages(w.store, campaign_id, sender=sender)
    return OutreachView(
        campaign_id=campaign_id,
        sender=sender,
        messages=[
            {"account_id": m.account_id, "handle": m.handle, "to": m.to, "subject": m.subject, "body": m.body}
            for m in msgs
        ],
    )


def outreach_csv(w: WorkspaceAccess, campaign_id: int, sender: str) -> str:
    """The drafted messages as one CSV (a formula-like cell is quoted for spreadsheets)."""
    import csv
    import io

    view = outreach(w, campaign_id, sender)
    buf = io.StringIO()
    out = csv.writer(buf)
    out.writerow(["account_id", "handle", "to", "subject", "body"])
    for m in view.messages:
        out.writerow([_cell(m[k]) for k in ("account_id", "handle", "to", "subject", "body")])
    return buf.getvalue()


def _cell(v: str) -> str:
    # A cell starting with = + - @ would run as a formula in a spreadsheet: prefix a quote.
    return "'" + v if v[:1] in ("=", "+", "-", "@", "\t", "\r") else v


def outreach_eml(w: WorkspaceAccess, campaign_id: int, sender: str, account_id: str) -> bytes:
    """One creator's drafted message as an .eml file."""
    from covey.campaigns.outreach import draft_messages, to_email

    require_campaign(w, campaign_id)
    for m in draft_messages(w.store, campaign_id, sender=sender):
        if m.account_id == account_id:
            return bytes(to_email(m, sender))
    raise HTTPException(404, "no drafted message for this creator (only creators at the first stage get one)")


def briefs(w: WorkspaceAccess, campaign_id: int) -> BriefsView:
    """Every brief version of the campaign."""
    from covey.campaigns.briefs import brief_versions

    require_campaign(w, campaign_id)
    rows = brief_versions(w.store, campaign_id)
    for r in rows:
        r["created_at"] = str(r["created_at"])
    return BriefsView(campaign_id=campaign_id, versions=rows)


def write_briefs(w: WorkspaceAccess, campaign_id: int) -> int:
    """A new version of every brief; returns how many were written."""
    from covey.campaigns.briefs import write_briefs as write

    require_campaign(w, campaign_id)
    return len(write(w.store, campaign_id, actor=w.principal.user.email))


def brief(w: WorkspaceAccess, campaign_id: int, account_id: str, version: int | None) -> BriefView:
    """One stored brief version (the newest unless asked); 404 when there is none."""
    from covey.campaigns.briefs import get_brief, sections_from_markdown

    require_campaign(w, campaign_id)
    try:
        b = get_brief(w.store, campaign_id, account_id, version)
    except InputError as exc:
        raise HTTPException(404, str(exc)) from exc
    title, sections = sections_from_markdown(b["markdown"])
    versions = [
        int(r[0])
        for r in w.store.query(
            "SELECT version FROM campaign_briefs WHERE campaign_id = ? AND account_id = ? ORDER BY 1 DESC",
            [campaign_id, account_id],
        )
    ]
    return BriefView(
        campaign_id=campaign_id,
        account_id=account_id,
        version=int(b["version"]),
        created_at=b["created_at"],
        actor=b["actor"],
        title=title,
        sections=sections,
        markdown=b["markdown"],
        versions=versions,
    )


def brief_file(
    w: WorkspaceAccess, campaign_id: int, account_id: str, version: int | None, kind: str
) -> bytes:
    """A stored brief as a file: Markdown, the standalone HTML page, or PDF."""
    from covey.campaigns.briefs import get_brief, sections_from_markdown

    require_campaign(w, campaign_id)
    try:
        b = get_brief(w.store, campaign_id, account_id, version)
    except InputError as exc:
        raise HTTPException(404, str(exc)) from exc
    if kind == "md":
        return str(b["markdown"]).encode()
    if kind == "html":
        return str(b["html"]).encode()
    from covey.campaigns.pdf import to_pdf

    return to_pdf(*sections_from_markdown(b["markdown"]))[0]


def approval(w: WorkspaceAccess, campaign_id: int) -> ApprovalView:
    """Each deliverable with its versions (newest first), their flags and decisions."""
    from covey.campaigns.approval import decisions, deliverables, drafts

    require_campaign(w, campaign_id)
    versions: dict[tuple[str, int], list[dict[str, Any]]] = {}
    for d in drafts(w.store, campaign_id):
        versions.setdefault((d["account_id"], d["deliverable"]), []).insert(0, d)
    rows = []
    for d in deliverables(w.store, campaign_id):
        vs = versions.get((d["account_id"], d["deliverable"]), [])
        rows.append({**d, "drafts": vs, "latest": vs[0] if vs else None})
    trail = decisions(w.store, campaign_id)
    for t in trail:
        t["decided_at"] = str(t["decided_at"])
    return ApprovalView(campaign_id=campaign_id, deliverables=rows, decisions=trail)


def tracking(w: WorkspaceAccess, campaign_id: int) -> TrackingView:
    """Matched posts and the campaign's flags."""
    from covey.campaigns.insights import latest_insights
    from covey.campaigns.tracking import flag_counts, flags, matched_posts

    require_campaign(w, campaign_id)
    told = latest_insights(w.store, campaign_id)
    matched = matched_posts(w.store, campaign_id)
    for m in matched:
        m["insights"] = told.get(m["post_id"])
    return TrackingView(
        campaign_id=campaign_id,
        matched=matched,
        flags=flags(w.store, campaign_id),
        flag_counts=flag_counts(w.store, campaign_id),
        definitions=FLAG_MEANINGS,
    )


def report(w: WorkspaceAccess, campaign_id: int) -> ReportView:
    """Plan against actual, per creator and in total."""
    from covey.campaigns.report import build_report

    require_campaign(w, campaign_id)
    return ReportView(report=build_report(w.store, campaign_id))


def report_csv(w: WorkspaceAccess, campaign_id: int) -> str:
    """The report as CSV (unknown is an empty cell)."""
    from covey.campaigns.render import to_csv

    return to_csv(report(w, campaign_id).report)


def history(w: WorkspaceAccess, account_id: str) -> dict[str, Any] | None:
    """A creator's campaigns and re-book score; None when never booked."""
    from covey.campaigns.history import creator_history

    if not w.store.query("SELECT 1 FROM campaign_creators WHERE account_id = ?", [account_id]):
        return None
    return creator_history(w.store, account_id)


def rebook_sentence(w: WorkspaceAccess, account_id: str) -> dict[str, Any]:
    """The creator's re-book score for their page (unknown when never booked)."""
    from covey.campaigns.history import rebook

    return rebook(w.store, [account_id])[account_id].to_json()


def report_charts(rep: dict[str, Any]) -> list[BarChart]:
    """The report's charts (``covey.campaigns.render.report_charts``) for the page."""
    from covey.campaigns.render import report_charts as charts

    return [bar_chart(title, labels, series) for title, labels, series in charts(rep)]

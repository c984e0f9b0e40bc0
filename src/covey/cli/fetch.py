"""`covey fetch <platform> ...` and `covey refresh`: creators from the platforms' official APIs."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.table import Table

from covey.cli.common import (
    DEFAULT_DB,
    DbOption,
    JsonOption,
    cli_errors,
    console,
    err_console,
    print_json,
    progress,
)
from covey.errors import InputError, SourceError
from covey.sources import FetchOptions, FetchRequest, FetchSummary, known_fetches, run_fetch
from covey.sources.runner import platform_module
from covey.sources.session import usage_today
from covey.store import Store, open_store

fetch_app = typer.Typer(
    help="Fetch creators through the platforms' official APIs, with your own keys (docs/sources.md).",
    no_args_is_help=True,
)

SinceOption = Annotated[
    datetime | None,
    typer.Option(
        "--since", formats=["%Y-%m-%d"], help="Only posts published on or after this date (YYYY-MM-DD)."
    ),
]
MaxPostsOption = Annotated[int, typer.Option("--max-posts", min=0, help="Newest posts to read (0: all).")]
CommentsOption = Annotated[
    int, typer.Option("--comments", min=0, help="Comments to read per post (0: none).")
]
FollowersOption = Annotated[
    int, typer.Option("--followers", min=0, help="Followers to sample into audience_samples (0: none).")
]
BaseUrlOption = Annotated[
    str | None, typer.Option("--base-url", help="Another host serving the same API (a proxy, a test server).")
]
RestartOption = Annotated[
    bool,
    typer.Option("--restart", help="Start over instead of resuming an interrupted fetch of this account."),
]


def _options(
    since: datetime | None, max_posts: int, comments: int, followers: int, base_url: str | None
) -> FetchOptions:
    return FetchOptions(
        since=since, max_posts=max_posts or None, comments=comments, followers=followers, base_url=base_url
    )


def _run(db: Path, requests: list[FetchRequest], restart: bool, as_json: bool, *, many: bool = False) -> None:
    """Run fetches one after another; print a summary of each (or JSON: one object, or a list if ``many``)."""
    results: list[dict[str, Any]] = []
    failed = 0
    stopped = "interrupted: what was fetched is saved; run the same command again to resume"
    with cli_errors(stopped), open_store(db) as store:
        for request in requests:
            with progress(transient=True) as bar:
                task = bar.add_task(f"{request.platform} {request.target}", total=None)

                def report(
                    what: str, done: int, total: int | None, _task: Any = task, _req: FetchRequest = request
                ) -> None:
                    bar.update(
                        _task,
                        description=f"{_req.platform} {_req.target}: {what}",
                        completed=done,
                        total=total,
                    )

                try:
                    summary = run_fetch(store, request, restart=restart, progress=report)
                except (SourceError, InputError) as exc:  # InputError: e.g. this platform's key is missing
                    if not many:
                        raise
                    failed += 1
                    err_console.print(
                        f"{request.platform} {request.target}: {exc}", highlight=False, markup=False
                    )
                    results.append(
                        {"platform": request.platform, "target": request.target, "error": str(exc)}
                    )
                    continue
            data = summary.to_dict()
            if request.platform == "youtube" and request.options.base_url is None:
                data["http"]["quota_units_today"] = _quota_today(store, summary)
            results.append(data)
            if not as_json:
                _print_summary(summary, data)
    if as_json:
        print_json(results if many else results[0])
    if failed:
        raise typer.Exit(1)


def _unavailable(value: int, flag: str, why: str) -> None:
    """Refuse a flag the platform cannot serve, rather than ignore it silently."""
    if value:
        raise InputError(f"{flag} is not available here: {why}", field=flag.lstrip("-"))


def _quota_today(store: Store, summary: FetchSummary) -> int | None:
    from covey.sources.youtube import config
    from covey.sources.youtube.errors import quota_day

    try:
        return usage_today(store, "youtube", config.api_key().fingerprint, quota_day())
    except InputError:
        return None


def _print_summary(summary: FetchSummary, data: dict[str, Any]) -> None:
    resumed = " (resumed)" if summary.resumed else ""
    out = Table(title=f"fetch {summary.fetch_id}: {summary.platform} {summary.target}{resumed}")
    for name in ("table", "read", "inserted", "updated", "unchanged", "rejected"):
        out.add_column(name, justify="left" if name == "table" else "right")
    for name, counts in summary.tables.items():
        c = counts.to_dict()
        out.add_row(name, *(f"{c[k]:,}" for k in ("read", "inserted", "updated", "unchanged", "rejected")))
    console.print(out)
    http = data["http"]
    line = f"{http['requests']:,} requests, {http['retries']:,} retried, {http['waited_s']:.1f} s waited"
    if summary.platform == "youtube":
        line += f"; {http['quota_units'] or 0:,} YouTube quota units used"
        if http.get("quota_units_today") is not None:
            line += f" ({http['quota_units_today']:,} today of the default 10,000 a day)"
    console.print(line, highlight=False)
    rejected = sum(c.rejected for c in summary.tables.values())
    if rejected:
        console.print(f"{rejected:,} rejected rows written to {', '.join(summary.rejects)}", highlight=False)
    for note in summary.notes:
        console.print(f"note: {note}", highlight=False, markup=False)
    for name, value in summary.insights.items():
        console.print(f"insight {name}: {value}", highlight=False, markup=False)


@fetch_app.command("youtube")
def fetch_youtube(
    channel: Annotated[
        str | None, typer.Option("--channel", help="The channel: @handle or its UC... id.")
    ] = None,
    search: Annotated[
        str | None,
        typer.Option("--search", help="List channels matching words instead (search.list: 100 quota units)."),
    ] = None,
    since: SinceOption = None,
    max_posts: MaxPostsOption = 50,
    comments: CommentsOption = 0,
    followers: FollowersOption = 0,
    base_url: BaseUrlOption = None,
    restart: RestartOption = False,
    db: DbOption = DEFAULT_DB,
    as_json: JsonOption = False,
) -> None:
    """A YouTube channel, its videos with statistics and their comments (API key: COVEY_YOUTUBE_API_KEY)."""
    with cli_errors():
        if bool(channel) == bool(search):
            raise InputError("give either --channel @handle or --search WORDS", field="channel")
        _unavailable(followers, "--followers", "YouTube's API lists no channel's subscribers")
    opts = _options(since, max_posts, comments, 0, base_url)
    if search:
        _search_youtube(db, search, opts, as_json)
        return
    _run(db, [FetchRequest("youtube", str(channel), opts)], restart, as_json)


def _search_youtube(db: Path, words: str, opts: FetchOptions, as_json: bool) -> None:
    """Channels matching ``words``: the one place Covey spends search.list's 100 units."""
    from covey.sources.session import record_usage
    from covey.sources.youtube.client import make_client, search_channels
    from covey.sources.youtube.errors import quota_day

    with cli_errors(), open_store(db) as store:
        client, credential = make_client(opts)
        with client:
            try:
                found = search_channels(client, words, limit=opts.max_posts or 10)
            finally:
                record_usage(store, "youtube", credential, client.stats, quota_day())
        units = client.stats.quota_units
    if as_json:
        print_json({"query": words, "channels": found, "quota_units": units})
        return
    out = Table(title=f"YouTube channels matching '{words}' ({units} quota units)")
    for name in ("channel", "title", "description"):
        out.add_column(name)
    for ch in found:
        out.add_row(ch["channel_id"], ch["title"], (ch["description"] or "")[:80])
    console.print(out)
    console.print("Fetch one with: covey fetch youtube --channel <channel>", highlight=False, markup=False)


@fetch_app.command("instagram")
def fetch_instagram(
    username: Annotated[
        str | None, typer.Option("--username", help="Another professional account (business_discovery).")
    ] = None,
    own: Annotated[
        bool, typer.Option("--own", help="Your own account: media, comments and insights.")
    ] = False,
    since: SinceOption = None,
    max_posts: MaxPostsOption = 50,
    comments: CommentsOption = 0,
    followers: FollowersOption = 0,
    base_url: BaseUrlOption = None,
    restart: RestartOption = False,
    db: DbOption = DEFAULT_DB,
    as_json: JsonOption = False,
) -> None:
    """An Instagram professional account (token: COVEY_INSTAGRAM_TOKEN, COVEY_INSTAGRAM_USER_ID)."""
    with cli_errors():
        if bool(username) == own:
            raise InputError("give either --username NAME or --own", field="username")
        _unavailable(followers, "--followers", "Instagram's API lists no account's followers")
        if comments and not own:
            _unavailable(
                comments, "--comments", "Instagram's API gives comments only on your own media (--own)"
            )
    target = "me" if own else str(username).lstrip("@")
    _run(
        db,
        [FetchRequest("instagram", target, _options(since, max_posts, comments, 0, base_url))],
        restart,
        as_json,
    )


@fetch_app.command("bluesky")
def fetch_bluesky(
    handle: Annotated[str, typer.Argument(help="The handle, e.g. name.bsky.social.")],
    since: SinceOption = None,
    max_posts: MaxPostsOption = 50,
    comments: CommentsOption = 0,
    followers: FollowersOption = 0,
    base_url: BaseUrlOption = None,
    restart: RestartOption = False,
    db: DbOption = DEFAULT_DB,
    as_json: JsonOption = False,
) -> None:
    """A Bluesky account from the public AppView (no key needed)."""
    opts = _options(since, max_posts, comments, followers, base_url)
    _run(db, [FetchRequest("bluesky", handle.lstrip("@"), opts)], restart, as_json)


@fetch_app.command("mastodon")
def fetch_mastodon(
    account: Annotated[str, typer.Argument(help="The account as @user@instance.")],
    since: SinceOption = None,
    max_posts: MaxPostsOption = 50,
    comments: CommentsOption = 0,
    followers: FollowersOption = 0,
    base_url: BaseUrlOption = None,
    restart: RestartOption = False,
    db: DbOption = DEFAULT_DB,
    as_json: JsonOption = False,
) -> None:
    """A Mastodon account on any instance (token optional: COVEY_MASTODON_TOKEN)."""
    opts = _options(since, max_posts, comments, followers, base_url)
    _run(db, [FetchRequest("mastodon", account, opts)], restart, as_json)


@fetch_app.command("tiktok")
def fetch_tiktok(
    since: SinceOption = None,
    max_posts: MaxPostsOption = 50,
    comments: CommentsOption = 0,
    followers: FollowersOption = 0,
    base_url: BaseUrlOption = None,
    restart: RestartOption = False,
    db: DbOption = DEFAULT_DB,
    as_json: JsonOption = False,
) -> None:
    """The TikTok account that authorised your app (Display API; token: COVEY_TIKTOK_TOKEN)."""
    with cli_errors():
        _unavailable(comments, "--comments", "TikTok's Display API gives comment counts, not comments")
        _unavailable(followers, "--followers", "TikTok's Display API lists no followers")
    _run(db, [FetchRequest("tiktok", "me", _options(since, max_posts, 0, 0, base_url))], restart, as_json)


def refresh_command(
    platform: Annotated[
        str | None, typer.Option("--platform", help="Only accounts of this platform.")
    ] = None,
    db: DbOption = DEFAULT_DB,
    as_json: JsonOption = False,
) -> None:
    """Fetch again every account fetched before (same options): a new snapshot for each."""
    with cli_errors():
        if platform is not None:
            platform_module(platform)  # an unknown platform is named as such
    with cli_errors(), open_store(db) as store:
        requests = known_fetches(store, platform)
    if not requests:
        with cli_errors():
            which = f"no {platform} account" if platform else "no account"
            raise InputError(f"{which} was fetched yet: run 'covey fetch <platform> ...' first")
    _run(db, requests, False, as_json, many=True)


def register(app: typer.Typer) -> None:
    """Add `covey fetch ...` and `covey refresh` to the app."""
    app.add_typer(fetch_app, name="fetch")
    app.command("refresh")(refresh_command)

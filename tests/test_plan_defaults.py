"""One set of plan defaults (library, CLI, web form), and the input parsing moved out of the CLI."""

from __future__ import annotations

import dataclasses
import inspect

import pytest
import typer

from covey.errors import InputError
from covey.planning.defaults import PLAN_DEFAULTS, parse_creator_range
from covey.planning.planner import Brief
from covey.planning.sizing import size_campaign
from covey.tiers import DEFAULT_TIERS, parse_tier, parse_tier_bounds


def _cli_default(fn: object, name: str) -> object:
    param = inspect.signature(fn).parameters[name]  # type: ignore[arg-type]
    return param.default.default if isinstance(param.default, typer.models.OptionInfo) else param.default


def test_brief_cli_and_web_form_share_the_defaults() -> None:
    from covey.cli.plan import make, size
    from covey.web.results import PlanForm

    brief = {f.name: f.default for f in dataclasses.fields(Brief)}
    form = PlanForm(brief="x", budget=1)
    for name in ("currency", "frequency", "max_frequency", "min_creators", "max_creators", "max_posts"):
        want = getattr(PLAN_DEFAULTS, name)
        assert brief[name] == want and getattr(form, name) == want, name
    assert brief["objective"] == PLAN_DEFAULTS.objective == _cli_default(make, "objective")
    for name in ("currency", "frequency", "max_frequency", "max_posts"):
        assert _cli_default(make, name) == getattr(PLAN_DEFAULTS, name), name
    assert parse_creator_range(str(_cli_default(make, "creators"))) == (
        PLAN_DEFAULTS.min_creators,
        PLAN_DEFAULTS.max_creators,
    )
    assert _cli_default(size, "share") == PLAN_DEFAULTS.size_share
    assert _cli_default(size, "followers") == PLAN_DEFAULTS.size_followers


def test_creator_range_parsing() -> None:
    assert parse_creator_range("15-30") == (15, 30)
    assert parse_creator_range(" 20 ") == (20, 20)
    assert parse_creator_range("0-5") == (0, 5)
    for bad in ("a-b", "30-15", "0", "1-2-3", ""):
        with pytest.raises(InputError) as info:
            parse_creator_range(bad)
        assert info.value.field == "--creators"


def test_tier_bounds_and_tier_parsing() -> None:
    assert parse_tier_bounds("2_000,50000,400000,900000").bounds == (2000, 50000, 400000, 900000)
    for bad in ("1,2,3", "5,4,3,2", "a,b,c,d"):
        with pytest.raises(InputError) as info:
            parse_tier_bounds(bad)
        assert info.value.field == "--tier-bounds"
    assert parse_tier("Micro") == "micro" and parse_tier("any") is None
    with pytest.raises(InputError):
        parse_tier("giant", DEFAULT_TIERS)


def test_size_campaign_prices_and_states_its_assumptions() -> None:
    sized = size_campaign(100_000, 3, 0.3)
    out = sized.to_dict()
    a = out["assumptions"]
    assert a["tier"] == "micro" and a["platform"] == PLAN_DEFAULTS.size_platform and a["price_per_post"] > 0
    assert [r["posts_per_creator"] for r in out["rows"]] == list(range(1, PLAN_DEFAULTS.max_posts + 1))
    for r in sized.rows:
        if r.creators:
            assert r.posts == r.creators * r.posts_per_creator
            assert r.cost == pytest.approx(r.posts * sized.price_per_post)
            assert r.share_reached >= 0.3
    # More posts per creator never need more creators.
    counts = [r.creators for r in sized.rows if r.creators]
    assert counts == sorted(counts, reverse=True)
    with pytest.raises(InputError):
        size_campaign(0)

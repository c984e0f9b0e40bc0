"""Rate card, overrides and feasibility messages."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from covey.errors import InputError
from covey.planning.feasibility import InfeasiblePlanError, check
from covey.planning.greedy import Constraints
from covey.planning.ratecard import load_rate_card


def test_default_card_prices_by_platform_tier_and_engagement() -> None:
    card = load_rate_card()
    cost, notes = card.prices(
        ["a", "b", "c"],
        ["ha", "hb", "hc"],
        ["instagram", "tiktok", None],
        ["micro", "micro", "micro"],
        np.array([0.03, 0.12, np.nan]),
    )
    assert cost[0] == pytest.approx(card.base("instagram", "micro"))
    # Four times the typical engagement: sqrt(4) = 2, capped at 1.8.
    assert cost[1] == pytest.approx(card.base("tiktok", "micro") * card.max_multiplier)
    assert cost[2] == pytest.approx(card.base(None, "micro"))
    assert "engagement" in notes[0]


def test_overrides_quoted_fee_and_product_only(tmp_path: Path) -> None:
    text = (Path(__file__).parents[1] / "src/covey/planning/ratecard.toml").read_text()
    text += '\n[overrides."acct:1"]\nfee = 420\n'
    text += "\n[overrides.gift_handle]\nproduct_only = true\nproduct_value = 80\n"
    path = tmp_path / "card.toml"
    path.write_text(text)
    card = load_rate_card(path)
    cost, notes = card.prices(
        ["acct:1", "acct:2"], [None, "gift_handle"], ["instagram"] * 2, ["micro"] * 2, np.array([0.03, 0.03])
    )
    assert cost.tolist() == [420.0, 0.0]
    assert notes[1].startswith("product only")


def test_bad_card_is_an_input_error(tmp_path: Path) -> None:
    path = tmp_path / "card.toml"
    path.write_text("[cost_per_post.instagram]\nmicro = 1\n")
    with pytest.raises(InputError, match="default"):
        load_rate_card(path)


def cons(budget: float, cost: list[float], max_posts: int = 3, max_creators: int = 30) -> Constraints:
    n = len(cost)
    return Constraints(budget, np.array(cost), np.full(n, max_posts), max_creators)


def test_budget_too_small_for_one_post_says_what_would_do() -> None:
    with pytest.raises(InfeasiblePlanError, match=r"raise --budget to at least 300"):
        check(cons(100, [300, 500]), ["@a", "@b"], 3, 5, "EUR")


def test_frequency_window_out_of_reach() -> None:
    with pytest.raises(InfeasiblePlanError, match=r"--max-posts 3 or more"):
        check(cons(10_000, [100, 100], max_posts=1), ["@a", "@b"], 5, 6, "EUR")
    with pytest.raises(InfeasiblePlanError, match=r"buys only 2 posts"):
        check(cons(250, [100, 100, 100]), ["@a", "@b", "@c"], 3, 5, "EUR")
    with pytest.raises(InfeasiblePlanError, match=r"--max-frequency must be at least"):
        check(cons(1000, [100]), ["@a"], 4, 3, "EUR")


def test_no_candidates() -> None:
    with pytest.raises(InfeasiblePlanError, match=r"--candidates FILE"):
        check(cons(1000, []), [], 3, 5, "EUR")

"""How close can any model come at 3+ without knowing each creator's reach rate?

On the sample world each account's true organic reach rate is its platform-and-tier rate times a
private log-normal factor (``covey.world.creators``: ``lognormal(0, 0.25)``, clipped to
0.01-0.9) that nothing observable depends on: not the followers, the likes, the comments nor
the views. The planner therefore chooses creators without any information about that factor, and
the world's realised factors are one draw among many equally likely ones. For one plan this module
redraws the factors ``draws`` times on the world's *true* audiences (exact Poisson-binomial
reach, ``reach.exposure_distribution``), which gives the spread of the true 3+ reach that
the missing rate information alone leaves. From it:

- ``ceiling``: the largest share of draws that one fixed prediction c can put within ±25 %
  (``0.75 T <= c <= 1.25 T``): no rate-blind model, however good its audiences, can expect to
  be within ±25 % of this plan's truth more often;
- ``model_within``: the share of draws within ±25 % of the planner's own prediction, the
  expected value of the evaluation's 0/1 "within ±25 %" for this plan (smoother than the one
  draw the world holds);
- ``median``: the draws' median true 3+ reach, and ``model_vs_median`` the prediction against it.

It reads the world's truth and the generator's rate table: a benchmark, never part of the model.
Used by ``planning_eval.py --unseen ... --rate-draws N``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import duckdb
import numpy as np
import pyarrow as pa

from covey.planning.reach import Panel, exposure_distribution
from covey.world.engagement import REACH_RATES

WITHIN = 0.25
FACTOR_SD = 0.25  # covey.world.creators: the private factor's log-sd
CLIP = (0.01, 0.9)


def table_rates(world: Path, account_ids: list[str]) -> np.ndarray:
    """The generator's platform-and-tier reach rate of each account (NaN when not in the world)."""
    con = duckdb.connect()
    con.register("want", pa.table({"account_id": account_ids, "i": np.arange(len(account_ids))}))
    rows = con.sql(
        f"""SELECT a.platform, a.tier FROM want w
            LEFT JOIN '{world}/truth/accounts.parquet' a USING (account_id) ORDER BY w.i"""
    ).fetchall()
    return np.array(
        [REACH_RATES[p][t] if p in REACH_RATES and t else np.nan for p, t in rows], dtype=np.float64
    )


def best_window_share(truths: np.ndarray, within: float = WITHIN) -> float:
    """The largest share of ``truths`` that one value c can hold within ±``within`` of each.

    ``|c / T - 1| <= w`` is ``log T`` in ``[log c - log(1 + w), log c - log(1 - w)]``: a window
    of fixed width in log space, so the best c is found by sliding that window over the sorted
    log truths.
    """
    t = np.sort(np.log(truths[truths > 0]))
    if t.size == 0:
        return float("nan")
    width = np.log(1 + within) - np.log(1 - within)
    ends = np.searchsorted(t, t + width, side="right")
    return float((ends - np.arange(t.size)).max() / truths.size)


def rate_blind(
    truth: Panel, table: np.ndarray, posts: np.ndarray, predicted: float, draws: int, seed: int
) -> dict[str, Any]:
    """True 3+ reach of ``posts`` over ``draws`` redraws of the private rate factors."""
    rng = np.random.default_rng(seed)
    base = np.nan_to_num(table)
    got = np.empty(draws)
    for k in range(draws):
        rates = np.clip(base * rng.lognormal(0.0, FACTOR_SD, base.size), *CLIP)
        got[k] = exposure_distribution(truth, rates, posts, 10).reach_at(3)
    median = float(np.median(got))
    return {
        "draws": draws,
        "ceiling": best_window_share(got),
        "model_within": float(np.mean(np.abs(predicted / np.maximum(got, 1e-9) - 1) <= WITHIN)),
        "median": median,
        "model_vs_median": predicted / median - 1 if median > 0 else None,
        "p10_p90": [float(np.quantile(got, 0.1)), float(np.quantile(got, 0.9))],
    }


def summary(rows: list[dict[str, Any]]) -> dict[str, Any]:
    """Means of the per-plan ceilings and expected shares, overall and by list kind."""
    out: dict[str, Any] = {}
    groups = {
        "all": rows,
        "world_wide": [r for r in rows if r["country"] is None],
        "one_country": [r for r in rows if r["country"] is not None],
    }
    for name, group in groups.items():
        have = [r["plan"]["rate_blind"] for r in group if "rate_blind" in r["plan"]]
        if have:
            out[name] = {
                "plans": len(have),
                "ceiling_mean": float(np.mean([h["ceiling"] for h in have])),
                "model_within_mean": float(np.mean([h["model_within"] for h in have])),
                "median_abs_model_vs_median": float(
                    np.median([abs(h["model_vs_median"]) for h in have if h["model_vs_median"] is not None])
                ),
            }
    return out

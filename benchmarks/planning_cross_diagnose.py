"""Multi-country lists: is the 3+ miss the audience model's or the reach rates'?

    PYTHONPATH=src:benchmarks .venv/bin/python benchmarks/planning_cross_diagnose.py --world 1800:83

For a world's most common micro niche, every country (the world-wide case of
``planning_unseen._cases``), the planner makes its plans at 5,000 / 20,000 / 100,000 EUR, and
their 1+ and 3+ reach is computed on

- ``model``: the planner's model as it is (prior reach rates with their spread);
- ``+rates``: the same audience model with each creator's true reach rate (no spread);
- ``oracle``: the segment model drawn from the world's true audiences, true within-segment
  overlaps (N_g = sum a_i a_j / sum O_ij) and true cross-country rate (mu_x likewise), with
  the cross share phi those rates imply, and true rates: the model's structure alone;
- ``no cross``: the same without cross draws (each country's people apart);

each against the exact reach on the world's true audiences and rates. Reads the world's truth:
a benchmark, never part of the model.
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import replace
from pathlib import Path

import duckdb
import numpy as np
import scipy.sparse as sp

sys.path.insert(0, str(Path(__file__).resolve().parent))

from planning_eval import prepare, truth_panel
from planning_unseen import _cases

from covey.planning.planner import Brief, build_model, identifiers_table, make_plan
from covey.planning.ratecard import load_rate_card
from covey.planning.reach import exposure_distribution
from covey.planning.segments import Segments, niche_shares, virtual_panel
from covey.planning.session import gather
from covey.store import DuckDBStore

BUDGETS = (5_000.0, 20_000.0, 100_000.0)


def main() -> None:
    """Print the ladder for one world given as creators:seed."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--world", default="1800:83")
    ap.add_argument("--root", type=Path, default=Path("/tmp/covey-cross-diagnose"))
    args = ap.parse_args()
    creators, seed = (int(x) for x in args.world.split(":"))
    args.root.mkdir(parents=True, exist_ok=True)
    world, db = prepare(creators, seed, args.root)
    niche = _cases(world)[0][0]
    cfile = args.root / f"cross-{niche}.csv"
    src = f"{world}/truth/accounts.parquet"
    duckdb.sql(
        f"COPY (SELECT account_id, niche FROM '{src}' WHERE niche = '{niche}' AND tier = 'micro') "
        f"TO '{cfile}' (HEADER)"
    )
    base = Brief(text=niche, budget=BUDGETS[0], niche=niche)
    with DuckDBStore(db, read_only=True) as store:
        cands, n_c, _ = gather(store, base, cfile, None)
        model = build_model(cands, identifiers_table(store, cands.account_id), base)
    truth, true_rates, _ = truth_panel(world, cands.account_id)
    segs = model.segments
    assert segs.group_of is not None
    # True overlaps O_ij (people), from the truth's memberships.
    owner = np.repeat(np.arange(len(cands)), np.diff(truth.indptr))
    m = sp.csr_matrix((np.ones(owner.size), (owner, truth.indices)), shape=(len(cands), truth.n_people))
    o = (m @ m.T).toarray() * float(truth.weight[0]) if truth.n_people else np.zeros((len(cands),) * 2)
    a = np.diag(o).copy()
    true_cands = replace(
        cands, real_share=np.where(a > 0, a / np.maximum(cands.followers, 1), cands.real_share)
    )
    seg, grp = segs.of_creator, segs.group_of[segs.of_creator]
    i, j = np.triu_indices(len(cands), 1)
    aa, oo = a[i] * a[j], o[i, j]
    same = seg[i] == seg[j]
    n_g, n_x = len(segs.keys), int(segs.group_of.max()) + 1
    num = np.bincount(seg[i][same], weights=oo[same], minlength=n_g)
    den = np.bincount(seg[i][same], weights=aa[same], minlength=n_g)
    lam = np.where(num > 0, num / np.maximum(den, 1e-300), 1.0 / segs.size)
    across = ~same & (grp[i] == grp[j])
    mu = np.bincount(grp[i][across], weights=oo[across], minlength=n_x) / np.maximum(
        np.bincount(grp[i][across], weights=aa[across], minlength=n_x), 1e-300
    )
    phi = niche_shares(lam, segs.group_of, mu)
    oracle_segs = Segments(
        segs.keys, seg, 1.0 / lam, segs.pairs_seen, segs.from_overlaps, None, segs.group_of, mu, None, phi
    )
    print(
        f"{niche}, {n_c} candidates in {n_g} segments; cross share phi model {segs.phi}, truth's rates {phi}"
    )
    tgt = model.target_segments
    ladder = [
        ("model", model.panel, cands.rate),
        ("+rates", replace(model.panel, factor=None), true_rates),
        ("oracle", virtual_panel(true_cands, oracle_segs, tgt, seed=0, rate_spread=0.0), true_rates),
        (
            "no cross",
            virtual_panel(true_cands, oracle_segs, tgt, seed=0, rate_spread=0.0, cross_share=0.0),
            true_rates,
        ),
    ]
    card = load_rate_card()
    for budget in BUDGETS:
        posts = make_plan(model, replace(base, budget=budget), card, np.arange(len(cands)) < n_c,
                          np.zeros(0, np.int64), curve=False).result.posts  # fmt: skip
        true = exposure_distribution(truth, true_rates, posts, 10)
        chosen = posts > 0
        log_ratio = np.log(true_rates[chosen] / cands.rate[chosen])
        got = [(name, exposure_distribution(p, r, posts, 10)) for name, p, r in ladder]
        print(
            f"{budget:>9,.0f} EUR, {int(chosen.sum())} creators (true rate / prior: log mean "
            f"{log_ratio.mean():+.2f}): "
            + "  ".join(
                f"{name} 1+ {rep.reach_at(1) / true.reach_at(1) - 1:+.0%} "
                f"3+ {rep.reach_at(3) / true.reach_at(3) - 1:+.0%}"
                for name, rep in got
            ),
            flush=True,
        )


if __name__ == "__main__":
    main()

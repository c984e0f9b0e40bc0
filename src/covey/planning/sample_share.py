"""Real-audience share from an account's own follower sample, where vetting has not scored it.

The planner's real audience is followers x real-audience share. The share comes from the
candidate file, else the latest vetting run (``covey score``), else, until issue #9, the prior
0.70 (SRF Data's 2017 audit). But the follower sample the overlaps are built from is already
in the store: the share of sampled followers that look like real people (fewer than two of
the domain's fake-profile signals, ``overlap.FAKE_SIGNALS``) is an estimate of the account's
own real share, the "audience credibility" the vendors report (Modash: fake % = 1 -
credibility). It is used, with ``MIN_SAMPLE`` sampled followers or more, before the prior.

Measured on the tuning world (1,500 creators, seed 71; 1,459 micro accounts with 200
sampled followers each): mean absolute error of the real share 0.047 from the sample
against 0.165 from the 0.70 prior. The profile rule is not calibrated (it keeps most real
people and lets some bots through; the two errors partly cancel near the usual shares), so
the intervals give it a shared and a binomial spread (``covey.planning.intervals``).
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pyarrow as pa

from covey.planning.candidates import Candidates
from covey.planning.overlap import FAKE_SIGNALS
from covey.store import Store

MIN_SAMPLE = 30  # sampled followers needed before the sample's share replaces the prior
SOURCE = "follower sample"


def sample_counts(store: Store, account_ids: list[str]) -> dict[str, tuple[int, int]]:
    """account_id -> (sampled followers, of which real-looking), for accounts with a sample."""
    if not account_ids:
        return {}
    wanted = pa.table({"account_id": pa.array(account_ids, pa.string())})
    got = store.sql(
        f"""SELECT s.account_id, count(*) AS n, sum(({FAKE_SIGNALS} < 2)::INT) AS real_looking
            FROM audience_samples s WHERE s.account_id IN (SELECT account_id FROM wanted)
            GROUP BY 1""",
        wanted=wanted,
    )
    ids = got.column("account_id").to_pylist()
    n = got.column("n").to_pylist()
    real = got.column("real_looking").to_pylist()
    return {str(a): (int(x), int(r or 0)) for a, x, r in zip(ids, n, real, strict=True)}


def with_sample_shares(cands: Candidates, counts: dict[str, tuple[int, int]]) -> Candidates:
    """The candidates with the sample's real-looking share where the share was only the prior."""
    source = np.array(cands.real_share_source or ["prior"] * len(cands), dtype=object)
    got = np.array([counts.get(a, (0, 0)) for a in cands.account_id], dtype=np.float64).reshape(-1, 2)
    use = (source == "prior") & (got[:, 0] >= MIN_SAMPLE)
    share = np.where(use, got[:, 1] / np.maximum(got[:, 0], 1.0), cands.real_share)
    source[use] = SOURCE
    return replace(cands, real_share=share, real_share_source=[str(x) for x in source])

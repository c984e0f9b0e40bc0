"""Exact optimum of the scenario surrogate with a MILP (HiGHS), for small instances.

Variables: y[c, t] = 1 when creator c makes its (t+1)-th post (y[c, t] <= y[c, t-1]), and
u[j, s] = min(X_js, k) for each target person j and scenario s, where X_js counts the posts
that reach j in scenario s (the draws of :class:`ScenarioCoverage`). Maximise
sum_j w_j / S sum_s u[j, s] under the budget, the creator count, must-include and the
per-group caps. Same objective and constraints as the greedy sees, so the ratio is fair.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass

import highspy
import numpy as np

from covey.planning.greedy import Constraints
from covey.planning.objective import ScenarioCoverage
from covey.planning.reach import FloatArray, IntArray, Panel
from covey.planning.window import Goal

log = logging.getLogger("covey.planning.milp")


@dataclass(frozen=True)
class MilpResult:
    """The MILP's plan, its objective, the solver's proven bound and status."""

    posts: IntArray
    value: float
    bound: float
    status: str
    seconds: float

    @property
    def optimal(self) -> bool:
        return self.status == "Optimal"


def solve_milp(obj: ScenarioCoverage, cons: Constraints, *, time_limit: float = 120.0) -> MilpResult:
    """Solve the scenario surrogate exactly (up to HiGHS's default 1e-4 relative gap)."""
    started = time.perf_counter()
    panel = obj.panel
    n_c = len(panel.creators)
    caps = np.minimum(cons.max_posts, obj.max_posts).astype(np.int64)
    col_of = np.full((n_c, obj.max_posts), -1, dtype=np.int64)
    mask = np.arange(obj.max_posts)[None, :] < caps[:, None]
    col_of[mask] = np.arange(int(mask.sum()))
    n_y = int(mask.sum())
    people = np.flatnonzero(obj.tw > 0)
    row_of = np.full(panel.n_people, -1, dtype=np.int64)
    row_of[people] = np.arange(people.size)
    n_s = obj.n_scenarios
    n_u = people.size * n_s

    # Coverage rows u[j, s] - sum of hitting y[c, t] <= 0, built from the drawn hits at once.
    owner = np.repeat(np.arange(n_c), np.diff(panel.indptr))
    e, t, s = np.nonzero(obj.hits)
    col = col_of[owner[e], t]
    rj = row_of[panel.indices[e]]
    keep = (col >= 0) & (rj >= 0)
    cov_rows = rj[keep] * n_s + s[keep]
    cov_cols = col[keep]
    rows: list[np.ndarray] = [np.arange(n_u), cov_rows]
    cols: list[np.ndarray] = [n_y + np.arange(n_u), cov_cols]
    vals: list[np.ndarray] = [np.ones(n_u), -np.ones(cov_rows.size)]
    lower: list[float] = [-np.inf] * n_u
    upper: list[float] = [0.0] * n_u
    r = int(n_u)

    def add_row(idx: np.ndarray, coef: np.ndarray, lo: float, hi: float) -> None:
        nonlocal r
        rows.append(np.full(idx.size, r))
        cols.append(idx)
        vals.append(coef)
        lower.append(lo)
        upper.append(hi)
        r += 1

    ys = np.flatnonzero(mask.ravel())
    y_owner = ys // obj.max_posts
    add_row(np.arange(n_y), cons.cost[y_owner].astype(np.float64), -np.inf, cons.budget)
    first = col_of[caps > 0, 0]
    add_row(first, np.ones(first.size), float(cons.min_creators), float(cons.max_creators))
    for cc in np.flatnonzero(caps > 1):
        for tt in range(1, int(caps[cc])):
            add_row(np.array([col_of[cc, tt], col_of[cc, tt - 1]]), np.array([1.0, -1.0]), -np.inf, 0.0)
    if cons.group is not None and cons.max_per_group is not None:
        for g in np.unique(cons.group[caps > 0]):
            members = col_of[(cons.group == g) & (caps > 0), 0]
            add_row(members, np.ones(members.size), -np.inf, float(cons.max_per_group))

    all_rows, all_cols, all_vals = np.concatenate(rows), np.concatenate(cols), np.concatenate(vals)
    order = np.lexsort((all_cols, all_rows))
    lp = highspy.HighsLp()
    lp.num_col_ = n_y + n_u
    lp.num_row_ = r
    w = obj.tw[people] / n_s
    lp.col_cost_ = np.concatenate((np.zeros(n_y), np.repeat(w, n_s)))
    y_lower = np.zeros(n_y)
    for c in cons.must:
        if caps[c] > 0:
            y_lower[col_of[c, 0]] = 1.0
    lp.col_lower_ = np.concatenate((y_lower, np.zeros(n_u)))
    lp.col_upper_ = np.concatenate((np.ones(n_y), np.full(n_u, float(obj.k))))
    lp.row_lower_ = np.array(lower)
    lp.row_upper_ = np.array(upper)
    lp.sense_ = highspy.ObjSense.kMaximize
    lp.a_matrix_.format_ = highspy.MatrixFormat.kRowwise
    lp.a_matrix_.start_ = np.concatenate(([0], np.cumsum(np.bincount(all_rows, minlength=r))))
    lp.a_matrix_.index_ = all_cols[order]
    lp.a_matrix_.value_ = all_vals[order]
    lp.integrality_ = [highspy.HighsVarType.kInteger] * n_y + [highspy.HighsVarType.kContinuous] * n_u
    h = highspy.Highs()  # type: ignore[no-untyped-call]
    h.silent()
    h.setOptionValue("time_limit", float(time_limit))
    h.setOptionValue("threads", 1)
    h.passModel(lp)
    h.run()
    status = h.modelStatusToString(h.getModelStatus())
    x = np.asarray(h.getSolution().col_value)
    posts = np.zeros(n_c, dtype=np.int64)
    if x.size:
        np.add.at(posts, y_owner, np.round(x[:n_y]).astype(np.int64))
    info = h.getInfo()
    value = float(info.objective_function_value)
    bound = float(info.mip_dual_bound)
    seconds = time.perf_counter() - started
    log.info(
        "milp: %s value %.2f bound %.2f in %.1fs (%d cols, %d rows)",
        status,
        value,
        bound,
        seconds,
        lp.num_col_,
        r,
    )
    return MilpResult(posts, value, bound, status, seconds)


@dataclass(frozen=True)
class GoalMilpResult(MilpResult):
    """The exact optimum of a frequency goal on drawn scenarios, and how to score any plan on them."""

    scenarios: ScenarioCoverage | None = None
    goal: Goal | None = None

    def value_of(self, posts: IntArray) -> float:
        """The goal's sample-average value of a plan on the same drawn scenarios."""
        assert self.scenarios is not None and self.goal is not None
        sc, goal = self.scenarios, self.goal
        count = np.zeros((sc.panel.n_people, sc.n_scenarios), dtype=np.int64)
        for c in np.flatnonzero(posts).tolist():
            m, sl = sc.panel.members(c), slice(int(sc.panel.indptr[c]), int(sc.panel.indptr[c + 1]))
            count[m] += sc.hits[sl, : int(posts[c]), :].sum(axis=1)
        k = 1 if goal.kind == "reach1" else goal.k
        ok = count >= k
        if goal.kind == "window":
            ok &= count <= goal.high
        return float((ok.sum(axis=1) * sc.tw).sum()) / sc.n_scenarios


def solve_goal_milp(
    panel: Panel,
    rates: FloatArray,
    goal: Goal,
    cons: Constraints,
    *,
    n_scenarios: int = 3,
    seed: int = 0,
    time_limit: float = 120.0,
) -> GoalMilpResult:
    """Exact optimum of people reached k..K times (or k+, or 1+) averaged over drawn scenarios.

    z[j, s] = 1 when person j is reached within the window in scenario s: k z <= X_js and,
    for the window, X_js <= K + M (1 - z) with M the most posts that can reach j in s. Only
    for comparison (benchmarks): its time limit is a clock, the planner never calls it.
    """
    started = time.perf_counter()
    max_posts = int(cons.max_posts.max()) if cons.max_posts.size else 1
    sc = ScenarioCoverage(panel, rates, 1, max_posts, n_scenarios, seed)
    n_c = len(panel.creators)
    caps = np.minimum(cons.max_posts, max_posts).astype(np.int64)
    col_of = np.full((n_c, max_posts), -1, dtype=np.int64)
    mask = np.arange(max_posts)[None, :] < caps[:, None]
    col_of[mask] = np.arange(int(mask.sum()))
    n_y = int(mask.sum())
    people = np.flatnonzero(sc.tw > 0)
    row_of = np.full(panel.n_people, -1, dtype=np.int64)
    row_of[people] = np.arange(people.size)
    n_z = people.size * n_scenarios
    k = 1 if goal.kind == "reach1" else goal.k
    owner = np.repeat(np.arange(n_c), np.diff(panel.indptr))
    e, t, s = np.nonzero(sc.hits)
    col = col_of[owner[e], t]
    rj = row_of[panel.indices[e]]
    keep = (col >= 0) & (rj >= 0)
    zrow, ycol = rj[keep] * n_scenarios + s[keep], col[keep]
    reach_max = np.bincount(zrow, minlength=n_z)
    h = highspy.Highs()  # type: ignore[no-untyped-call]
    h.silent()
    h.setOptionValue("time_limit", float(time_limit))
    h.setOptionValue("threads", 1)
    inf = highspy.kHighsInf
    w = np.repeat(sc.tw[people] / n_scenarios, n_scenarios)
    h.addVars(n_y + n_z, np.zeros(n_y + n_z), np.ones(n_y + n_z))
    h.changeColsCost(n_y + n_z, np.arange(n_y + n_z, dtype=np.int32), np.concatenate((np.zeros(n_y), w)))
    h.changeColsIntegrality(
        n_y + n_z, np.arange(n_y + n_z, dtype=np.int32), np.full(n_y + n_z, highspy.HighsVarType.kInteger)
    )
    for c in cons.must:
        if caps[c] > 0:
            h.changeColBounds(int(col_of[c, 0]), 1.0, 1.0)
    order = np.argsort(zrow, kind="stable")
    zrow, ycol = zrow[order], ycol[order]
    starts = np.searchsorted(zrow, np.arange(n_z + 1))
    for r in range(n_z):  # k z - X <= 0 and, for the window, X + M z <= K + M
        ys = ycol[starts[r] : starts[r + 1]]
        idx = np.concatenate(([n_y + r], ys)).astype(np.int32)
        h.addRow(-inf, 0.0, idx.size, idx, np.concatenate(([float(k)], -np.ones(ys.size))))
        big = int(reach_max[r]) - goal.high
        if goal.kind == "window" and big > 0:
            h.addRow(
                -inf, float(goal.high + big), idx.size, idx, np.concatenate(([float(big)], np.ones(ys.size)))
            )
    ys = np.flatnonzero(mask.ravel())
    y_owner = ys // max_posts
    h.addRow(-inf, cons.budget, n_y, np.arange(n_y, dtype=np.int32), cons.cost[y_owner].astype(np.float64))
    first = col_of[caps > 0, 0].astype(np.int32)
    h.addRow(float(cons.min_creators), float(cons.max_creators), first.size, first, np.ones(first.size))
    for cc in np.flatnonzero(caps > 1):
        for tt in range(1, int(caps[cc])):
            pair = np.array([col_of[cc, tt], col_of[cc, tt - 1]], dtype=np.int32)
            h.addRow(-inf, 0.0, 2, pair, np.array([1.0, -1.0]))
    if cons.group is not None and cons.max_per_group is not None:
        for g in np.unique(cons.group[caps > 0]):
            members = col_of[(cons.group == g) & (caps > 0), 0].astype(np.int32)
            h.addRow(-inf, float(cons.max_per_group), members.size, members, np.ones(members.size))
    h.changeObjectiveSense(highspy.ObjSense.kMaximize)
    h.run()
    status = h.modelStatusToString(h.getModelStatus())
    x = np.asarray(h.getSolution().col_value)
    posts = np.zeros(n_c, dtype=np.int64)
    if x.size:
        np.add.at(posts, y_owner, np.round(x[:n_y]).astype(np.int64))
    info = h.getInfo()
    seconds = time.perf_counter() - started
    log.info("goal milp: %s value %.2f bound %.2f in %.1fs", status, info.objective_function_value,
             info.mip_dual_bound, seconds)  # fmt: skip
    return GoalMilpResult(
        posts, float(info.objective_function_value), float(info.mip_dual_bound), status, seconds, sc, goal
    )

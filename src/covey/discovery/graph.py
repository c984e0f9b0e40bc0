"""Graph clustering for micro-communities: Louvain modularity in numpy, deterministic.

Nodes move to the neighbouring community with the best modularity gain, many per round but
never two whose moves spoil each other's gains (so nodes never swap back and forth); then
communities become nodes and it repeats. Edges are undirected and listed once each.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float64]

# Modularity's null model scales with the whole graph: with links weighing m in all, it merges two
# groups joined by one link whenever the product of their link totals is below 2m / resolution (the
# resolution limit), so the more accounts, the coarser the groups; on the sample world resolution 1
# gives groups of ~70 accounts of mixed niches. The resolution 2m / GROUP_LINKS^2 holds that
# product at GROUP_LINKS^2 whatever the number of accounts (so --niche subsets are resolved as
# finely as all accounts), and never goes below plain modularity (1), which small graphs keep.
# 50 gives groups of ~8 micro accounts at 200-profile samples (docs/discovery.md).
GROUP_LINKS = 50.0
MAX_ROUNDS = 200  # local-move rounds per Louvain level (they stop earlier when nothing moves)
MIN_GAIN = 1e-12  # smallest modularity gain that counts as a move (float noise below)


def modularity(
    labels: IntArray, src: IntArray, dst: IntArray, weight: FloatArray, resolution: float = 1.0
) -> float:
    """Newman's modularity of a partition of an undirected weighted graph (edges listed once)."""
    m = float(weight.sum())
    if m <= 0:
        return 0.0
    n = int(labels.max()) + 1
    tot = np.bincount(labels[src], weights=weight, minlength=n) + np.bincount(
        labels[dst], weights=weight, minlength=n
    )
    inside = float(weight[labels[src] == labels[dst]].sum())
    return inside / m - resolution * float((tot**2).sum()) / (4.0 * m * m)


def resolution_for(weight: FloatArray) -> float:
    """Modularity resolution for a graph with these link weights (see ``GROUP_LINKS``)."""
    return max(1.0, 2.0 * float(weight.sum()) / GROUP_LINKS**2)


def louvain(n: int, src: IntArray, dst: IntArray, weight: FloatArray, *, resolution: float = 1.0) -> IntArray:
    """Community of each of ``n`` nodes by Louvain modularity clustering (deterministic).

    Edges are undirected, listed once each (``src[i]``, ``dst[i]``, ``weight[i]``); isolated nodes
    stay alone. Communities are connected (a group Louvain leaves in pieces is split).
    """
    node_of = np.arange(n, dtype=np.int64)
    u, v, w = src.astype(np.int64), dst.astype(np.int64), weight.astype(np.float64)
    loops = np.bincount(u[u == v], weights=w[u == v], minlength=n).astype(np.float64)
    u, v, w = u[u != v], v[u != v], w[u != v]
    size = n
    while len(w):
        part = _move_nodes(size, u, v, w, loops, resolution)
        _, part = np.unique(part, return_inverse=True)
        k = int(part.max()) + 1
        if k == size:
            break
        # Each community becomes a node: its inside weight a self-loop, its outside links summed.
        node_of = part[node_of]
        pu, pv = part[u], part[v]
        inside = pu == pv
        loops = (
            np.bincount(part, weights=loops, minlength=k)
            + np.bincount(pu[inside], weights=w[inside], minlength=k)
        ).astype(np.float64)
        key = np.minimum(pu, pv)[~inside] * k + np.maximum(pu, pv)[~inside]
        uniq, inv = np.unique(key, return_inverse=True)
        u, v, size = uniq // k, uniq % k, k
        w = np.bincount(inv, weights=w[~inside]).astype(np.float64)
    return _connected_parts(node_of, src.astype(np.int64), dst.astype(np.int64))


def _move_nodes(
    n: int, u: IntArray, v: IntArray, w: FloatArray, loops: FloatArray, resolution: float
) -> IntArray:
    """Louvain's local moves on one level; returns each node's community."""
    labels = np.arange(n, dtype=np.int64)
    strength = np.bincount(u, weights=w, minlength=n) + np.bincount(v, weights=w, minlength=n) + 2 * loops
    m = float(w.sum() + loops.sum())
    eu, ev, ew = np.concatenate([u, v]), np.concatenate([v, u]), np.concatenate([w, w])
    for _ in range(MAX_ROUNDS):
        tot = np.bincount(labels, weights=strength, minlength=n)
        # Weight from each node to each neighbouring community.
        uniq, inv = np.unique(eu * n + labels[ev], return_inverse=True)
        k_in = np.bincount(inv, weights=ew)
        node, comm = uniq // n, uniq % n
        own = labels[node] == comm
        k_own = np.zeros(n)
        k_own[node[own]] = k_in[own]
        ki = strength[node]
        gain = (k_in - k_own[node]) / m - resolution * ki * (tot[comm] - tot[labels[node]] + ki) / (2 * m * m)
        gain[own] = -np.inf
        order = np.lexsort((comm, -gain, node))  # per node: best gain first, then smallest label
        first = np.ones(len(order), dtype=bool)
        first[1:] = node[order][1:] != node[order][:-1]
        best = order[first]
        best = best[gain[best] > MIN_GAIN]
        if not len(best):
            break
        # Moves made together must not spoil each other's gains, or the same nodes move back and
        # forth forever: per round a community takes in at most one node and lets go of at most
        # one (the best gains), and of two neighbours moving into each other's community only the
        # one with the higher gain moves. Every round then raises modularity.
        by_gain = best[np.lexsort((node[best], -gain[best]))]
        first_in = np.zeros(len(by_gain), dtype=bool)
        first_in[np.unique(comm[by_gain], return_index=True)[1]] = True
        first_out = np.zeros(len(by_gain), dtype=bool)
        first_out[np.unique(labels[node[by_gain]], return_index=True)[1]] = True
        by_gain = by_gain[first_in & first_out]
        rank = np.zeros(n)
        rank[node[by_gain]] = np.arange(len(by_gain), 0, -1)
        target = np.full(n, -1, dtype=np.int64)
        target[node[by_gain]] = comm[by_gain]
        clash = (rank[eu] > 0) & (rank[ev] > 0) & ((target[eu] == labels[ev]) | (target[ev] == labels[eu]))
        rival = np.zeros(n)
        np.maximum.at(rival, eu[clash], rank[ev[clash]])
        move = by_gain[rank[node[by_gain]] > rival[node[by_gain]]]
        labels[node[move]] = comm[move]
    return labels


def _connected_parts(labels: IntArray, src: IntArray, dst: IntArray) -> IntArray:
    """Split each labelled group into its connected pieces; a piece is named by its smallest node."""
    inside = labels[src] == labels[dst]
    a, b = src[inside], dst[inside]
    part = np.arange(len(labels), dtype=np.int64)
    while True:
        new = part.copy()
        np.minimum.at(new, a, part[b])
        np.minimum.at(new, b, part[a])
        new = new[new]  # pointer jumping: follow the smallest label found so far
        if np.array_equal(new, part):
            return part
        part = new

"""Vetting scores: components 0-100 with peer percentiles, evidence and sentences; a weighted overall.

See docs/scores.md for every formula and the default weights.
"""

from covey.scores.run import SCORE_VERSION, ScoreRun, full_version, score_store, score_table
from covey.scores.storage import Vetting, latest_vetting
from covey.scores.weights import COMPONENTS, DEFAULT_WEIGHTS, Weights, load_weights

__all__ = [
    "COMPONENTS",
    "DEFAULT_WEIGHTS",
    "SCORE_VERSION",
    "ScoreRun",
    "Vetting",
    "Weights",
    "full_version",
    "latest_vetting",
    "load_weights",
    "score_store",
    "score_table",
]

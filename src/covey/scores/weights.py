"""Weights of the overall score: defaults, a TOML file, or ``name=value`` pairs on the CLI.

A weights file looks like::

    [weights]
    engagement = 1.0
    audience = 2.0
    authenticity = 2.0
    community = 1.5
    consistency = 1.0
    credibility = 1.5
    safety = 1.0

    [red_flags]
    cap = 45   # an account with a red flag scores its weighted mean x cap / 100

    [overall]
    min_coverage = 0.4   # no overall score below this share of the weight with evidence

Weights need not sum to one; the overall score divides by the sum of the weights of the
components that could be computed for the account, and is unknown when those hold less than
``min_coverage`` of all the weight.
"""

from __future__ import annotations

import hashlib
import json
import math
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from covey.errors import InputError

COMPONENTS = ("engagement", "audience", "authenticity", "community", "consistency", "credibility", "safety")

DEFAULT_WEIGHTS: dict[str, float] = {
    "engagement": 1.0,
    "audience": 2.0,
    "authenticity": 2.0,
    "community": 1.5,
    "consistency": 1.0,
    "credibility": 1.5,
    "safety": 1.0,
}
DEFAULT_RED_FLAG_CAP = 45.0
# Below this share of the weight with evidence the overall score is unknown. 0.4 keeps an
# account known from its posts and a follower count (engagement, consistency, credibility and
# safety: 45 % of the default weight) and drops one known from its captions alone (35 %).
DEFAULT_MIN_COVERAGE = 0.4


@dataclass(frozen=True)
class Weights:
    """Weight of each component in the overall score, and the red-flag cap."""

    weights: dict[str, float] = field(default_factory=lambda: dict(DEFAULT_WEIGHTS))
    red_flag_cap: float = DEFAULT_RED_FLAG_CAP
    min_coverage: float = DEFAULT_MIN_COVERAGE

    def __post_init__(self) -> None:
        unknown = set(self.weights) - set(COMPONENTS)
        if unknown:
            raise InputError(
                f"unknown score component(s) {', '.join(sorted(unknown))}; expected {', '.join(COMPONENTS)}"
            )
        if not all(math.isfinite(w) for w in [*self.weights.values(), self.red_flag_cap, self.min_coverage]):
            raise InputError("weights, red_flags.cap and overall.min_coverage must be finite numbers")
        if any(w < 0 for w in self.weights.values()) or sum(self.weights.values()) <= 0:
            raise InputError("weights must be non-negative and not all zero")
        if not 0 <= self.red_flag_cap <= 100:
            raise InputError("red_flags.cap must lie between 0 and 100")
        if not 0 <= self.min_coverage <= 1:
            raise InputError("overall.min_coverage must lie between 0 and 1", field="overall.min_coverage")

    def of(self, component: str) -> float:
        """Weight of a component (0 when left out)."""
        return self.weights.get(component, 0.0)

    def as_dict(self) -> dict[str, object]:
        """JSON-ready form, stored with every scoring run."""
        return {
            "weights": {c: self.of(c) for c in COMPONENTS},
            "red_flag_cap": self.red_flag_cap,
            "min_coverage": self.min_coverage,
        }

    def digest(self) -> str:
        """Short hash of the weights, part of the score version."""
        text = json.dumps(self.as_dict(), sort_keys=True)
        return hashlib.sha256(text.encode()).hexdigest()[:8]


def load_weights(path: Path | str | None = None, overrides: list[str] | None = None) -> Weights:
    """Defaults, then a TOML file's ``[weights]``, ``[red_flags]`` and ``[overall]``, then
    ``name=value`` overrides."""
    weights = dict(DEFAULT_WEIGHTS)
    cap = DEFAULT_RED_FLAG_CAP
    min_coverage = DEFAULT_MIN_COVERAGE
    if path is not None:
        p = Path(path)
        try:
            data = tomllib.loads(p.read_text(encoding="utf-8"))
        except FileNotFoundError as exc:
            raise InputError("no such weights file", path=p) from exc
        except tomllib.TOMLDecodeError as exc:
            raise InputError(f"not valid TOML: {exc}", path=p) from exc
        table = data.get("weights", {})
        if not isinstance(table, dict):
            raise InputError("[weights] must be a table", path=p, field="weights")
        for name, value in table.items():
            if not isinstance(value, int | float):
                raise InputError(f"weight must be a number, got {value!r}", path=p, field=f"weights.{name}")
            weights[name] = float(value)
        flags = data.get("red_flags", {})
        if isinstance(flags, dict) and "cap" in flags:
            cap = float(flags["cap"])
        overall = data.get("overall", {})
        if isinstance(overall, dict) and "min_coverage" in overall:
            value = overall["min_coverage"]
            if not isinstance(value, int | float):
                raise InputError(f"must be a number, got {value!r}", path=p, field="overall.min_coverage")
            min_coverage = float(value)
    for item in overrides or []:
        name, sep, value = item.partition("=")
        try:
            weights[name.strip()] = float(value)
        except ValueError:
            sep = ""
        if not sep:
            raise InputError(f"expected NAME=NUMBER, got {item!r}", field="--weight")
    return Weights(weights, cap, min_coverage)

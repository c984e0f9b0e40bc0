"""The static model on USE's own pieces (``distill_sp_native.py``) against main as shipped, on real channels.

The runner is session 24's (``discovery_use_native.py``: main as shipped with its gated brief
side, or every channel re-indexed and every brief read by the model of ``--model``, the search
otherwise as shipped), with ``--briefs third`` added: ``discovery_third_briefs.THIRD_BRIEFS``,
written before any run, and its ship rule (that module's docstring), fixed before any run.

    python benchmarks/discovery_sp_native.py --workdir W --model M --index      # W: a copy of the database
    python benchmarks/discovery_sp_native.py --workdir W --model M --briefs original --halves tune --out N.json
    python benchmarks/discovery_sp_native.py --workdir MAINW --main-model EXT --briefs original --halves tune --out B.json
    python benchmarks/discovery_sp_native.py --compare B.json N.json
    python benchmarks/discovery_sp_native.py --workdir W --model M --speed         # condition 5

Result (session 24 (2), run once at 4db8649, docs/discovery.md "Session 24 (2)"): all five
conditions hold (third briefs every channel 0.385 -> 0.458, interval +0.025 to +0.120; English
0.474 -> 0.492; original held out 0.611 -> 0.602; sample world 1.000 / 1.000; 200-240x MiniLM's
throughput, 35.3 MB): shipped.
"""

# ruff: noqa: E501
from __future__ import annotations

from typing import Any

import discovery_realdata as rd
import discovery_use_native as un
from discovery_third_briefs import THIRD_BRIEFS

un.BRIEF_SETS["third"] = THIRD_BRIEFS
_score = rd.score


def score_current_set(*args: Any, **kwargs: Any) -> dict[str, Any]:
    """``discovery_realdata.score`` on the set ``run_arm`` put in ``rd.BRIEFS``: since session 24
    ``score`` takes its briefs as an argument whose default is bound to the original set, so
    setting ``rd.BRIEFS`` alone scored the original briefs whatever ``--briefs`` said."""
    kwargs.setdefault("briefs", rd.BRIEFS)
    return _score(*args, **kwargs)


rd.score = score_current_set

if __name__ == "__main__":
    un.main()

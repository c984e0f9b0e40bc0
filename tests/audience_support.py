"""What the audience tests share: the Typer runner, a small audience file, a labelled one."""

from __future__ import annotations

from pathlib import Path

import numpy as np
from typer.testing import CliRunner

runner = CliRunner()

HEADER = "username,followers,following,posts,has_profile_pic,is_private,bio,full_name,external_url,created_at"
ROWS = [
    'jane.doe,850,410,230,true,false,"Living with Crohn\'s, writing about it",Jane Doe,https://jane.example,2016-03-02',
    'xk29384756,3,"4,200",0,false,false,,,,2024-11-01',
    "runner_mo,1.2k,380,95,1,0,marathons,Mo,,",
]


def write_lines(path: Path, lines: list[str]) -> Path:
    """``lines`` written to ``path`` (UTF-8, one per line); returns the path."""
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def labelled_file(path: Path, n: int = 400) -> Path:
    """``n`` profiles labelled ``is_fake``, every other one fake and easy to tell apart (seed 8)."""
    rng = np.random.default_rng(8)
    lines = [HEADER.replace("created_at", "created_at,is_fake")]
    for i in range(n):
        fake = i % 2
        followers = int(rng.integers(0, 40)) if fake else int(rng.integers(200, 3000))
        following = int(rng.integers(1500, 6000)) if fake else int(rng.integers(100, 900))
        posts = int(rng.integers(0, 5)) if fake else int(rng.integers(20, 400))
        pic = "false" if fake and rng.random() < 0.7 else "true"
        bio = "" if fake else "likes hiking"
        lines.append(f"u{i},{followers},{following},{posts},{pic},false,{bio},,,2020-01-01,{fake}")
    return write_lines(path, lines)

"""benchmarks/discovery_brief_reading.py writes the extended model as covey reads briefs with it."""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))

import discovery_brief_reading as br

from covey.discovery.embedder import StaticEmbedder, load_embedder
from covey.discovery.multilingual import brief_reader


def test_the_written_model_reads_briefs_as_covey_does(tmp_path: Path) -> None:
    br.write_model(tmp_path / "m")
    written = StaticEmbedder(tmp_path / "m")
    base = load_embedder()
    n = len(base.vectors)
    assert len(written.vectors) > n
    assert np.array_equal(written.vectors[:n], base.vectors)  # the shipped rows, untouched
    brief = "Musiciens et chanteurs qui publient des chansons et des bandes-annonces"
    ids = written._tokenizer.encode(brief, add_special_tokens=False).ids
    assert max(ids) >= n  # an added word (chansons) is read
    assert np.allclose(written.embed_one(brief), brief_reader(base).embed(brief), atol=1e-6)

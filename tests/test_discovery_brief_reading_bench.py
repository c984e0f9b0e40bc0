"""benchmarks/discovery_brief_reading.py writes the extended model as covey reads briefs with it."""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))

import discovery_brief_reading as br

from covey.discovery.embedder import StaticEmbedder
from covey.discovery.multilingual import brief_reader
from test_discover_multilingual import write_wordpiece_model


def test_the_written_model_reads_briefs_as_covey_does(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Since session 24 (2) the shipped model has no multilingual rows: a WordPiece model with rows
    # beside it stands for the MiniLM model of accaaae the benchmark was written for.
    base = StaticEmbedder(write_wordpiece_model(tmp_path / "wp"))
    monkeypatch.setattr(br, "load_embedder", lambda: base)
    br.write_model(tmp_path / "m")
    written = StaticEmbedder(tmp_path / "m")
    n = len(base.vectors)
    assert len(written.vectors) > n
    assert np.array_equal(written.vectors[:n], base.vectors)  # the shipped rows, untouched
    brief = "Musiciens et chanteurs qui publient des chansons"
    ids = written._tokenizer.encode(brief, add_special_tokens=False).ids
    assert max(ids) >= n  # an added word (chansons) is read
    assert np.allclose(written.embed_one(brief), brief_reader(base).embed(brief), atol=1e-6)

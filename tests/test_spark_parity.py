"""The same signal definitions give the same tables on DuckDB and on Spark (local mode)."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest

from covey.signals import account_signals, duckdb_sources, growth_events, spark_sources
from covey.signals.audience import rule_fake_flags
from covey.signals.backend import SOURCE_TABLES
from covey.store import DuckDBStore
from test_signals_world import build_world

pyspark = pytest.importorskip("pyspark")
pytestmark = pytest.mark.slow  # starts a local Spark: about a minute on two cores
if shutil.which("java") is None:
    pytest.skip("Spark needs Java", allow_module_level=True)


@pytest.fixture(scope="session")
def spark() -> Iterator[Any]:
    from pyspark.sql import SparkSession

    session = (
        SparkSession.builder.master("local[2]")
        .appName("covey-parity")
        .config("spark.sql.session.timeZone", "UTC")
        .config("spark.ui.enabled", "false")
        .config("spark.sql.shuffle.partitions", "4")
        .getOrCreate()
    )
    yield session
    session.stop()


@pytest.fixture(scope="module")
def engines(spark: Any, tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Any, Any]]:
    store = DuckDBStore(Path(tmp_path_factory.mktemp("parity")) / "covey.duckdb")
    build_world(store)
    # The Spark catalog gets the very same rows, as temporary views.
    for name in SOURCE_TABLES:
        spark.createDataFrame(
            store.arrow(f"SELECT * EXCLUDE (_imported_at) FROM {name}")
        ).createOrReplaceTempView(name)
    yield duckdb_sources(store), spark_sources(spark)
    store.close()


def _same(a: pd.DataFrame, b: pd.DataFrame, key: list[str]) -> None:
    assert sorted(a.columns) == sorted(b.columns)
    a = a.sort_values(key).reset_index(drop=True)
    b = b[a.columns].sort_values(key).reset_index(drop=True)
    assert len(a) == len(b)
    for col in a.columns:
        x, y = a[col], b[col]
        try:  # engines may hand back an integer column with nulls as float or object
            xf = pd.to_numeric(x).astype(float).to_numpy()
            yf = pd.to_numeric(y).astype(float).to_numpy()
        except (TypeError, ValueError):
            assert x.astype(str).tolist() == y.astype(str).tolist(), col
        else:
            assert np.allclose(xf, yf, rtol=1e-9, atol=1e-12, equal_nan=True), col


def test_same_as_of(engines: tuple[Any, Any]) -> None:
    duck, spark = engines
    assert duck.as_of == spark.as_of


def test_account_signals_are_identical(engines: tuple[Any, Any]) -> None:
    duck, spark = engines
    a = duck.to_pyarrow(account_signals(duck)).to_pandas()
    b = spark.to_pyarrow(account_signals(spark)).to_pandas()
    assert len(a) == 48 and a.shape[1] > 60
    _same(a, b, ["account_id"])


def test_growth_events_and_fake_flags_are_identical(engines: tuple[Any, Any]) -> None:
    duck, spark = engines
    _same(
        duck.execute(growth_events(duck)),
        spark.to_pyarrow(growth_events(spark)).to_pandas(),
        ["account_id", "at"],
    )
    _same(
        duck.execute(rule_fake_flags(duck)),
        spark.to_pyarrow(rule_fake_flags(spark)).to_pandas(),
        ["account_id", "member_id"],
    )

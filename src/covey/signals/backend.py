"""Where signals run: Ibis connected to the store's DuckDB connection, or to a SparkSession.

Every signal is an Ibis expression over :class:`Sources`; the same expression compiles to
DuckDB SQL for ``covey score`` and to Spark SQL for a cluster, so there is one definition.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import ibis
from ibis.backends import BaseBackend

from covey.errors import MissingDependencyError, StoreError
from covey.model import TABLES_BY_NAME
from covey.store import Store

log = logging.getLogger("covey.signals.backend")

SOURCE_TABLES = ("accounts", "account_snapshots", "posts", "comments", "audience_samples")


@dataclass(frozen=True)
class Sources:
    """The canonical tables as Ibis expressions on one backend, plus the scoring date."""

    backend: BaseBackend
    accounts: ibis.Table
    snapshots: ibis.Table
    posts: ibis.Table
    comments: ibis.Table
    audience: ibis.Table
    as_of: datetime
    _shared: dict[str, ibis.Table] = field(default_factory=dict, repr=False, compare=False)
    # Names of materialised tables carry this tag, so two Sources never overwrite each other's.
    _tag: str = field(default_factory=lambda: uuid.uuid4().hex[:8], repr=False, compare=False)

    def execute(self, expr: ibis.Expr) -> Any:
        """Run an expression on this backend and return a pandas object."""
        return self.backend.execute(expr)

    def to_pyarrow(self, expr: ibis.Table) -> Any:
        """Run a table expression on this backend and return a pyarrow Table."""
        return self.backend.to_pyarrow(expr)

    def shared(self, name: str, build: Callable[[], ibis.Table]) -> ibis.Table:
        """An intermediate table several signals read (comment features...), computed once."""
        if name not in self._shared:
            self._shared[name] = self.materialize(build(), f"covey_{name}")
        return self._shared[name]

    def materialize(self, expr: ibis.Table, name: str) -> ibis.Table:
        """Compute ``expr`` once into a temporary table (DuckDB) or cached view (Spark).

        Used where a result is read several times: inlining it would repeat the work and
        grow the query. (Ibis's own ``cache()`` drops tables from a finalizer, which proved
        unreliable on a shared DuckDB connection.)
        """
        name = f"{name}_{self._tag}"
        backend: Any = self.backend
        backend._run_pre_execute_hooks(expr)  # registers in-memory tables the query reads
        sql = backend.compile(expr)
        if backend.name == "pyspark":
            df = backend._session.sql(sql).cache()
            df.createOrReplaceTempView(name)
        else:
            # Plain SQL: Ibis's create_table(overwrite=True) emits a statement DuckDB 2 rejects.
            backend.con.execute(f'CREATE OR REPLACE TEMP TABLE "{name}" AS {sql}')
        result: ibis.Table = backend.table(name)
        return result


def seconds(ts: ibis.Value) -> ibis.Value:
    """Whole seconds since 1970 as float64: Spark's unix_timestamp drops fractions, so do we."""
    value: ibis.Value = ts.epoch_seconds().cast("float64").floor().cast("float64")
    return value


def _when(value: Any) -> datetime | None:
    """A timestamp a backend returned (pandas, numpy or datetime; NaT/None = unknown)."""
    if value is None or str(value) == "NaT":
        return None
    result: datetime = value.to_pydatetime() if hasattr(value, "to_pydatetime") else value
    return result


def _newest_reading(backend: BaseBackend, tables: dict[str, ibis.Table]) -> datetime:
    """The default scoring date: the newest post or follower count in the data, not the wall clock.

    Reproducible from the data; a follower count read after the newest post must be inside the
    window, or engagement would have no follower count to divide by.
    """
    found = [
        _when(backend.execute(tables["posts"].posted_at.max())),
        _when(backend.execute(tables["account_snapshots"].taken_at.max())),
    ]
    known = [t for t in found if t is not None]
    if not known:
        raise StoreError(
            "the database holds no posts and no follower counts: nothing to score yet "
            "(import posts or account snapshots first)"
        )
    return max(known)


def _source_table(backend: BaseBackend, name: str) -> ibis.Table:
    """A canonical table as the signals expect it: an absent table is an empty one, an absent
    column is all unknown (NULL of its canonical type), so every signal sees the full schema."""
    schema = TABLES_BY_NAME[name].arrow_schema()
    try:
        table = backend.table(name)
    except Exception:  # each engine has its own "no such table" error
        log.info("table %s is absent: every signal reading it is unknown", name)
        return ibis.memtable(schema.empty_table())
    missing = {f.name: ibis.null(ibis.dtype(f.type)) for f in schema if f.name not in table.columns}
    if missing:
        log.info("table %s lacks column(s) %s: read as unknown", name, ", ".join(missing))
        table = table.mutate(**missing)
    return table


def _sources(backend: BaseBackend, as_of: datetime | None) -> Sources:
    tables = {name: _source_table(backend, name) for name in SOURCE_TABLES}
    posts = tables["posts"]
    if as_of is None:
        as_of = _newest_reading(backend, tables)
    return Sources(
        backend=backend,
        accounts=tables["accounts"],
        snapshots=tables["account_snapshots"],
        posts=posts,
        comments=tables["comments"],
        audience=tables["audience_samples"],
        as_of=as_of,
    )


def duckdb_sources(store: Store, as_of: datetime | None = None) -> Sources:
    """Ibis over the store's own connection (``Store.ibis_backend``; no second connection)."""
    return _sources(store.ibis_backend(), as_of)


def spark_sources(session: Any, as_of: datetime | None = None) -> Sources:
    """Ibis over a SparkSession whose catalog holds the canonical tables (or temp views)."""
    try:
        import pyspark  # noqa: F401
    except ImportError as exc:
        raise MissingDependencyError("Scoring on Spark", "spark", "pyspark") from exc
    return _sources(ibis.pyspark.connect(session), as_of)

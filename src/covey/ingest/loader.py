"""Validation in SQL over the staged rows, then the merge into the canonical tables.

Runs per table, parents first (model order), inside the import's transaction:

1. row rules in one scan: required values present, counts not negative, allowed values;
2. duplicate keys within the import: the first (by file order and line) is kept, later
   ones are rejected naming the first's location;
3. parents: a row whose parent (e.g. a post's account) is neither in the database nor
   loaded earlier in this import is rejected. Accounts without ``creator_id`` keep the
   creator they already have, or get a new creator with the account's id;
4. merge: rows whose key exists are updated where a new value is known and differs (a
   missing value never erases a known one), other rows are inserted (anti-join).

Table keys have no index on purpose (see ``covey.store.migrations``); these anti-joins are
what keeps them unique.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime

import duckdb

from covey.ingest.rejects import REJECTS_TABLE
from covey.ingest.staging import stage_name
from covey.ingest.validate import ALLOWED
from covey.model import CREATORS, Table

log = logging.getLogger("covey.ingest.loader")

# Captions give hashtags and mentions when a row has none (one definition for every path).
HASHTAG_RE = r"#([\pL\pN_]+)"
MENTION_RE = r"(?:^|[^a-z0-9_.])@([a-z0-9_](?:[a-z0-9_.]*[a-z0-9_])?)"


@dataclass
class TableCounts:
    """What an import did to one table."""

    read: int = 0
    inserted: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: int = 0

    def to_dict(self) -> dict[str, int]:
        """Plain dict, for JSON."""
        return dict(self.__dict__)


def _q(name: str) -> str:
    return f'"{name}"'


def _lit(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _extract(pattern: str) -> str:
    return f"regexp_extract_all(lower(s.caption), {_lit(pattern)}, 1)"


def _one(cur: duckdb.DuckDBPyConnection, sql: str, params: list[object] | None = None) -> int:
    row = cur.execute(sql, params).fetchone()
    return int(row[0]) if row and row[0] is not None else 0


class Loader:
    """Validates the staged rows of each table and merges them, on the import's connection."""

    def __init__(self, cur: duckdb.DuckDBPyConnection, imported_at: datetime) -> None:
        self.cur = cur
        self.imported_at = imported_at
        self._has_bad = False

    # -- validation ---------------------------------------------------------------------
    def _reject(self, table: Table, select_bad: str) -> None:
        """Append rows of ``select_bad`` (columns _ord, field, reason) to the rejects."""
        stage = stage_name(table)
        fields = ", ".join(f"{_q(c)} := s.{_q(c)}" for c in table.column_names)
        raw = f"coalesce(s._raw, to_json(struct_pack({fields}))::VARCHAR)"
        # Materialised once: the check may be a full scan of a big Parquet file.
        self.cur.execute(f"CREATE OR REPLACE TEMP TABLE _bad_new AS {select_bad}")
        if not _one(self.cur, "SELECT count(*) FROM _bad_new"):
            return
        self.cur.execute(
            f"""INSERT INTO {REJECTS_TABLE}
            SELECT {_lit(table.name)}, s._file, s._line, b.field, b.reason, {raw}
            FROM _bad_new b JOIN {stage} s ON s._ord = b._ord"""
        )
        self.cur.execute("INSERT INTO _bad SELECT _ord FROM _bad_new")
        self._has_bad = True

    def _row_rules(self, table: Table) -> None:
        rules: list[tuple[str, str, str]] = []
        for c in table.columns:
            if c.required:
                rules.append((f"{_q(c.name)} IS NULL", c.name, "missing required value"))
        for c in table.columns:
            if c.is_count:
                rules.append((f"{_q(c.name)} < 0", c.name, f"negative count for {c.name}"))
        for (tname, col), allowed in ALLOWED.items():
            if tname == table.name:
                values = ", ".join(_lit(v) for v in allowed)
                rules.append(
                    (f"{_q(col)} NOT IN ({values})", col, f"{col} must be one of {', '.join(allowed)}")
                )
        if not rules:
            return
        field = "CASE " + " ".join(f"WHEN {cond} THEN {_lit(f)}" for cond, f, _ in rules) + " END"
        reason = "CASE " + " ".join(f"WHEN {cond} THEN {_lit(r)}" for cond, _, r in rules) + " END"
        where = " OR ".join(f"coalesce({cond}, false)" for cond, _, _ in rules)
        self._reject(
            table, f"SELECT _ord, {field} AS field, {reason} AS reason FROM {stage_name(table)} WHERE {where}"
        )

    def _not_bad(self, table: Table) -> str:
        """The staged rows not rejected so far (the anti-join is skipped while there are none)."""
        stage = stage_name(table)
        return f"(SELECT * FROM {stage} ANTI JOIN _bad USING (_ord))" if self._has_bad else stage

    def _duplicates(self, table: Table) -> None:
        keys = ", ".join(_q(k) for k in table.key)
        label = "+".join(table.key)
        # A 64-bit hash of the key finds candidate duplicates cheaply (an integer aggregate
        # over tens of millions of rows); the exact check then runs on the candidates only.
        self.cur.execute(
            f"""CREATE OR REPLACE TEMP TABLE _dup_hashes AS
            SELECT hash({keys}) AS h FROM {self._not_bad(table)} GROUP BY h HAVING count(*) > 1"""
        )
        if not _one(self.cur, "SELECT count(*) FROM _dup_hashes"):
            return
        not_bad = f"(SELECT * FROM {self._not_bad(table)} SEMI JOIN _dup_hashes d ON hash({keys}) = d.h)"
        self._reject(
            table,
            f"""SELECT s._ord, {_lit(label)} AS field,
                   'duplicate {label} in this import; the first is at ' || f.first_file
                   || coalesce(':' || f.first_line, '') AS reason
            FROM {not_bad} s JOIN (
                SELECT {keys}, min(_ord) AS first_ord, arg_min(_file, _ord) AS first_file,
                       arg_min(_line, _ord) AS first_line
                FROM {not_bad} GROUP BY {keys} HAVING count(*) > 1
            ) f USING ({keys})
            WHERE s._ord <> f.first_ord""",
        )

    def _parents(self, table: Table) -> None:
        if table.parent is None:
            return
        col, parent_name = table.parent
        self._reject(
            table,
            f"""SELECT s._ord, {_lit(col)} AS field,
                   {_lit(parent_name.rstrip("s") + " ")} || s.{_q(col)}
                   || ' is neither in the database nor in this import' AS reason
            FROM {self._not_bad(table)} s
            ANTI JOIN {parent_name} p ON p.{_q(col)} = s.{_q(col)}
            WHERE s.{_q(col)} IS NOT NULL""",
        )

    def _default_creators(self, table: Table) -> int:
        """Accounts without a creator keep the one they have, or get their own; returns creators made."""
        good = self._good_view(table)
        return _one(
            self.cur,
            f"""INSERT INTO creators (creator_id, name, _imported_at)
            SELECT creator_id, arg_min(coalesce(display_name, handle), _ord), ?
            FROM {good} g ANTI JOIN creators c USING (creator_id)
            GROUP BY creator_id""",
            [self.imported_at],
        )

    # -- merge --------------------------------------------------------------------------
    def _good_view(self, table: Table) -> str:
        exprs: list[str] = []
        joins = ""
        for c in table.column_names:
            if table.name == "accounts" and c == "creator_id":
                # no creator given: the one the account already has, else a creator of its own
                exprs.append("coalesce(s.creator_id, a.creator_id, s.account_id) AS creator_id")
                joins = " LEFT JOIN accounts a ON a.account_id = s.account_id"
            elif table.name == "posts" and c == "hashtags":
                exprs.append(f"coalesce(s.hashtags, {_extract(HASHTAG_RE)}) AS hashtags")
            elif table.name == "posts" and c == "mentions":
                exprs.append(f"coalesce(s.mentions, {_extract(MENTION_RE)}) AS mentions")
            else:
                exprs.append(f"s.{_q(c)}")
        name = f"_good_{table.name}"
        self.cur.execute(
            f"CREATE OR REPLACE TEMP VIEW {name} AS SELECT {', '.join(exprs)}, s._ord "
            f"FROM {self._not_bad(table)} s{joins}"
        )
        return name

    def _merge(self, table: Table, counts: TableCounts, good_rows: int) -> None:
        good = self._good_view(table)
        target = table.name
        cols = table.column_names
        on = " AND ".join(f"t.{_q(k)} = g.{_q(k)}" for k in table.key)
        if _one(self.cur, f"SELECT count(*) FROM (SELECT 1 FROM {target} LIMIT 1)"):
            others = [c for c in cols if c not in table.key]
            if others:
                sets = ", ".join(f"{_q(c)} = coalesce(g.{_q(c)}, t.{_q(c)})" for c in others)
                differs = " OR ".join(
                    f"(g.{_q(c)} IS NOT NULL AND g.{_q(c)} IS DISTINCT FROM t.{_q(c)})" for c in others
                )
                counts.updated = _one(
                    self.cur,
                    f"UPDATE {target} t SET {sets}, _imported_at = ? "
                    f"FROM {good} g WHERE {on} AND ({differs})",
                    [self.imported_at],
                )
            source = f"(SELECT * FROM {good} g ANTI JOIN {target} t ON {on})"
        else:
            source = good
        col_list = ", ".join(_q(c) for c in cols)
        counts.inserted = _one(
            self.cur,
            f"INSERT INTO {target} ({col_list}, _imported_at) SELECT {col_list}, ? FROM {source}",
            [self.imported_at],
        )
        # every good row was inserted, updated or left as it was: no extra scan to count them
        counts.unchanged = good_rows - counts.inserted - counts.updated

    def load(self, table: Table, counts: dict[str, TableCounts], staged: int) -> None:
        """Validate and merge the staged rows of ``table``; fills ``counts[table.name]``."""
        self.cur.execute("CREATE OR REPLACE TEMP TABLE _bad (_ord BIGINT)")
        self._has_bad = False
        own = counts.setdefault(table.name, TableCounts())
        self._row_rules(table)
        self._duplicates(table)
        self._parents(table)
        if table.name == "accounts":
            made = self._default_creators(table)
            counts.setdefault(CREATORS.name, TableCounts()).inserted += made
        good_rows = staged - _one(self.cur, "SELECT count(*) FROM _bad")
        self._merge(table, own, good_rows)
        log.info("%s: %s", table.name, own)

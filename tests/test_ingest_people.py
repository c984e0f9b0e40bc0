"""Files as people have them (issue 14): Windows encodings, semicolons, other column names,
day-first dates, country names; every case through the real importer and a real DuckDB file."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from covey.errors import InputError
from covey.ingest import import_path
from covey.ingest.textfile import detect_encoding, sniff_delimiter
from covey.store import DuckDBStore

ACCOUNTS = "account_id,platform,handle\ninstagram:1,instagram,zoe\n"


def _rejects(summary: Any) -> list[dict[str, Any]]:
    if summary.rejects_path is None:
        return []
    return [json.loads(line) for line in summary.rejects_path.read_text(encoding="utf-8").splitlines()]


def test_a_cp1252_file_with_accents_loads(store: DuckDBStore, tmp_path: Path) -> None:
    """Issue 14: every accented row of a Windows CSV was rejected while the import exited 0."""
    text = "creator_id,name,country\nc1,Zoë Müller,DE\nc2,José Núñez,ES\nc3,Ann,GB\nc4,François – café,FR\n"
    (tmp_path / "creators.csv").write_bytes(text.encode("cp1252"))
    summary = import_path(store, tmp_path / "creators.csv")
    assert summary.rejected == 0 and summary.tables["creators"].inserted == 4
    names = [r[0] for r in store.query("SELECT name FROM creators ORDER BY creator_id")]
    assert names == ["Zoë Müller", "José Núñez", "Ann", "François – café"]
    assert any("read as Windows-1252" in n for n in summary.notes)


@pytest.mark.parametrize(
    ("data", "codec"),
    [
        ("naïve ✓".encode(), "utf-8"),
        (b"\xef\xbb\xbf" + "naïve".encode(), "utf-8-sig"),
        ("naïve".encode("utf-16"), "utf-16"),
        ("naïve – café".encode("cp1252"), "cp1252"),
        (b"caf\xe9 \x81", "latin-1"),  # 0x81 is undefined in cp1252
        ("ok ✓ ".encode() + b"caf\xe9", "utf-8"),  # UTF-8 with one damaged byte stays UTF-8
    ],
)
def test_encoding_detection(tmp_path: Path, data: bytes, codec: str) -> None:
    path = tmp_path / "f.csv"
    path.write_bytes(data)
    assert detect_encoding(path)[0] == codec


def test_utf16_tab_separated_excel_unicode_text(store: DuckDBStore, tmp_path: Path) -> None:
    text = "creator_id\tname\r\nc1\tZoë\r\n"
    # Excel names this file .txt ("Unicode Text"); .txt was an unknown format
    (tmp_path / "creators.txt").write_bytes(text.encode("utf-16"))
    summary = import_path(store, tmp_path / "creators.txt")
    assert store.query("SELECT creator_id, name FROM creators") == [("c1", "Zoë")]
    assert summary.rejected == 0
    (tmp_path / "more.creators.tsv").write_text("creator_id\tname\nc2\tBo\n", encoding="utf-8")
    assert import_path(store, tmp_path).loaded == 2  # a folder's .tsv and .txt are read too


def test_encoding_given(store: DuckDBStore, tmp_path: Path) -> None:
    (tmp_path / "creators.csv").write_bytes("creator_id,name\nc1,Ærø\n".encode("latin-1"))
    import_path(store, tmp_path / "creators.csv", encoding="latin-1")
    assert store.query("SELECT name FROM creators") == [("Ærø",)]
    with pytest.raises(InputError, match="unknown encoding"):
        import_path(store, tmp_path / "creators.csv", encoding="klingon")


def test_a_semicolon_file_loads(store: DuckDBStore, tmp_path: Path) -> None:
    """Issue 14: a semicolon CSV said `missing required column 'post_id'`."""
    (tmp_path / "accounts.csv").write_text(ACCOUNTS, encoding="utf-8")
    (tmp_path / "posts.csv").write_text(
        'post_id;account_id;posted_at;likes;caption\np1;instagram:1;2024-01-31;"1.234";"Hallo; Welt"\n'
        "p2;instagram:1;2024-02-01;3,5k;Tschüss\n",
        encoding="utf-8",
    )
    summary = import_path(store, tmp_path)
    assert summary.rejected == 0
    assert store.query("SELECT post_id, likes, caption FROM posts ORDER BY 1") == [
        ("p1", 1234, "Hallo; Welt"),
        ("p2", 3500, "Tschüss"),
    ]
    assert "posts.csv: delimiter semicolon (detected)" in summary.notes


@pytest.mark.parametrize(
    ("head", "expected"),
    [
        ("a,b,c\n1,2,3\n", ","),
        ("a;b;c\n1;2,5;3\n", ";"),
        ("a\tb\tc\n1\t2\t3\n", "\t"),
        ("a|b\n1|2\n", "|"),
        ("sep=;\na;b\n1;2\n", ";"),
        ("only\n1\n", ","),
        ('name,"bio; with semicolons; many"\nx,"a;b;c"\n', ","),
    ],
)
def test_delimiter_sniffing(head: str, expected: str) -> None:
    assert sniff_delimiter(head)[0] == expected


def test_excel_sep_line_and_delimiter_option(store: DuckDBStore, tmp_path: Path) -> None:
    (tmp_path / "creators.csv").write_text("sep=;\ncreator_id;name\nc1;Ann\nc2;Bo\n", encoding="utf-8")
    import_path(store, tmp_path / "creators.csv")
    assert store.query("SELECT count(*) FROM creators") == [(2,)]
    (tmp_path / "c2.creators.csv").write_text("creator_id:name\nc3:Cy\n", encoding="utf-8")
    import_path(store, tmp_path / "c2.creators.csv", delimiter=":")
    assert store.query("SELECT name FROM creators WHERE creator_id = 'c3'") == [("Cy",)]
    # the sep= line is skipped when --delimiter is given too (it was read as the header)
    (tmp_path / "c4.creators.csv").write_text("sep=;\ncreator_id;name\nc4;Di\n", encoding="utf-8")
    import_path(store, tmp_path / "c4.creators.csv", delimiter="semicolon")
    assert store.query("SELECT name FROM creators WHERE creator_id = 'c4'") == [("Di",)]


def test_rows_of_empty_cells_are_skipped_like_blank_lines(store: DuckDBStore, tmp_path: Path) -> None:
    """Excel saves formatted but empty rows as ``;;`` lines: skipped, not rejected."""
    (tmp_path / "creators.csv").write_text("creator_id;name\nc1;Ann\n;\n ; \nc2;Bo\n;\n", encoding="utf-8")
    summary = import_path(store, tmp_path / "creators.csv")
    assert (summary.loaded, summary.rejected) == (2, 0)


def test_column_aliases(store: DuckDBStore, tmp_path: Path) -> None:
    (tmp_path / "accounts.csv").write_text(
        "Account ID,Network,Username,Website\ninstagram:1,Instagram,zoe,https://z.example\n", encoding="utf-8"
    )
    (tmp_path / "account_snapshots.csv").write_text(
        "account,Date,Followers Count,Following,Media Count\ninstagram:1,2024-01-31,12.5k,300,41\n",
        encoding="utf-8",
    )
    (tmp_path / "posts.csv").write_text(
        "ID,Account,Published At,Likes,Comments,Plays,like_count\n"
        "p1,instagram:1,2024-01-31 10:00,120,4,900,999\n",
        encoding="utf-8",
    )
    summary = import_path(store, tmp_path)
    assert summary.rejected == 0
    assert store.query("SELECT handle, platform, external_url FROM accounts") == [
        ("zoe", "instagram", "https://z.example")
    ]
    assert store.query("SELECT followers, following, posts FROM account_snapshots") == [(12500, 300, 41)]
    # `Likes` is the canonical column: the alias `like_count` beside it is ignored, and said so
    assert store.query("SELECT likes, comments, views FROM posts") == [(120, 4, 900)]
    notes = " ".join(summary.notes)
    assert "'Followers Count' → followers" in notes and "columns ignored" in notes and "'like_count'" in notes


def test_jsonl_keys_as_aliases(store: DuckDBStore, tmp_path: Path) -> None:
    (tmp_path / "creators.jsonl").write_text(
        json.dumps({"Creator ID": "c1", "Full Name": "Ann", "Country": "UK"}) + "\n", encoding="utf-8"
    )
    import_path(store, tmp_path / "creators.jsonl")
    assert store.query("SELECT creator_id, name, country FROM creators") == [("c1", "Ann", "GB")]


def _snapshots(tmp_path: Path, dates: list[str]) -> Path:
    tmp_path.mkdir(parents=True, exist_ok=True)
    (tmp_path / "accounts.csv").write_text(ACCOUNTS, encoding="utf-8")
    rows = "".join(f'instagram:1,"{d}",{i}\n' for i, d in enumerate(dates))
    (tmp_path / "account_snapshots.csv").write_text(
        "account_id,taken_at,followers\n" + rows, encoding="utf-8"
    )
    return tmp_path


def _taken(store: DuckDBStore) -> list[datetime]:
    return [r[0] for r in store.query("SELECT taken_at FROM account_snapshots ORDER BY followers")]


def test_day_first_dates_are_detected(store: DuckDBStore, tmp_path: Path) -> None:
    summary = import_path(store, _snapshots(tmp_path, ["01/02/2024", "31/01/2024 14:05", "2.3.24"]))
    assert _taken(store) == [datetime(2024, 2, 1), datetime(2024, 1, 31, 14, 5), datetime(2024, 3, 2)]
    assert not any("ambiguous" in n or "could be" in n for n in summary.notes)


def test_month_first_dates_are_detected_and_said(store: DuckDBStore, tmp_path: Path) -> None:
    summary = import_path(store, _snapshots(tmp_path, ["01/02/2024", "01/31/2024 2:05 PM"]))
    assert _taken(store) == [datetime(2024, 1, 2), datetime(2024, 1, 31, 14, 5)]
    assert any("month-first" in n for n in summary.notes)


def test_ambiguous_dates_are_read_day_first_and_the_output_says_so(
    store: DuckDBStore, tmp_path: Path
) -> None:
    summary = import_path(store, _snapshots(tmp_path, ["01/02/2024", "03/04/2024"]))
    assert _taken(store) == [datetime(2024, 2, 1), datetime(2024, 4, 3)]
    assert any("read day-first" in n and "--date-format mdy" in n for n in summary.notes)


def test_date_format_option(store: DuckDBStore, tmp_path: Path) -> None:
    import_path(store, _snapshots(tmp_path, ["01/02/2024", "03/04/2024"]), date_format="mdy")
    assert _taken(store) == [datetime(2024, 1, 2), datetime(2024, 3, 4)]


def test_date_pattern_and_month_names(store: DuckDBStore, tmp_path: Path) -> None:
    folder = _snapshots(tmp_path / "a", ["2024|01|31 08h15"])
    import_path(store, folder, date_format="%Y|%m|%d %Hh%M")
    assert _taken(store) == [datetime(2024, 1, 31, 8, 15)]
    with DuckDBStore(tmp_path / "b.duckdb") as other:
        import_path(other, _snapshots(tmp_path / "b", ["2 Jan 2024", "Jan 3, 2024", "04-Feb-2024 10:00"]))
        assert _taken(other) == [datetime(2024, 1, 2), datetime(2024, 1, 3), datetime(2024, 2, 4, 10)]


def test_a_date_against_the_files_order_is_a_located_reject(store: DuckDBStore, tmp_path: Path) -> None:
    summary = import_path(store, _snapshots(tmp_path, ["13/01/2024", "01/14/2024", "31 Foo 2024"]))
    got = {r["line"]: r for r in _rejects(summary)}
    assert sorted(got) == [3, 4] and got[3]["field"] == "taken_at"
    assert "day-first" in got[3]["reason"] and "--date-format mdy" in got[3]["reason"]
    assert "not a date Covey reads" in got[4]["reason"]


def test_unknown_date_format_option(store: DuckDBStore, tmp_path: Path) -> None:
    with pytest.raises(InputError, match="unknown date format"):
        import_path(store, _snapshots(tmp_path, ["2024-01-01"]), date_format="dd/mm")


def test_country_names_become_codes_and_unknown_is_a_located_reject(
    store: DuckDBStore, tmp_path: Path
) -> None:
    (tmp_path / "creators.csv").write_text(
        "creator_id,country\nc1,UK\nc2,Deutschland\nc3,españa\nc4,gb\nc5,\nc6,Untied Kingdom\nc7,Atlantis\n",
        encoding="utf-8",
    )
    summary = import_path(store, tmp_path / "creators.csv")
    assert store.query("SELECT creator_id, country FROM creators ORDER BY 1") == [
        ("c1", "GB"),
        ("c2", "DE"),
        ("c3", "ES"),
        ("c4", "GB"),
        ("c5", None),
    ]
    got = {r["line"]: r for r in _rejects(summary)}
    assert sorted(got) == [7, 8]
    assert got[7]["field"] == "country" and "did you mean GB?" in got[7]["reason"]
    assert got[7]["file"] == str(tmp_path / "creators.csv")


def test_parquet_with_country_names_is_read_row_by_row(store: DuckDBStore, tmp_path: Path) -> None:
    table = pa.table({"creator_id": ["a", "b"], "country": ["UK", "FR"]})
    pq.write_table(table, tmp_path / "creators.parquet")
    import_path(store, tmp_path / "creators.parquet")
    assert store.query("SELECT country FROM creators ORDER BY creator_id") == [("GB",), ("FR",)]


@pytest.mark.realdata
def test_real_influencer_table_saved_by_excel_on_windows(
    store: DuckDBStore, tmp_path: Path, shared_data: Path
) -> None:
    """The 200 real accounts of number-formats/, re-saved as Excel on Windows saves them:
    cp1252, semicolons, headers as people name them; counts ("475.8m") and countries
    ("United States", "NaN") as the real file writes them."""
    import csv

    source = shared_data / "number-formats" / "top_instagram_influencers.csv"
    with source.open(encoding="utf-8-sig", newline="") as fh:
        real = list(csv.DictReader(fh))
    folder = tmp_path / "excel"
    folder.mkdir()

    def save(name: str, header: list[str], rows: list[list[str]]) -> None:
        with (folder / name).open("w", encoding="cp1252", newline="") as fh:
            writer = csv.writer(fh, delimiter=";")
            writer.writerow(header)
            writer.writerows(rows)

    save("creators.csv", ["Creator", "Country"], [[r["channel_info"], r["country"]] for r in real])
    save(
        "accounts.csv",
        ["Account ID", "Creator", "Network", "Username"],
        [[f"instagram:{r['channel_info']}", r["channel_info"], "Instagram", r["channel_info"]] for r in real],
    )
    save(
        "account_snapshots.csv",
        ["Account", "Date", "Followers", "Posts"],
        [[f"instagram:{r['channel_info']}", "01/02/2024", r["followers"], r["posts"]] for r in real],
    )
    summary = import_path(store, folder, date_format="dmy")
    # The source holds one mojibake country, "CÃ´te d'Ivoire" (UTF-8 read as cp1252 once);
    # saved as cp1252 its bytes are valid UTF-8 again, read as "Côte d'Ivoire": CI. "NaN" is unknown.
    assert _rejects(summary) == [] and summary.loaded == 3 * len(real)
    assert "account_snapshots.csv: delimiter semicolon (detected)" in summary.notes
    assert store.query(
        "SELECT followers, posts FROM account_snapshots WHERE account_id = 'instagram:cristiano'"
    ) == [(475_800_000, 3_300)]
    countries = dict(store.query("SELECT country, count(*) FROM creators GROUP BY 1"))
    assert countries["US"] > 50 and countries["ES"] >= 1 and countries["CI"] == 1 and None in countries
    assert set(countries) - {None} <= {c for c in countries if c and len(c) == 2}
    assert store.query("SELECT DISTINCT taken_at FROM account_snapshots") == [(datetime(2024, 2, 1),)]


def test_twitter_dates_are_read_in_utc() -> None:
    from covey.ingest.validate import parse_timestamp

    assert parse_timestamp("Fri Apr 06 10:58:22 +0200 2007") == datetime(2007, 4, 6, 8, 58, 22)


def test_a_second_column_for_the_same_field_is_named_as_a_duplicate(
    store: DuckDBStore, tmp_path: Path
) -> None:
    """`Name` beside `name` was ignored as "not a column of creators"; it is one, given twice."""
    (tmp_path / "creators.csv").write_text("creator_id,name,Name,hobby\nc1,Ann,Bob,x\n", encoding="utf-8")
    summary = import_path(store, tmp_path / "creators.csv")
    assert store.query("SELECT name FROM creators") == [("Ann",)]  # the first one wins
    assert "creators.csv: columns ignored as duplicates: 'Name' (another column gives name)" in summary.notes
    assert any("columns ignored (not columns of creators" in n and "'hobby'" in n for n in summary.notes)

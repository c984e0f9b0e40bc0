"""Audience files as `covey audience score` reads them: optional and required columns (each
missing one named, with the file's own headers), empty and n/a values unknown, CSV and JSONL,
Windows files, counts as people write them, a bad row rejected with its line and field."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from audience_support import runner, write_lines
from covey.audience.io import read_profiles
from covey.cli.app import app
from covey.errors import InputError


def test_missing_optional_columns_are_fine_and_jsonl_round_trip(tmp_path: Path) -> None:
    lines = [
        json.dumps(
            {
                "username": "a1",
                "followers": 10,
                "following": 3000,
                "posts": 0,
                "has_profile_pic": False,
                "is_private": False,
            }
        ),
        "",
        json.dumps(
            {
                "username": "bee",
                "followers": "2.5k",
                "following": 300,
                "posts": 40,
                "has_profile_pic": True,
                "is_private": None,
            }
        ),
    ]
    src = write_lines(tmp_path / "a.jsonl", lines)
    out = tmp_path / "s.jsonl"
    result = runner.invoke(app, ["audience", "score", str(src), "--out", str(out), "--json"])
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in out.read_text().splitlines()]
    assert [r["username"] for r in rows] == ["a1", "bee"]
    assert isinstance(rows[0]["is_fake"], bool) and rows[0]["fake_probability"] > rows[1]["fake_probability"]


def test_missing_required_column_is_exit_2_naming_it(tmp_path: Path) -> None:
    src = write_lines(
        tmp_path / "a.csv", ["username,followers,posts,has_profile_pic,is_private", "x,1,2,true,false"]
    )
    result = runner.invoke(app, ["audience", "score", str(src), "--out", str(tmp_path / "o.csv")])
    assert result.exit_code == 2
    assert "following" in result.output and "a.csv" in result.output
    assert not (tmp_path / "o.csv").exists()


def test_every_missing_column_is_named_at_once(tmp_path: Path) -> None:
    src = write_lines(tmp_path / "a.csv", ["username,bio", "x,hello"])
    result = runner.invoke(app, ["audience", "score", str(src), "--out", str(tmp_path / "o.csv")])
    assert result.exit_code == 2
    flat = " ".join(result.output.split())
    assert "'followers', 'following', 'posts', 'has_profile_pic', 'is_private'" in flat
    with pytest.raises(InputError) as info:
        read_profiles(src)
    assert info.value.field == "followers, following, posts, has_profile_pic, is_private"


def test_empty_and_na_values_are_unknown_not_a_crash(tmp_path: Path) -> None:
    """Issue 14: one empty `following` crashed the command; `n/a` rejected the whole file."""
    header = "username,followers,following,posts,has_profile_pic,is_private"
    rows = ["xk2938475,2,,0,false,false", "b,100,n/a,4,true,false", "c,N/A,7000,-,false,", "d,5,9000,0,no,no"]
    src = write_lines(tmp_path / "a.csv", [header, *rows])
    out = tmp_path / "o.csv"
    result = runner.invoke(
        app, ["audience", "score", str(src), "--out", str(out), "--threshold", "0", "--json"]
    )
    assert result.exit_code == 0, result.output
    summary = json.loads(result.stdout)
    assert summary["profiles"] == 4 and summary["rejected"] == []
    table = read_profiles(src).table
    assert table.column("following").to_pylist() == [None, None, 7000.0, 9000.0]
    assert table.column("followers").to_pylist() == [2.0, 100.0, None, 5.0]
    assert table.column("posts").to_pylist() == [0.0, 4.0, None, 0.0]
    with out.open(newline="") as fh:
        reasons = [r["reasons"] for r in csv.DictReader(fh)]
    assert len(reasons) == 4 and not any("nan" in r.lower() for r in reasons)


def test_header_only_file_says_so_and_json_is_strict(tmp_path: Path) -> None:
    src = write_lines(tmp_path / "a.csv", ["username,followers,following,posts,has_profile_pic,is_private"])
    out = tmp_path / "o.csv"
    result = runner.invoke(app, ["audience", "score", str(src), "--out", str(out)])
    assert result.exit_code == 4
    assert "nothing to read: it has no rows" in " ".join(result.output.split())
    assert "nan" not in result.output.lower()
    as_json = runner.invoke(app, ["audience", "score", str(src), "--out", str(out), "--json"])
    assert as_json.exit_code == 4

    def no_constants(name: str) -> float:
        raise AssertionError(f"{name} in JSON output")

    summary = json.loads(as_json.stdout, parse_constant=no_constants)
    assert summary["profiles"] == 0 and summary["exit_code"] == 4
    assert not out.exists()


def test_every_row_rejected_is_exit_4(tmp_path: Path) -> None:
    header = "username,followers,following,posts,has_profile_pic,is_private"
    src = write_lines(tmp_path / "a.csv", [header, "a,x,1,1,true,false", "b,1,1,1,maybe,false"])
    result = runner.invoke(app, ["audience", "score", str(src), "--out", str(tmp_path / "o.csv")])
    assert result.exit_code == 4 and "all 2 rows were rejected" in " ".join(result.output.split())


def test_a_windows_semicolon_file_with_other_column_names(tmp_path: Path) -> None:
    """Excel on Windows: cp1252, semicolons, "Username"/"Followers"/"Following Count", day-first dates."""
    text = (
        "Username;Full Name;Followers;Following Count;Posts;Has Profile Picture;Private;Joined\r\n"
        "zoë.müller;Zoë Müller;1.234;310;45;ja;no;31/01/2019\r\n"
        "jose;José;3,5k;4200;0;no;no;01/02/2020\r\n"
    )
    src = tmp_path / "audience.csv"
    src.write_bytes(text.replace("ja", "yes").encode("cp1252"))
    profiles = read_profiles(src)
    assert profiles.rejects == []
    assert profiles.table.column("username").to_pylist() == ["zoë.müller", "jose"]
    assert profiles.table.column("followers").to_pylist() == [1234.0, 3500.0]
    assert profiles.table.column("following").to_pylist() == [310.0, 4200.0]
    assert [str(d) for d in profiles.table.column("created_at").to_pylist()] == ["2019-01-31", "2020-02-01"]
    assert any("Windows-1252" in n for n in profiles.notes) and any("semicolon" in n for n in profiles.notes)
    result = runner.invoke(app, ["audience", "score", str(src), "--out", str(tmp_path / "o.csv")])
    assert result.exit_code == 0, result.output


@pytest.mark.parametrize(
    ("row", "field"),
    [
        ("x,12,abc,3,true,false", "following"),
        ("x,12,4,3,maybe,false", "has_profile_pic"),
        ("x,-5,4,3,1,0", "followers"),
    ],
)
def test_a_bad_row_is_rejected_with_line_and_field_the_rest_scored(
    tmp_path: Path, row: str, field: str
) -> None:
    header = "username,followers,following,posts,has_profile_pic,is_private"
    src = write_lines(tmp_path / "a.csv", [header, "ok,1,2,3,true,false", row, "ok2,100,50,8,true,false"])
    out = tmp_path / "o.csv"
    result = runner.invoke(app, ["audience", "score", str(src), "--out", str(out)])
    assert result.exit_code == 3, result.output  # rows rejected: a script notices
    # The location is "FILE:LINE [FIELD]"; the column is also named in the reason itself.
    assert "a.csv:3" in result.output and f"column '{field}'" in result.output
    with out.open(newline="") as fh:
        assert [r["username"] for r in csv.DictReader(fh)] == ["ok", "ok2"]
    profiles = read_profiles(src)
    [reject] = profiles.rejects
    assert (reject.line, reject.field) == (3, field) and list(profiles.lines) == [2, 4]
    accepted = runner.invoke(app, ["audience", "score", str(src), "--out", str(out), "--allow-rejects"])
    assert accepted.exit_code == 0, accepted.output


def test_multiline_csv_values_keep_line_numbers(tmp_path: Path) -> None:
    header = "username,followers,following,posts,has_profile_pic,is_private,bio"
    src = write_lines(tmp_path / "a.csv", [header, 'a,1,2,3,true,false,"two\nlines"', "b,1,2,x,true,false,"])
    [reject] = read_profiles(src).rejects
    assert reject.line == 4 and reject.field == "posts"


def test_counts_as_people_write_them(tmp_path: Path) -> None:
    header = "username,followers,following,posts,has_profile_pic,is_private"
    src = write_lines(tmp_path / "a.csv", [header, 'a,"1,204",3.5k,2M,yes,no', "b,,7,0,,"])
    table = read_profiles(src).table
    assert table.column("followers").to_pylist() == [1204.0, None]
    assert table.column("following").to_pylist() == [3500.0, 7.0]
    assert table.column("posts").to_pylist() == [2_000_000.0, 0.0]
    assert table.column("has_profile_pic").to_pylist() == [True, None]


@pytest.mark.realdata
def test_a_real_twitter_export_names_what_is_missing_then_scores(tmp_path: Path, shared_data: Path) -> None:
    """Cresci 2015's real Twitter profiles, as the API wrote them: `screen_name`,
    `followers_count`, `friends_count`, `statuses_count`, `protected`, `created_at` like
    "Fri Apr 06 10:58:22 +0000 2007". Only the profile picture is missing (Twitter states
    the opposite, `default_profile_image`): named alone; once given, every row is scored."""
    source = shared_data / "labelled-accounts" / "twitter_cresci2015_humans_e13.csv"
    result = runner.invoke(app, ["audience", "score", str(source), "--out", str(tmp_path / "o.csv")])
    assert result.exit_code == 2
    flat = " ".join(result.output.split())
    assert "missing required column 'has_profile_pic'" in flat and "following" not in flat.split("(")[0]
    with source.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    mine = tmp_path / "twitter.csv"
    with mine.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, [*rows[0], "has_profile_pic"])
        writer.writeheader()
        for row in rows:
            writer.writerow({**row, "has_profile_pic": "0" if row["default_profile_image"] == "1" else "1"})
    out = tmp_path / "scores.csv"
    scored = runner.invoke(app, ["audience", "score", str(mine), "--out", str(out), "--json"])
    assert scored.exit_code == 0, scored.output
    summary = json.loads(scored.stdout)
    assert summary["profiles"] == len(rows) and summary["rejected"] == []
    profiles = read_profiles(mine)
    created = profiles.table.column("created_at").to_pylist()
    assert sum(d is None for d in created) == sum(not r["created_at"] for r in rows)
    assert str(created[0]) == "2007-04-06"  # "Fri Apr 06 10:58:22 +0000 2007"
    assert profiles.table.column("following").to_pylist()[0] == float(rows[0]["friends_count"])


def test_missing_columns_name_the_file_s_own_headers_and_hint_the_delimiter(tmp_path: Path) -> None:
    """The error listed the names Covey read the header as ("name" shown as "full_name"),
    not what the file says; a header read as one column now suggests --delimiter, as the
    import does."""
    src = write_lines(tmp_path / "a.csv", ["name,x", "a,1"])
    with pytest.raises(InputError, match=r"\(the file has: name, x\)"):
        read_profiles(src)
    one = write_lines(tmp_path / "b.csv", ["username:followers:following", "a:1:2"])
    with pytest.raises(InputError, match=r"read as one column .* pass --delimiter"):
        read_profiles(one)


def test_a_line_that_is_not_utf8_in_a_utf8_file_is_rejected_not_scored_garbled(tmp_path: Path) -> None:
    """The note said such lines are set aside, but they were scored with U+FFFD in the name."""
    src = tmp_path / "mix.csv"
    src.write_bytes(
        b"username,followers,following,posts,has_profile_pic,is_private\n"
        b"zo\xc3\xa9,1,2,3,1,0\nj\xc3\xbcrgen,1,2,3,1,0\nbad\xe9,1,2,3,1,0\n"
    )
    profiles = read_profiles(src)
    assert profiles.table.column("username").to_pylist() == ["zoé", "jürgen"]
    assert [(r.line, r.reason) for r in profiles.rejects] == [(4, "line is not valid UTF-8")]
    result = runner.invoke(app, ["audience", "score", str(src), "--out", str(tmp_path / "o.csv")])
    assert result.exit_code == 3


def test_a_jsonl_line_that_is_not_utf8_is_rejected(tmp_path: Path) -> None:
    src = tmp_path / "p.jsonl"
    row = '"followers": 1, "following": 2, "posts": 3, "has_profile_pic": true, "is_private": false}'
    src.write_bytes(
        b"\xef\xbb\xbf"
        + ('{"username": "zo\u00e9", ' + row + "\n").encode()
        + b'{"username": "bad\xe9", '
        + row.encode()
        + b"\n"
    )
    profiles = read_profiles(src)
    assert profiles.table.column("username").to_pylist() == ["zoé"]
    assert [(r.line, r.reason) for r in profiles.rejects] == [(2, "line is not valid UTF-8")]


def test_a_second_followers_column_is_said_to_be_ignored(tmp_path: Path) -> None:
    src = write_lines(
        tmp_path / "a.csv",
        ["username,followers,Followers,following,posts,has_profile_pic,is_private", "a,5,7,1,1,1,0"],
    )
    profiles = read_profiles(src)
    assert profiles.table.column("followers").to_pylist() == [5.0]
    assert "columns ignored as duplicates: 'Followers' (another column gives followers)" in profiles.notes

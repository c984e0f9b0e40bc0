"""The sample world: files, schemas, determinism, the CLI, and what the content looks like."""

from __future__ import annotations

import json
from pathlib import Path

import duckdb
import pyarrow.parquet as pq
import pytest
from typer.testing import CliRunner

from covey.model import TABLES
from covey.world import WorldConfig, generate
from covey.world.generate import DATA_TABLES
from covey.world.writer import TRUTH_SCHEMAS, canonical_schema

TRUTH_FILES = (
    "people",
    "audience_members",
    "accounts",
    "growth_events",
    "pods",
    "compliance",
    "audience_labels",
    "data_profiles",
)


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("world")
    generate(WorldConfig(creators=150, seed=11, audience_sample_size=120), out)
    return out


def sql(world: Path, query: str) -> list[tuple[object, ...]]:
    con = duckdb.connect()
    for name in DATA_TABLES:
        con.execute(f"create view {name} as select * from read_parquet('{world / name}.parquet')")
    for name in TRUTH_FILES:
        con.execute(f"create view truth_{name} as select * from read_parquet('{world}/truth/{name}.parquet')")
    return con.execute(query).fetchall()


def test_every_canonical_table_is_written_with_the_model_schema(world: Path) -> None:
    assert set(DATA_TABLES) == {t.name for t in TABLES}
    for table in TABLES:
        schema = pq.read_schema(world / f"{table.name}.parquet")
        assert schema.names == table.column_names
        assert schema == canonical_schema(table.name)
        assert pq.read_metadata(world / f"{table.name}.parquet").num_rows > 0
    for name in TRUTH_FILES:
        assert pq.read_schema(world / "truth" / f"{name}.parquet") == TRUTH_SCHEMAS[name]


def test_same_seed_gives_identical_bytes_and_another_seed_does_not(tmp_path: Path) -> None:
    config = WorldConfig(creators=25, seed=3, audience_sample_size=30)
    generate(config, tmp_path / "a")
    generate(config, tmp_path / "b")
    generate(WorldConfig(creators=25, seed=4, audience_sample_size=30), tmp_path / "c")
    files = sorted(p.relative_to(tmp_path / "a") for p in (tmp_path / "a").rglob("*.parquet"))
    assert len(files) == len(DATA_TABLES) + len(TRUTH_FILES)
    for f in files:
        assert (tmp_path / "a" / f).read_bytes() == (tmp_path / "b" / f).read_bytes(), f
    assert (tmp_path / "a" / "posts.parquet").read_bytes() != (tmp_path / "c" / "posts.parquet").read_bytes()


def test_world_json_records_seed_scale_and_counts(world: Path) -> None:
    doc = json.loads((world / "truth" / "world.json").read_text())
    assert doc["seed"] == 11 and doc["creators"] == 150
    assert 0 < doc["audience_scale"] <= 1
    assert set(doc["reach_rates"]) == {"instagram", "tiktok", "youtube"}
    assert set(doc["reach_rates"]["instagram"]) == {"nano", "micro", "mid", "macro", "mega"}
    assert len(doc["niches"]) == 10
    assert doc["counts"]["posts"] == pq.read_metadata(world / "posts.parquet").num_rows
    assert doc["config"]["audience_sample_size"] == 120


def test_unknown_counts_stay_null(world: Path) -> None:
    [(image_views, video_views)] = sql(
        world,
        "select count(views) filter (kind in ('image', 'carousel')), "
        "avg((views is not null)::int) filter (kind in ('video', 'reel', 'short')) from posts",
    )
    assert image_views == 0 and video_views == 1.0
    [(yt_following, ig_missing, posts_missing)] = sql(
        world,
        "select count(following) filter (account_id like 'youtube:%'), "
        "avg((following is null)::int) filter (account_id like 'instagram:%'), avg((posts is null)::int) "
        "from account_snapshots",
    )
    assert yt_following == 0 and 0.02 < ig_missing < 0.2 and 0.03 < posts_missing < 0.2
    [(saves_known,)] = sql(
        world, "select avg((saves is not null)::int) from posts where account_id like 'instagram:%'"
    )
    assert saves_known < 0.4


def test_several_languages_and_niche_vocabulary(world: Path) -> None:
    langs = {r[0] for r in sql(world, "select distinct language from accounts")}
    assert {"en", "es", "fr", "de", "it", "pt"} <= langs
    countries = {r[0] for r in sql(world, "select distinct country from accounts where language = 'en'")}
    assert len(countries & {"US", "GB", "IE", "AU", "CA"}) >= 3
    [(tagged, mentioned)] = sql(world, "select avg((len(hashtags) > 0)::int), sum(len(mentions)) from posts")
    assert tagged > 0.8 and mentioned > 0
    # Captions use the account's niche words: IBD accounts say "Crohn" far more than food accounts.
    rows = dict(
        sql(
            world,
            "select t.niche, avg((caption ilike '%crohn%' or caption ilike '%colit%' "
            "or caption ilike '%MICI%' or caption ilike '%EII%' or caption ilike '%CED%' "
            "or caption ilike '%DII%')::int) "
            "from posts p join truth_accounts t using (account_id) group by 1",
        )
    )
    assert rows["ibd"] > 0.3 and rows["food"] < 0.05


def test_lived_experience_is_told_in_the_first_person(world: Path) -> None:
    [(lived, other)] = sql(
        world,
        "select avg((caption like '%my Crohn%' or caption like '%Since my diagnosis%' "
        "or caption like '%diagnosed%' or caption ilike '%my own experience%')::int) "
        "filter (t.lived_experience), "
        "avg((caption like '%my Crohn%' or caption like '%Since my diagnosis%')::int) "
        "filter (not t.lived_experience) "
        "from posts p join truth_accounts t using (account_id) where t.language = 'en' and t.niche = 'ibd'",
    )
    if lived is not None:
        assert lived > 0.2
    assert (other or 0) == 0


def test_cli_generates_a_world(tmp_path: Path) -> None:
    from covey.cli.app import app

    out = tmp_path / "w"
    result = CliRunner().invoke(
        app, ["world", "generate", "--creators", "20", "--seed", "5", "--out", str(out), "--json"]
    )
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    assert doc["seed"] == 5 and doc["counts"]["creators"] == 20
    for name in DATA_TABLES:
        assert (out / f"{name}.parquet").is_file()
    assert (out / "truth" / "world.json").is_file()


def test_cli_rejects_bad_input(tmp_path: Path) -> None:
    from covey.cli.app import app

    result = CliRunner().invoke(app, ["world", "generate", "--creators", "0", "--out", str(tmp_path / "x")])
    assert result.exit_code == 2


def test_audience_scale_can_be_set_and_bounds_the_panel(tmp_path: Path) -> None:
    summary = generate(
        WorldConfig(creators=20, seed=2, audience_scale=0.01, audience_sample_size=20), tmp_path
    )
    assert summary.audience_scale == 0.01
    doc = json.loads((tmp_path / "truth" / "world.json").read_text())
    real = pq.read_table(tmp_path / "truth" / "accounts.parquet", columns=["real_followers"])
    expected = 0.01 * sum(real["real_followers"].to_pylist())
    assert abs(doc["counts"]["audience_members"] - expected) < 0.1 * expected + 50


def test_config_rejects_nonsense() -> None:
    from covey.errors import InputError

    with pytest.raises(InputError):
        WorldConfig(creators=10, audience_scale=1.5)
    with pytest.raises(InputError):
        WorldConfig(creators=10, months=0)

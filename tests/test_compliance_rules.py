"""Rule packs: the shipped ones are complete and cite their sources; user packs are validated."""

from __future__ import annotations

from pathlib import Path

import pytest

from covey.compliance import CATEGORIES, Checker, Draft, builtin_packs, load_pack
from covey.errors import InputError


def test_shipped_packs_cover_the_required_jurisdictions_and_every_category() -> None:
    rules = builtin_packs()
    assert {p.id for p in rules.packs} >= {"US", "GB", "DE", "FR", "ES", "EU", "BASE"}
    assert {r.category for r in rules.rules()} == set(CATEGORIES)
    ids = [r.id for r in rules.rules()]
    assert len(ids) == len(set(ids))
    for r in rules.rules():
        assert r.sources and r.sources[0]["document"] and r.sources[0].get("url", "").startswith("https://")
        assert r.fix_in("en") and r.message and r.jurisdiction


def test_packs_for_a_country_go_from_specific_to_general() -> None:
    rules = builtin_packs()
    assert [p.id for p in rules.for_country("FR")] == ["FR", "EU", "BASE"]
    assert [p.id for p in rules.for_country("US")] == ["US", "BASE"]
    assert [p.id for p in rules.for_country("BR")] == ["BASE"]


BRAND = """
[pack]
id = "ACME"
version = "1"
jurisdiction = "BRAND"
level = "brand"

[[rule]]
id = "ACME-NO-CURE"
category = "health_claim_unsupported"
severity = "high"
trigger = "phrases"
terms = ["heals", "detox"]
fix = "Acme's legal team forbids these words."
source = { document = "Acme brand guidelines 2026", section = "4.2" }

[[rule]]
id = "ACME-MUST-SAY"
category = "disclosure_missing"
trigger = "absent"
terms = ["#acmepartner"]
fix = "Add #AcmePartner."
source = { document = "Acme brand guidelines 2026" }
"""


def test_a_brand_pack_adds_must_say_and_must_not_say(tmp_path: Path) -> None:
    path = tmp_path / "acme.toml"
    path.write_text(BRAND, encoding="utf-8")
    checker = Checker(builtin_packs().with_pack(load_pack(path)))
    got = checker.check(Draft(caption="#ad Our detox tea @acme", country="US", paid=True))
    assert {f.rule for f in got.flags} == {"ACME-NO-CURE", "ACME-MUST-SAY"}
    ok = checker.check(Draft(caption="#ad Our tea @acme #AcmePartner", country="US", paid=True))
    assert ok.flags == ()


@pytest.mark.parametrize(
    ("edit", "field"),
    [
        (('category = "health_claim_unsupported"', 'category = "bad_words"'), "rule ACME-NO-CURE"),
        (('trigger = "phrases"', 'trigger = "magic"'), "rule ACME-NO-CURE"),
        (('source = { document = "Acme brand guidelines 2026" }', ""), "rule ACME-MUST-SAY"),
        (('terms = ["#acmepartner"]', "terms = []"), "rule ACME-MUST-SAY"),
    ],
)
def test_bad_packs_name_file_and_field(tmp_path: Path, edit: tuple[str, str], field: str) -> None:
    path = tmp_path / "bad.toml"
    path.write_text(BRAND.replace(*edit), encoding="utf-8")
    with pytest.raises(InputError) as err:
        load_pack(path)
    assert err.value.field == field and str(path) in str(err.value)


def test_not_toml_is_an_input_error(tmp_path: Path) -> None:
    path = tmp_path / "x.toml"
    path.write_text("[pack\n", encoding="utf-8")
    with pytest.raises(InputError, match="not valid TOML"):
        load_pack(path)

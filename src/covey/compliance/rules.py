"""Rule packs: TOML files, one rule per entry, loaded, validated and chosen by country.

The packs shipped with Covey live in ``covey/compliance/packs/*.toml``; a user adds a pack
(for instance a brand's must-say / must-not-say list) with ``load_pack(path)`` or
``covey check --pack FILE``. See docs/compliance.md for the format.
"""

from __future__ import annotations

import logging
import tomllib
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

from covey.compliance.result import CATEGORIES, PRODUCT_KINDS, SEVERITIES
from covey.errors import InputError

log = logging.getLogger("covey.compliance")

TRIGGERS = (
    "disclosure",
    "rx_mention",
    "health_claim",
    "disease_claim",
    "discourages_treatment",
    "phrases",
    "absent",
)
OUTCOMES = ("missing", "ambiguous", "buried", "wrong_language")
LEVELS = {"brand": 0, "country": 1, "region": 2, "baseline": 3}
LABEL_CLASSES = ("ad", "gift", "affiliate")


@dataclass(frozen=True)
class Rule:
    """One rule: what triggers it, when it applies, what it is, where it comes from."""

    id: str
    category: str
    severity: str
    trigger: str
    jurisdiction: str
    message: str
    fix: dict[str, str]
    sources: tuple[dict[str, str], ...]
    outcome: str = ""
    terms: tuple[str, ...] = ()
    product_kinds: tuple[str, ...] = ()
    rx: bool = False
    not_countries: tuple[str, ...] = ()
    commercial: bool = True

    @property
    def citation(self) -> str:
        """The first source as one line: document, section."""
        s = self.sources[0]
        return f"{s['document']}, {s['section']}" if s.get("section") else s["document"]

    def fix_in(self, language: str) -> str:
        """The suggested fix in ``language``, else English, else any."""
        return self.fix.get(language) or self.fix.get("en") or next(iter(self.fix.values()))


@dataclass(frozen=True)
class DisclosurePolicy:
    """Which label classes disclose which connection; optional legal wording and language."""

    paid: tuple[str, ...] = ("ad",)
    gifted: tuple[str, ...] = ("ad", "gift")
    affiliate: tuple[str, ...] = ("ad", "affiliate")
    required_terms: tuple[str, ...] = ()
    required_language: str = ""


@dataclass(frozen=True)
class Pack:
    """A versioned set of rules for some audience countries."""

    id: str
    version: str
    jurisdiction: str
    level: str
    countries: tuple[str, ...]
    title: str
    rules: tuple[Rule, ...]
    disclosure: DisclosurePolicy | None = None
    path: str = ""

    def applies_to(self, country: str) -> bool:
        """True when the pack covers audiences in ``country``."""
        return "*" in self.countries or country in self.countries


@dataclass(frozen=True)
class RuleSet:
    """The packs in force, most specific first for any one country."""

    packs: tuple[Pack, ...] = field(default=())

    def for_country(self, country: str) -> tuple[Pack, ...]:
        """The packs that apply to ``country``: brand, country, region, baseline."""
        chosen = [p for p in self.packs if p.applies_to(country)]
        return tuple(sorted(chosen, key=lambda p: LEVELS[p.level]))

    def with_pack(self, pack: Pack) -> RuleSet:
        """A new rule set with ``pack`` added (a pack with the same id is replaced)."""
        return RuleSet((*(p for p in self.packs if p.id != pack.id), pack))

    def rules(self) -> list[Rule]:
        """Every rule of every pack."""
        return [r for p in self.packs for r in p.rules]


def _strs(value: Any, where: str, path: str) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise InputError("must be a list of strings", path=path, field=where)
    return tuple(value)


def _req(d: dict[str, Any], key: str, where: str, path: str) -> str:
    value = d.get(key)
    if not isinstance(value, str) or not value.strip():
        raise InputError(f"'{key}' is missing or not text", path=path, field=f"{where}.{key}")
    return value


def _rule(d: dict[str, Any], pack: dict[str, Any], i: int, path: str) -> Rule:
    where = f"rule[{i}]"
    rid = _req(d, "id", where, path)
    where = f"rule {rid}"
    category = _req(d, "category", where, path)
    if category not in CATEGORIES:
        raise InputError(
            f"unknown category {category!r}; one of {', '.join(CATEGORIES)}", path=path, field=where
        )
    severity = d.get("severity", "medium")
    if severity not in SEVERITIES:
        raise InputError(f"severity must be one of {', '.join(SEVERITIES)}", path=path, field=where)
    trigger = _req(d, "trigger", where, path)
    if trigger not in TRIGGERS:
        raise InputError(f"unknown trigger {trigger!r}; one of {', '.join(TRIGGERS)}", path=path, field=where)
    outcome = d.get("outcome", "")
    if trigger == "disclosure" and outcome not in OUTCOMES:
        raise InputError(
            f"a disclosure rule needs outcome = one of {', '.join(OUTCOMES)}", path=path, field=where
        )
    terms = _strs(d.get("terms", []), f"{where}.terms", path)
    if trigger in ("phrases", "absent") and not terms:
        raise InputError(f"trigger {trigger!r} needs a non-empty 'terms' list", path=path, field=where)
    kinds = _strs(d.get("product_kinds", []), f"{where}.product_kinds", path)
    bad = [k for k in kinds if k not in PRODUCT_KINDS]
    if bad:
        raise InputError(f"unknown product kind {bad[0]!r}", path=path, field=f"{where}.product_kinds")
    fix = d.get("fix")
    if isinstance(fix, str):
        fix = {"en": fix}
    if not isinstance(fix, dict) or not fix or not all(isinstance(v, str) for v in fix.values()):
        raise InputError("'fix' must be text or a table of language = text", path=path, field=where)
    raw_sources = d.get("source")
    if isinstance(raw_sources, dict):
        raw_sources = [raw_sources]
    if not isinstance(raw_sources, list) or not raw_sources:
        raise InputError("every rule needs a 'source' (document, section, url)", path=path, field=where)
    sources = []
    for s in raw_sources:
        if not isinstance(s, dict) or not isinstance(s.get("document"), str):
            raise InputError("each source needs a 'document'", path=path, field=f"{where}.source")
        sources.append({k: str(v) for k, v in s.items() if k in ("document", "section", "url")})
    return Rule(
        id=rid,
        category=category,
        severity=severity,
        trigger=trigger,
        jurisdiction=str(d.get("jurisdiction", pack["jurisdiction"])),
        message=str(d.get("message", "")),
        fix={str(k): v for k, v in fix.items()},
        sources=tuple(sources),
        outcome=outcome,
        terms=tuple(t.lower() for t in terms),
        product_kinds=kinds,
        rx=bool(d.get("rx", False)),
        not_countries=_strs(d.get("not_countries", []), f"{where}.not_countries", path),
        commercial=bool(d.get("commercial", True)),
    )


def parse_pack(doc: dict[str, Any], path: str) -> Pack:
    """Validate a parsed TOML document and build its Pack (InputError on any problem)."""
    head = doc.get("pack")
    if not isinstance(head, dict):
        raise InputError("missing [pack] table", path=path, field="pack")
    for key in ("id", "version", "jurisdiction"):
        _req(head, key, "pack", path)
    level = head.get("level", "brand")
    if level not in LEVELS:
        raise InputError(f"level must be one of {', '.join(LEVELS)}", path=path, field="pack.level")
    countries = _strs(head.get("countries", ["*"]), "pack.countries", path)
    policy = None
    if "disclosure" in doc:
        d = doc["disclosure"]
        defaults = (("paid", ("ad",)), ("gifted", ("ad", "gift")), ("affiliate", ("ad", "affiliate")))
        lists = {k: _strs(d.get(k, list(v)), f"disclosure.{k}", path) for k, v in defaults}
        for k, v in lists.items():
            if any(c not in LABEL_CLASSES for c in v):
                raise InputError(
                    f"label classes are {', '.join(LABEL_CLASSES)}", path=path, field=f"disclosure.{k}"
                )
        policy = DisclosurePolicy(
            paid=lists["paid"],
            gifted=lists["gifted"],
            affiliate=lists["affiliate"],
            required_terms=tuple(t.lower() for t in _strs(d.get("required_terms", []), "disclosure.required_terms", path)),  # noqa: E501
            required_language=str(d.get("required_language", "")),
        )  # fmt: skip
    raw_rules = doc.get("rule", [])
    if not isinstance(raw_rules, list) or not raw_rules:
        raise InputError("a pack needs at least one [[rule]]", path=path, field="rule")
    rules = tuple(_rule(r, head, i, path) for i, r in enumerate(raw_rules))
    ids = [r.id for r in rules]
    dupes = sorted({i for i in ids if ids.count(i) > 1})
    if dupes:
        raise InputError(f"duplicate rule id {dupes[0]!r}", path=path, field="rule")
    return Pack(
        id=head["id"],
        version=head["version"],
        jurisdiction=head["jurisdiction"],
        level=level,
        countries=tuple(c.upper() if c != "*" else c for c in countries),
        title=str(head.get("title", head["id"])),
        rules=rules,
        disclosure=policy,
        path=path,
    )


def load_pack(path: Path) -> Pack:
    """Read and validate one pack file."""
    try:
        doc = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise InputError("no such file", path=path) from exc
    except tomllib.TOMLDecodeError as exc:
        raise InputError(f"not valid TOML: {exc}", path=path) from exc
    return parse_pack(doc, str(path))


def builtin_packs() -> RuleSet:
    """The packs shipped with Covey (US, GB, DE, FR, ES, EU, baseline)."""
    folder = resources.files("covey.compliance") / "packs"
    packs = []
    for entry in sorted(folder.iterdir(), key=lambda e: e.name):
        if entry.name.endswith(".toml"):
            doc = tomllib.loads(entry.read_text(encoding="utf-8"))
            packs.append(parse_pack(doc, f"covey/compliance/packs/{entry.name}"))
    log.debug("loaded %d built-in packs", len(packs))
    return RuleSet(tuple(packs))

"""Prices: a transparent, editable rate card and per-creator overrides.

Cost of one post = card[platform][tier] x clamp((er / typical_er[tier]) ** elasticity, lo, hi),
where er is the engagement rate by followers; unknown engagement leaves the card price.
An override replaces the price: ``fee`` (a quoted fee per post) or ``product_only`` (no
money changes hands; ``product_value`` is shown but not charged to the budget).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from covey.errors import InputError
from covey.planning.settings import read_settings

log = logging.getLogger("covey.planning.ratecard")


@dataclass(frozen=True)
class Override:
    """A price agreed with one creator."""

    fee: float | None = None
    product_only: bool = False
    product_value: float = 0.0


@dataclass(frozen=True)
class RateCard:
    """Cost per post by platform and tier, with the engagement adjustment and overrides."""

    currency: str
    cost_per_post: dict[str, dict[str, float]]
    typical_er: dict[str, float]
    elasticity: float = 0.5
    min_multiplier: float = 0.6
    max_multiplier: float = 1.8
    overrides: dict[str, Override] = field(default_factory=dict)
    source: str = "covey default rate card"

    def base(self, platform: str | None, tier: str | None) -> float:
        """Card price of one post before the engagement adjustment."""
        table = self.cost_per_post.get(platform or "default", self.cost_per_post["default"])
        if tier not in table:
            raise InputError(
                f"the rate card has no price for tier {tier!r} on {platform}", field="cost_per_post"
            )
        return float(table[tier])

    def prices(
        self,
        account_ids: list[str],
        handles: list[str | None],
        platforms: list[str | None],
        tiers: list[str | None],
        engagement: npt.NDArray[np.float64],
    ) -> tuple[npt.NDArray[np.float64], list[str]]:
        """Money per post for every creator, and a short note of how each was set."""
        base = np.array([self.base(p, t) for p, t in zip(platforms, tiers, strict=True)], dtype=np.float64)
        typical = np.array([self.typical_er.get(t or "micro", np.nan) for t in tiers], dtype=np.float64)
        ratio = np.where(np.isfinite(engagement) & (typical > 0), engagement / typical, 1.0)
        mult = np.clip(
            np.power(np.maximum(ratio, 1e-9), self.elasticity), self.min_multiplier, self.max_multiplier
        )
        cost = base * mult
        notes = [f"card {b:,.0f} x engagement {m:.2f}" for b, m in zip(base, mult, strict=True)]
        for i, (a, h) in enumerate(zip(account_ids, handles, strict=True)):
            ov = self.overrides.get(a) or (self.overrides.get(h) if h else None)
            if ov is None:
                continue
            if ov.product_only:
                cost[i] = 0.0
                notes[i] = f"product only (value {ov.product_value:,.0f} {self.currency}, not charged)"
            elif ov.fee is not None:
                cost[i] = ov.fee
                notes[i] = "quoted fee"
        return cost, notes


@dataclass(frozen=True)
class Exchange:
    """Units of each currency per 1 EUR, with the date and source they were taken from."""

    per_eur: dict[str, float]
    date: str
    source: str

    def factor(self, from_cur: str, to_cur: str) -> float:
        """Multiply an amount in ``from_cur`` by this to get ``to_cur``; InputError if unknown."""
        for cur in (from_cur, to_cur):
            if cur not in self.per_eur:
                raise InputError(
                    f"no exchange rate for {cur}: the rate card is priced in {from_cur} and Covey's table "
                    f"({self.source}) covers {', '.join(sorted(self.per_eur))}; pass a rate card priced in "
                    f"{to_cur} with --rate-card FILE",
                    field="--currency",
                )
        return self.per_eur[to_cur] / self.per_eur[from_cur]


def load_exchange() -> Exchange:
    """The exchange-rate table shipped with Covey (``fx.toml``)."""
    data = read_settings(None, "fx.toml", "exchange rates")
    return Exchange(
        {str(k).upper(): float(v) for k, v in data["per_eur"].items()}, str(data["date"]), str(data["source"])
    )


def in_currency(card: RateCard, currency: str, fx: Exchange | None = None) -> tuple[RateCard, str | None]:
    """The card with its prices in ``currency``, and a note saying which rate did it (None: no change)."""
    if currency == card.currency:
        return card, None
    fx = fx or load_exchange()
    f = fx.factor(card.currency, currency)
    costs = {p: {t: v * f for t, v in tiers.items()} for p, tiers in card.cost_per_post.items()}
    overrides = {
        k: Override(None if o.fee is None else o.fee * f, o.product_only, o.product_value * f)
        for k, o in card.overrides.items()
    }
    note = (
        f"prices converted from the rate card's {card.currency} at 1 {card.currency} = {f:.4g} {currency} "
        f"({fx.source}, dated {fx.date})"
    )
    return replace(card, currency=currency, cost_per_post=costs, overrides=overrides), note


def _override(key: str, raw: dict[str, Any], path: Path | None) -> Override:
    fee = raw.get("fee")
    if fee is not None and (not isinstance(fee, int | float) or fee < 0):
        raise InputError(f"override {key!r}: fee must be a non-negative number", path=path, field="fee")
    return Override(
        fee=float(fee) if fee is not None else None,
        product_only=bool(raw.get("product_only", False)),
        product_value=float(raw.get("product_value", 0.0)),
    )


def load_rate_card(path: Path | None = None) -> RateCard:
    """Read a rate card TOML: the default shipped with Covey, or the user's file."""
    data = read_settings(path, "ratecard.toml", "rate card")
    costs = {
        str(p): {str(t): float(v) for t, v in tiers.items()}
        for p, tiers in data.get("cost_per_post", {}).items()
    }
    if "default" not in costs:
        raise InputError("the rate card needs a [cost_per_post.default] table", path=path)
    eng = data.get("engagement", {})
    overrides = {str(k): _override(str(k), v, path) for k, v in data.get("overrides", {}).items()}
    return RateCard(
        currency=str(data.get("currency", "EUR")),
        cost_per_post=costs,
        typical_er={str(k): float(v) for k, v in eng.get("typical_er", {}).items()},
        elasticity=float(eng.get("elasticity", 0.5)),
        min_multiplier=float(eng.get("min_multiplier", 0.6)),
        max_multiplier=float(eng.get("max_multiplier", 1.8)),
        overrides=overrides,
        source=str(path) if path else "covey default rate card (src/covey/planning/ratecard.toml)",
    )

"""The audience classifier: plain parameters in a JSON file, scored with numpy.

A fitted :class:`AudienceModel` is a logistic regression over the design features of
``covey.audience.features`` (standardised; unknown values imputed at the training mean,
which contributes nothing), a Platt calibration, and the prior-shift to a real audience's
prevalence. A profile that lacks an optional part (no account age, no bio...; see
``OPTIONAL_PARTS``) is scored by a *variant* refitted without that part, because the other
coefficients were fitted knowing it. The model also carries what the share estimator needs
(its rates out of fold, the EM share's error on held-out sets) and where it came from:
training data, row counts, licences, date and metrics.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Mapping
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any, TypeAlias

import numpy as np
import pyarrow as pa

from covey.audience.calibration import logit, shift_prior, sigmoid
from covey.audience.features import (
    FEATURE_NAMES,
    Primitives,
    choose_variant,
    design_matrix,
    missing_parts,
    parts_mask,
    primitives_from_profiles,
)
from covey.errors import InputError

log = logging.getLogger("covey.audience.model")

MODEL_FORMAT = "covey-audience-model"
MODEL_FORMAT_VERSION = 1
SHIPPED_MODEL = "model.json"
CHUNK = 1 << 17  # profiles scored per block

Profiles: TypeAlias = pa.Table | Mapping[str, Any]


@dataclass(frozen=True)
class ShareCalibration:
    """Rates of the classify-and-count rule ``log-odds >= threshold`` measured out of fold."""

    threshold_log_odds: float  # on the Platt scale, i.e. at the training prevalence
    tpr: float
    fpr: float
    n_pos: int
    n_neg: int
    # Spread (standard deviation) of the rates between the training sets: how far they moved
    # from one population to another, which no sample size shrinks. 0 for one set.
    tpr_spread: float = 0.0
    fpr_spread: float = 0.0
    # Root-mean-square error of the EM share on training sets held out one at a time, split
    # into the part the genuine profiles bring and the part the fakes bring (see
    # covey.audience.transfer): the error of a population the model never saw. 0 for one set.
    em_genuine_spread: float = 0.0
    em_fake_spread: float = 0.0
    # How many held-out sets those spreads were measured on (their own uncertainty sets the
    # interval's multiplier, covey.audience.share.transfer_quantile). 0 = not recorded.
    transfer_sets: int = 0


@dataclass(frozen=True)
class Variant:
    """The model refitted without some optional parts of a profile (see ``OPTIONAL_PARTS``)."""

    features: tuple[str, ...]
    center: np.ndarray
    scale: np.ndarray
    coef: np.ndarray
    intercept: float
    platt_a: float
    platt_b: float

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready parameters."""
        return {
            "features": list(self.features),
            "center": self.center.tolist(),
            "scale": self.scale.tolist(),
            "coef": self.coef.tolist(),
            "intercept": self.intercept,
            "platt": {"a": self.platt_a, "b": self.platt_b},
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Variant:
        """The inverse of :meth:`to_dict` (KeyError, TypeError or ValueError if malformed)."""
        features = tuple(str(f) for f in data["features"])
        if any(f not in FEATURE_NAMES for f in features):
            raise ValueError(f"unknown features in a variant: {features}")
        return cls(
            features,
            np.asarray(data["center"], dtype=np.float64),
            np.asarray(data["scale"], dtype=np.float64),
            np.asarray(data["coef"], dtype=np.float64),
            float(data["intercept"]),
            float(data["platt"]["a"]),
            float(data["platt"]["b"]),
        )


@dataclass
class AudienceModel:
    """A calibrated fake-profile classifier; see the module docstring."""

    version: str
    features: tuple[str, ...]
    center: np.ndarray
    scale: np.ndarray
    coef: np.ndarray
    intercept: float
    platt_a: float
    platt_b: float
    train_prevalence: float
    prevalence: float
    threshold: float
    share: ShareCalibration
    metadata: dict[str, Any] = field(default_factory=dict)
    # Refits without optional parts, keyed like "age+bio" (covey.audience.features.parts_key).
    variants: dict[str, Variant] = field(default_factory=dict)

    # -- scoring ---------------------------------------------------------------
    def _main(self) -> Variant:
        return Variant(
            self.features, self.center, self.scale, self.coef, self.intercept, self.platt_a, self.platt_b
        )

    def _by_variant(self, x: np.ndarray) -> list[tuple[np.ndarray, Variant]]:
        """(rows, variant) pairs: each profile goes to the variant of the optional parts it lacks."""
        masks = missing_parts(x, self.features)
        available = {parts_mask(key): v for key, v in self.variants.items()}
        out = []
        for mask in np.unique(masks):
            chosen = choose_variant(int(mask), set(available))
            out.append((masks == mask, available[chosen] if chosen else self._main()))
        return out

    @staticmethod
    def _standardise(x: np.ndarray, v: Variant) -> np.ndarray:
        z = (x[:, [FEATURE_NAMES.index(name) for name in v.features]] - v.center) / v.scale
        return np.asarray(np.nan_to_num(z, nan=0.0, posinf=0.0, neginf=0.0))

    def calibrated_log_odds(self, prims: Primitives) -> np.ndarray:
        """Log-odds of being fake, calibrated at the training prevalence."""
        n = len(next(iter(prims.values()))) if prims else 0
        out = np.empty(n)
        # In blocks, so millions of profiles never hold the whole design matrix at once.
        for start in range(0, n, CHUNK):
            block = {k: v[start : start + CHUNK] for k, v in prims.items()}
            x = design_matrix(block)
            part = np.empty(len(x))
            for rows, v in self._by_variant(x):
                part[rows] = v.platt_a * (self._standardise(x[rows], v) @ v.coef + v.intercept) + v.platt_b
            out[start : start + CHUNK] = part
        return out

    def proba_from_primitives(self, prims: Primitives, *, prevalence: float | None = None) -> np.ndarray:
        """Probabilities of being fake at ``prevalence`` (default: the model's) from primitives."""
        target = self.prevalence if prevalence is None else prevalence
        return sigmoid(shift_prior(self.calibrated_log_odds(prims), self.train_prevalence, target))

    def predict_proba(self, profiles: Profiles, *, prevalence: float | None = None) -> np.ndarray:
        """Probability that each profile is fake, calibrated for an audience with ``prevalence`` fakes.

        ``profiles``: a pyarrow Table or a mapping of numpy arrays with the canonical
        ``audience_samples`` column names (``username, followers, following, posts,
        has_profile_pic, is_private``; optional ``bio, full_name, external_url,
        created_at, sampled_at``). Missing columns and nulls count as unknown. The default
        prevalence is the model's documented :attr:`prevalence`.
        """
        return self.proba_from_primitives(primitives_from_profiles(profiles), prevalence=prevalence)

    def contributions(self, prims: Primitives) -> np.ndarray:
        """Each feature's part (columns: :attr:`features`) of the calibrated log-odds, relative to an
        average profile, from the variant that scored the profile (0 for features it does not use)."""
        x = design_matrix(prims)
        out = np.zeros((len(x), len(self.features)))
        for rows, v in self._by_variant(x):
            cols = np.array([self.features.index(name) for name in v.features], dtype=np.int64)
            out[np.ix_(np.flatnonzero(rows), cols)] = self._standardise(x[rows], v) * (v.platt_a * v.coef)
        return out

    # -- persistence -----------------------------------------------------------
    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dictionary holding every parameter and the metadata."""
        return {
            "format": MODEL_FORMAT,
            "format_version": MODEL_FORMAT_VERSION,
            "version": self.version,
            "features": list(self.features),
            "center": self.center.tolist(),
            "scale": self.scale.tolist(),
            "coef": self.coef.tolist(),
            "intercept": self.intercept,
            "platt": {"a": self.platt_a, "b": self.platt_b},
            "train_prevalence": self.train_prevalence,
            "prevalence": self.prevalence,
            "threshold": self.threshold,
            "share": {
                "threshold_log_odds": self.share.threshold_log_odds,
                "tpr": self.share.tpr,
                "fpr": self.share.fpr,
                "n_pos": self.share.n_pos,
                "n_neg": self.share.n_neg,
                "tpr_spread": self.share.tpr_spread,
                "fpr_spread": self.share.fpr_spread,
                "em_genuine_spread": self.share.em_genuine_spread,
                "em_fake_spread": self.share.em_fake_spread,
                "transfer_sets": self.share.transfer_sets,
            },
            "variants": {key: v.to_dict() for key, v in self.variants.items()},
            "metadata": self.metadata,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any], *, source: str = "<dict>") -> AudienceModel:
        """Rebuild a model from :meth:`to_dict` output; a clear InputError if it is not one."""
        if data.get("format") != MODEL_FORMAT:
            raise InputError(f"not a Covey audience model (format {data.get('format')!r})", path=source)
        if int(data.get("format_version", 0)) > MODEL_FORMAT_VERSION:
            raise InputError(
                f"model format version {data['format_version']} is newer than this Covey reads "
                f"({MODEL_FORMAT_VERSION}); upgrade Covey",
                path=source,
            )
        try:
            features = tuple(str(f) for f in data["features"])
            unknown = [f for f in features if f not in FEATURE_NAMES]
            if unknown:
                raise InputError(f"model uses unknown features {unknown}", path=source, field="features")
            share = data["share"]
            return cls(
                version=str(data["version"]),
                features=features,
                center=np.asarray(data["center"], dtype=np.float64),
                scale=np.asarray(data["scale"], dtype=np.float64),
                coef=np.asarray(data["coef"], dtype=np.float64),
                intercept=float(data["intercept"]),
                platt_a=float(data["platt"]["a"]),
                platt_b=float(data["platt"]["b"]),
                train_prevalence=float(data["train_prevalence"]),
                prevalence=float(data["prevalence"]),
                threshold=float(data["threshold"]),
                share=ShareCalibration(
                    threshold_log_odds=float(share["threshold_log_odds"]),
                    tpr=float(share["tpr"]),
                    fpr=float(share["fpr"]),
                    n_pos=int(share["n_pos"]),
                    n_neg=int(share["n_neg"]),
                    tpr_spread=float(share.get("tpr_spread", 0.0)),
                    fpr_spread=float(share.get("fpr_spread", 0.0)),
                    em_genuine_spread=float(share.get("em_genuine_spread", 0.0)),
                    em_fake_spread=float(share.get("em_fake_spread", 0.0)),
                    # Older files: the sets their spreads were measured on are in the metadata.
                    transfer_sets=int(
                        share.get(
                            "transfer_sets", len(data.get("metadata", {}).get("held_out_em_errors", {}))
                        )
                    ),
                ),
                metadata=dict(data.get("metadata", {})),
                variants={str(k): Variant.from_dict(v) for k, v in data.get("variants", {}).items()},
            )
        except (KeyError, TypeError, ValueError) as exc:
            raise InputError(f"incomplete or malformed audience model: {exc!r}", path=source) from exc

    def save(self, path: Path | str) -> None:
        """Write the model as indented JSON."""
        Path(path).write_text(json.dumps(self.to_dict(), indent=1) + "\n", encoding="utf-8")
        log.info("wrote audience model %s to %s", self.version, path)

    def share_threshold_probability(self, prevalence: float | None = None) -> float:
        """The classify-and-count threshold expressed as a probability at ``prevalence``."""
        target = self.prevalence if prevalence is None else prevalence
        z = shift_prior(np.array([self.share.threshold_log_odds]), self.train_prevalence, target)
        return float(sigmoid(z)[0])

    def threshold_log_odds(self, threshold: float, prevalence: float | None = None) -> float:
        """A probability threshold at ``prevalence`` expressed on the training-prevalence log-odds."""
        target = self.prevalence if prevalence is None else prevalence
        return float(shift_prior(logit(threshold), target, self.train_prevalence))


def load_model(path: Path | str | None = None) -> AudienceModel:
    """The audience model at ``path``, or the one shipped with Covey when ``path`` is None."""
    if path is None:
        text = resources.files("covey.audience").joinpath(SHIPPED_MODEL).read_text(encoding="utf-8")
        source = f"covey/audience/{SHIPPED_MODEL}"
    else:
        try:
            text = Path(path).read_text(encoding="utf-8")
        except OSError as exc:
            raise InputError(f"cannot read the model: {exc.strerror}", path=path) from exc
        source = str(path)
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError(f"not JSON: {exc.msg}", path=source, line=exc.lineno) from exc
    return AudienceModel.from_dict(data, source=source)

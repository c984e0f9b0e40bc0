"""Audience authenticity: how likely each follower or engager profile is fake, and the fake share.

Public surface::

    model = load_model()                      # the model shipped with Covey, or load_model(path)
    p = model.predict_proba(profiles)         # pyarrow Table or dict of numpy arrays
    estimate = estimate_share(p, model)       # ShareEstimate(share, low, high, n, method, sampling_...)
    describe_precision(estimate)              # "About 21 % give or take 10 points: ..."

``train_model`` fits a new model on any list of ``LabelledSet``; see docs/audience.md.
"""

from covey.audience.calibration import DEFAULT_PREVALENCE
from covey.audience.datasets import LabelledSet, from_profiles, load_cresci, load_instagram, load_world
from covey.audience.model import AudienceModel, load_model
from covey.audience.share import ShareEstimate, describe_precision, estimate_share
from covey.audience.train import train_model

__all__ = [
    "DEFAULT_PREVALENCE",
    "AudienceModel",
    "LabelledSet",
    "ShareEstimate",
    "describe_precision",
    "estimate_share",
    "from_profiles",
    "load_cresci",
    "load_instagram",
    "load_model",
    "load_world",
    "train_model",
]

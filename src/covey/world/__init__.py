"""A realistic sample world: creators, posts, comments and audiences, with the ground truth."""

from covey.world.config import WorldConfig, WorldSummary
from covey.world.generate import generate

__all__ = ["WorldConfig", "WorldSummary", "generate"]

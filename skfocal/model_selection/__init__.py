"""Choosing a focal booster's ``gamma`` and number of iterations by cross-validation."""

from ._display import GammaSearchDisplay
from ._search import GammaSearchCV

__all__ = ["GammaSearchCV", "GammaSearchDisplay"]

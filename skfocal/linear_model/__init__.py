"""Linear models trained with the focal loss."""

from ._classifier import FocalLossClassifier
from ._cv import FocalLossClassifierCV

__all__ = ["FocalLossClassifier", "FocalLossClassifierCV"]

# Public names for the public classes: pickle, skops and reprs show them.
for _public in (FocalLossClassifier, FocalLossClassifierCV):
    _public.__module__ = __name__

"""Linear models trained with the focal loss."""

from ._classifier import FocalLossClassifier
from ._cv import FocalLossClassifierCV
from ._dask import DaskFocalLossClassifier  # imports Dask only when fitting

__all__ = ["DaskFocalLossClassifier", "FocalLossClassifier", "FocalLossClassifierCV"]

# Public names for the public classes: pickle, skops and reprs show them.
for _public in (FocalLossClassifier, FocalLossClassifierCV, DaskFocalLossClassifier):
    _public.__module__ = __name__

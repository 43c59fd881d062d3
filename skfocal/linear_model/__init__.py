"""Linear models trained with the focal loss."""

from ._classifier import FocalLossClassifier
from ._cv import FocalLossClassifierCV

__all__ = ["FocalLossClassifier", "FocalLossClassifierCV"]

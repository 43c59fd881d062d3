"""Linear models trained with the focal loss."""

from ._classifier import FocalLossClassifier

__all__ = ["FocalLossClassifier"]

"""Focal loss for scikit-learn's own gradient boosting.

:class:`FocalHistGradientBoostingClassifier` is scikit-learn's
``HistGradientBoostingClassifier`` with :class:`skfocal.FocalLoss` as its loss:
no dependency beyond scikit-learn. :class:`HistFocalLoss` is that loss object.
Modules: ``_loss`` (the focal loss in the
loss-object interface HGB's fit calls), ``_compat`` (the private scikit-learn
names that takes) and ``_hist_gradient_boosting`` (the estimator).
"""

from ._hist_gradient_boosting import FocalHistGradientBoostingClassifier
from ._loss import HistFocalLoss

__all__ = ["FocalHistGradientBoostingClassifier", "HistFocalLoss"]

for _public in (FocalHistGradientBoostingClassifier, HistFocalLoss):
    _public.__module__ = __name__  # pickle, skops and reprs show the public name

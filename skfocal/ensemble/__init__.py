"""Focal loss for scikit-learn's own gradient boosting.

:class:`FocalHistGradientBoostingClassifier` is scikit-learn's
``HistGradientBoostingClassifier`` with :class:`skfocal.FocalLoss` as its loss:
no dependency beyond scikit-learn. Modules: ``_loss`` (the focal loss in the
loss-object interface HGB's fit calls), ``_compat`` (the private scikit-learn
names that takes) and ``_hist_gradient_boosting`` (the estimator).
"""

from ._hist_gradient_boosting import FocalHistGradientBoostingClassifier

__all__ = ["FocalHistGradientBoostingClassifier"]

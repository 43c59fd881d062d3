"""Focal loss for LightGBM: objective, metric and scikit-learn classifiers.

The only skfocal package that imports :mod:`lightgbm`. It fixes what published
focal objectives for LightGBM leave to the user:

- :class:`FocalObjective` returns the gradient and the positive curvature of
  :class:`skfocal.FocalLoss` (a Newton step on the exact, possibly negative,
  Hessian goes uphill), honours sample weights in both LightGBM APIs and
  provides the optimal initial score, which LightGBM does not compute for custom
  objectives;
- :class:`FocalMetric` evaluates the focal loss on the raw scores LightGBM hands
  to metrics of custom objectives (its built-in logloss would be wrong there);
- :class:`FocalLGBMClassifier` puts both together: initial score in, initial
  score folded into the first trees (the booster is the whole model),
  probabilities out;
  :class:`DaskFocalLGBMClassifier` does the same on Dask.

Modules: ``_adapter`` (LightGBM's side of the front-end contract),
``_callables`` (objective and metric), ``_booster`` (the initial score folded
into a booster), ``_checks`` (LightGBM's parameters), ``_compat`` (its private
API), ``_classifier`` and ``_dask``; the fit sequence and the predictions are
``skfocal._frontend``'s.
"""

from ._booster import fold_init_score
from ._callables import FocalMetric, FocalObjective
from ._classifier import FocalLGBMClassifier
from ._dask import DaskFocalLGBMClassifier

__all__ = [
    "DaskFocalLGBMClassifier",
    "FocalLGBMClassifier",
    "FocalMetric",
    "FocalObjective",
    "fold_init_score",
]

# Public names for the public classes: pickle, skops and reprs show them.
for _public in (
    DaskFocalLGBMClassifier,
    FocalLGBMClassifier,
    FocalMetric,
    FocalObjective,
):
    _public.__module__ = __name__

"""Focal loss for CatBoost: objective, metric and a scikit-learn classifier.

The only skfocal package that imports :mod:`catboost` (``pip install
"skfocal[catboost]"``). :class:`FocalObjective` and :class:`FocalMetric` plug
the focal loss into CatBoost's own API; :func:`fold_init_score` keeps the
start in the model; :class:`FocalCatBoostClassifier` wraps CatBoost as a
scikit-learn estimator that does all of it and returns real probabilities.

Modules: ``_ders`` (the derivatives in CatBoost's layout, compiled),
``_adapter`` (CatBoost's side of the front-end contract), ``_callables``
(objective, metric, fold) and ``_classifier``; the fit sequence and the
predictions are ``skfocal._frontend``'s.
"""

from ._callables import FocalMetric, FocalObjective, fold_init_score
from ._classifier import FocalCatBoostClassifier

__all__ = [
    "FocalCatBoostClassifier",
    "FocalMetric",
    "FocalObjective",
    "fold_init_score",
]

# Public names for the public classes: pickle, skops and reprs show them.
for _public in (FocalCatBoostClassifier, FocalMetric, FocalObjective):
    _public.__module__ = __name__

"""Focal loss for XGBoost: objective, metric and a scikit-learn classifier.

The only skfocal package that imports :mod:`xgboost` (``pip install
"skfocal[xgboost]"``). :class:`FocalObjective` and :class:`FocalMetric` plug the
focal loss into ``xgb.train`` and the scikit-learn API; :class:`FocalXGBClassifier`
starts from the optimal initial score, keeps it in the booster's intercept and
returns real probabilities; :class:`DaskFocalXGBClassifier` does the same on
Dask.

Modules: ``_adapter`` (XGBoost's side of the front-end contract),
``_callables`` (objective and metric), ``_checks`` (XGBoost's parameters and
the intercept), ``_compat`` (its private API), ``_persistence``
(``save_model``/``load_model``), ``_classifier`` and ``_dask``; the fit
sequence and the predictions are ``skfocal._frontend``'s.
"""

from ._callables import FocalMetric, FocalObjective, fold_init_score
from ._classifier import FocalXGBClassifier

__all__ = [
    "DaskFocalXGBClassifier",
    "FocalMetric",
    "FocalObjective",
    "FocalXGBClassifier",
    "fold_init_score",
]

# Public names for the public classes: pickle, skops and reprs show them.
for _public in (FocalMetric, FocalObjective, FocalXGBClassifier):
    _public.__module__ = __name__


def __getattr__(name):
    # xgboost.dask imports dask and distributed: load them on first use only.
    if name == "DaskFocalXGBClassifier":
        from ._dask import DaskFocalXGBClassifier

        return DaskFocalXGBClassifier
    raise AttributeError(f"module 'skfocal.xgboost' has no attribute {name!r}")

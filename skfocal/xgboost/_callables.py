"""FocalObjective and FocalMetric for XGBoost: ``xgb.train`` and the scikit-learn API.

XGBoost calls a custom objective as ``obj(predt, dtrain)`` in ``xgb.train`` and
as ``obj(y_true, y_pred, sample_weight=...)`` in its scikit-learn API; a custom
metric as ``metric(predt, dmatrix)`` (returning a name and a value) and as an
``eval_metric`` ``metric(y_true, y_score[, sample_weight])`` (returning a
value, named by ``__name__``). With a custom objective XGBoost hands both the
raw margins, ``base_margin`` included. Binary models have one margin per row,
K-class models (n, K).
"""

import json

import xgboost as xgb

from .._boosting import constant_score
from .._callables import FocalCallable
from ._adapter import ADAPTER, XGBoostAdapter
from ._checks import fold_base_score


# FocalObjective, FocalMetric and fold_init_score repeat the docstrings of
# skfocal.lightgbm's on purpose: each library's users read their own.
class FocalObjective(FocalCallable):
    r"""Focal loss as an XGBoost custom objective (gradient and positive curvature).

    Usable as ``xgb.train(params, dtrain, obj=FocalObjective(...))`` (labels and
    weights from the DMatrix) and as ``XGBClassifier(objective=FocalObjective(...))``
    (sample weights passed by XGBoost). The Hessian is the positive curvature of
    :meth:`skfocal.FocalLoss.gradient_hessian`, for K classes times 2, the factor
    of XGBoost's own ``multi:softprob`` (its binary ``binary:logistic`` has
    none), so that ``gamma=0`` reproduces XGBoost's built-in objectives.

    XGBoost fits no intercept for a custom objective: start from
    :meth:`init_score` as the DMatrix's ``base_margin`` (and add it to
    ``output_margin`` predictions), or use :class:`FocalXGBClassifier`, which
    also keeps it in the saved model. For more than two classes set
    ``num_class``.

    Parameters
    ----------
    gamma : float, default=2.0
        Focusing parameter, a finite real >= 0.
    alpha : None, float or array-like of shape (num_class,), default=None
        Class weights: a float in (0, 1) weights class 1 of a binary problem
        (class 0 gets ``1 - alpha``); an array gives one weight per class.
    n_threads : int, default=1
        Threads for the gradient and curvature (used from 100,000 rows on);
        -1 uses every CPU.

    Attributes
    ----------
    loss : FocalLoss
        The loss it computes.

    Examples
    --------
    >>> import xgboost as xgb
    >>> from sklearn.datasets import make_classification
    >>> from skfocal.xgboost import FocalObjective
    >>> X, y = make_classification(n_samples=1000, weights=[0.9], random_state=0)
    >>> objective = FocalObjective(gamma=2.0)
    >>> train = xgb.DMatrix(X, y, base_margin=objective.init_score(y))
    >>> booster = xgb.train({"max_depth": 3}, train, 20, obj=objective)
    >>> margin = booster.predict(train, output_margin=True)  # base_margin included
    >>> margin.shape
    (1000,)
    """

    adapter = ADAPTER

    def __call__(self, y_true, y_pred, sample_weight=None):
        """Gradient and curvature; see the class docstring for the two call forms.

        Parameters
        ----------
        y_true : ndarray
            Labels (scikit-learn API) or the margins (``xgb.train``).
        y_pred : ndarray or xgboost.DMatrix
            Margins (scikit-learn API) or the training DMatrix (``xgb.train``).
        sample_weight : ndarray of shape (n_samples,), default=None
            Sample weights (scikit-learn API).

        Returns
        -------
        grad, hess : float32 ndarrays of the margins' shape
            First derivatives and the positive curvature (times 2 for softmax).
        """
        return self._gradient_hessian(y_true, y_pred, sample_weight)


# Its docstring repeats FocalObjective's parameters on purpose (numpydoc: each
# public class documents its own).
class FocalMetric(FocalCallable):
    """Mean focal loss of XGBoost's margins, as a custom metric (lower is better).

    ``xgb.train(..., custom_metric=FocalMetric(...))`` gets ``("focal_loss",
    value)``; as the ``eval_metric`` of the scikit-learn API it returns the value,
    named ``focal_loss`` by its ``__name__``. Early stopping minimises it.

    Parameters
    ----------
    gamma : float, default=2.0
        Focusing parameter, a finite real >= 0.
    alpha : None, float or array-like of shape (num_class,), default=None
        Class weights, as in :class:`FocalObjective`.
    n_threads : int, default=1
        Threads for the loss (used from 100,000 rows on); -1 uses every CPU.

    Attributes
    ----------
    loss : FocalLoss
        The loss it computes.

    Examples
    --------
    >>> import numpy as np
    >>> from skfocal.xgboost import FocalMetric
    >>> round(FocalMetric(gamma=0.0)(np.array([0.0, 1.0]), np.zeros(2)), 6)
    0.693147
    """

    __name__ = "focal_loss"  # XGBoost's name of an eval_metric
    adapter = ADAPTER

    def __call__(self, y_true, y_pred, sample_weight=None):
        """Evaluate; see the class docstring for the two call forms.

        Parameters
        ----------
        y_true : ndarray
            Labels (scikit-learn API) or the margins (``xgb.train``).
        y_pred : ndarray or xgboost.DMatrix
            Margins (scikit-learn API) or the evaluated DMatrix (``xgb.train``).
        sample_weight : ndarray of shape (n_samples,), default=None
            Sample weights (scikit-learn API).

        Returns
        -------
        value : float or (str, float)
            The weighted mean focal loss; with ``xgb.train``'s call form the
            pair ``("focal_loss", value)``.
        """
        return self._evaluate(y_true, y_pred, sample_weight)


def fold_init_score(booster, init_score):
    """Put an initial score into a trained booster's intercept, in place.

    After ``xgb.train`` with :meth:`FocalObjective.init_score` as the DMatrix's
    ``base_margin``, the booster's margins lack that score. Folded into its
    ``base_score``, they include it: ``booster.predict(dmatrix,
    output_margin=True)`` on a DMatrix without ``base_margin`` is the model's
    margin, also after ``save_model`` and a reload in plain XGBoost, for SHAP
    and as ``xgb_model`` to continue training from. Fold it once.

    Parameters
    ----------
    booster : xgboost.Booster
        A trained booster.
    init_score : float, array-like of shape (num_class,) or per-row array
        What :meth:`FocalObjective.init_score` returned, or one row of it.

    Returns
    -------
    booster : xgboost.Booster
        The same booster.

    Examples
    --------
    >>> import numpy as np
    >>> import xgboost as xgb
    >>> from sklearn.datasets import make_classification
    >>> from skfocal.xgboost import FocalObjective, fold_init_score
    >>> X, y = make_classification(n_samples=500, weights=[0.9], random_state=0)
    >>> objective = FocalObjective(gamma=2.0)
    >>> init = objective.init_score(y)
    >>> train = xgb.DMatrix(X, y, base_margin=init)
    >>> booster = xgb.train({"max_depth": 3}, train, 10, obj=objective)
    >>> with_init = booster.predict(train, output_margin=True)
    >>> fold_init_score(booster, init)  # doctest: +ELLIPSIS
    <xgboost.core.Booster object at ...>
    >>> folded = booster.predict(xgb.DMatrix(X), output_margin=True)
    >>> bool(np.allclose(folded, with_init, atol=1e-5))
    True
    """
    if not isinstance(booster, xgb.Booster):
        raise TypeError(
            "fold_init_score takes an xgboost.Booster (for a fitted XGBoost "
            f"estimator, get_booster()), got {type(booster).__name__}. "
            "FocalXGBClassifier folds its initial score itself."
        )
    n_scores = max(1, int(json.loads(booster.save_config())["learner"][
        "learner_model_param"]["num_class"]))  # fmt: skip
    return fold_base_score(booster, constant_score(init_score, n_scores))


# What the front end's fit builds (the adapter cannot import this module).
XGBoostAdapter.objective_class, XGBoostAdapter.metric_class = (
    FocalObjective,
    FocalMetric,
)

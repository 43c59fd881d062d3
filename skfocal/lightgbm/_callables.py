"""FocalObjective and FocalMetric: the focal loss as LightGBM callables.

Both accept LightGBM's two calling conventions (``lgb.train``'s ``(preds,
Dataset)`` and the scikit-learn API's ``(y_true, y_pred, weight)``): the
library-neutral :class:`skfocal._callables.FocalCallable` bound to LightGBM's
adapter.
"""

from .._callables import FocalCallable
from ._adapter import ADAPTER, LightGBMAdapter


class FocalObjective(FocalCallable):
    r"""Focal loss as a LightGBM custom objective (gradient and positive curvature).

    Usable in both LightGBM APIs:

    - ``lgb.train(params={"objective": FocalObjective(...)}, ...)``, called as
      ``(preds, train_data)``: labels and weights come from the Dataset;
    - ``lgb.LGBMClassifier(objective=FocalObjective(...))``, called as
      ``(y_true, y_pred, weight)``, so sample (and class) weights are honoured.

    Binary models get raw scores of shape (n,), multiclass models (n, K) and
    return gradients and Hessians of the same shape. The Hessian is the positive
    curvature of :meth:`skfocal.FocalLoss.gradient_hessian`; for K classes it is
    multiplied by K / (K - 1), the factor LightGBM's own ``multiclass`` objective
    applies (Friedman's damping of the K trees fitted at once on a redundant
    softmax), so that ``gamma=0`` reproduces the built-in objective.

    LightGBM does not compute an initial score for custom objectives: pass
    :meth:`init_score` to the Dataset (and, after training, fold it into the
    booster with :func:`fold_init_score`, or add it to ``predict`` output),
    or use :class:`FocalLGBMClassifier`, which does both. With more than two
    classes set ``num_class`` in the parameters of ``lgb.train``; the
    documentation's LightGBM page has recipes for multiclass models and
    ``lgb.cv``.

    Parameters
    ----------
    gamma : float, default=2.0
        Focusing parameter, a finite real >= 0.
    alpha : None, float or array-like of shape (num_class,), default=None
        Class weights: a float in (0, 1) weights class 1 of a binary problem
        (class 0 gets ``1 - alpha``); an array gives one weight per class.
    n_threads : int, default=1
        Threads for the gradient and curvature (used from 100,000 rows on;
        -1 uses every CPU); FocalLGBMClassifier passes LightGBM's own thread count.

    Attributes
    ----------
    loss : FocalLoss
        The loss it computes.

    Examples
    --------
    >>> import lightgbm as lgb
    >>> from sklearn.datasets import make_classification
    >>> from skfocal.lightgbm import FocalMetric, FocalObjective
    >>> X, y = make_classification(n_samples=1000, weights=[0.9], random_state=0)
    >>> objective = FocalObjective(gamma=2.0)
    >>> train = lgb.Dataset(X, y, init_score=objective.init_score(y))
    >>> params = {"objective": objective, "metric": "None", "verbose": -1}
    >>> booster = lgb.train(params, train, num_boost_round=20)
    >>> raw = booster.predict(X[:3], raw_score=True) + objective.init_score(y)[:3]
    >>> raw.round(2)
    array([-1.68,  0.6 , -1.68])
    """

    adapter = ADAPTER

    def __call__(self, y_true, y_pred, weight=None):
        """Gradient and curvature; see the class docstring for the two call forms.

        Parameters
        ----------
        y_true : ndarray of shape (n_samples,) or ndarray of raw scores
            Labels (scikit-learn API) or the raw scores (``lgb.train``).
        y_pred : ndarray of raw scores or lightgbm.Dataset
            Raw scores (scikit-learn API) or the training Dataset (``lgb.train``).
        weight : ndarray of shape (n_samples,), default=None
            Sample weights (scikit-learn API).

        Returns
        -------
        grad : float32 ndarray of the raw scores' shape
            First derivatives (computed in float64; float32 and column-major as
            LightGBM stores them, so that it takes them without a copy).
        hess : float32 ndarray of the raw scores' shape
            Positive curvature; for softmax with K classes times K / (K - 1).
        """
        return self._gradient_hessian(y_true, y_pred, weight)


# Its docstring repeats FocalObjective's parameters on purpose (numpydoc: each
# public class documents its own).
class FocalMetric(FocalCallable):
    """Mean focal loss of raw scores, as a LightGBM evaluation metric.

    With a custom objective LightGBM gives metrics raw scores (including the
    Dataset's ``init_score``); this maps them through the link and returns the
    (weighted) mean focal loss: ``("focal_loss", value, False)``, lower is
    better. Usable as ``feval`` in ``lgb.train`` and as ``eval_metric`` in
    ``LGBMClassifier.fit``.

    :class:`FocalLGBMClassifier` evaluates the focal loss of its own ``gamma``
    and ``alpha`` on every eval set by itself, as ``"focal_loss"``. A
    ``FocalMetric`` passed to its ``fit`` as ``eval_metric`` is reported once:
    one of the model's own loss is that same ``"focal_loss"``, one of another
    loss is reported under a name that gives its parameters, such as
    ``"focal_loss(gamma=0)"``.

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
    >>> from skfocal.lightgbm import FocalMetric
    >>> name, value, higher_is_better = FocalMetric(gamma=0.0)([0, 1], np.zeros(2))
    >>> name, round(value, 6), higher_is_better
    ('focal_loss', 0.693147, False)
    """

    adapter = ADAPTER

    def __call__(self, y_true, y_pred, weight=None):
        """Evaluate; see the class docstring for the two call forms.

        Parameters
        ----------
        y_true : ndarray of shape (n_samples,) or ndarray of raw scores
            Labels (scikit-learn API) or the raw scores (``lgb.train``).
        y_pred : ndarray of raw scores or lightgbm.Dataset
            Raw scores (scikit-learn API) or the evaluated Dataset (``lgb.train``).
        weight : ndarray of shape (n_samples,), default=None
            Sample weights (scikit-learn API).

        Returns
        -------
        name : str
            ``"focal_loss"``.
        value : float
            Weighted mean focal loss.
        is_higher_better : bool
            False.
        """
        return self._evaluate(y_true, y_pred, weight)


# What the front end's fit builds (the adapter cannot import this module).
LightGBMAdapter.objective_class, LightGBMAdapter.metric_class = (
    FocalObjective,
    FocalMetric,
)

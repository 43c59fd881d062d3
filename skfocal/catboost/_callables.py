"""FocalObjective and FocalMetric for CatBoost: ``catboost.train`` and ``CatBoost*``.

CatBoost calls a user-defined objective's ``calc_ders_range(approxes, targets,
weights)`` on blocks of rows (one raw score per row) and, for more than two
classes, ``calc_ders_multi(approxes, target, weight)`` once per row. It wants
the derivatives of the objective it *maximises*, minus the loss, and leaves
the weights to the objective. A user-defined metric's ``evaluate(approxes,
target, weight)`` gets one array of raw scores per class and returns a sum and
a total weight; ``get_final_error`` divides them. With a user-defined
objective CatBoost starts from zero or from the Pool's ``baseline`` and keeps
no start in the model: :func:`fold_init_score` puts it there.
"""

import catboost
import numpy as np

from .._boosting import constant_score
from .._callables import FocalCallable, Validated
from .._validation import assert_all_finite, check_weight_sum
from ._adapter import ADAPTER, CatBoostAdapter, add_to_bias
from ._ders import binary_ders, softmax_ders


class _CatBoostCallable(FocalCallable):
    """What CatBoost's objective and metric share: no jit, cached class weights."""

    adapter = ADAPTER
    # CatBoost tries numba.njit on the methods of a user's objective and warns
    # when they read self: these run compiled kernels already.
    no_jit = True

    def _make_caches(self):
        super()._make_caches()
        self._class_weights = Validated(
            lambda _, n_classes: self.loss.class_weights(n_classes)
        )

    def _raise_invalid(self, targets, approxes, weights):
        """Raise what the checks say of input the kernel counted invalid."""
        _, raw, _, _ = self._checked(
            *self.adapter.callable_arguments(targets, approxes, weights)
        )
        assert_all_finite(raw, "raw scores")
        raise AssertionError("the kernel counted invalid values no check finds.")


# FocalObjective, FocalMetric and fold_init_score repeat the docstrings of
# skfocal.lightgbm's in parts on purpose: each library's users read their own.
class FocalObjective(_CatBoostCallable):
    r"""Focal loss as a CatBoost objective: derivatives of minus the loss.

    A ``loss_function`` for ``catboost.train``, :class:`catboost.CatBoost` and
    :class:`catboost.CatBoostClassifier`, binary (one raw score per row,
    labels 0 and 1) and multiclass (``classes_count`` K > 2, labels 0 to
    K - 1). CatBoost maximises: the first derivative is minus the gradient of
    the focal loss, the second minus skfocal's positive curvature
    (:meth:`skfocal.FocalLoss.gradient_hessian`), both times the weights. So a
    Newton leaf step goes downhill at any raw score, where CatBoost's built-in
    ``Focal`` uses the exact, signed second derivative. ``gamma=0`` is
    ``Logloss``; for K classes the second derivative is the diagonal of the
    softmax curvature (``MultiClass`` uses the full K x K Hessian: see the
    CatBoost page of the documentation).

    CatBoost starts a user-defined objective from zero: pass
    :meth:`init_score` as the Pool's ``baseline``, and after training put it
    into the model with :func:`fold_init_score`. CatBoost also needs an
    ``eval_metric`` with it: :class:`FocalMetric`. Or use
    :class:`FocalCatBoostClassifier`, which does all of that.

    Parameters
    ----------
    gamma : float, default=2.0
        Focusing parameter, a finite real >= 0.
    alpha : None, float or array-like of shape (n_classes,), default=None
        Class weights: a float in (0, 1) weights class 1 of a binary problem
        (class 0 gets ``1 - alpha``); an array gives one weight per class.
    n_threads : int, default=1
        Not used by the objective, which CatBoost calls from its own threads
        on blocks of rows; kept so that the objective and the metric take the
        same arguments.

    Attributes
    ----------
    loss : FocalLoss
        The loss it computes.

    Examples
    --------
    >>> import catboost
    >>> from sklearn.datasets import make_classification
    >>> from skfocal.catboost import FocalMetric, FocalObjective, fold_init_score
    >>> X, y = make_classification(n_samples=1000, weights=[0.9], random_state=0)
    >>> objective = FocalObjective(gamma=2.0)
    >>> init = objective.init_score(y)
    >>> model = catboost.CatBoost({
    ...     "loss_function": objective, "eval_metric": FocalMetric(gamma=2.0),
    ...     "iterations": 20, "verbose": False, "allow_writing_files": False,
    ... })
    >>> model = model.fit(catboost.Pool(X, y, baseline=init))
    >>> model = fold_init_score(model, init)  # the model is the whole model now
    >>> model.predict(X[:4], prediction_type="RawFormulaVal").shape
    (4,)
    """

    def calc_ders_range(self, approxes, targets, weights):
        """Derivatives of minus the loss for a block of rows (binary).

        Parameters
        ----------
        approxes : ndarray of shape (n_rows,)
            Raw scores (the baseline included).
        targets : ndarray of shape (n_rows,)
            Labels, 0 or 1.
        weights : ndarray of shape (n_rows,) or None
            Weights of the rows.

        Returns
        -------
        ders : ndarray of shape (n_rows, 2)
            Minus the gradient and minus the positive curvature, times the
            weights.
        """
        raw = np.asarray(approxes, dtype=np.float64)
        out = np.empty((raw.shape[0], 2))
        class_weight = self._class_weights(None, (2,))
        if binary_ders(targets, raw, self.loss.gamma, class_weight, weights, out):
            self._raise_invalid(targets, raw, weights)
        return out

    def calc_ders_multi(self, approxes, target, weight):
        """Derivatives of minus the loss for one row (K classes).

        Parameters
        ----------
        approxes : ndarray of shape (n_classes,)
            The row's raw scores (the baseline included).
        target : float
            Its class index.
        weight : float or None
            Its weight.

        Returns
        -------
        first : ndarray of shape (n_classes,)
            Minus the gradient, times the weight.
        second : ndarray of shape (n_classes, n_classes)
            Minus the positive curvature on the diagonal, times the weight.
        """
        raw = np.asarray(approxes, dtype=np.float64)
        n_classes = raw.shape[0]
        first, second = np.empty(n_classes), np.empty((n_classes, n_classes))
        weight = 1.0 if weight is None else float(weight)
        class_weight = self._class_weights(None, (n_classes,))
        if softmax_ders(
            float(target), raw, self.loss.gamma, class_weight, weight, first, second
        ):
            self._raise_invalid(np.array([target]), raw[None, :], None)
        return first, second


# Its docstring repeats FocalObjective's parameters on purpose (numpydoc: each
# public class documents its own).
class FocalMetric(_CatBoostCallable):
    """Mean focal loss of CatBoost's raw scores as an ``eval_metric`` (lower: better).

    CatBoost reports it under the class name and early stopping minimises it.
    The raw scores are the model's: train and evaluate with the start in the
    Pools' ``baseline`` (or in the model, :func:`fold_init_score`).

    Parameters
    ----------
    gamma : float, default=2.0
        Focusing parameter, a finite real >= 0.
    alpha : None, float or array-like of shape (n_classes,), default=None
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
    >>> from skfocal.catboost import FocalMetric
    >>> metric = FocalMetric(gamma=0.0)
    >>> error, weight = metric.evaluate([np.zeros(2)], np.array([0.0, 1.0]), None)
    >>> round(metric.get_final_error(error, weight), 6)
    0.693147
    """

    def is_max_optimal(self):
        """False: a lower focal loss is better.

        Returns
        -------
        bool
        """
        return False

    def evaluate(self, approxes, target, weight):
        """The weighted sum of the focal losses of the rows, and their total weight.

        Parameters
        ----------
        approxes : sequence of ndarrays of shape (n_rows,)
            One array of raw scores per model dimension (one for binary).
        target : ndarray of shape (n_rows,)
            Class indices.
        weight : ndarray of shape (n_rows,) or None
            Weights of the rows.

        Returns
        -------
        error, weight : float
            The sum and the total weight.
        """
        y, raw, sw, n_classes = self._checked(
            *self.adapter.callable_arguments(target, approxes, weight)
        )
        loss = np.empty(raw.shape[0])
        self._run("loss", y, raw, sw, n_classes, loss=loss)
        return float(loss.sum()), float(raw.shape[0] if sw is None else sw.sum())

    def get_final_error(self, error, weight):
        """The weighted mean focal loss.

        Parameters
        ----------
        error, weight : float
            What :meth:`evaluate` summed.

        Returns
        -------
        float
        """
        return error / check_weight_sum(weight)


def fold_init_score(model, init_score):
    """Put an initial score into a trained CatBoost model, in place.

    After training with :meth:`FocalObjective.init_score` as the Pool's
    ``baseline``, the model's raw scores (``RawFormulaVal``) lack that score.
    Folded into the model's bias (``set_scale_and_bias``), they include it:
    ``model.predict(X, prediction_type="RawFormulaVal")`` is the model's raw
    score, also after ``save_model`` and a reload in plain CatBoost, and
    training continued from it (``init_model``) starts from the right place.
    The bias adds up: fold it once. CatBoost drops the bias of the
    ``init_model`` from the continued model: fold the old model's bias
    (``get_scale_and_bias()[1]``) into the new one.

    Parameters
    ----------
    model : catboost.CatBoost
        A trained model (a ``CatBoostClassifier`` too).
    init_score : float, array-like of shape (n_classes,) or per-row array
        What :meth:`FocalObjective.init_score` returned, or one row of it.

    Returns
    -------
    model : catboost.CatBoost
        The same model.

    Examples
    --------
    >>> import catboost
    >>> import numpy as np
    >>> from sklearn.datasets import make_classification
    >>> from skfocal.catboost import FocalMetric, FocalObjective, fold_init_score
    >>> X, y = make_classification(n_samples=500, weights=[0.9], random_state=0)
    >>> objective = FocalObjective(gamma=2.0)
    >>> init = objective.init_score(y)
    >>> model = catboost.CatBoost({
    ...     "loss_function": objective, "eval_metric": FocalMetric(gamma=2.0),
    ...     "iterations": 10, "verbose": False, "allow_writing_files": False,
    ... }).fit(catboost.Pool(X, y, baseline=init))
    >>> with_init = model.predict(catboost.Pool(X, baseline=init),
    ...                           prediction_type="RawFormulaVal")
    >>> folded = fold_init_score(model, init).predict(
    ...     X, prediction_type="RawFormulaVal")
    >>> bool(np.allclose(folded, with_init))
    True
    """
    if not isinstance(model, catboost.CatBoost):
        raise TypeError(
            "fold_init_score takes a trained catboost.CatBoost model, got "
            f"{type(model).__name__}. FocalCatBoostClassifier folds its initial "
            "score itself."
        )
    if not model.is_fitted():
        raise ValueError("fold_init_score takes a trained model; fit it first.")
    n_scores = np.size(model.get_scale_and_bias()[1])
    add_to_bias(model, constant_score(init_score, n_scores))
    return model


# What the front end's fit builds (the adapter cannot import this module).
CatBoostAdapter.objective_class, CatBoostAdapter.metric_class = (
    FocalObjective,
    FocalMetric,
)

"""`FocalLossClassifier`: a linear classifier trained with focal loss."""

import warnings
from numbers import Integral, Real

import numpy as np
from scipy import optimize
from sklearn.base import BaseEstimator, _fit_context
from sklearn.exceptions import ConvergenceWarning
from sklearn.linear_model._base import LinearClassifierMixin
from sklearn.utils._param_validation import (
    Interval,
    StrOptions,
)
from sklearn.utils.multiclass import check_classification_targets
from sklearn.utils.validation import (
    _check_sample_weight,
    check_is_fitted,
    validate_data,
)

from .._loss import FocalLoss, class_probabilities
from .._validation import (
    alpha_per_class,
    check_seen_labels,
    class_weight_per_class,
)
from ._objective import FocalLinearObjective, feature_scale

__all__ = ["FocalLossClassifier"]


class FocalLossClassifier(LinearClassifierMixin, BaseEstimator):
    r"""Linear classifier trained with the focal loss and an L2 penalty.

    Minimises

    .. math::

        C \sum_i s_i\, \alpha_{y_i} (1 - p_{t,i})^\gamma (-\log p_{t,i})
        + \tfrac{1}{2} \lVert W \rVert^2

    over the weights :math:`W` and the unpenalised intercept, where
    :math:`p_{t,i}` is the model probability of sample :math:`i`'s class
    (sigmoid for two classes, softmax, i.e. multinomial, for more) and
    :math:`s_i` its sample weight times its ``class_weight``. At ``gamma=0`` and
    ``alpha=None`` this is exactly :class:`~sklearn.linear_model.LogisticRegression`.
    The focal loss is not convex for ``gamma > 0``: L-BFGS-B finds a local
    minimum, starting from zero (or the previous solution with ``warm_start``).

    Parameters
    ----------
    gamma : float, default=2.0
        Focusing parameter, a finite real >= 0. Larger values down-weight
        well-classified samples more; 0 is the logistic loss.
    alpha : None, float, array-like of shape (n_classes,) or dict, default=None
        Class weights inside the focal loss. A float in (0, 1) (binary only)
        weights ``classes_[1]`` by ``alpha`` and ``classes_[0]`` by
        ``1 - alpha``; an array gives one positive weight per class in the order
        of ``classes_``; a dict maps every class label to its weight.
    C : float, default=1.0
        Inverse of the regularisation strength, > 0 (``np.inf``: no penalty).
    fit_intercept : bool, default=True
        Whether to fit an intercept per score.
    class_weight : dict, "balanced" or None, default=None
        Multiplied into the sample weights, as in scikit-learn's classifiers.
    proba : {"posterior", "model"}, default="posterior"
        What :meth:`predict_proba` returns. ``"posterior"``: probabilities with
        the distortion of ``gamma`` undone (:meth:`skfocal.FocalLoss.posterior`),
        so they estimate class probabilities as a logistic regression's do;
        ``"model"``: the sigmoid/softmax of :meth:`decision_function`. Both are
        equal at ``gamma=0`` and have the same arg-max.
    max_iter : int, default=100
        Maximum number of L-BFGS-B iterations.
    tol : float, default=1e-4
        L-BFGS-B stops when the largest projected gradient entry is below it.
    warm_start : bool, default=False
        Start from the previous solution (a cheap path over ``gamma`` or ``C``).
    verbose : int, default=0
        Print the objective and gradient at every iteration when > 0.

    Attributes
    ----------
    classes_ : ndarray of shape (n_classes,)
        Class labels.
    coef_ : ndarray of shape (1, n_features) or (n_classes, n_features)
        Weights; one row for a binary problem, of ``X``'s float dtype.
    intercept_ : ndarray of shape (1,) or (n_classes,)
        Intercepts.
    n_iter_ : ndarray of shape (1,)
        Number of L-BFGS-B iterations run.
    loss_ : FocalLoss
        The loss minimised at fit (``gamma``, and ``alpha`` in the order of
        ``classes_``); predictions use it, so that changing ``gamma`` with
        ``set_params`` takes effect only when the model is refitted.
    proba_ : {"posterior", "model"}
        The ``proba`` of the last fit, which :meth:`predict_proba` follows.
    n_features_in_ : int
        Number of features seen during fit.
    feature_names_in_ : ndarray of shape (n_features_in\_,)
        Feature names, when ``X`` has string column names.

    See Also
    --------
    sklearn.linear_model.LogisticRegression : The special case ``gamma=0``.
    skfocal.FocalLoss : The loss, its derivatives and the posterior transform.

    Examples
    --------
    >>> from sklearn.datasets import make_classification
    >>> from skfocal import FocalLossClassifier
    >>> X, y = make_classification(n_samples=500, weights=[0.9], random_state=0)
    >>> clf = FocalLossClassifier(gamma=2.0).fit(X, y)
    >>> clf.predict(X[:5])
    array([0, 0, 0, 1, 1])
    >>> clf.predict_proba(X[:2]).round(3)
    array([[0.98 , 0.02 ],
           [0.971, 0.029]])
    >>> round(clf.score(X, y), 3)
    0.944
    """

    _parameter_constraints: dict = {
        "gamma": [Interval(Real, 0, None, closed="left")],
        "alpha": [None, Interval(Real, 0, 1, closed="neither"), "array-like", dict],
        "C": [Interval(Real, 0, None, closed="right")],
        "fit_intercept": ["boolean"],
        "class_weight": [dict, StrOptions({"balanced"}), None],
        "proba": [StrOptions({"posterior", "model"})],
        "max_iter": [Interval(Integral, 0, None, closed="left")],
        "tol": [Interval(Real, 0, None, closed="left")],
        "warm_start": ["boolean"],
        "verbose": ["verbose"],
    }

    def __init__(
        self,
        gamma=2.0,
        alpha=None,
        *,
        C=1.0,
        fit_intercept=True,
        class_weight=None,
        proba="posterior",
        max_iter=100,
        tol=1e-4,
        warm_start=False,
        verbose=0,
    ):
        self.gamma = gamma
        self.alpha = alpha
        self.C = C
        self.fit_intercept = fit_intercept
        self.class_weight = class_weight
        self.proba = proba
        self.max_iter = max_iter
        self.tol = tol
        self.warm_start = warm_start
        self.verbose = verbose

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.sparse = True
        return tags

    @_fit_context(prefer_skip_nested_validation=True)
    def fit(self, X, y, sample_weight=None):
        """Fit the model by L-BFGS-B.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            Training data. float32 and float64 are used as they are (C or F
            order, CSR or CSC) without copying; the fitted attributes keep
            float32.
        y : array-like of shape (n_samples,)
            Class labels, of any type.
        sample_weight : array-like of shape (n_samples,), default=None
            Non-negative sample weights.

        Returns
        -------
        self : FocalLossClassifier
            The fitted estimator.
        """
        # dtype="numeric" as predict: strings are refused, not parsed as numbers.
        X, y = validate_data(self, X, y, accept_sparse=["csr", "csc"], dtype="numeric")
        if X.dtype not in (np.float32, np.float64):
            X = X.astype(np.float64)
        check_classification_targets(y)
        # unique + searchsorted allocates less than unique(return_inverse=True).
        self.classes_ = np.unique(y)
        y_index = np.searchsorted(self.classes_, y)
        n_classes = len(self.classes_)
        if n_classes < 2:
            raise ValueError(
                "FocalLossClassifier needs samples of at least 2 classes in the data, "
                f"but the data contains only one class: {self.classes_[0]!r}."
            )
        weight_per_class = np.bincount(y_index, minlength=n_classes).astype(float)
        if sample_weight is not None or self.class_weight is not None:
            sample_weight = _check_sample_weight(
                sample_weight, X, dtype=np.float64, ensure_non_negative=True
            )
            if self.class_weight is not None:
                # Weighted totals, as recent scikit-learn: integer sample weights
                # and repeated rows then give the same model.
                totals = np.bincount(
                    y_index, weights=sample_weight, minlength=n_classes
                )
                per_class = class_weight_per_class(
                    self.class_weight, self.classes_, totals
                )
                sample_weight = sample_weight * per_class[y_index]
            weight_per_class = np.bincount(
                y_index, weights=sample_weight, minlength=n_classes
            )
        if np.count_nonzero(weight_per_class) < 2:
            raise ValueError(
                "FocalLossClassifier needs at least 2 classes with positive sample "
                f"weight; the total weight per class is {weight_per_class.tolist()} "
                f"for classes {self.classes_.tolist()}."
            )
        # No sample_weight array when there are no weights: one n-vector less.
        sw_sum = float(weight_per_class.sum())
        y_index = y_index.astype(np.float64)
        loss = FocalLoss(self.gamma, alpha=alpha_per_class(self.alpha, self.classes_))
        # Predictions follow what fit used, not parameters set after it.
        self.loss_, self.proba_ = loss, self.proba

        objective = FocalLinearObjective(
            loss, n_classes, self.fit_intercept, feature_scale(X)
        )
        n_features = X.shape[1]
        coef0 = self._initial_coef(objective, n_features)
        l2_reg_strength = 1.0 / (self.C * sw_sum)
        trace = _IterationLog(self.verbose)
        result = optimize.minimize(
            trace.wrap(objective.loss_gradient),
            coef0,
            method="L-BFGS-B",
            jac=True,
            args=(X, y_index, sample_weight, sw_sum, l2_reg_strength),
            options={
                "maxiter": self.max_iter,
                "maxls": 50,
                "gtol": self.tol,
                "ftol": 64 * np.finfo(float).eps,
            },
            callback=trace.callback,
        )
        n_iter = min(result.nit, self.max_iter)
        if result.status != 0:
            advice = (
                f"Increase max_iter (now {self.max_iter}), scale the features "
                "(e.g. with sklearn.preprocessing.StandardScaler in a pipeline) or "
                "loosen tol."
            )
            warnings.warn(
                f"FocalLossClassifier did not converge: L-BFGS-B stopped after "
                f"{n_iter} iteration(s) with '{result.message}'. {advice}",
                ConvergenceWarning,
                stacklevel=2,
            )
        if self.verbose:
            print(f"L-BFGS-B: {n_iter} iteration(s), {result.message}")

        weights, intercept = objective.split(result.x, n_features)
        self.coef_ = np.ascontiguousarray(weights, dtype=X.dtype)
        self.intercept_ = np.asarray(intercept, dtype=X.dtype).copy()
        self.n_iter_ = np.array([n_iter], dtype=np.int32)
        return self

    def _initial_coef(self, objective, n_features):
        """The previous solution under warm_start, else zeros (as LogisticRegression).

        Not the optimal constant intercept: from there, with sparse features whose
        mean-loss gradients are all below ``tol``, L-BFGS-B stops at once.
        """
        n_scores = objective.coef_shape(n_features)[0]
        if self.warm_start and getattr(self, "coef_", None) is not None:
            if self.coef_.shape == (n_scores, n_features):
                return objective.join(self.coef_, self.intercept_)
        return np.zeros(objective.coef_shape(n_features)).ravel()

    def predict_proba(self, X):
        """Class probabilities.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            Samples.

        Returns
        -------
        proba : ndarray of shape (n_samples, n_classes)
            Columns in the order of ``classes_``. With ``proba="posterior"`` the
            focal distortion is undone (see the class docstring).
        """
        check_is_fitted(self)
        return class_probabilities(self.loss_, self.decision_function(X), self.proba_)

    def score(self, X, y, sample_weight=None):
        """Mean accuracy on ``(X, y)``.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            Samples.
        y : array-like of shape (n_samples,)
            True labels; all of them must be in ``classes_``.
        sample_weight : array-like of shape (n_samples,), default=None
            Sample weights.

        Returns
        -------
        score : float
            Mean accuracy of :meth:`predict`.

        Raises
        ------
        ValueError
            If ``y`` holds a label not seen during fit (the classifier could
            never predict it; a silent accuracy would hide a label mix-up).
        """
        check_is_fitted(self)
        y = check_seen_labels(y, self.classes_, type(self).__name__)
        return super().score(X, y, sample_weight=sample_weight)

    def predict_log_proba(self, X):
        """Logarithm of :meth:`predict_proba`.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            Samples.

        Returns
        -------
        log_proba : ndarray of shape (n_samples, n_classes)
            Natural logarithm of the class probabilities.
        """
        with np.errstate(divide="ignore"):
            return np.log(self.predict_proba(X))


class _IterationLog:
    """Remember the last objective and gradient, and print them when verbose."""

    def __init__(self, verbose):
        self.verbose = verbose
        self.iteration = 0
        self.last = (np.nan, np.nan)

    def wrap(self, func):
        def logged(coef, *args):
            loss, grad = func(coef, *args)
            self.last = (loss, float(np.max(np.abs(grad), initial=0.0)))
            return loss, grad

        return logged

    def callback(self, coef):
        self.iteration += 1
        if self.verbose:
            loss, grad = self.last
            print(
                f"iteration {self.iteration:4d}: objective {loss:.10g}, "
                f"max |gradient| {grad:.3e}"
            )

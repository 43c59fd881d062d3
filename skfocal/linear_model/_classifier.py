"""`FocalLossClassifier`: a linear classifier trained with focal loss."""

from numbers import Integral, Real

import numpy as np
import scipy.sparse as sp
from sklearn.base import BaseEstimator
from sklearn.utils.multiclass import check_classification_targets
from sklearn.utils.validation import (
    check_is_fitted,
    validate_data,
)

from .._base import (
    FOCAL_PARAMETER_CONSTRAINTS,
    FocalClassifierMixin,
    check_weighted_classes,
    encode_labels,
    fitted_loss,
    weigh_classes,
)
from .._compat import (
    Interval,
    LinearClassifierMixin,
    SparseCoefMixin,
    StrOptions,
    _fit_context,
)
from .._validation import check_fit_sample_weight
from ._callbacks import CallbackSupportMixin, FitCallbacks
from ._objective import FocalLinearObjective, feature_scale
from ._solver import SOLVERS, minimize

__all__ = ["FocalLossClassifier"]


def validate_fit_data(estimator, X, y):
    """The linear models' training data: float32/float64 X (dense, CSR or CSC,
    never copied when already so) and classification targets."""
    # dtype="numeric" as predict: strings are refused, not parsed as numbers.
    X, y = validate_data(estimator, X, y, accept_sparse=["csr", "csc"], dtype="numeric")
    if X.dtype not in (np.float32, np.float64):
        X = X.astype(np.float64)
    check_classification_targets(y)
    return X, y


class FocalLossClassifier(
    FocalClassifierMixin,
    CallbackSupportMixin,
    LinearClassifierMixin,
    SparseCoefMixin,
    BaseEstimator,
):
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
    The focal loss is not convex for ``gamma > 0``: the solver finds a local
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
    solver : {"lbfgs", "newton-cholesky"}, default="lbfgs"
        ``"lbfgs"``: L-BFGS-B, cheap iterations, the choice for many features.
        ``"newton-cholesky"``: Newton steps with a backtracking line search,
        each solving a system of the size of the coefficients (``n_features``
        times the number of scores, squared in memory), in few iterations: the
        choice for many more samples than features, especially one-hot encoded
        categories. Its matrix holds skfocal's positive curvature in the place
        of the focal loss's second derivative, so every step descends; at
        ``gamma=0`` it is ``LogisticRegression(solver="newton-cholesky")``.
        Both find the same minimum up to ``tol``.
    max_iter : int, default=100
        Maximum number of solver iterations.
    tol : float, default=1e-4
        Stopping tolerance. L-BFGS-B stops when the largest projected gradient
        entry is below it; Newton-Cholesky when the largest gradient entry and
        half the squared Newton decrement both are.
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
        Number of solver iterations run.
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

    Notes
    -----
    At ``gamma=0`` the model is ``LogisticRegression`` with the same ``solver``
    (``"lbfgs"`` or ``"newton-cholesky"``): the test suite runs scikit-learn's
    own ``test_logistic.py`` against it. What differs: two solvers and one
    penalty (L2, or none with ``C=np.inf``), so there is no ``penalty``,
    ``l1_ratio``, ``dual``, ``intercept_scaling``, ``random_state`` or
    ``n_jobs``; L-BFGS-B's convergence warning is worded differently.
    ``sparsify``/``densify`` and, from scikit-learn 1.9, ``set_callbacks``
    (progress bars, score monitors; one task per solver iteration) work as
    there.

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
        **FOCAL_PARAMETER_CONSTRAINTS,
        "C": [Interval(Real, 0, None, closed="right")],
        "fit_intercept": ["boolean"],
        "class_weight": [dict, StrOptions({"balanced"}), None],
        "solver": [StrOptions(set(SOLVERS))],
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
        solver="lbfgs",
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
        self.solver = solver
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
        """Fit the model with ``solver``.

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
        X, y = validate_fit_data(self, X, y)
        y_index, sample_weight, sw_sum = self._encode_targets(X, y, sample_weight)
        # Predictions follow what fit used, not parameters set after it.
        self.loss_ = loss = fitted_loss(self.gamma, self.alpha, self.classes_)
        self.proba_ = self.proba

        n_features = X.shape[1]
        objective = FocalLinearObjective(
            loss, len(self.classes_), self.fit_intercept, feature_scale(X)
        )

        def fitted_attributes(coef):
            weights, intercept = objective.split(coef, n_features)
            # Copies: the solver reuses its coefficient array between iterations.
            return {
                "coef_": np.array(weights, dtype=X.dtype, order="C"),
                "intercept_": np.array(intercept, dtype=X.dtype),
            }

        callbacks = FitCallbacks(
            self, X, y, sample_weight, self.max_iter, fitted_attributes, self.solver
        )
        coef0 = self._initial_coef(objective, n_features)
        callbacks.start(coef0)
        coef, n_iter = minimize(
            self.solver,
            objective,
            coef0,
            (X, y_index, sample_weight, sw_sum, 1.0 / (self.C * sw_sum)),
            max_iter=self.max_iter,
            tol=self.tol,
            verbose=self.verbose,
            name=type(self).__name__,
            on_iteration=callbacks.after_iteration,
        )
        for name, value in fitted_attributes(coef).items():
            setattr(self, name, value)
        self.n_iter_ = np.array([n_iter], dtype=np.int32)
        callbacks.finish()
        return self

    def _encode_targets(self, X, y, sample_weight):
        """Set ``classes_``; return class indices, sample weights and their sum.

        The weights are the sample weights times ``class_weight``, or None when
        neither is given (one n-vector less).
        """
        name = type(self).__name__
        self.classes_, index = encode_labels(y, name)
        if sample_weight is not None:
            sample_weight = check_fit_sample_weight(sample_weight, X)
        # "balanced" from weighted totals, as recent scikit-learn: integer sample
        # weights and repeated rows then give the same model.
        _, totals, weight = weigh_classes(
            index, self.classes_, sample_weight, self.class_weight, balance_on="weights"
        )
        check_weighted_classes(totals, self.classes_, name)
        return index.astype(np.float64), weight, float(totals.sum())

    def _initial_coef(self, objective, n_features):
        """The previous solution under warm_start, else zeros (as LogisticRegression).

        Not the optimal constant intercept: from there, with sparse features whose
        mean-loss gradients are all below ``tol``, L-BFGS-B stops at once.
        """
        n_scores = objective.coef_shape(n_features)[0]
        if self.warm_start and getattr(self, "coef_", None) is not None:
            if self.coef_.shape == (n_scores, n_features):
                coef = self.coef_  # sparse after sparsify()
                coef = coef.toarray() if sp.issparse(coef) else coef
                return objective.join(coef, self.intercept_)
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
        return self._probabilities(self.decision_function(X))

    # Its docstring repeats predict_proba's parameters on purpose (numpydoc).
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

"""`FocalLossClassifierCV`: gamma and C chosen by cross-validation, warm-started."""

import warnings
from numbers import Integral

import numpy as np
from sklearn.base import BaseEstimator
from sklearn.exceptions import ConvergenceWarning
from sklearn.metrics import check_scoring, get_scorer_names
from sklearn.model_selection import check_cv
from sklearn.utils.parallel import Parallel, delayed

from .._base import FocalClassifierMixin, encode_labels, fitted_loss, weigh_classes
from .._compat import (
    Interval,
    InvalidParameterError,
    LinearClassifierMixin,
    SparseCoefMixin,
    StrOptions,
    _fit_context,
)
from .._cv_scoring import check_gammas, weighted_scorer, with_labels
from .._validation import check_fit_sample_weight, class_weight_per_class
from ._classifier import FocalLossClassifier, validate_fit_data
from ._path import FoldPath

__all__ = ["FocalLossClassifierCV"]

_SHARED = (
    "alpha",
    "fit_intercept",
    "class_weight",
    "proba",
    "solver",
    "max_iter",
    "tol",
)


class FocalLossClassifierCV(
    FocalClassifierMixin, LinearClassifierMixin, SparseCoefMixin, BaseEstimator
):
    r"""Focal-loss linear classifier, ``gamma`` and ``C`` chosen by cross-validation.

    What :class:`~sklearn.linear_model.LogisticRegressionCV` is to ``C``, this
    is to ``gamma`` and ``C`` together: every fold fits the whole grid of
    :class:`FocalLossClassifier` models along warm-started paths (for each
    ``gamma``, from strong to weak regularisation, each fit starting from the
    previous solution; each ``gamma``'s path from the last one's first
    solution), scores each on its held-out rows, and the pair with the best
    mean score is refitted on all the data. The same choice as
    :class:`~sklearn.model_selection.GridSearchCV` over ``FocalLossClassifier``
    with the same folds and scoring, several times faster.

    Parameters
    ----------
    gammas : array-like of shape (n_gammas,), default=(0.0, 0.5, 1.0, 2.0, 5.0)
        Focusing parameters to try, finite reals >= 0. ``0`` (logistic
        regression) answers the first question: does focal loss help at all?
    Cs : int or array-like of shape (n_Cs,), default=10
        Inverse regularisation strengths to try: an int gives that many values
        on a log grid from 1e-4 to 1e4 (as ``LogisticRegressionCV``); a list
        gives values > 0 (``np.inf``: no penalty).
    cv : int, cross-validation generator or iterable, default=None
        As in scikit-learn: None is 5-fold, an int that many folds (stratified),
        or a splitter, or an iterable of (train, test) index arrays (for groups,
        ``list(GroupKFold().split(X, y, groups))``). Every training part must
        contain every class.
    scoring : str, callable or None, default=None
        How a fitted model is scored on a fold's held-out rows (higher is
        better). None: ``"neg_log_loss"`` of :meth:`predict_proba`, with
        ``proba="posterior"`` a proper scoring rule on calibrated probabilities,
        so that every ``gamma`` is judged fairly. Any scikit-learn scorer name
        or scorer ``scorer(estimator, X, y)``, e.g.
        ``make_scorer(skfocal.metrics.focal_loss, greater_is_better=False,
        response_method="predict_proba")``.
    alpha : None, float, array-like of shape (n_classes,) or dict, default=None
        Class weights inside the focal loss, as in :class:`FocalLossClassifier`.
    fit_intercept : bool, default=True
        Whether to fit an intercept per score.
    class_weight : dict, "balanced" or None, default=None
        Multiplied into the sample weights. ``"balanced"`` is computed once, on
        all the rows (their weighted class totals), as ``LogisticRegressionCV``
        does, so that every fold and the refit weigh the classes alike (a grid
        search over :class:`FocalLossClassifier` balances each fold's training
        rows: nearly the same weights with stratified folds).
    proba : {"posterior", "model"}, default="posterior"
        What :meth:`predict_proba` returns (and the default scoring scores), as
        in :class:`FocalLossClassifier`.
    solver : {"lbfgs", "newton-cholesky"}, default="lbfgs"
        The solver of every fit, as in :class:`FocalLossClassifier`; both warm
        start along the path.
    max_iter : int, default=100
        Maximum number of solver iterations of each fit.
    tol : float, default=1e-4
        The solver's stopping tolerance, as in :class:`FocalLossClassifier`.
    n_jobs : int, default=None
        Folds fitted in parallel by joblib (None: 1, -1: all cores).
    refit : bool, default=True
        Refit on all the data at the best (``gamma_``, ``C_``), starting from
        the mean of the folds' solutions there. If False, the model is that mean.
    verbose : int, default=0
        joblib's progress messages when > 0.

    Attributes
    ----------
    gammas_ : ndarray of shape (n_gammas,)
        The focusing parameters tried, in the order given.
    Cs_ : ndarray of shape (n_Cs,)
        The inverse regularisation strengths tried, in the order given.
    scores_ : ndarray of shape (n_folds, n_gammas, n_Cs)
        The score of every fold and grid point.
    n_iter_ : ndarray of shape (n_folds, n_gammas, n_Cs)
        Solver iterations of every fit (at least 1: a warm start that
        already meets ``tol`` counts one).
    coefs_paths_ : ndarray of shape (n_folds, n_gammas, n_Cs, n_scores, n_features + 1)
        Every fold's solutions: weights, then the intercept (0 without one);
        ``n_scores`` is 1 for two classes, else the number of classes.
    gamma_ : float
        The chosen ``gamma``: best mean score over folds (the first in the
        order given on an exact tie).
    C_ : float
        The chosen ``C``.
    classes_ : ndarray of shape (n_classes,)
        Class labels.
    coef_ : ndarray of shape (1, n_features) or (n_classes, n_features)
        Weights of the final model.
    intercept_ : ndarray of shape (1,) or (n_classes,)
        Its intercepts.
    loss_ : FocalLoss
        The loss of the final model (``gamma_``, ``alpha`` in the order of
        ``classes_``); predictions use it.
    proba_ : {"posterior", "model"}
        The ``proba`` of the last fit.
    n_features_in_ : int
        Number of features seen during fit.
    feature_names_in_ : ndarray of shape (n_features_in\_,)
        Feature names, when ``X`` has string column names.

    See Also
    --------
    FocalLossClassifier : One fit at a given ``gamma`` and ``C``.
    sklearn.linear_model.LogisticRegressionCV : The same for ``C`` at ``gamma=0``.

    Notes
    -----
    A warm start and a cold one stop at different points of the set that
    ``tol`` accepts. Where that set is large (weak penalties with many
    features for the rows: the solution barely changes the gradient), a
    warm-started fit stops near its start while a cold one travels further,
    and their scores differ (up to 0.1 in log loss on 20,000 x 2,000 sparse
    data at ``C >= 100``; ``tol=1e-6`` brings them within 1e-3).
    ``LogisticRegressionCV`` behaves the same way. Where the solutions are
    well determined, the scores equal a grid search's to 1e-3. The focal loss
    is not convex for ``gamma > 0``: a start can also lead to another local
    minimum. Unlike ``LogisticRegressionCV``, ``scores_``
    is one array (not a dict per class), and ``refit=False`` averages the
    folds' solutions at the best mean score (not each fold's own best), so that
    ``gamma_`` and ``C_`` are the grid values the model was fitted with.
    Sample weights weigh the fits and, when the scorer takes them, the scores.

    Examples
    --------
    >>> from sklearn.datasets import make_classification
    >>> from skfocal import FocalLossClassifierCV
    >>> X, y = make_classification(n_samples=1000, weights=[0.9], random_state=0)
    >>> clf = FocalLossClassifierCV(gammas=[0.0, 1.0, 2.0], Cs=4).fit(X, y)
    >>> clf.scores_.shape
    (5, 3, 4)
    >>> float(clf.gamma_) in (0.0, 1.0, 2.0)
    True
    >>> clf.predict_proba(X[:2]).shape
    (2, 2)
    """

    _parameter_constraints: dict = {
        "gammas": ["array-like"],
        "Cs": [Interval(Integral, 1, None, closed="left"), "array-like"],
        "cv": ["cv_object"],
        "scoring": [StrOptions(set(get_scorer_names())), callable, None],
        **{name: FocalLossClassifier._parameter_constraints[name] for name in _SHARED},
        "n_jobs": [Integral, None],
        "refit": ["boolean"],
        "verbose": ["verbose"],
    }

    def __init__(
        self,
        gammas=(0.0, 0.5, 1.0, 2.0, 5.0),
        Cs=10,
        *,
        cv=None,
        scoring=None,
        alpha=None,
        fit_intercept=True,
        class_weight=None,
        proba="posterior",
        solver="lbfgs",
        max_iter=100,
        tol=1e-4,
        n_jobs=None,
        refit=True,
        verbose=0,
    ):
        self.gammas = gammas
        self.Cs = Cs
        self.cv = cv
        self.scoring = scoring
        self.alpha = alpha
        self.fit_intercept = fit_intercept
        self.class_weight = class_weight
        self.proba = proba
        self.solver = solver
        self.max_iter = max_iter
        self.tol = tol
        self.n_jobs = n_jobs
        self.refit = refit
        self.verbose = verbose

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.sparse = True
        return tags

    @_fit_context(prefer_skip_nested_validation=True)
    def fit(self, X, y, sample_weight=None):
        """Cross-validate the (gamma, C) grid, then fit the chosen model.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            Training data; float32 and float64 are used as they are.
        y : array-like of shape (n_samples,)
            Class labels, of any type.
        sample_weight : array-like of shape (n_samples,), default=None
            Non-negative sample weights, used in the fits and, when the scorer
            takes ``sample_weight`` (every scikit-learn scorer does), the scores.

        Returns
        -------
        self : FocalLossClassifierCV
            The fitted estimator.
        """
        gammas, Cs = check_gammas(self.gammas, type(self).__name__), _check_Cs(self.Cs)
        scorer = check_scoring(self, scoring=self._scoring())
        X, y = validate_fit_data(self, X, y)
        self.classes_, index = encode_labels(y, type(self).__name__)
        if sample_weight is not None:
            sample_weight = check_fit_sample_weight(sample_weight, X)
            scorer = weighted_scorer(scorer)
        scorer = with_labels(scorer, self.classes_)
        if self._scoring() == "neg_log_loss":
            scorer = None  # FoldPath computes it without the scorer's checks
        folds = list(check_cv(self.cv, y, classifier=True).split(X, y))
        class_weight = self._class_weight(index, sample_weight)
        path = FoldPath(self, gammas, Cs, scorer, class_weight)
        results = Parallel(n_jobs=self.n_jobs, verbose=self.verbose)(
            delayed(path)(X, y, index, sample_weight, train, test, fold)
            for fold, (train, test) in enumerate(folds)
        )
        self.gammas_, self.Cs_ = gammas, Cs
        self.scores_ = np.stack([result["scores"] for result in results])
        self.n_iter_ = np.stack([result["n_iter"] for result in results])
        self.coefs_paths_ = np.stack([result["coefs"] for result in results])
        _warn_unconverged(sum(result["unconverged"] for result in results), self)
        self._choose(X, y, sample_weight)
        return self

    def _class_weight(self, index, sample_weight):
        """``class_weight`` with "balanced" resolved once, on all the data."""
        if self.class_weight != "balanced":
            return self.class_weight
        _, totals, _ = weigh_classes(
            index, self.classes_, sample_weight, None, balance_on="weights"
        )
        weights = class_weight_per_class("balanced", self.classes_, totals)
        return dict(zip(self.classes_.tolist(), weights.tolist(), strict=True))

    def _scoring(self):
        return "neg_log_loss" if self.scoring is None else self.scoring

    def _choose(self, X, y, sample_weight):
        """Set gamma_, C_ and the final model from the scores."""
        mean = self.scores_.mean(axis=0)
        if not np.any(np.isfinite(mean)):
            raise ValueError(
                f"Every grid point scored {mean.flat[0]} with scoring="
                f"{self._scoring()!r}: nothing to choose from."
            )
        best = np.unravel_index(
            np.argmax(np.where(np.isnan(mean), -np.inf, mean)), mean.shape
        )
        self.gamma_, self.C_ = float(self.gammas_[best[0]]), float(self.Cs_[best[1]])
        start = self.coefs_paths_[(slice(None), *best)].mean(axis=0)
        n_features = X.shape[1]
        if self.refit:
            model = FocalLossClassifier(
                gamma=self.gamma_, C=self.C_, warm_start=True,
                **{name: getattr(self, name) for name in _SHARED},
            )  # fmt: skip
            model.classes_ = self.classes_
            model.coef_, model.intercept_ = start[:, :n_features], start[:, -1]
            model.fit(X, y, sample_weight=sample_weight)
            self.coef_, self.intercept_ = model.coef_, model.intercept_
        else:
            self.coef_ = np.array(start[:, :n_features], dtype=X.dtype, order="C")
            self.intercept_ = np.array(start[:, -1], dtype=X.dtype)
        self.loss_ = fitted_loss(self.gamma_, self.alpha, self.classes_)
        self.proba_ = self.proba

    # The fitted model predicts as FocalLossClassifier does.
    predict_proba = FocalLossClassifier.predict_proba
    predict_log_proba = FocalLossClassifier.predict_log_proba


def _check_Cs(Cs):
    """Cs as a float64 array: an int's log grid, or the values given (> 0)."""
    if isinstance(Cs, Integral):
        return np.logspace(-4, 4, Cs)
    try:
        values = np.asarray(Cs, dtype=np.float64)
    except (TypeError, ValueError):
        values = None
    if values is None or values.ndim != 1 or values.size == 0 or not np.all(values > 0):
        raise InvalidParameterError(
            "The 'Cs' parameter of FocalLossClassifierCV must be an int >= 1 or a "
            f"non-empty 1-d array-like of reals > 0 (np.inf allowed). Got {Cs!r} "
            "instead."
        )
    return values


def _warn_unconverged(count, estimator):
    """One warning for all the fits of the grid that did not converge."""
    if count:
        total = estimator.scores_.size
        warnings.warn(
            f"{count} of the {total} fits of {type(estimator).__name__} did not "
            f"converge within max_iter={estimator.max_iter} iterations (tol="
            f"{estimator.tol}). Increase max_iter, scale the features (e.g. "
            "StandardScaler in a pipeline) or loosen tol.",
            ConvergenceWarning,
            stacklevel=3,
        )

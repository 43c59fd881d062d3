"""`GammaSearchCV`: gamma and the number of boosting iterations, cross-validated."""

import os
import time
from concurrent.futures import ThreadPoolExecutor
from numbers import Integral

import numpy as np
from sklearn.base import BaseEstimator, ClassifierMixin, MetaEstimatorMixin, clone
from sklearn.metrics import check_scoring, get_scorer_names
from sklearn.model_selection import check_cv
from sklearn.utils.metaestimators import available_if
from sklearn.utils.parallel import Parallel, delayed
from sklearn.utils.validation import check_is_fitted, indexable

from .._base import check_weighted_classes, encode_labels
from .._boosting import check_targets
from .._callbacks import CallbackSupportMixin
from .._compat import (
    HasMethods,
    Interval,
    StrOptions,
    _fit_context,
    _num_samples,
    _safe_indexing,
)
from .._cv_scoring import check_gammas, weighted_scorer, with_labels
from .._validation import check_fit_sample_weight
from ._race import HeldOutScorer, Race, StopFit
from ._tasks import Tasks

__all__ = ["GammaSearchCV"]


def _best_estimator_has(name):
    def check(self):
        if hasattr(self, "best_estimator_"):
            return hasattr(self.best_estimator_, name)
        return hasattr(self.estimator, name)

    return check


class GammaSearchCV(
    CallbackSupportMixin, MetaEstimatorMixin, ClassifierMixin, BaseEstimator
):
    """A focal booster's ``gamma`` and number of iterations, chosen by cross-validation.

    For every fold and every ``gamma``, one fit of the booster's whole
    iteration budget (``n_estimators``, ``max_iter``, ``iterations``) on the
    fold's training rows scores its held-out rows after every iteration: a
    booster's first ``k`` iterations are its ``k``-iteration model, so the
    scores of every iteration count come from that one fit, where a
    :class:`~sklearn.model_selection.GridSearchCV` over ``gamma`` and the
    budget fits each count anew. The (``gamma``, iterations) pair with the
    best mean score is refitted on all the data. ``gamma=0`` (the library's
    own cross-entropy) is in the default grid: the search answers whether
    focal loss helps on the data at all.

    Parameters
    ----------
    estimator : skfocal booster
        A :class:`~skfocal.lightgbm.FocalLGBMClassifier`,
        :class:`~skfocal.xgboost.FocalXGBClassifier`,
        :class:`~skfocal.ensemble.FocalHistGradientBoostingClassifier` or
        :class:`~skfocal.catboost.FocalCatBoostClassifier`; its iteration
        budget is the largest number of iterations tried. Its own early
        stopping must be off (HGB's ``early_stopping="auto"`` is turned off):
        the search chooses the number of iterations.
    gammas : array-like of shape (n_gammas,), default=(0.0, 0.5, 1.0, 2.0, 5.0)
        Focusing parameters to try, finite reals >= 0.
    cv : int, cross-validation generator or iterable, default=5
        As in scikit-learn: an int is that many stratified folds, or a
        splitter (its ``split`` gets ``groups``), or an iterable of (train,
        test) index arrays. Every training part must hold every class.
    scoring : str, callable or None, default=None
        How the held-out rows are scored after each iteration (higher is
        better). None: ``"neg_log_loss"`` of :meth:`predict_proba`, with
        ``proba="posterior"`` a proper scoring rule on calibrated probabilities,
        so every ``gamma`` is judged fairly (computed without the scorer's
        input checks). Any scikit-learn scorer name (``"average_precision"``,
        ``"roc_auc"``, ...) or callable ``scorer(estimator, X, y)``; it is
        called once per iteration, fold and ``gamma``, so a slow scorer costs.
    n_jobs : int, default=None
        Fits run in parallel threads (None: 1, -1: all cores); each booster
        then gets its share of the cores (its thread parameter, or OpenMP's
        limit for HGB), so the machine is not oversubscribed.
    refit : bool, default=True
        Refit the estimator on all the data with ``gamma_`` and ``n_iter_``
        iterations as ``best_estimator_``. False: only the scores and the choice.
    early_stopping_rounds : int, default=None
        Stop a ``gamma``'s fits once its mean held-out score over the folds
        has not improved for this many iterations (the folds of a ``gamma``
        then train side by side, one thread each). Faster, but no longer the
        full grid: a later improvement is never seen. LightGBM and XGBoost
        fits end at the stop; HGB and CatBoost, scored from staged
        predictions, apply the same rule to the full fits (the same choice,
        no time saved).
    verbose : int, default=0
        > 0: one line per finished fold and ``gamma`` (best score so far,
        iterations, time).

    Attributes
    ----------
    gammas_ : ndarray of shape (n_gammas,)
        The focusing parameters tried, in the order given.
    scores_ : ndarray of shape (n_folds, n_gammas, n_iterations)
        The held-out score of every fold, ``gamma`` and iteration count
        (``scores_[f, g, k - 1]``: ``k`` iterations); NaN after a ``gamma``'s
        early stop.
    gamma_ : float
        The chosen ``gamma``: the best mean score over the folds (the first in
        the order given, at the fewest iterations, on an exact tie).
    n_iter_ : int
        The chosen number of iterations.
    best_score_ : float
        The mean held-out score there.
    best_params_ : dict
        ``{"gamma": gamma_, <budget parameter>: n_iter_}``.
    best_index_ : int
        The row of ``gamma_`` in ``cv_results_``.
    cv_results_ : dict of ndarrays
        :class:`~sklearn.model_selection.GridSearchCV`'s format, one row per
        ``gamma`` at its best iteration count: ``params``, ``param_gamma``,
        ``param_<budget>``, ``split<i>_test_score``, ``mean_test_score``,
        ``std_test_score``, ``rank_test_score``, ``mean_fit_time``,
        ``std_fit_time``, ``mean_score_time``, ``std_score_time`` (a fit's time
        includes its per-iteration scoring, which the score times count).
    best_estimator_ : estimator
        The refitted estimator (``refit=True``).
    refit_time_ : float
        Seconds the refit took.
    classes_ : ndarray of shape (n_classes,)
        Class labels.
    n_splits_ : int
        Number of folds.
    scorer_ : callable
        The scorer (``neg_log_loss`` by default).

    See Also
    --------
    GammaSearchDisplay : The held-out score against iterations, one curve per gamma.
    skfocal.FocalLossClassifierCV : The same question for the linear model.

    Notes
    -----
    The scores equal those of a ``GridSearchCV`` over ``gamma`` and the
    budget with the same folds and scorer (to rounding: the running scores
    add the iterations in the same order), because LightGBM, XGBoost,
    HistGradientBoosting and CatBoost are deterministic for a given seed and
    data, and a fit's first ``k`` iterations do not depend on the budget.
    Fit parameters (``sample_weight``, LightGBM's ``categorical_feature``,
    ...) go to every fit, indexed by fold where they have one value per row;
    the held-out rows' weights also weigh their scores when the scorer takes
    ``sample_weight`` (``GridSearchCV`` scores unweighted unless metadata
    routing asks otherwise). A fold's fit gets its held-out rows as its one
    eval set (LightGBM, XGBoost) to read their running raw scores; no fit
    parameter may name another ``eval_set``.

    Examples
    --------
    >>> from sklearn.datasets import make_classification
    >>> from skfocal.lightgbm import FocalLGBMClassifier
    >>> from skfocal.model_selection import GammaSearchCV
    >>> X, y = make_classification(n_samples=600, weights=[0.9], random_state=0)
    >>> booster = FocalLGBMClassifier(n_estimators=40, verbose=-1)
    >>> search = GammaSearchCV(booster, gammas=[0.0, 2.0], cv=3).fit(X, y)
    >>> search.scores_.shape
    (3, 2, 40)
    >>> search.best_estimator_.n_estimators == search.n_iter_
    True
    >>> search.predict_proba(X[:2]).shape
    (2, 2)
    """

    _parameter_constraints: dict = {
        "estimator": [HasMethods(["fit", "decision_function"])],
        "gammas": ["array-like"],
        "cv": ["cv_object"],
        "scoring": [StrOptions(set(get_scorer_names())), callable, None],
        "n_jobs": [Integral, None],
        "refit": ["boolean"],
        "early_stopping_rounds": [Interval(Integral, 1, None, closed="left"), None],
        "verbose": ["verbose"],
    }

    def __init__(
        self,
        estimator,
        gammas=(0.0, 0.5, 1.0, 2.0, 5.0),
        *,
        cv=5,
        scoring=None,
        n_jobs=None,
        refit=True,
        early_stopping_rounds=None,
        verbose=0,
    ):
        self.estimator = estimator
        self.gammas = gammas
        self.cv = cv
        self.scoring = scoring
        self.n_jobs = n_jobs
        self.refit = refit
        self.early_stopping_rounds = early_stopping_rounds
        self.verbose = verbose

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        inner = self.estimator.__sklearn_tags__()
        tags.input_tags.sparse = inner.input_tags.sparse
        tags.input_tags.allow_nan = inner.input_tags.allow_nan
        tags.input_tags.categorical = inner.input_tags.categorical
        tags.input_tags.string = inner.input_tags.string
        return tags

    @_fit_context(prefer_skip_nested_validation=False)  # the booster checks its own
    def fit(self, X, y, groups=None, **fit_params):
        """Score every gamma and iteration count on every fold, then refit the best.

        Parameters
        ----------
        X : {array-like, sparse matrix, DataFrame} of shape (n_samples, n_features)
            Training data, as the booster takes it (DataFrames keep their
            categorical columns).
        y : array-like of shape (n_samples,)
            Class labels, of any type.
        groups : array-like of shape (n_samples,), default=None
            Group labels, for a group splitter given as ``cv``.
        **fit_params : dict
            The booster's fit parameters, e.g. ``sample_weight``; those with one
            value per row are split with the folds.

        Returns
        -------
        self : GammaSearchCV
            The fitted search.
        """
        spec = _search_spec(self.estimator)
        gammas = check_gammas(self.gammas, type(self).__name__)
        _refuse_eval_sets(fit_params)
        base = _search_estimator(self.estimator, spec)
        X, y, groups = _check_data(X, y, groups, type(self).__name__)
        classes, index = encode_labels(y, type(self).__name__)
        sample_weight = fit_params.get("sample_weight")
        if sample_weight is not None:
            sample_weight = check_fit_sample_weight(sample_weight, index)
            totals = np.bincount(index, weights=sample_weight, minlength=len(classes))
            check_weighted_classes(totals, classes, type(self).__name__)
        scorer = self._scorer(classes, sample_weight)
        folds = self._folds(X, y, groups, index, len(classes))
        hooks = Tasks(self, X, y, sample_weight, len(folds) * len(gammas))
        n_iterations = base.get_params()[spec.iterations]
        scores = np.full((len(folds), len(gammas), n_iterations), np.nan)
        times = np.zeros((2, len(folds), len(gammas)))  # fit, score
        context = _Context(self, spec, base, X, y, index, sample_weight, fit_params)
        context.hooks = hooks
        self._run_folds(context, gammas, folds, scores, times)
        hooks.end_search()
        self.gammas_, self.scores_ = gammas, scores
        self.classes_, self.n_splits_, self.scorer_ = classes, len(folds), scorer
        self._choose(spec, times)
        if self.refit:
            self._refit(base, spec, X, y, fit_params, hooks)
        hooks.end()
        return self

    def _folds(self, X, y, groups, index, n_classes):
        """The (train, test) splits; every training part must hold every class."""
        folds = list(check_cv(self.cv, y, classifier=True).split(X, y, groups))
        for train, _ in folds:
            if len(np.unique(index[train])) < n_classes:
                raise ValueError(
                    f"A training part of {type(self).__name__}'s cv lacks a class: "
                    "every fold's training rows must hold every class (use fewer "
                    "folds or a stratified splitter)."
                )
        return folds

    def _run_folds(self, context, gammas, folds, scores, times):
        """Every fold and gamma fitted and scored, ``n_jobs`` fits at a time."""
        lockstep = (
            self.early_stopping_rounds is not None and context.spec.held_out == "metric"
        )
        races = [
            Race(scores[:, g], self.early_stopping_rounds, lockstep)
            for g in range(len(gammas))
        ]
        n_jobs = _effective_jobs(self.n_jobs)
        if lockstep:  # every fold of a gamma at once, gammas n_jobs at a time
            concurrent = len(folds) * min(n_jobs, len(gammas))
            tasks = [
                delayed(context.race)(races[g], g, gamma, folds, times)
                for g, gamma in enumerate(gammas)
            ]
        else:
            concurrent = min(n_jobs, len(folds) * len(gammas))
            tasks = [
                delayed(context.fold)(races[g], g, gamma, f, train, test, times)
                for g, gamma in enumerate(gammas)
                for f, (train, test) in enumerate(folds)
            ]
        with _thread_limits(context.spec, concurrent, context):
            Parallel(n_jobs=n_jobs, prefer="threads")(tasks)
        for race in races:
            race.result()

    def _refit(self, base, spec, X, y, fit_params, hooks):
        """``best_estimator_``: ``gamma_`` and ``n_iter_`` fitted on every row."""
        refit = clone(base).set_params(
            gamma=self.gamma_, **{spec.iterations: self.n_iter_}
        )
        start = time.perf_counter()
        with hooks.refit(refit):
            refit.fit(X, y, **{**spec.fit_kwargs, **fit_params})
        self.refit_time_ = time.perf_counter() - start
        self.best_estimator_ = refit
        if hasattr(refit, "n_features_in_"):
            self.n_features_in_ = refit.n_features_in_
        if hasattr(refit, "feature_names_in_"):
            self.feature_names_in_ = refit.feature_names_in_

    def _scorer(self, classes, sample_weight):
        """The scorer of the held-out rows: None is the unchecked neg_log_loss."""
        scoring = "neg_log_loss" if self.scoring is None else self.scoring
        scorer = check_scoring(self.estimator, scoring=scoring)
        if sample_weight is not None:
            scorer = weighted_scorer(scorer)
        self._fold_scorer = (
            None if scoring == "neg_log_loss" else (with_labels(scorer, classes))
        )
        return scorer

    def _choose(self, spec, times):
        """``gamma_``, ``n_iter_`` and ``cv_results_`` from the scores."""
        mean = self.scores_.mean(axis=0)  # (n_gammas, n_iterations)
        finite = np.where(np.isnan(mean), -np.inf, mean)
        if not np.any(np.isfinite(finite)):
            raise ValueError(
                f"Every gamma and iteration count scored {mean.flat[0]}: nothing "
                "to choose from."
            )
        g, k = np.unravel_index(np.argmax(finite), mean.shape)
        self.gamma_, self.n_iter_ = float(self.gammas_[g]), int(k + 1)
        self.best_score_ = float(mean[g, k])
        self.best_params_ = {"gamma": self.gamma_, spec.iterations: self.n_iter_}
        self.best_index_ = int(g)
        best_k = np.argmax(finite, axis=1)  # each gamma's best iteration count
        rows = np.arange(len(self.gammas_))
        fold_scores = self.scores_[:, rows, best_k]  # (n_folds, n_gammas)
        results = {
            "mean_fit_time": times[0].mean(axis=0),
            "std_fit_time": times[0].std(axis=0),
            "mean_score_time": times[1].mean(axis=0),
            "std_score_time": times[1].std(axis=0),
        }
        for name, values in (
            ("gamma", self.gammas_.tolist()),
            (spec.iterations, (best_k + 1).tolist()),
        ):
            results[f"param_{name}"] = np.ma.MaskedArray(
                np.array(values, dtype=object), mask=False
            )
        results["params"] = [
            {"gamma": float(gamma), spec.iterations: int(n)}
            for gamma, n in zip(self.gammas_, best_k + 1, strict=True)
        ]
        for f, split in enumerate(fold_scores):
            results[f"split{f}_test_score"] = split
        best = fold_scores.mean(axis=0)
        results["mean_test_score"] = best
        results["std_test_score"] = fold_scores.std(axis=0)
        order = np.where(np.isnan(best), -np.inf, best)
        results["rank_test_score"] = np.asarray(
            [1 + np.sum(order > value) for value in order], dtype=np.int32
        )
        self.cv_results_ = results

    @available_if(_best_estimator_has("predict"))
    def predict(self, X, **kwargs):
        """Class labels of ``best_estimator_``.

        Parameters
        ----------
        X : {array-like, sparse matrix, DataFrame} of shape (n_samples, n_features)
            Samples.
        **kwargs
            The booster's prediction options.

        Returns
        -------
        labels : ndarray of shape (n_samples,)
        """
        return self._refitted().predict(X, **kwargs)

    @available_if(_best_estimator_has("predict_proba"))
    def predict_proba(self, X, **kwargs):
        """Class probabilities of ``best_estimator_``.

        Parameters
        ----------
        X : {array-like, sparse matrix, DataFrame} of shape (n_samples, n_features)
            Samples.
        **kwargs
            The booster's prediction options.

        Returns
        -------
        proba : ndarray of shape (n_samples, n_classes)
        """
        return self._refitted().predict_proba(X, **kwargs)

    @available_if(_best_estimator_has("decision_function"))
    def decision_function(self, X, **kwargs):
        """Raw scores of ``best_estimator_``.

        Parameters
        ----------
        X : {array-like, sparse matrix, DataFrame} of shape (n_samples, n_features)
            Samples.
        **kwargs
            The booster's prediction options.

        Returns
        -------
        raw : ndarray of shape (n_samples,) or (n_samples, n_classes)
        """
        return self._refitted().decision_function(X, **kwargs)

    def score(self, X, y, sample_weight=None):
        """The search's scorer on ``(X, y)`` with ``best_estimator_``.

        Parameters
        ----------
        X : {array-like, sparse matrix, DataFrame} of shape (n_samples, n_features)
            Samples.
        y : array-like of shape (n_samples,)
            True labels.
        sample_weight : array-like of shape (n_samples,), default=None
            Sample weights, for a scorer that takes them.

        Returns
        -------
        score : float
        """
        model = self._refitted()
        kwargs = {} if sample_weight is None else {"sample_weight": sample_weight}
        return float(self.scorer_(model, X, y, **kwargs))

    def _refitted(self):
        check_is_fitted(self, "scores_")
        if not self.refit:
            raise AttributeError(
                f"{type(self).__name__} was fitted with refit=False: it has no "
                "best_estimator_ to predict with. Refit the booster with "
                "gamma_ and n_iter_, or fit the search with refit=True."
            )
        return self.best_estimator_


class _Context:
    """What every fold fit of one search shares."""

    def __init__(self, search, spec, base, X, y, index, sample_weight, fit_params):
        self.search, self.spec, self.base = search, spec, base
        self.X, self.y, self.index = X, y, index
        self.sample_weight, self.fit_params = sample_weight, fit_params
        self.threads = None  # the boosters' thread count, when limited

    def race(self, race, g, gamma, folds, times):
        """One gamma's folds side by side (early stopping in lockstep)."""
        with ThreadPoolExecutor(max_workers=len(folds)) as pool:
            futures = [
                pool.submit(self.fold, race, g, gamma, f, train, test, times)
                for f, (train, test) in enumerate(folds)
            ]
            for future in futures:
                future.result()

    def fold(self, race, g, gamma, f, train, test, times):
        """Fit fold ``f`` at ``gamma`` and score its held-out rows per iteration."""
        X_train, X_test = _safe_indexing(self.X, train), _safe_indexing(self.X, test)
        y_train, y_test = self.y[train], self.y[test]
        weight = None if self.sample_weight is None else self.sample_weight[test]
        monitor = HeldOutScorer(
            race, f, X_test, y_test, self.index[test], weight,
            self.search._fold_scorer,
        )  # fmt: skip
        params = {"gamma": gamma}
        if self.threads is not None:
            params[self.spec.threads] = self.threads
        estimator = clone(self.base).set_params(**params)
        fold_params = _fold_params(self.fit_params, train, len(self.y))
        kwargs = {**self.spec.fit_kwargs, **fold_params}
        task = self.hooks.evaluation(
            g * len(race.scores) + f, X_train, y_train, fold_params
        )
        start = time.perf_counter()
        try:
            if self.spec.held_out == "metric":
                estimator._held_out_scorer = monitor
                try:
                    estimator.fit(
                        X_train, y_train, eval_set=[(X_test, y_test)], **kwargs
                    )
                except StopFit:
                    pass
            else:
                estimator.fit(X_train, y_train, **kwargs)
                monitor.bind(estimator.classes_, estimator.loss_, estimator.proba_)
                for raw in estimator.staged_decision_function(X_test):
                    if monitor.score(raw):
                        break
        except BaseException as error:
            race.finish(f, error)
            raise
        race.finish(f)
        times[0, f, g] = time.perf_counter() - start
        times[1, f, g] = monitor.score_time
        task.end()
        if self.search.verbose > 0:
            done = race.scores[f]
            k = int(np.nanargmax(done)) if np.any(np.isfinite(done)) else -1
            print(
                f"[{type(self.search).__name__}] fold {f + 1}, gamma={gamma:g}: "
                f"{int(np.sum(~np.isnan(done)))} iterations, best score "
                f"{done[k]:.6g} at {k + 1} ({times[0, f, g]:.1f} s)",
                flush=True,
            )


def _check_data(X, y, groups, name):
    """X, y and groups made indexable; y checked as the boosters check it."""
    if y is None:
        raise ValueError(f"{name} requires y to be passed, but the target y is None.")
    y = check_targets(y)
    if isinstance(X, list | tuple):  # eval sets of nested lists fail in LightGBM
        X = np.asarray(X)
    X, y, groups = indexable(X, y, groups)
    if _num_samples(X) == 0:
        raise ValueError(
            "Found array with 0 sample(s) while a minimum of 1 is required."
        )
    return X, y, groups


def _search_spec(estimator):
    spec = getattr(type(estimator), "_search_spec", None)
    if spec is None or getattr(getattr(estimator, "_adapter", None), "distributed", 0):
        raise TypeError(
            "GammaSearchCV searches the gamma of a skfocal booster "
            "(FocalLGBMClassifier, FocalXGBClassifier, "
            "FocalHistGradientBoostingClassifier, FocalCatBoostClassifier); got "
            f"{type(estimator).__name__}. For the linear model use "
            "skfocal.FocalLossClassifierCV."
        )
    return spec


def _search_estimator(estimator, spec):
    """The estimator of every search fit: its own early stopping off."""
    params = estimator.get_params()
    name = type(estimator).__name__
    off = {}
    for parameter, value in spec.early_stopping.items():
        current = params.get(parameter, (params.get("params") or {}).get(parameter))
        if current is None or current == value:
            continue
        if current == "auto":  # HGB's default: off in the search
            off[parameter] = value
            continue
        raise ValueError(
            f"{name}'s {parameter}={current!r} would stop its fits early on its "
            "own: GammaSearchCV chooses the number of iterations itself. Leave "
            f"{parameter} unset and give GammaSearchCV early_stopping_rounds."
        )
    budget = params[spec.iterations]
    if not isinstance(budget, Integral) or budget < 1:
        raise ValueError(
            f"{name}'s {spec.iterations}={budget!r} is the largest number of "
            "iterations GammaSearchCV tries: an int >= 1."
        )
    return clone(estimator).set_params(**off)


def _refuse_eval_sets(fit_params):
    for name in ("eval_set", "X_val", "y_val"):
        if name in fit_params:
            raise ValueError(
                f"GammaSearchCV scores each fold's held-out rows itself: {name} "
                "cannot be a fit parameter."
            )


def _fold_params(fit_params, train, n_samples):
    """Fit parameters with one value per row, indexed by the fold's rows."""
    out = {}
    for name, value in fit_params.items():
        if name == "sample_weight" and value is not None:
            value = np.asarray(value)
        if getattr(value, "shape", ())[:1] == (n_samples,):
            value = _safe_indexing(value, train)
        out[name] = value
    return out


def _effective_jobs(n_jobs):
    if n_jobs is None:
        return 1
    if n_jobs < 0:
        return max(1, (os.cpu_count() or 1) + 1 + n_jobs)
    return max(1, n_jobs)


class _thread_limits:
    """Each booster's share of the cores while ``concurrent`` fits run."""

    def __init__(self, spec, concurrent, context):
        self.spec, self.concurrent, self.context = spec, concurrent, context
        self._limits = None

    def __enter__(self):
        if self.concurrent <= 1:
            return self
        share = max(1, (os.cpu_count() or 1) // self.concurrent)
        if self.spec.threads is None:
            from threadpoolctl import threadpool_limits

            self._limits = threadpool_limits(limits=share, user_api="openmp")
        else:
            self.context.threads = share
        return self

    def __exit__(self, *exc):
        if self._limits is not None:
            self._limits.restore_original_limits()
        return False
